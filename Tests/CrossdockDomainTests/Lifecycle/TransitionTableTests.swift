import Testing

@testable import CrossdockDomain

/// Walks every cell (state × action) of each state machine: a cell in the table is allowed and lists where it
/// leads; any other cell is refused with an error naming the machine, the state and the action.
@Suite struct TransitionTableTests {
    func walk<S: CaseIterable & Hashable & Sendable & RawRepresentable, A: CaseIterable & Hashable & Sendable & RawRepresentable>(
        _ table: TransitionTable<S, A>
    ) -> (allowed: Int, refused: Int) where S.RawValue == String, A.RawValue == String {
        var allowed = 0
        var refused = 0
        for state in S.allCases {
            for action in A.allCases {
                if let row = table.transition(from: state, on: action) {
                    allowed += 1
                    #expect(!row.to.isEmpty, "\(state.rawValue) × \(action.rawValue) leads nowhere")
                    #expect(!row.emits.isEmpty, "\(state.rawValue) × \(action.rawValue) emits no event")
                    #expect((try? table.check(state, action)) == row)
                } else {
                    refused += 1
                    do {
                        try table.check(state, action)
                        Issue.record("\(state.rawValue) × \(action.rawValue) should be refused")
                    } catch {
                        #expect(error.currentStatus == state.rawValue)
                        #expect(error.action == action.rawValue)
                        #expect(error.message.hasPrefix("\(table.machine) is \(state.rawValue); '\(action.rawValue)' is not allowed"))
                        #expect(error.allowedActions == table.actions(from: state).map(\.rawValue))
                    }
                }
            }
        }
        return (allowed, refused)
    }

    @Test func orderTableCoversEveryCell() {
        let (allowed, refused) = walk(OrderLifecycle.table)
        #expect(allowed + refused == OrderStatus.allCases.count * OrderAction.allCases.count)
        #expect(allowed == OrderLifecycle.table.transitions.count)
        // Final states allow nothing but the after-sale actions and closing; a closed order still takes returns.
        #expect(OrderLifecycle.table.actions(from: .rejected).isEmpty)
        #expect(OrderLifecycle.table.actions(from: .cancelled) == [.close])
        #expect(OrderLifecycle.table.actions(from: .invoiced) == [.authorizeReturn, .close, .receiveReturn, .track])
        #expect(OrderLifecycle.table.actions(from: .closed) == [.authorizeReturn, .receiveReturn])
        #expect(OrderLifecycle.table.permits(.onHold, .releaseHold, to: .released))
        #expect(!OrderLifecycle.table.permits(.shipped, .cancel, to: .cancelled))
    }

    @Test func fulfillmentTableCoversEveryCell() {
        let (allowed, refused) = walk(FulfillmentLifecycle.table)
        #expect(allowed + refused == FulfillmentOrder.Status.allCases.count * FulfillmentAction.allCases.count)
        for status in FulfillmentOrder.Status.allCases where status.isTerminal {
            #expect(FulfillmentLifecycle.table.actions(from: status).isEmpty)
        }
        #expect(FulfillmentLifecycle.table.permits(.cancellationRequested, .ship, to: .closed))
        #expect(!FulfillmentLifecycle.table.permits(.released, .acceptCancel, to: .cancelled))
    }

    @Test func lineTableCoversEveryCell() {
        let (allowed, refused) = walk(LineLifecycle.table)
        #expect(allowed + refused == LineStatus.allCases.count * LineAction.allCases.count)
        for status in [LineStatus.shipped, .invoiced, .rejected, .cancelled] { #expect(LineLifecycle.table.actions(from: status).isEmpty) }
    }

    @Test func statusesTheDomainProducesAreInTheTable() throws {
        // Every header status the lines can imply after acceptance is a target of some row.
        let targets = Set(OrderLifecycle.table.transitions.flatMap(\.to))
        for status in OrderStatus.allCases where status != .received && status != .accepted {
            #expect(targets.contains(status), "\(status.rawValue) is never reached")
        }
    }
}

import Foundation

/// Cancels a whole order or some of its units (DOMAIN.md 2.4): units not yet released are cancelled at once
/// and their reservations freed; released units are requested from their warehouses, which confirm or refuse.
/// Pure.
public enum OrderCancellation {
    /// What to commit.
    public struct Outcome: Sendable {
        /// The order after the command.
        public var order: SalesOrder
        /// Fulfilment orders that received a cancellation request.
        public var fulfillments: [FulfillmentOrder]
        /// Reservations freed.
        public var inventory: [InventoryChange]
        /// Events, in order.
        public var events: [EventDraft]
    }

    /// Cancels `lines` of `order` (every unit not shipped when `nil`).
    /// - Parameters:
    ///   - order: the order.
    ///   - fulfillments: its fulfilment orders.
    ///   - lines: units per line to cancel, or `nil` for everything not shipped.
    ///   - reason: why, for the events.
    ///   - commandID: causation.
    ///   - now: the time.
    ///   - makeID: ids for events.
    /// - Throws: ``CommandError`` when the order's state forbids cancelling or a quantity is not cancellable.
    public static func cancel(
        _ order: SalesOrder,
        fulfillments: [FulfillmentOrder],
        lines: [LineQuantity]?,
        reason: String?,
        commandID: String,
        now: Date,
        makeID: @escaping @Sendable () -> String
    ) throws(CommandError) -> Outcome {
        do { try OrderLifecycle.table.check(order.status, .cancel) } catch { throw CommandError(error) }
        let action = OrderAction.cancel.rawValue
        var order = order
        let before = order.status
        func cancellable(_ line: OrderLine) -> Int { line.open + line.allocated + line.released - line.cancelRequested }

        var requested: [(lineNo: Int, quantity: Int)] = []
        var errors: [IntakeError.FieldError] = []
        if let lines {
            if lines.isEmpty { errors.append(.init(field: "lines", reason: "must name at least one line")) }
            var seen: Set<Int> = []
            for (index, item) in lines.enumerated() {
                let field = "lines[\(index)]"
                guard let line = order.lines.first(where: { $0.lineNo == item.lineNo }) else {
                    errors.append(.init(field: "\(field).lineNo", reason: "line \(item.lineNo) is not on order \(order.id)"))
                    continue
                }
                if !seen.insert(item.lineNo).inserted {
                    errors.append(.init(field: "\(field).lineNo", reason: "duplicate line \(item.lineNo)"))
                }
                if item.quantity <= 0 {
                    errors.append(.init(field: "\(field).quantity", reason: "must be a positive integer"))
                } else if item.quantity > cancellable(line) {
                    errors.append(
                        .init(
                            field: "\(field).quantity",
                            reason:
                                "\(item.quantity) exceeds the \(cancellable(line)) unit(s) of line \(item.lineNo) not shipped or already being cancelled"
                        )
                    )
                }
                requested.append((item.lineNo, item.quantity))
            }
        } else {
            requested = order.lines.filter { cancellable($0) > 0 }.map { ($0.lineNo, cancellable($0)) }
            if requested.isEmpty { errors.append(.init(field: "lines", reason: "no unit of the order can be cancelled")) }
        }
        guard errors.isEmpty else {
            throw CommandError(
                code: "invalid_quantities",
                message: "the cancellation does not fit order \(order.id)",
                errors: errors,
                currentStatus: order.status.rawValue,
                action: action
            )
        }

        var recorder = EventRecorder(correlationID: order.id, causationID: commandID, makeID: makeID)
        var inventory: [InventoryChange] = []
        var immediate: [LineQuantity] = []
        var asked: [LineQuantity] = []
        var fulfillments = fulfillments.filter { !$0.status.isTerminal }
        var touched: Set<String> = []
        var perFulfillment: [String: [LineQuantity]] = [:]
        for (lineNo, quantity) in requested {
            let index = order.lines.firstIndex { $0.lineNo == lineNo }!
            var left = quantity
            // Open (backordered) units first: nothing is reserved for them.
            let fromOpen = min(left, order.lines[index].open)
            order.lines[index].open -= fromOpen
            order.lines[index].backordered = min(order.lines[index].backordered, order.lines[index].open)
            order.lines[index].cancelled += fromOpen
            left -= fromOpen
            // Allocated, unreleased units: free the reservation.
            if left > 0, order.lines[index].allocated > 0 {
                let releasedByWarehouse = fulfillments.reduce(into: [String: Int]()) { sums, fulfillment in
                    for line in fulfillment.lines where line.lineNo == lineNo { sums[fulfillment.warehouseID, default: 0] += line.remaining }
                }
                for (warehouse, reserved) in order.lines[index].warehouseQuantities.sorted(by: { $0.key < $1.key }) where left > 0 {
                    let allocatedHere = min(order.lines[index].allocated, reserved - (releasedByWarehouse[warehouse] ?? 0))
                    let take = min(left, max(0, allocatedHere))
                    guard take > 0 else { continue }
                    order.lines[index].allocated -= take
                    order.lines[index].cancelled += take
                    order.lines[index].removeReservation(take, in: warehouse)
                    inventory.append(.reserve(-take, of: order.lines[index].sku, in: warehouse))
                    left -= take
                }
            }
            if quantity - left > 0 { immediate.append(LineQuantity(lineNo: lineNo, quantity: quantity - left)) }
            let toAsk = left
            // Released units: ask the warehouses.
            for fIndex in fulfillments.indices where left > 0 {
                guard let lIndex = fulfillments[fIndex].lines.firstIndex(where: { $0.lineNo == lineNo }) else { continue }
                let line = fulfillments[fIndex].lines[lIndex]
                let take = min(left, line.remaining - line.cancelRequested)
                guard take > 0 else { continue }
                do {
                    try FulfillmentLifecycle.table.check(fulfillments[fIndex].status, .requestCancel)
                } catch {
                    throw CommandError(error)
                }
                fulfillments[fIndex].lines[lIndex].cancelRequested += take
                fulfillments[fIndex].status = .cancellationRequested
                order.lines[index].cancelRequested += take
                touched.insert(fulfillments[fIndex].id)
                perFulfillment[fulfillments[fIndex].id, default: []].append(LineQuantity(lineNo: lineNo, quantity: take))
                left -= take
            }
            if toAsk - left > 0 { asked.append(LineQuantity(lineNo: lineNo, quantity: toAsk - left)) }
        }
        order.reasons =
            order.reasons.filter { $0.code != "backordered" }
            + order.lines.filter { $0.backordered > 0 }.map {
                .init(code: "backordered", message: "\($0.backordered) unit(s) wait for stock", lineNo: $0.lineNo)
            }
        if !immediate.isEmpty {
            recorder.record(
                .orderCancelled,
                subject: order.id,
                at: now,
                CancellationData(orderId: order.id, stage: .preRelease, lines: immediate, reason: reason)
            )
        }
        fulfillments = fulfillments.filter { touched.contains($0.id) }
        for index in fulfillments.indices {
            fulfillments[index].version += 1
            recorder.record(
                .fulfillmentCancelRequested,
                subject: fulfillments[index].id,
                at: now,
                FulfillmentFeedbackApplier.data(fulfillments[index], perFulfillment[fulfillments[index].id] ?? [], reason: reason)
            )
        }
        if !asked.isEmpty {
            recorder.record(
                .orderCancelRequested,
                subject: order.id,
                at: now,
                CancellationData(orderId: order.id, stage: .postRelease, lines: asked, reason: reason)
            )
        }
        if order.status != .onHold {
            order.transition(to: order.derivedStatus, at: now)
        } else if order.lines.allSatisfy({ $0.live == 0 }) {
            order.transition(to: .cancelled, at: now)
        }
        if order.status != before {
            recorder.record(.orderStatusChanged, subject: order.id, at: now, OrderStatusData(order))
        }
        order.version += 1
        return Outcome(order: order, fulfillments: fulfillments, inventory: inventory, events: recorder.events)
    }
}

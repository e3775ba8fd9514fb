import CrossdockDomain
import CrossdockStore
import Foundation

extension Watchdogs {
    /// Closes every invoiced or cancelled order that ``OrderClosing`` says may close at `at`, one unit each (guarded
    /// by the order's version, so a return or an exception written meanwhile wins and the order is looked at again
    /// next run); returns the ids closed.
    func closeOrders(at: Date, deadlines: WatchdogDeadlines) async throws -> [String] {
        var closed: [String] = []
        for status in [OrderStatus.invoiced, .cancelled] {
            for order in try await orders(status) {
                let window = deadlines.returnWindowDays(channel: order.channel)
                // The window is the cheapest test: most invoiced orders are still inside it.
                if case .waitUntil = OrderClosing.verdict(order, openExceptions: 0, returns: [], returnWindowDays: window, now: at) {
                    continue
                }
                let exceptions = try await store.operationsExceptions(status: .open, orderID: order.id, limit: 1).count
                let returns = try await store.returns(orderID: order.id)
                guard OrderClosing.verdict(order, openExceptions: exceptions, returns: returns, returnWindowDays: window, now: at) == .close,
                    OrderLifecycle.table.transition(from: order.status, on: .close) != nil
                else { continue }
                var changed = order
                changed.transition(to: .closed, at: at)
                changed.version += 1
                var recorder = EventRecorder(correlationID: order.id, causationID: nil, makeID: IDs.make)
                recorder.record(.orderClosed, subject: order.id, at: at, OrderStatusData(changed))
                var unit = UnitOfWork()
                unit.orders = [.init(changed, expectedVersion: order.version)]
                unit.events = recorder.events
                if try await commit(unit, what: order.id) { closed.append(order.id) }
            }
        }
        return closed
    }
}

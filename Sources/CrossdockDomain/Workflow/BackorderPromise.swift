import Foundation

/// Re-promises backordered units of one SKU when its projected supply changes (a receipt is scheduled): orders are
/// served in ``BackorderFill/sequence(_:)`` order, each promise consuming projected ATP before the next. Pure.
public enum BackorderPromise {
    /// One order whose promise dates changed.
    public struct Change: Sendable {
        /// The order before (for its version).
        public var before: SalesOrder
        /// The order with new promise dates.
        public var order: SalesOrder
        /// `order.backordered` with the new dates.
        public var events: [EventDraft]
    }

    /// New promise dates for `orders`' backordered lines of `sku`.
    /// - Parameters:
    ///   - orders: orders with backordered units of `sku`.
    ///   - sku: the SKU whose supply changed.
    ///   - supply: projected supply per warehouse (available now and open receipts), without backorder demand.
    ///   - today: today.
    ///   - commandID: causation.
    ///   - now: the time.
    ///   - makeID: ids.
    public static func run(
        _ orders: [SalesOrder],
        sku: String,
        supply: [ATPSchedule.Input],
        today: BusinessDay,
        commandID: String,
        now: Date,
        makeID: @escaping @Sendable () -> String
    ) -> [Change] {
        var inputs = supply.isEmpty ? [ATPSchedule.Input(availableNow: 0)] : supply
        var changes: [Change] = []
        for before in BackorderFill.sequence(orders) where before.status != .onHold && !before.status.isTerminal {
            var order = before
            var changed = false
            for index in order.lines.indices where order.lines[index].sku == sku && order.lines[index].backordered > 0 {
                let quantity = order.lines[index].backordered
                let schedule = ATPSchedule.network(inputs, today: today)
                let date = schedule.promiseDate(for: quantity, requested: order.requestedDate.flatMap(BusinessDay.init))
                if let date { inputs[0].demands.append(ATPSchedule.DatedQuantity(date: date, quantity: quantity)) }
                if order.lines[index].promisedDate != date?.description {
                    order.lines[index].promisedDate = date?.description
                    changed = true
                }
            }
            guard changed else { continue }
            order.reasons =
                order.reasons.filter { $0.code != "backordered" }
                + order.lines.filter { $0.backordered > 0 }.map {
                    let promise = $0.promisedDate.map { " (promised \($0))" } ?? ""
                    return .init(code: "backordered", message: "\($0.backordered) unit(s) wait for stock\(promise)", lineNo: $0.lineNo)
                }
            order.version += 1
            var recorder = EventRecorder(correlationID: order.id, causationID: commandID, makeID: makeID)
            recorder.record(.orderBackordered, subject: order.id, at: now, OrderEventData(order))
            changes.append(Change(before: before, order: order, events: recorder.events))
        }
        return changes
    }
}

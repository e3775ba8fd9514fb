import Foundation

/// Re-allocates backordered units when stock arrives (an adjustment, a receipt, a restocked return):
/// oldest promise date first, then oldest order (DOMAIN.md 3.2, rule 1). Never touches stock already released.
/// Pure.
public enum BackorderFill {
    /// One order the run changed.
    public struct Change: Sendable {
        /// The order before (for its version).
        public var before: SalesOrder
        /// The order after.
        public var order: SalesOrder
        /// Reservations.
        public var inventory: [InventoryChange]
        /// Fulfilment orders released.
        public var fulfillmentOrders: [FulfillmentOrder]
        /// Events.
        public var events: [EventDraft]
    }

    /// The order in which backordered orders are served: earliest promise date first (no promise last), then
    /// the order received first, then id.
    public static func sequence(_ orders: [SalesOrder]) -> [SalesOrder] {
        func key(_ order: SalesOrder) -> String {
            order.lines.filter { $0.backordered > 0 }.compactMap(\.promisedDate).min() ?? "9999-12-31"
        }
        return orders.sorted { (key($0), $0.receivedAt, $0.id) < (key($1), $1.receivedAt, $1.id) }
    }

    /// Allocates `orders`' backordered units against `context`, serving them in ``sequence(_:)`` order; each
    /// order's reservations reduce what the next one sees.
    /// - Parameters:
    ///   - orders: orders with backordered units.
    ///   - context: stock and rules; `allowSubstitution` is ignored (substitutes are chosen at intake only).
    ///   - commandID: causation.
    ///   - now: the time.
    ///   - makeID: ids.
    public static func run(
        _ orders: [SalesOrder],
        context: AllocationContext,
        commandID: String,
        now: Date,
        makeID: @escaping @Sendable () -> String
    ) -> [Change] {
        var context = context
        context.allowSubstitution = false
        var changes: [Change] = []
        for before in sequence(orders) where before.status != .onHold && !before.status.isTerminal {
            var order = before
            var recorder = EventRecorder(correlationID: order.id, causationID: commandID, makeID: makeID)
            let lines = Set(order.lines.filter { $0.backordered > 0 }.map(\.lineNo))
            let status = order.status
            let result = OrderAllocation.run(&order, context: context, lines: lines, now: now, recorder: &recorder, makeID: makeID)
            guard !result.allocations.isEmpty else { continue }
            for change in result.inventory {
                if let index = context.balances.firstIndex(where: { $0.sku == change.sku && $0.warehouseID == change.warehouseID }) {
                    context.balances[index].reserved += change.reservedDelta
                }
            }
            order.transition(to: order.derivedStatus, at: now)
            if order.status != status {
                recorder.record(.orderStatusChanged, subject: order.id, at: now, OrderStatusData(order))
            }
            order.version += 1
            changes.append(
                Change(
                    before: before,
                    order: order,
                    inventory: result.inventory,
                    fulfillmentOrders: result.fulfillmentOrders,
                    events: recorder.events
                )
            )
        }
        return changes
    }
}

/// The header status of a sales order (DESIGN.md "Order lifecycle", DOMAIN.md 2.2).
///
/// After acceptance the header is derived from the lines and shipments (see ``SalesOrder/derivedStatus``);
/// ``OrderLifecycle`` lists which action each status permits.
public enum OrderStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case received
    case validated
    /// Credit hold: nothing is reserved until the hold is released and credit re-validated.
    case onHold = "on_hold"
    case accepted
    case allocated
    case partiallyAllocated = "partially_allocated"
    case backordered
    case released
    case inFulfillment = "in_fulfillment"
    case partiallyShipped = "partially_shipped"
    case shipped
    /// A shipment of the order has an open carrier exception (damaged, lost, returned to sender).
    case deliveryException = "delivery_exception"
    case delivered
    /// Delivered (or settled by a credit for a lost shipment) and every shipped unit invoiced: the final state of a
    /// fulfilled order.
    case invoiced
    /// Invoiced or cancelled, nothing open on it and its channel's return window past (``OrderClosing``): the end of
    /// the lifecycle. A return authorised later is still taken.
    case closed
    case rejected
    case cancelled

    /// Whether the order is final: nothing more will ship or be billed (returns may still follow an invoiced order).
    public var isTerminal: Bool {
        switch self {
        case .invoiced, .closed, .rejected, .cancelled: true
        default: false
        }
    }
}

/// The status of one order line, derived from its quantity buckets.
public enum LineStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case open
    case allocated
    case partiallyAllocated = "partially_allocated"
    case backordered
    case released
    case partiallyShipped = "partially_shipped"
    case shipped
    /// Every live unit shipped and invoiced.
    case invoiced
    case rejected
    case cancelled
}

/// The header status of a sales order (DESIGN.md "Order lifecycle").
public enum OrderStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case received
    case validated
    case onHold = "on_hold"
    case accepted
    case allocated
    case partiallyAllocated = "partially_allocated"
    case backordered
    case released
    case inFulfillment = "in_fulfillment"
    case partiallyShipped = "partially_shipped"
    case shipped
    case rejected
    case cancelled

    /// Whether nothing more can happen to the order at this stage of the product (no open warehouse work).
    public var isTerminal: Bool {
        switch self {
        case .shipped, .rejected, .cancelled: true
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
    case rejected
    case cancelled
}

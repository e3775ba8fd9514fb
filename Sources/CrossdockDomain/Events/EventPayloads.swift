import Foundation

/// The `data` of order events: the order as it stands after the change, plus what changed.
public struct OrderEventData: Hashable, Sendable, Codable {
    /// The order id.
    public var orderId: String
    /// Channel.
    public var channel: String
    /// Channel order id.
    public var externalId: String
    /// Account.
    public var customerId: String
    /// The selling legal entity, when the customer names one (the `entity` attribute subscriptions filter on).
    public var legalEntityId: String?
    /// Status after the change.
    public var status: OrderStatus
    /// Reasons (rejection, hold, backorder).
    public var reasons: [SalesOrder.Reason]
    /// Lines after the change.
    public var lines: [LineData]
    /// Order total.
    public var total: Money
    /// Allocations made by this change, if any.
    public var allocations: [Allocator.Allocation]?

    /// A line in an order event.
    public struct LineData: Hashable, Sendable, Codable {
        public var lineNo: Int
        public var sku: String
        public var quantity: Int
        public var unitPrice: Money
        public var status: LineStatus
        public var open: Int
        public var backordered: Int
        public var released: Int
        public var shipped: Int
    }

    /// Builds the payload from `order`.
    public init(_ order: SalesOrder, allocations: [Allocator.Allocation]? = nil) {
        orderId = order.id
        channel = order.channel
        externalId = order.externalID
        customerId = order.customerID
        legalEntityId = order.legalEntityID
        status = order.status
        reasons = order.reasons
        total = order.total
        self.allocations = allocations
        lines = order.lines.map {
            LineData(
                lineNo: $0.lineNo,
                sku: $0.sku,
                quantity: $0.quantity,
                unitPrice: $0.unitPrice,
                status: $0.status,
                open: $0.open,
                backordered: $0.backordered,
                released: $0.released,
                shipped: $0.shipped
            )
        }
    }
}

/// The `data` of order transitions that change only the status (`order.validated`, `order.accepted`,
/// `order.released`, `order.status_changed`): the order's identity, its new status and the reasons. The lines
/// travel with `order.received`, `order.allocated`, `order.backordered`, `order.rejected` and `order.on_hold`.
public struct OrderStatusData: Hashable, Sendable, Codable {
    public var orderId: String
    public var channel: String
    public var externalId: String
    public var customerId: String
    public var legalEntityId: String?
    public var status: OrderStatus
    public var reasons: [SalesOrder.Reason]
    public var total: Money

    /// Builds the payload from `order`.
    public init(_ order: SalesOrder) {
        orderId = order.id
        channel = order.channel
        externalId = order.externalID
        customerId = order.customerID
        legalEntityId = order.legalEntityID
        status = order.status
        reasons = order.reasons
        total = order.total
    }
}

/// The `data` of `inventory.adjusted`.
public struct InventoryAdjustedData: Hashable, Sendable, Codable {
    public var warehouseId: String
    public var sku: String
    public var onHandDelta: Int
    public var reason: AdjustmentReason
    public var reference: String?

    /// Creates the payload.
    public init(warehouseId: String, sku: String, onHandDelta: Int, reason: AdjustmentReason, reference: String?) {
        self.warehouseId = warehouseId
        self.sku = sku
        self.onHandDelta = onHandDelta
        self.reason = reason
        self.reference = reference
    }
}

/// The `data` of fulfilment events other than release.
public struct FulfillmentEventData: Hashable, Sendable, Codable {
    public var fulfillmentOrderId: String
    public var orderId: String
    public var warehouseId: String
    public var status: FulfillmentOrder.Status
    /// The lines the report touched, with the reported quantity.
    public var lines: [LineQuantity]
    public var reason: String?
}

/// A quantity for one order line.
public struct LineQuantity: Hashable, Sendable, Codable {
    /// The order line.
    public var lineNo: Int
    /// Units.
    public var quantity: Int

    /// Creates a line quantity.
    public init(lineNo: Int, quantity: Int) {
        self.lineNo = lineNo
        self.quantity = quantity
    }
}

/// The `data` of `order.cancelled`, `order.cancel_requested` and `order.cancel_refused`.
public struct CancellationData: Hashable, Sendable, Codable {
    /// Before release (effective at once) or after (asked of the warehouse).
    public enum Stage: String, Hashable, Sendable, Codable {
        case preRelease = "pre_release"
        case postRelease = "post_release"
    }

    public var orderId: String
    public var stage: Stage
    /// Units per line.
    public var lines: [LineQuantity]
    public var reason: String?

    /// Creates the payload.
    public init(orderId: String, stage: Stage, lines: [LineQuantity], reason: String?) {
        self.orderId = orderId
        self.stage = stage
        self.lines = lines
        self.reason = reason
    }
}

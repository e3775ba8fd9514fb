import Foundation

/// The `data` of `channel.order_updated`: what the channel an order came from should now know about it, in the
/// channel's own ids, as one self-contained message.
///
/// Each update carries the order as it stands (``status``, ``lines`` with their quantity buckets and promise dates,
/// every ``shipments`` entry with carrier, tracking numbers and delivery state) and what changed (``change``, with the
/// ``shipment``, ``cancellation`` or ``credit`` it is about). A channel that keeps a copy of the order replaces its
/// copy with the snapshot (Salesforce); one that takes deltas applies the change (Shopify fulfillments, cancellations
/// and refunds). Updates of one order are published in the order the changes happened; the CloudEvent's `sequence`
/// increases with each, so a channel that already applied a later update can refuse an earlier one as stale.
public struct ChannelOrderUpdate: Hashable, Sendable, Codable {
    /// What changed.
    public enum Change: String, Hashable, Sendable, Codable, CaseIterable {
        /// Accepted (also after a credit hold was released).
        case accepted
        /// Put on credit hold.
        case onHold = "on_hold"
        /// Rejected by validation.
        case rejected
        /// Some units wait for stock; ``ChannelOrderUpdate/promisedDate`` says when.
        case backordered
        /// The derived status moved (allocated, released, in fulfilment, delivery exception, invoiced).
        case status
        /// A shipment left with its carrier and tracking numbers (``ChannelOrderUpdate/shipment``).
        case shipped
        /// A shipment was delivered (``ChannelOrderUpdate/shipment``).
        case delivered
        /// Units were cancelled (``ChannelOrderUpdate/cancellation``).
        case cancelled
        /// Units came back on a return (the credit follows as `credited`).
        case returned
        /// A credit memo was issued: a return, or a shipment lost or damaged in transit (``ChannelOrderUpdate/credit``).
        case credited
    }

    /// One order line as the channel should see it; quantities in base units, with the ordered unit beside them.
    public struct Line: Hashable, Sendable, Codable {
        /// The order line number.
        public var lineNo: Int
        /// The channel's id of the line.
        public var channelLineId: String?
        /// The SKU shipping (a substitute after a substitution).
        public var sku: String
        /// The SKU ordered.
        public var orderedSku: String
        /// Ordered, in base units.
        public var quantity: Int
        /// The unit the line was ordered in and the base units per unit; nil for the base unit.
        public var orderedUnit: OrderLine.OrderedUnit?
        /// Units shipped.
        public var shipped: Int
        /// Units cancelled.
        public var cancelled: Int
        /// Units rejected.
        public var rejected: Int
        /// Units waiting for stock.
        public var backordered: Int
        /// Live units not shipped yet (open, allocated or released).
        public var unshipped: Int
        /// Units received back on returns.
        public var returned: Int
        /// Units credited (returns, losses).
        public var credited: Int
        /// When the unshipped units are promised (`YYYY-MM-DD`), if known.
        public var promisedDate: String?
        /// The line status, derived from the quantities.
        public var status: LineStatus
        /// The booked price per base unit.
        public var unitPrice: Money

        /// Creates a line.
        public init(
            lineNo: Int,
            channelLineId: String? = nil,
            sku: String,
            orderedSku: String,
            quantity: Int,
            orderedUnit: OrderLine.OrderedUnit? = nil,
            shipped: Int,
            cancelled: Int,
            rejected: Int,
            backordered: Int,
            unshipped: Int,
            returned: Int,
            credited: Int,
            promisedDate: String? = nil,
            status: LineStatus,
            unitPrice: Money
        ) {
            self.lineNo = lineNo
            self.channelLineId = channelLineId
            self.sku = sku
            self.orderedSku = orderedSku
            self.quantity = quantity
            self.orderedUnit = orderedUnit
            self.shipped = shipped
            self.cancelled = cancelled
            self.rejected = rejected
            self.backordered = backordered
            self.unshipped = unshipped
            self.returned = returned
            self.credited = credited
            self.promisedDate = promisedDate
            self.status = status
            self.unitPrice = unitPrice
        }
    }

    /// Units of one line.
    public struct LineQuantity: Hashable, Sendable, Codable {
        /// The order line number.
        public var lineNo: Int
        /// The channel's id of the line.
        public var channelLineId: String?
        /// The SKU.
        public var sku: String
        /// Base units.
        public var quantity: Int
        /// The same units counted in the unit the line was ordered in (cases) when they make whole ones, else
        /// ``quantity``: what a channel that sells the case as its item counts.
        public var channelQuantity: Int
        /// Their value with tax, when it is known (cancellations and credits).
        public var amount: Money?

        /// Creates a line quantity.
        public init(
            lineNo: Int,
            channelLineId: String? = nil,
            sku: String,
            quantity: Int,
            channelQuantity: Int,
            amount: Money? = nil
        ) {
            self.lineNo = lineNo
            self.channelLineId = channelLineId
            self.sku = sku
            self.quantity = quantity
            self.channelQuantity = channelQuantity
            self.amount = amount
        }
    }

    /// A shipment as the channel should see it.
    public struct ShipmentInfo: Hashable, Sendable, Codable {
        /// The hub shipment id.
        public var shipmentId: String
        /// The shipping warehouse.
        public var warehouseId: String
        /// The carrier (SCAC or name).
        public var carrier: String
        /// The service level.
        public var service: String?
        /// The packages' tracking numbers, each once.
        public var trackingNumbers: [String]
        /// When the carrier took it.
        public var shippedAt: Date
        /// `in_transit`, `delivered`, `exception` or `settled` (an exception credited).
        public var status: String
        /// When the last package was delivered.
        public var deliveredAt: Date?
        /// Units shipped per line.
        public var lines: [LineQuantity]

        /// Creates a shipment.
        public init(
            shipmentId: String,
            warehouseId: String,
            carrier: String,
            service: String? = nil,
            trackingNumbers: [String],
            shippedAt: Date,
            status: String,
            deliveredAt: Date? = nil,
            lines: [LineQuantity]
        ) {
            self.shipmentId = shipmentId
            self.warehouseId = warehouseId
            self.carrier = carrier
            self.service = service
            self.trackingNumbers = trackingNumbers
            self.shippedAt = shippedAt
            self.status = status
            self.deliveredAt = deliveredAt
            self.lines = lines
        }
    }

    /// Units cancelled by one cancellation.
    public struct Cancellation: Hashable, Sendable, Codable {
        /// Whether nothing of the order is left to ship or shipped (the channel cancels the whole order).
        public var wholeOrder: Bool
        /// Why, as the hub was told.
        public var reason: String?
        /// Units cancelled per line, with their value.
        public var lines: [LineQuantity]
        /// Value of the cancelled units with tax.
        public var amount: Money

        /// Creates a cancellation.
        public init(
            wholeOrder: Bool,
            reason: String? = nil,
            lines: [LineQuantity],
            amount: Money
        ) {
            self.wholeOrder = wholeOrder
            self.reason = reason
            self.lines = lines
            self.amount = amount
        }
    }

    /// One credit memo.
    public struct Credit: Hashable, Sendable, Codable {
        /// The credit memo id.
        public var creditMemoId: String
        /// The credit memo number.
        public var number: String
        /// `return`, `lost_shipment`, `damaged_in_transit`, `returned_to_sender`, `price_adjustment`.
        public var reason: String
        /// Whether the goods came back into stock (a return), so the channel restocks.
        public var restock: Bool
        /// The memo total (lines and tax).
        public var total: Money
        /// Units credited per line, with their amount.
        public var lines: [LineQuantity]

        /// Creates a credit.
        public init(
            creditMemoId: String,
            number: String,
            reason: String,
            restock: Bool,
            total: Money,
            lines: [LineQuantity]
        ) {
            self.creditMemoId = creditMemoId
            self.number = number
            self.reason = reason
            self.restock = restock
            self.total = total
            self.lines = lines
        }
    }

    /// The channel's partner id (filter attribute `partner`).
    public var partner: String
    /// The channel (filter attribute `channel`).
    public var channel: String
    /// The hub order id.
    public var orderId: String
    /// The channel's order id.
    public var channelOrderId: String
    /// The account.
    public var customerId: String
    /// The customer's PO number.
    public var customerPo: String?
    /// What changed.
    public var change: Change
    /// The hub's status of the order.
    public var status: OrderStatus
    /// The order's aggregate version when the update was built.
    public var orderVersion: Int
    /// The last promise date of the backordered units, if any.
    public var promisedDate: String?
    /// Why the order is held or rejected.
    public var reasons: [SalesOrder.Reason]
    /// The order total: goods and tax.
    public var total: Money
    /// The shipping the channel charged.
    public var shipping: Money?
    /// Σ credit memos of the order.
    public var credited: Money
    /// Every line of the order.
    public var lines: [Line]
    /// Every shipment of the order.
    public var shipments: [ShipmentInfo]
    /// The shipment a `shipped` or `delivered` change is about.
    public var shipment: ShipmentInfo?
    /// The cancellation a `cancelled` change is about.
    public var cancellation: Cancellation?
    /// The credit memo a `credited` change is about.
    public var credit: Credit?

    /// Creates an update.
    public init(
        partner: String,
        channel: String,
        orderId: String,
        channelOrderId: String,
        customerId: String,
        customerPo: String? = nil,
        change: Change,
        status: OrderStatus,
        orderVersion: Int,
        promisedDate: String? = nil,
        reasons: [SalesOrder.Reason],
        total: Money,
        shipping: Money? = nil,
        credited: Money,
        lines: [Line],
        shipments: [ShipmentInfo],
        shipment: ShipmentInfo? = nil,
        cancellation: Cancellation? = nil,
        credit: Credit? = nil
    ) {
        self.partner = partner
        self.channel = channel
        self.orderId = orderId
        self.channelOrderId = channelOrderId
        self.customerId = customerId
        self.customerPo = customerPo
        self.change = change
        self.status = status
        self.orderVersion = orderVersion
        self.promisedDate = promisedDate
        self.reasons = reasons
        self.total = total
        self.shipping = shipping
        self.credited = credited
        self.lines = lines
        self.shipments = shipments
        self.shipment = shipment
        self.cancellation = cancellation
        self.credit = credit
    }
}

import Foundation

/// What the watchdogs look at: the stored facts about every promise still in flight. The hub gathers them from the
/// store; the rules (``Watchdog``) are pure functions of these facts and a clock.
public struct WatchdogFacts: Sendable {
    /// A fulfilment order and whether its warehouse acknowledged it (the 997 of its 940, for an X12 3PL).
    public struct Fulfillment: Sendable {
        /// The fulfilment order.
        public var order: FulfillmentOrder
        /// When the warehouse acknowledged it without picking yet; nil when it has not.
        public var acknowledgedAt: Date?

        /// Creates a fact.
        public init(order: FulfillmentOrder, acknowledgedAt: Date? = nil) {
            self.order = order
            self.acknowledgedAt = acknowledgedAt
        }
    }

    /// An outbound X12 document and what the partner's 997 said of it.
    public struct OutboundDocument: Hashable, Sendable {
        /// What the partner's functional acknowledgment said.
        public enum Status: String, Hashable, Sendable {
            /// Issued; no 997 yet.
            case sent
            case acknowledged
            case acknowledgedWithErrors = "acknowledged_with_errors"
            case rejected
        }

        /// The hub's document id.
        public var id: String
        /// The partner.
        public var partnerID: String
        /// ST01: `855`, `856`, `810`, `940`.
        public var transactionSet: String
        /// The order, when known.
        public var orderID: String?
        /// The business key (PO number, shipment, invoice, fulfilment order).
        public var reference: String
        /// Where it stands.
        public var status: Status
        /// The partner's reason, for rejections.
        public var detail: String?
        /// When it was issued.
        public var createdAt: Date
        /// When its 997 arrived.
        public var acknowledgedAt: Date?

        /// Creates a fact.
        public init(
            id: String,
            partnerID: String,
            transactionSet: String,
            orderID: String?,
            reference: String,
            status: Status,
            detail: String? = nil,
            createdAt: Date,
            acknowledgedAt: Date? = nil
        ) {
            self.id = id
            self.partnerID = partnerID
            self.transactionSet = transactionSet
            self.orderID = orderID
            self.reference = reference
            self.status = status
            self.detail = detail
            self.createdAt = createdAt
            self.acknowledgedAt = acknowledgedAt
        }
    }

    /// One order line as far as its backorder promise goes.
    public struct Backorder: Hashable, Sendable {
        /// The order.
        public var orderID: String
        /// The order's channel.
        public var channel: String
        /// The line (its backordered units and promised date).
        public var line: OrderLine
        /// The open receipts of the line's SKU that were expected before today (past-due supply: promising counts
        /// it as arriving today, so a line promised for today may be waiting for one of them).
        public var lateReceipts: [ScheduledReceipt]

        /// Creates a fact.
        public init(orderID: String, channel: String, line: OrderLine, lateReceipts: [ScheduledReceipt] = []) {
            self.orderID = orderID
            self.channel = channel
            self.line = line
            self.lateReceipts = lateReceipts
        }
    }

    /// When a channel's latest orders arrived.
    public struct ChannelActivity: Hashable, Sendable {
        /// The channel.
        public var channel: String
        /// When its latest orders were received, newest first.
        public var arrivals: [Date]

        /// Creates a fact.
        public init(channel: String, arrivals: [Date]) {
            self.channel = channel
            self.arrivals = arrivals
        }
    }

    /// Fulfilment orders not yet finished.
    public var fulfillments: [Fulfillment]
    /// Shipments not yet delivered.
    public var shipments: [Shipment]
    /// Outbound X12 documents not yet acknowledged, or acknowledged with errors or rejected.
    public var documents: [OutboundDocument]
    /// Order lines with a backorder (or the line of a backorder exception, which may be filled by now).
    public var backorders: [Backorder]
    /// Every channel that has sent orders.
    public var channels: [ChannelActivity]

    /// Creates facts.
    public init(
        fulfillments: [Fulfillment] = [],
        shipments: [Shipment] = [],
        documents: [OutboundDocument] = [],
        backorders: [Backorder] = [],
        channels: [ChannelActivity] = []
    ) {
        self.fulfillments = fulfillments
        self.shipments = shipments
        self.documents = documents
        self.backorders = backorders
        self.channels = channels
    }
}

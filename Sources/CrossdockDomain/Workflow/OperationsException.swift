import Foundation

/// Something operations must act on: a parcel damaged, lost or returned to sender, a cancellation the warehouse
/// refused, a channel price or channel totals that differ from the hub's, or a promise a watchdog saw broken (see
/// ``Watchdog``; those carry a ``watchdogKey`` and resolve themselves when the late fact arrives). Listed at `GET /v1/exceptions`,
/// assigned and commented at `POST /v1/exceptions/{id}/assign` and `…/comments`, and resolved at
/// `POST /v1/exceptions/{id}/resolve` with a resolution that fits its kind (``Kind/resolutions``).
public struct OperationsException: Hashable, Sendable, Codable {
    /// What happened.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// The carrier reported damage, loss or return to sender.
        case deliveryException = "delivery_exception"
        /// The warehouse refused a cancellation: the goods ship anyway.
        case cancelRefused = "cancel_refused"
        /// A channel sent a unit price further from the hub's than the configured tolerance; the order was booked at
        /// the hub's price and the figures wait for sales operations.
        case priceMismatch = "price_mismatch"
        /// The channel's tax or total differs from the hub's beyond the tolerance (both figures in `figures`).
        case channelTotalsMismatch = "channel_totals_mismatch"
        /// Watchdog: a fulfilment order released to a WMS or 3PL saw no acknowledgement or pick within its deadline.
        case fulfillmentUnacknowledged = "fulfillment_unacknowledged"
        /// Watchdog: a shipment had no carrier scan within the carrier's business days ("lost by silence").
        case shipmentSilent = "shipment_silent"
        /// Watchdog: a shipment is still in transit past the carrier's estimated delivery plus grace.
        case shipmentOverdue = "shipment_overdue"
        /// Watchdog: an outbound 855, 856, 810 or 940 got no 997 within the partner's hours.
        case ediUnacknowledged = "edi_unacknowledged"
        /// Watchdog: the partner's 997 rejected an outbound document.
        case ediRejected = "edi_rejected"
        /// Watchdog: a backorder's promised date passed without a receipt to fill it.
        case backorderOverdue = "backorder_overdue"
        /// Watchdog: a channel that was sending orders has gone silent beyond its usual gap (no order: `orderId` is
        /// empty).
        case channelSilent = "channel_silent"

        /// Whether a watchdog raises it (and resolves it when the late fact arrives).
        public var isWatchdog: Bool {
            switch self {
            case .deliveryException, .cancelRefused, .priceMismatch, .channelTotalsMismatch: false
            default: true
            }
        }
    }

    /// One figure as the hub and as the channel have it.
    public struct Figure: Hashable, Sendable, Codable {
        /// What is compared: `unitPrice`, `tax`, `total`, `subtotal`, `shipping`.
        public var name: String
        /// The hub's figure.
        public var hub: Money
        /// The channel's figure.
        public var channel: Money

        /// Creates a figure.
        public init(name: String, hub: Money, channel: Money) {
            self.name = name
            self.hub = hub
            self.channel = channel
        }
    }

    /// Whether it still needs someone.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case open
        case resolved
    }

    /// How it was resolved.
    public enum Resolution: String, Hashable, Sendable, Codable, CaseIterable {
        /// A credit memo for the shipment's units (delivery exceptions).
        case credit
        /// Noted; nothing else to do (a delayed parcel that arrived, a refusal the customer accepted).
        case acknowledge
        /// The late fact arrived and the watchdog resolved it (`note` says which).
        case automatic
        /// A replacement order ships the shipment's units again, allocated and released like any order (delivery
        /// exceptions and silent shipments).
        case reship
        /// The order's unshipped units are cancelled (overdue backorders, unacknowledged fulfilment orders).
        case cancelRemainder = "cancel_remainder"
        /// The backordered line ships a listed substitute instead (overdue backorders).
        case substitute
        /// The customer is told (`exception.customer_notified`, with `note` as the message) and nothing else changes.
        case notifyCustomer = "notify_customer"
    }

    /// Exception id.
    public var id: String
    /// What happened.
    public var kind: Kind
    /// The specific reason, e.g. `lost`, `damaged`, `returned_to_sender`, or the warehouse's refusal text.
    public var detail: String
    /// The order; empty for an exception about no single order (a silent channel).
    public var orderID: String
    /// The shipment, for delivery exceptions.
    public var shipmentID: String?
    /// The fulfilment order, for refused cancellations.
    public var fulfillmentOrderID: String?
    /// The order line, for price mismatches.
    public var lineNo: Int?
    /// The hub's and the channel's figures, for price and totals mismatches.
    public var figures: [Figure]
    /// Open or resolved.
    public var status: Status
    /// How it was resolved.
    public var resolution: Resolution?
    /// A note from whoever resolved it.
    public var note: String?
    /// The credit memo a `credit` resolution issued.
    public var creditMemoID: String?
    /// The replacement order a `reship` resolution created.
    public var replacementOrderID: String?
    /// The SKU a `substitute` resolution put on the line.
    public var substituteSKU: String?
    /// Who works on it (set by `assign`).
    public var assignee: String?
    /// Everything done to it, oldest first.
    public var activity: [Activity]
    /// How many of its activities a person did (assign, comment, resolve); automatic resolutions are not counted.
    public var manualTouches: Int
    /// `resolvedAt − openedAt` in seconds, once resolved.
    public var timeToResolveSeconds: Double?
    /// The watchdog's dedupe key (the subject and the fact it waits from); nil for exceptions no watchdog raised.
    public var watchdogKey: String?
    /// The warehouse, carrier, EDI partner or channel whose deadline passed (watchdog exceptions).
    public var partner: String?
    /// The outbound EDI document, for EDI watchdog exceptions.
    public var documentID: String?
    /// When the late fact was due (watchdog exceptions).
    public var dueAt: Date?
    /// The alert routes (subscription ids) told about it, with when (see ``AlertPlan``).
    public var alerts: [String: AlertMark]
    /// When it was raised.
    public var openedAt: Date
    /// When it was resolved.
    public var resolvedAt: Date?
    /// Aggregate version.
    public var version: Int

    enum CodingKeys: String, CodingKey {
        case id, kind, detail
        case orderID = "orderId"
        case shipmentID = "shipmentId"
        case fulfillmentOrderID = "fulfillmentOrderId"
        case lineNo, figures
        case status, resolution, note
        case creditMemoID = "creditMemoId"
        case replacementOrderID = "replacementOrderId"
        case substituteSKU = "substituteSku"
        case assignee, activity, manualTouches, timeToResolveSeconds
        case watchdogKey, partner
        case documentID = "documentId"
        case dueAt, alerts
        case openedAt, resolvedAt, version
    }

    /// Creates an open exception.
    /// - Parameters:
    ///   - id: its id.
    ///   - kind: what happened.
    ///   - detail: the specific reason.
    ///   - orderID: the order.
    ///   - shipmentID: the shipment, if any.
    ///   - fulfillmentOrderID: the fulfilment order, if any.
    ///   - lineNo: the order line, if any.
    ///   - figures: the hub's and the channel's figures, if any.
    ///   - openedAt: when.
    public init(
        id: String,
        kind: Kind,
        detail: String,
        orderID: String,
        shipmentID: String? = nil,
        fulfillmentOrderID: String? = nil,
        lineNo: Int? = nil,
        figures: [Figure] = [],
        openedAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.detail = detail
        self.orderID = orderID
        self.shipmentID = shipmentID
        self.fulfillmentOrderID = fulfillmentOrderID
        self.lineNo = lineNo
        self.figures = figures
        self.status = .open
        self.activity = []
        self.manualTouches = 0
        self.alerts = [:]
        self.openedAt = openedAt
        self.version = 1
    }
}

extension OperationsException {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decode(Kind.self, forKey: .kind)
        detail = try c.decode(String.self, forKey: .detail)
        orderID = try c.decode(String.self, forKey: .orderID)
        shipmentID = try c.decodeIfPresent(String.self, forKey: .shipmentID)
        fulfillmentOrderID = try c.decodeIfPresent(String.self, forKey: .fulfillmentOrderID)
        // Added after the first schema: older exceptions have no line or figures.
        lineNo = try c.decodeIfPresent(Int.self, forKey: .lineNo)
        figures = try c.decodeIfPresent([Figure].self, forKey: .figures) ?? []
        status = try c.decode(Status.self, forKey: .status)
        resolution = try c.decodeIfPresent(Resolution.self, forKey: .resolution)
        note = try c.decodeIfPresent(String.self, forKey: .note)
        creditMemoID = try c.decodeIfPresent(String.self, forKey: .creditMemoID)
        // Added with the resolution workflow: older exceptions have no activity.
        replacementOrderID = try c.decodeIfPresent(String.self, forKey: .replacementOrderID)
        substituteSKU = try c.decodeIfPresent(String.self, forKey: .substituteSKU)
        assignee = try c.decodeIfPresent(String.self, forKey: .assignee)
        activity = try c.decodeIfPresent([Activity].self, forKey: .activity) ?? []
        manualTouches = try c.decodeIfPresent(Int.self, forKey: .manualTouches) ?? 0
        timeToResolveSeconds = try c.decodeIfPresent(Double.self, forKey: .timeToResolveSeconds)
        watchdogKey = try c.decodeIfPresent(String.self, forKey: .watchdogKey)
        partner = try c.decodeIfPresent(String.self, forKey: .partner)
        documentID = try c.decodeIfPresent(String.self, forKey: .documentID)
        dueAt = try c.decodeIfPresent(Date.self, forKey: .dueAt)
        // Added with alert routes.
        alerts = try c.decodeIfPresent([String: AlertMark].self, forKey: .alerts) ?? [:]
        openedAt = try c.decode(Date.self, forKey: .openedAt)
        resolvedAt = try c.decodeIfPresent(Date.self, forKey: .resolvedAt)
        version = try c.decode(Int.self, forKey: .version)
    }
}

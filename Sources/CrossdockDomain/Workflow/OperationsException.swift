import Foundation

/// Something operations must act on: a parcel damaged, lost or returned to sender, a cancellation the warehouse
/// refused, a channel price or channel totals that differ from the hub's. Listed at `GET /v1/exceptions` and resolved
/// at `POST /v1/exceptions/{id}/resolve`.
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
    }

    /// Exception id.
    public var id: String
    /// What happened.
    public var kind: Kind
    /// The specific reason, e.g. `lost`, `damaged`, `returned_to_sender`, or the warehouse's refusal text.
    public var detail: String
    /// The order.
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
        openedAt = try c.decode(Date.self, forKey: .openedAt)
        resolvedAt = try c.decodeIfPresent(Date.self, forKey: .resolvedAt)
        version = try c.decode(Int.self, forKey: .version)
    }
}

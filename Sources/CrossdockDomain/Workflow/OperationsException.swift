import Foundation

/// Something operations must act on: a parcel damaged, lost or returned to sender, or a cancellation the
/// warehouse refused. Listed at `GET /v1/exceptions` and resolved at `POST /v1/exceptions/{id}/resolve`.
public struct OperationsException: Hashable, Sendable, Codable {
    /// What happened.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// The carrier reported damage, loss or return to sender.
        case deliveryException = "delivery_exception"
        /// The warehouse refused a cancellation: the goods ship anyway.
        case cancelRefused = "cancel_refused"
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
    ///   - openedAt: when.
    public init(
        id: String,
        kind: Kind,
        detail: String,
        orderID: String,
        shipmentID: String? = nil,
        fulfillmentOrderID: String? = nil,
        openedAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.detail = detail
        self.orderID = orderID
        self.shipmentID = shipmentID
        self.fulfillmentOrderID = fulfillmentOrderID
        self.status = .open
        self.openedAt = openedAt
        self.version = 1
    }
}

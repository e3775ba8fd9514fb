import Foundation

/// A partner profile as stored: its kind (`x12`, `shopify`, `salesforce`, `carrier`, `csv`) and its JSON document,
/// which the layer that owns the kind decodes.
public struct PartnerRecord: Hashable, Sendable {
    /// The hub's partner id.
    public var id: String
    /// Which connector reads the document.
    public var kind: String
    /// The profile, JSON.
    public var document: Data
    /// When it was last written.
    public var updatedAt: Date

    /// Creates a record.
    public init(id: String, kind: String, document: Data, updatedAt: Date) {
        self.id = id
        self.kind = kind
        self.document = document
        self.updatedAt = updatedAt
    }

    /// Whether the top-level member `name` of a profile holds a secret (its name contains `secret`, in any case):
    /// such members are encrypted at rest when a key is configured and never shown again.
    public static func isSecretMember(_ name: String) -> Bool {
        name.lowercased().contains("secret")
    }
}

/// One X12 interchange received from or sent to a partner, with the reply it got (our 997 for an inbound one).
public struct EDIInterchangeRecord: Hashable, Sendable {
    /// Which way it travelled.
    public enum Direction: String, Hashable, Sendable, Codable {
        case inbound = "in"
        case outbound = "out"
    }

    /// The hub's id.
    public var id: String
    /// The partner.
    public var partnerID: String
    /// In or out.
    public var direction: Direction
    /// ISA13.
    public var controlNumber: Int
    /// When it was received or written.
    public var createdAt: Date
    /// The interchange text.
    public var text: String
    /// Our 997 interchange for an inbound one.
    public var reply: String?

    /// Creates a record.
    public init(id: String, partnerID: String, direction: Direction, controlNumber: Int, createdAt: Date, text: String, reply: String? = nil) {
        self.id = id
        self.partnerID = partnerID
        self.direction = direction
        self.controlNumber = controlNumber
        self.createdAt = createdAt
        self.text = text
        self.reply = reply
    }
}

/// One transaction set in an interchange, and what became of it.
///
/// Inbound statuses: `accepted` (a 997 accepted it and the hub acted on it), `rejected` (997 or 855 refused it).
/// Outbound: `sent` (issued for delivery), then `acknowledged`, `acknowledged_with_errors` or `rejected` when the
/// partner's 997 comes back.
public struct EDIDocumentRecord: Hashable, Sendable, Codable {
    /// The hub's id.
    public var id: String
    /// The interchange it travelled in.
    public var interchangeID: String
    /// The partner.
    public var partnerID: String
    /// In or out.
    public var direction: EDIInterchangeRecord.Direction
    /// ST01, e.g. `850`.
    public var transactionSet: String
    /// GS06 of its group.
    public var groupControl: Int
    /// ST02.
    public var setControl: String
    /// The order it belongs to, when known.
    public var orderID: String?
    /// The business key: PO number (850/855), shipment (856), invoice (810), fulfilment order (940/945).
    public var reference: String
    /// See the type's discussion.
    public var status: String
    /// Why, for rejections and acknowledgments with errors.
    public var detail: String?
    /// When it was received or written.
    public var createdAt: Date
    /// When the partner's 997 for it arrived.
    public var acknowledgedAt: Date?

    /// Creates a record.
    public init(
        id: String,
        interchangeID: String,
        partnerID: String,
        direction: EDIInterchangeRecord.Direction,
        transactionSet: String,
        groupControl: Int,
        setControl: String,
        orderID: String?,
        reference: String,
        status: String,
        detail: String? = nil,
        createdAt: Date,
        acknowledgedAt: Date? = nil
    ) {
        self.id = id
        self.interchangeID = interchangeID
        self.partnerID = partnerID
        self.direction = direction
        self.transactionSet = transactionSet
        self.groupControl = groupControl
        self.setControl = setControl
        self.orderID = orderID
        self.reference = reference
        self.status = status
        self.detail = detail
        self.createdAt = createdAt
        self.acknowledgedAt = acknowledgedAt
    }
}

/// An outbound interchange and its documents, written with the unit's events (see ``UnitOfWork/ediOutbound``).
public struct EDIOutboundWrite: Hashable, Sendable {
    /// The interchange.
    public var interchange: EDIInterchangeRecord
    /// Its transaction sets.
    public var documents: [EDIDocumentRecord]

    /// Creates a write.
    public init(interchange: EDIInterchangeRecord, documents: [EDIDocumentRecord]) {
        self.interchange = interchange
        self.documents = documents
    }
}

/// Moves a connector's event-log cursor, guarded: it applies only while the cursor is still at `from`.
public struct CursorAdvance: Hashable, Sendable {
    /// The connector's name.
    public var name: String
    /// Where the connector read it.
    public var from: Int64
    /// The new position.
    public var to: Int64

    /// Creates an advance.
    public init(name: String, from: Int64, to: Int64) {
        self.name = name
        self.from = from
        self.to = to
    }
}

/// A partner's own number for something of ours: the ERP's sales order or invoice number for an order, read from
/// its answer to a delivery.
public struct ExternalReference: Hashable, Sendable, Codable {
    /// The order.
    public var orderID: String
    /// Who numbered it: the subscription that delivered the event.
    public var partner: String
    /// What the number is, e.g. `sales_order`, `invoice` (the partner's `documentType`, or the event type).
    public var documentType: String
    /// The partner's number.
    public var number: String
    /// The event whose delivery it answered.
    public var eventID: String
    /// When it was recorded.
    public var recordedAt: Date

    enum CodingKeys: String, CodingKey {
        case orderID = "orderId"
        case partner, documentType, number
        case eventID = "eventId"
        case recordedAt
    }

    /// Creates a reference.
    public init(orderID: String, partner: String, documentType: String, number: String, eventID: String, recordedAt: Date) {
        self.orderID = orderID
        self.partner = partner
        self.documentType = documentType
        self.number = number
        self.eventID = eventID
        self.recordedAt = recordedAt
    }
}

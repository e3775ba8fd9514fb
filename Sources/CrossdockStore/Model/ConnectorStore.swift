import Foundation

/// What the connectors keep: partner profiles, EDI control numbers, the interchanges and documents exchanged, and
/// the event-log cursors of connectors that follow the log. Part of ``Store``.
public protocol ConnectorStore: Sendable {
    /// Creates or replaces a partner profile.
    func putPartner(_ record: PartnerRecord) async throws
    /// One partner; nil when unknown.
    func partner(_ id: String) async throws -> PartnerRecord?
    /// Every partner of `kind` (all kinds when nil), by id.
    func partners(kind: String?) async throws -> [PartnerRecord]
    /// Deletes a partner profile; false when unknown.
    func deletePartner(_ id: String) async throws -> Bool

    /// The next control number of `kind` for `partner`: durable before it is returned, strictly increasing, never
    /// handed out twice (after 999999999 it wraps to 1, as X12 allows).
    func nextControlNumber(partner: String, kind: String) async throws -> Int
    /// Reserves the next `count` control numbers of `kind` for `partner` at once (durable before it returns) and
    /// returns the first; the block never wraps (it ends at 999999999 and the next block starts again at 1).
    func reserveControlNumbers(partner: String, kind: String, count: Int) async throws -> ClosedRange<Int>

    /// The inbound interchange `controlNumber` from `partnerID`, if it was received before.
    func inboundInterchange(partnerID: String, controlNumber: Int) async throws -> EDIInterchangeRecord?
    /// Records a received interchange with its documents; false (and nothing written) when it is already recorded.
    func recordInbound(_ interchange: EDIInterchangeRecord, documents: [EDIDocumentRecord]) async throws -> Bool
    /// Documents of an order, oldest first.
    func ediDocuments(orderID: String) async throws -> [EDIDocumentRecord]
    /// The channel message that created `orderID`, if a channel connector took it (empty for API and X12 orders).
    func inboundMessages(orderID: String) async throws -> [InboundMessage]
    /// The newest documents, optionally of one partner, newest first.
    func ediDocuments(partnerID: String?, limit: Int) async throws -> [EDIDocumentRecord]
    /// An outbound interchange by id.
    func ediInterchange(_ id: String) async throws -> EDIInterchangeRecord?
    /// Applies a partner's 997 to our outbound sets of group `groupControl`: each set's status (`acknowledged`,
    /// `acknowledged_with_errors`, `rejected`) and detail by ST02; returns how many documents changed.
    func recordAcknowledgment(
        partnerID: String,
        groupControl: Int,
        statuses: [String: (status: String, detail: String?)],
        at: Date
    ) async throws -> Int

    /// Records a partner's number for an order (idempotent).
    func recordExternalReference(_ reference: ExternalReference) async throws
    /// The partners' numbers for an order, oldest first.
    func externalReferences(orderID: String) async throws -> [ExternalReference]

    /// Where the connector `name` has read the event log to (0 when it never ran).
    func connectorCursor(_ name: String) async throws -> Int64
    /// The SKU whose product has `gtin` (UPC/EAN/GTIN), if any.
    func productSKU(gtin: String) async throws -> String?
    /// The shipment a tracking number belongs to, if any: the newest when the number was used before.
    func shipmentID(trackingNumber: String) async throws -> String?
}

import CrossdockDomain
import CrossdockEDI
import CrossdockStore
import Foundation

/// Writes outbound X12 for a partner: wraps transaction sets in the partner's envelope, numbers them from the
/// store's control-number sequences, and produces the records and the `edi.document_issued` event that a unit of
/// work commits together. The event carries the interchange text, so the partner's subscription (created with the
/// profile's endpoint) delivers it with retries, per-order ordering, dead letters and replay.
public struct EDIIssuer: Sendable {
    /// One document to write: its transaction set and what it is about.
    public struct Document: Sendable {
        /// The set (ST02 is replaced).
        public var set: X12TransactionSet
        /// The business key (PO number, shipment, invoice, fulfilment order).
        public var reference: String
        /// The order, when there is one.
        public var orderID: String?

        /// Creates a document.
        public init(set: X12TransactionSet, reference: String, orderID: String?) {
            self.set = set
            self.reference = reference
            self.orderID = orderID
        }
    }

    /// What ``issue(_:to:now:correlationID:causationID:makeID:)`` produced.
    public struct Issued: Sendable {
        /// The records to commit.
        public var write: EDIOutboundWrite
        /// The event to commit with them.
        public var event: EventDraft
        /// The interchange text.
        public var text: String
    }

    let source: any ControlNumberSource

    /// Creates an issuer.
    public init(source: any ControlNumberSource) { self.source = source }

    /// Writes `documents` (all of one set kind) for `partner` in one interchange.
    /// - Throws: an ``X12Error`` when a value cannot be written, or what the control-number source throws.
    public func issue(
        _ documents: [Document],
        to partner: TradingPartner,
        now: Date,
        correlationID: String,
        causationID: String?,
        makeID: @Sendable () -> String
    ) async throws -> Issued {
        let setID = documents.first?.set.id ?? ""
        guard let functionalID = X12FunctionalGroup.functionalIdentifierCode(forSet: setID) else {
            throw X12Error(code: "invalid_value", message: "the hub does not write transaction set \(setID)", segmentPosition: 0, segmentID: "ST")
        }
        let interchange = partner.interchange(functionalID: functionalID, sets: documents.map(\.set), at: now)
        let (numbered, text) = try await partner.serializer.serialize(interchange, assigningControlNumbersFrom: source)
        let group = numbered.groups[0]
        let interchangeID = makeID()
        let records = zip(documents, group.transactionSets).map { document, set in
            EDIDocumentRecord(
                id: makeID(),
                interchangeID: interchangeID,
                partnerID: partner.id,
                direction: .outbound,
                transactionSet: set.id,
                groupControl: group.controlNumber,
                setControl: set.controlNumber,
                orderID: document.orderID,
                reference: document.reference,
                status: "sent",
                createdAt: now
            )
        }
        let record = EDIInterchangeRecord(
            id: interchangeID,
            partnerID: partner.id,
            direction: .outbound,
            controlNumber: numbered.header.controlNumber,
            createdAt: now,
            text: text
        )
        let data = IssuedData(
            partner: partner.id,
            interchangeId: interchangeID,
            interchangeControlNumber: numbered.header.controlNumber,
            groupControlNumber: group.controlNumber,
            transactionSet: setID,
            documents: records.map { .init(id: $0.id, setControlNumber: $0.setControl, reference: $0.reference, orderId: $0.orderID) },
            orderId: documents.first?.orderID,
            contentType: "application/edi-x12",
            document: text
        )
        let subject = documents.first?.orderID ?? documents.first?.reference ?? interchangeID
        let event = EventDraft(
            id: makeID(),
            type: .ediDocumentIssued,
            subject: subject,
            time: now,
            correlationID: correlationID,
            causationID: causationID,
            payload: data
        )
        return Issued(write: EDIOutboundWrite(interchange: record, documents: records), event: event, text: text)
    }

    /// The `data` of `edi.document_issued`.
    struct IssuedData: Encodable {
        struct DocumentData: Encodable {
            var id: String
            var setControlNumber: String
            var reference: String
            var orderId: String?
        }

        var partner: String
        var interchangeId: String
        var interchangeControlNumber: Int
        var groupControlNumber: Int
        var transactionSet: String
        var documents: [DocumentData]
        var orderId: String?
        var contentType: String
        var document: String
    }
}

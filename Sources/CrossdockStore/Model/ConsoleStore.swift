import CrossdockDomain
import Foundation

/// Reads behind the operations console and its API (`/v1/orders/{id}/trace`, `/v1/search`, `/v1/kpis`): an order's
/// events, lookups by business key, and the stored facts the KPIs are computed from. Part of ``Store``.
///
/// The store only finds and returns facts; assembling a timeline, labelling hits and computing figures happen above it
/// (``CrossdockEngine``).
public protocol ConsoleStore: Sendable {
    /// The events whose correlation id is `correlationID` (for an order: everything about it), in log order, at most
    /// `limit`.
    func events(correlationID: String, limit: Int) async throws -> [CloudEvent]
    /// What `key` names exactly (see ``SearchMatch/Field``), best kinds first, at most `limit`. With `partner`, only
    /// what belongs to that partner's orders or X12 documents; master data (customers, products) only without it.
    func search(_ key: String, partner: String?, limit: Int) async throws -> [SearchMatch]
    /// The events of `types` (CloudEvents types) whose time is in `[from, to)`, without payload, oldest first, at most
    /// `limit`.
    func eventMarks(types: Set<String>, from: Date, to: Date, limit: Int) async throws -> [EventMark]
    /// The events of `types` (CloudEvents types) correlated with any of `correlationIDs`, without payload, oldest first.
    func eventMarks(types: Set<String>, correlationIDs: [String]) async throws -> [EventMark]
    /// Delivery attempts made in `[from, to)`: how many, and how many the receiver accepted.
    func attemptCounts(from: Date, to: Date) async throws -> AttemptCounts
    /// Open operations exceptions by kind.
    func openExceptionCounts() async throws -> [String: Int]
    /// How many events of each of `types` (CloudEvents types) fall in each bucket of `[from, to)` cut into
    /// `bucketSeconds` (bucket 0 starts at `from`; see ``bucketBounds(from:to:bucketSeconds:)``), buckets without any
    /// left out. Counted by the database in the (type, time) index, one range per type and bucket, with no payload
    /// read.
    func eventCounts(types: Set<String>, from: Date, to: Date, bucketSeconds: Int) async throws -> [EventCount]
    /// For each order whose `receivedType` event lies in `[from, to)` and that has events of `types` (CloudEvents
    /// types): those types. Read from the events of `types` (rare) towards their orders' receipts, not the other way.
    func eventTypes(_ types: Set<String>, ofOrdersReceived receivedType: String, from: Date, to: Date) async throws -> [String: Set<String>]
    /// The kinds of the operations exceptions (open or resolved) of each order whose `receivedType` event lies in
    /// `[from, to)` and that has any.
    func exceptionKinds(ofOrdersReceived receivedType: String, from: Date, to: Date) async throws -> [String: Set<String>]
    /// For each order with an `endType` event in `[from, to)`: its first `startType` event and its last `endType` event
    /// in the window (orders without a `startType` event are left out), at most `limit`.
    func spans(from startType: String, to endType: String, endingFrom from: Date, to: Date, limit: Int) async throws -> [TimeSpan]
}

/// How many events of one type fell in one bucket of a window.
public struct EventCount: Hashable, Sendable {
    /// The CloudEvents type.
    public var type: String
    /// The bucket's index: 0 starts at the window's start.
    public var bucket: Int
    public var count: Int

    public init(type: String, bucket: Int, count: Int) {
        self.type = type
        self.bucket = bucket
        self.count = count
    }
}

/// When something started and when it ended.
public struct TimeSpan: Hashable, Sendable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// The span in seconds.
    public var seconds: Double { end.timeIntervalSince(start) }
}

extension ConsoleStore {
    /// The bounds of each bucket of `[from, to)` cut into `bucketSeconds`, as the stored times' text (ISO 8601 with
    /// milliseconds, which sorts as it reads): bucket `k` holds the times `lo <= t < hi`; the last ends at `to`.
    public static func bucketBounds(from: Date, to: Date, bucketSeconds: Int) -> [(lo: String, hi: String)] {
        guard bucketSeconds > 0, from < to else { return [] }
        let count = Int((to.timeIntervalSince(from) / Double(bucketSeconds)).rounded(.up))
        return (0..<count).map { k in
            let lo = from.addingTimeInterval(Double(k * bucketSeconds))
            let hi = min(from.addingTimeInterval(Double((k + 1) * bucketSeconds)), to)
            return (JSONCoding.format(lo), JSONCoding.format(hi))
        }
    }

    /// How far before a window's start an event about an order received in the window may be stamped: none in one
    /// process, a node's clock skew at most across nodes.
    public static var clockSkewAllowance: TimeInterval { 3600 }
}

/// One event of the log without its payload: what the KPIs count and time.
public struct EventMark: Hashable, Sendable {
    /// The CloudEvents type, e.g. `com.crossdock.order.received.v1`.
    public var type: String
    public var subject: String
    /// The order id for everything about an order.
    public var correlationID: String
    public var time: Date
    /// For an event whose subject is a shipment: the shipment's fulfilment order.
    public var fulfillmentOrderID: String?

    public init(type: String, subject: String, correlationID: String, time: Date, fulfillmentOrderID: String? = nil) {
        self.type = type
        self.subject = subject
        self.correlationID = correlationID
        self.time = time
        self.fulfillmentOrderID = fulfillmentOrderID
    }
}

/// Delivery attempts in a window.
public struct AttemptCounts: Hashable, Sendable {
    /// Attempts made.
    public var attempts: Int
    /// Attempts the receiver answered with success.
    public var succeeded: Int

    public init(attempts: Int, succeeded: Int) {
        self.attempts = attempts
        self.succeeded = succeeded
    }
}

/// A stored record that a search key names.
public struct SearchMatch: Hashable, Sendable {
    /// What kind of record matched.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case order, customer, product, fulfillment, shipment, invoice
        case creditMemo = "credit_memo"
        case `return`
        case ediDocument = "edi_document"
    }

    /// Which business key matched.
    public enum Field: String, Hashable, Sendable, Codable, CaseIterable {
        /// The record's own id.
        case id
        /// An order's id in its channel (`externalId`).
        case externalID = "externalId"
        /// The customer's purchase-order number.
        case customerPO = "customerPo"
        /// An order's customer, or the customer itself.
        case customerID = "customerId"
        case sku
        case trackingNumber
        /// An invoice's, credit memo's or return's document number.
        case number
        /// A partner's number for the order (ERP sales order or invoice number, …).
        case externalReference
        /// An X12 interchange control number (ISA13).
        case interchangeControl
        /// An X12 functional group control number (GS06).
        case groupControl
        /// The business reference an X12 document carries (the PO number of an 850, …).
        case documentReference
    }

    public var kind: Kind
    public var id: String
    /// The order the record belongs to, when it belongs to one.
    public var orderID: String?
    public var field: Field
    /// A few words from the record (an order's status, a document's type and partner), for the label.
    public var detail: String?

    public init(kind: Kind, id: String, orderID: String?, field: Field, detail: String? = nil) {
        self.kind = kind
        self.id = id
        self.orderID = orderID
        self.field = field
        self.detail = detail
    }
}

extension SearchMatch {
    /// `key` as an X12 control number (1 to 9 digits), nil when it is not one.
    public static func controlNumber(_ key: String) -> Int? {
        guard (1...9).contains(key.utf8.count), key.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(key)
    }
}

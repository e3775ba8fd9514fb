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
    /// Delivery attempts made in the whole minutes of `[from, to)`: how many, and how many the receiver accepted
    /// (2xx). Read from per-minute counts kept in the transaction that records the attempts, so its cost does not grow
    /// with the attempts in the window; attempts of a subscription deleted since stay counted.
    func attemptCounts(from: Date, to: Date) async throws -> AttemptCounts
    /// The operations exceptions whose ids are in `ids` (any status), in no particular order.
    func operationsExceptions(ids: Set<String>) async throws -> [OperationsException]
    /// Open operations exceptions by kind.
    func openExceptionCounts() async throws -> [String: Int]
    /// Folds at most `limit` events of the log past the KPI rollup's cursor into its cells and states (``KPIFold``),
    /// moving the cursor in the same transaction, so a crash neither loses nor repeats a fact and two nodes never fold
    /// the same events. Returns how many events it looked at: 0 when caught up (or when another node folded them first).
    func rollUpKPIs(limit: Int) async throws -> Int
    /// The rollup's cells in `window`, the facts past its cursor (at most `tailLimit`) and the stored states those
    /// facts need, all read in one snapshot, so that the report folds the tail onto exactly the state it follows.
    func kpiSnapshot(_ window: KPIWindow, tailLimit: Int) async throws -> KPISnapshot
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

    /// The minute (seconds since 1970 / 60) that holds `date`, or with `roundingUp` the first that starts at or after
    /// it.
    public static func minute(_ date: Date, roundingUp: Bool = false) -> Int64 {
        minute(date.timeIntervalSince1970, roundingUp: roundingUp)
    }

    static func minute(_ seconds: Double, roundingUp: Bool = false) -> Int64 {
        Int64(roundingUp ? (seconds / 60).rounded(.up) : (seconds / 60).rounded(.down))
    }

    /// Whether an answer with `status` counts as accepted.
    static func succeeded(_ status: Int?) -> Bool { status.map { (200...299).contains($0) } ?? false }

    /// The attempts at `at` (seconds since 1970) with their answers, counted per minute, earliest minute first (the
    /// order in which a transaction takes the counters' rows, so that two never wait on each other in a cycle).
    static func perMinute(_ attempts: [(at: Double, status: Int?)]) -> [(minute: Int64, counts: AttemptCounts)] {
        var counts: [Int64: AttemptCounts] = [:]
        for attempt in attempts {
            counts[minute(attempt.at), default: AttemptCounts(attempts: 0, succeeded: 0)].add(succeeded(attempt.status))
        }
        return counts.sorted { $0.key < $1.key }.map { (minute: $0.key, counts: $0.value) }
    }

    mutating func add(_ succeeded: Bool) {
        attempts += 1
        if succeeded { self.succeeded += 1 }
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

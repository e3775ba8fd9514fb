import Foundation

/// The watchdogs: pure rules that find the promises the hub made and did not see kept, from stored facts
/// (``WatchdogFacts``), the deadlines (``WatchdogDeadlines``) and the time.
///
/// Every subject watched (a fulfilment order, a shipment, a document, a backordered line, a channel) gets one
/// ``Finding``: breached, or clear with the reason. A breach carries a natural key (the subject and the fact it waits
/// from, e.g. a shipment's last scan), so one breach raises one exception however often the rules run, and a new
/// silence after a new scan is a new breach.
///
/// ```swift
/// let findings = Watchdog.findings(facts, deadlines: deadlines, now: now)
/// let plan = Watchdog.plan(findings, open: openExceptions, used: keysAlreadyRaised)
/// ```
public enum Watchdog {
    /// A promise not kept.
    public struct Breach: Hashable, Sendable {
        /// The dedupe key: ``subject`` and the fact it waits from.
        public var key: String
        /// The kind of exception it raises.
        public var kind: OperationsException.Kind
        /// What is late, for people.
        public var detail: String
        /// The order; empty for a silent channel.
        public var orderID: String
        /// The shipment, for shipment watchdogs.
        public var shipmentID: String?
        /// The fulfilment order, for fulfilment watchdogs.
        public var fulfillmentOrderID: String?
        /// The order line, for backorders.
        public var lineNo: Int?
        /// The warehouse, carrier, EDI partner or channel whose deadline passed.
        public var partner: String
        /// The outbound document, for EDI watchdogs.
        public var documentID: String?
        /// When the fact was due.
        public var dueAt: Date

        /// The open exception this breach raises.
        public func exception(id: String, at time: Date) -> OperationsException {
            var exception = OperationsException(
                id: id,
                kind: kind,
                detail: detail,
                orderID: orderID,
                shipmentID: shipmentID,
                fulfillmentOrderID: fulfillmentOrderID,
                lineNo: lineNo,
                openedAt: time
            )
            exception.watchdogKey = key
            exception.partner = partner
            exception.documentID = documentID
            exception.dueAt = dueAt
            return exception
        }
    }

    /// Where one watched subject stands.
    public enum Verdict: Hashable, Sendable {
        /// The deadline passed without the fact.
        case breached(Breach)
        /// Nothing is late; the reason says why (the fact that arrived, or the deadline still ahead).
        case clear(String)
    }

    /// The verdict on one subject, e.g. `shipment_silent:SHP-1`.
    public struct Finding: Hashable, Sendable {
        /// The watchdog's kind and the subject's id.
        public var subject: String
        /// Breached or clear.
        public var verdict: Verdict

        /// Creates a finding.
        public init(subject: String, verdict: Verdict) {
            self.subject = subject
            self.verdict = verdict
        }
    }

    /// The subject part of a breach key (`<kind>:<id>` before the `@` of the anchor).
    public static func subject(ofKey key: String) -> String {
        key.firstIndex(of: "@").map { String(key[..<$0]) } ?? key
    }

    /// The verdict on every subject of `facts` at `now`.
    public static func findings(_ facts: WatchdogFacts, deadlines: WatchdogDeadlines, now: Date) -> [Finding] {
        facts.fulfillments.map { fulfillment($0, deadlines: deadlines, now: now) }
            + facts.shipments.flatMap { shipment($0, deadlines: deadlines, now: now) }
            + facts.documents.flatMap { document($0, deadlines: deadlines, now: now) }
            + facts.backorders.map { backorder($0, deadlines: deadlines, now: now) }
            + facts.channels.compactMap { channel($0, deadlines: deadlines, now: now) }
    }

    /// A stable text for an instant inside a key (whole seconds since 1970).
    static func stamp(_ date: Date) -> String { String(Int64(date.timeIntervalSince1970.rounded(.down))) }

    /// An instant for people (ISO 8601, UTC).
    static func text(_ date: Date) -> String { date.ISO8601Format() }
}

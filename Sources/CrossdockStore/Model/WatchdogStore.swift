import CrossdockDomain
import Foundation

/// What the watchdogs and the order-closing job read, and where their deadlines live. Part of ``Store``.
///
/// The rules themselves (``Watchdog``, ``OrderClosing``) stay in the domain: the store only finds the candidate facts
/// by the columns it indexes (a status, a promised date, a channel) and keeps the deadline document.
public protocol WatchdogStore: Sendable {
    /// The stored deadlines; nil when none were ever written (the built-in defaults apply).
    func watchdogDeadlines() async throws -> WatchdogDeadlines?
    /// Replaces the stored deadlines.
    func putWatchdogDeadlines(_ deadlines: WatchdogDeadlines, at time: Date) async throws
    /// Fulfilment orders still `released` (nothing reported by the warehouse), oldest first, at most `limit`.
    func releasedFulfillments(limit: Int) async throws -> [FulfillmentOrder]
    /// Outbound EDI documents still `sent` (no 997 yet) or `rejected` by one, oldest first, at most `limit`.
    func unacknowledgedDocuments(limit: Int) async throws -> [EDIDocumentRecord]
    /// The EDI document `id`.
    func ediDocument(_ id: String) async throws -> EDIDocumentRecord?
    /// Ids of the orders with a backordered line promised before the day `date` (`YYYY-MM-DD`), at most `limit`.
    func backorderedOrderIDs(promisedBefore date: String, limit: Int) async throws -> [String]
    /// When each channel's latest `perChannel` orders were received, newest first, by channel.
    func channelArrivals(perChannel: Int) async throws -> [String: [Date]]
    /// Those of `keys` that an operations exception, open or resolved, already carries as its watchdog key.
    func usedWatchdogKeys(_ keys: [String]) async throws -> Set<String>
    /// The open exceptions a watchdog raised.
    func openWatchdogExceptions() async throws -> [OperationsException]
    /// Resolved exceptions that an alert route was told about and has not yet been told are resolved
    /// (``OperationsException/awaitsResolvedAlert``), oldest first, at most `limit`.
    func exceptionsAwaitingResolvedAlert(limit: Int) async throws -> [OperationsException]
}

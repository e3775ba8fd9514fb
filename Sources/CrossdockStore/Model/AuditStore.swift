import Foundation

/// The audit log: an append-only record of every write made with an API key. Part of ``Store``.
///
/// Writes that go through ``Store/commit(_:)`` are recorded inside their own transaction, from the task's
/// ``AuditContext``; ``appendAudit(_:)`` records the others. Nothing updates or deletes an entry.
public protocol AuditStore: Sendable {
    /// Appends `entry` (its `seq` is assigned); returns the stored entry.
    @discardableResult
    func appendAudit(_ entry: AuditEntry) async throws -> AuditEntry
    /// Entries matching `query`, oldest first.
    func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry]
}

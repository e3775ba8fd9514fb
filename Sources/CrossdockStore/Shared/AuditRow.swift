import Foundation
import Synchronization

/// An audit entry ready to insert: its diff already encoded, so a writer's critical section does no JSON work.
struct AuditRow: Sendable {
    var entry: AuditEntry
    /// `entry.changes` as a JSON array.
    var changes: String?
    /// `entry.at` in seconds since 1970.
    var at: Double

    init(_ entry: AuditEntry) throws {
        self.entry = entry
        changes = try entry.changesJSON
        at = entry.at.timeIntervalSince1970
    }
}

/// Claims the task's audit entry for one commit and settles it when the commit ends.
struct AuditClaim: Sendable {
    let context: AuditContext?
    /// The row to write with the unit; nil when the task writes for no key or its entry is already stored.
    let row: AuditRow?

    /// Claims the current task's entry (``AuditContext/current``), if any.
    init(_ context: AuditContext? = AuditContext.current) throws {
        self.context = context
        guard let entry = context?.claim() else {
            row = nil
            return
        }
        do {
            row = try AuditRow(entry)
        } catch {
            context?.settle(recorded: false)
            throw error
        }
    }

    /// Ends the claim: `committed` when the unit (and so the row) is durable.
    func settle(committed: Bool) {
        guard row != nil else { return }
        context?.settle(recorded: committed)
    }
}

/// Holds the claim a transaction makes inside its closure (where a serialized commit learns its unit), so the caller
/// settles it once the transaction has ended.
final class AuditClaimHolder: Sendable {
    private let held = Mutex<AuditClaim?>(nil)

    /// Claims `context`'s entry; returns the row to insert, if any.
    func claim(_ context: AuditContext?) throws -> AuditRow? {
        let claim = try AuditClaim(context)
        held.withLock { $0 = claim }
        return claim.row
    }

    /// Settles the claim made, if any.
    func settle(committed: Bool) {
        held.withLock { held in
            held?.settle(committed: committed)
            held = nil
        }
    }
}

import Foundation

/// What hub nodes coordinate through: named leases for jobs that must run on one node at a time (the availability
/// publisher, the EDI follower, scheduled checks). Part of ``Store``.
///
/// A lease is a row with an owner and an expiry, taken with one conditional write: a node holds `name` while it
/// renews it before it expires; when that node dies, another takes it over once the lease has expired.
public protocol CoordinationStore: Sendable {
    /// Takes or renews the lease `name` for `owner` for `duration`; false when another owner holds a live lease.
    func acquireLease(_ name: String, owner: String, duration: Duration) async throws -> Bool
    /// Gives the lease up if `owner` holds it.
    func releaseLease(_ name: String, owner: String) async throws
    /// The current holder of `name`, if its lease is live.
    func leaseHolder(_ name: String) async throws -> String?
}

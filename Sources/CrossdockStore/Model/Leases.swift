import Foundation

/// A delivery leased to one hub node: only the holder may send it, and only until the lease runs out.
///
/// The token fences the holder's writes: an attempt recorded under a lease that expired and was taken by another node
/// is refused. `deadline` is the holder's own monotonic deadline, taken before the lease was granted, so clock skew
/// between nodes and the database never lets a holder send past the instant another node may take the delivery over.
public struct DeliveryLease: Hashable, Sendable {
    /// The delivery.
    public var deliveryID: Int64
    /// Unique per grant; fences ``Store/recordAttempts(_:)``.
    public var token: Int64
    /// After this instant the holder must not start or continue sending.
    public var deadline: ContinuousClock.Instant

    /// Creates a lease.
    public init(deliveryID: Int64, token: Int64, deadline: ContinuousClock.Instant) {
        self.deliveryID = deliveryID
        self.token = token
        self.deadline = deadline
    }
}

/// One finished attempt, recorded under the lease it was sent with.
public struct DeliveryAttemptRecord: Sendable {
    /// The lease the delivery was sent under.
    public var lease: DeliveryLease
    /// What the receiver answered.
    public var result: DeliveryAttemptResult
    /// When the attempt finished.
    public var at: Date

    /// Creates a record.
    public init(lease: DeliveryLease, result: DeliveryAttemptResult, at: Date) {
        self.lease = lease
        self.result = result
        self.at = at
    }
}

/// A process-unique name for this hub node, for leases: host, process id and a random suffix.
public enum NodeIdentity {
    /// This process's node id.
    public static let current: String = {
        let name = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "node"
        return "\(name)-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    }()
}

/// A due head delivery leased to the caller (see ``Store/claimDueDeliveries(now:limit:skipping:owner:lease:)``).
public struct ClaimedDelivery: Sendable {
    /// The delivery, its subscription and its request body.
    public var item: DueDelivery
    /// The caller's lease on it.
    public var lease: DeliveryLease

    /// Creates a claimed delivery.
    public init(item: DueDelivery, lease: DeliveryLease) {
        self.item = item
        self.lease = lease
    }
}

extension Store {
    /// The due heads (as ``dueDeliveries(now:limit:skipping:)`` finds them) leased to `owner` in one step; a head
    /// another node took between the two is left out. A store that can do both in one round trip does so (PostgreSQL);
    /// this default reads, then claims.
    public func claimDueDeliveries(
        now: Date,
        limit: Int,
        skipping: Set<String>,
        owner: String,
        lease: Duration
    ) async throws -> [ClaimedDelivery] {
        let due = try await dueDeliveries(now: now, limit: limit, skipping: skipping)
        guard !due.isEmpty else { return [] }
        let leases = try await claimDeliveries(due.map(\.delivery.id), owner: owner, lease: lease)
        let byID = Dictionary(leases.map { ($0.deliveryID, $0) }, uniquingKeysWith: { first, _ in first })
        return due.compactMap { item in byID[item.delivery.id].map { ClaimedDelivery(item: item, lease: $0) } }
    }
}

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

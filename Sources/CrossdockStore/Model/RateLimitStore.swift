import Foundation

/// A rate-limit policy: at most `requests` requests in each `windowSeconds` window, for one subject.
///
/// Subjects: `key:<key id>` (one API key), `partner:<partner>` (every key bound to that partner together), and the
/// defaults `key:*` (each key without a policy of its own) and `partner:*` (each partner without one).
public struct RateLimitPolicy: Hashable, Sendable, Codable {
    /// Whom the policy limits.
    public var subject: String
    /// Requests allowed in one window.
    public var requests: Int
    /// The window's length in seconds; windows start at whole multiples of it (Unix time).
    public var windowSeconds: Int
    /// When the policy was last set.
    public var updatedAt: Date

    /// Creates a policy.
    public init(subject: String, requests: Int, windowSeconds: Int, updatedAt: Date = Date()) {
        self.subject = subject
        self.requests = requests
        self.windowSeconds = windowSeconds
        self.updatedAt = updatedAt
    }
}

/// What one ``RateLimitStore/takeRateAllowance(subject:window:limit:want:)`` got.
public struct RateAllowance: Hashable, Sendable {
    /// Requests granted to the caller now (0 when the window is used up).
    public var granted: Int
    /// Requests granted in this window so far, on every node, this grant included.
    public var used: Int

    /// Creates an allowance.
    public init(granted: Int, used: Int) {
        self.granted = granted
        self.used = used
    }
}

/// Rate-limit policies and the counters that enforce them. Part of ``Store``.
///
/// The counters are shared by every node of a hub: on PostgreSQL one row per subject and window, which a grant
/// increments under its row lock and never past the limit; on SQLite, which one process owns, they live in memory.
public protocol RateLimitStore: Sendable {
    /// Every stored policy, by subject.
    func rateLimitPolicies() async throws -> [RateLimitPolicy]
    /// Creates or replaces the policy of `policy.subject`.
    func putRateLimitPolicy(_ policy: RateLimitPolicy) async throws
    /// Removes the policy of `subject`; false when there was none.
    func removeRateLimitPolicy(subject: String) async throws -> Bool
    /// Grants up to `want` of the `limit` requests `subject` may make in the window starting at `window` (Unix
    /// seconds): never more than `limit` in total across every caller and node.
    func takeRateAllowance(subject: String, window: Int64, limit: Int, want: Int) async throws -> RateAllowance
}

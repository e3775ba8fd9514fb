import CrossdockDomain
import CrossdockStore
import Foundation
import Logging
import Synchronization

/// Enforces rate-limit policies per API key and per partner, in fixed windows aligned to Unix time.
///
/// A node takes its share of a window from the store in chunks (a sixteenth of the limit, at most 100 requests) and
/// spends them from memory, so most requests cost no query. The store never grants more than the limit across every
/// node, so a window admits at most its limit (no overshoot); a node's unspent chunk is lost to the others, so with
/// `n` nodes a subject may be refused up to `(n - 1) × chunk` requests early. Policies are read again at most once
/// per second: a change (`PUT /v1/rate-limits/…`, `crossdock limits`) applies on every node within about a second.
final class RateLimiter: Sendable {
    /// A limit: `requests` per `window` seconds.
    struct Limit: Hashable, Sendable {
        var requests: Int
        var window: Int
    }

    /// One policy as it applied to a request.
    struct Applied: Sendable {
        /// `key` or `partner`: the policy's name in the headers.
        var name: String
        /// The subject counted (`key:<id>`, `partner:<name>`).
        var subject: String
        var limit: Limit
        /// Requests left in the window (as this node knows it).
        var remaining: Int
        /// Seconds until the window ends (at least 1).
        var reset: Int
    }

    /// The verdict on one request: the policies that applied, and the one that refused it, if any.
    struct Verdict: Sendable {
        var applied: [Applied] = []
        var refusedBy: Applied?
    }

    /// How long stored policies are used before they are read again.
    static let ttl: TimeInterval = 1

    let store: any Store
    /// Limits for keys and partners that no stored policy (`key:*`, `partner:*` included) names.
    let defaultKey: Limit?
    let defaultPartner: Limit?
    let logger: Logger

    private let policies = Mutex<(limits: [String: Limit], read: Date)?>(nil)
    private let pools = Mutex<[String: (window: Int64, available: Int, used: Int)]>([:])

    init(store: any Store, defaultKey: Limit? = nil, defaultPartner: Limit? = nil, logger: Logger = Logger(label: "crossdock.http")) {
        self.store = store
        self.defaultKey = defaultKey
        self.defaultPartner = defaultPartner
        self.logger = logger
    }

    /// Counts one request of `key` against its key's and its partner's policies.
    func check(keyID: String, partner: String?, now: Date = Date()) async -> Verdict {
        let limits = await currentPolicies(now: now)
        var verdict = Verdict()
        var subjects: [(name: String, subject: String, limit: Limit)] = []
        if let limit = limits["key:\(keyID)"] ?? limits["key:*"] ?? defaultKey { subjects.append(("key", "key:\(keyID)", limit)) }
        if let partner, let limit = limits["partner:\(partner)"] ?? limits["partner:*"] ?? defaultPartner {
            subjects.append(("partner", "partner:\(partner)", limit))
        }
        for (name, subject, limit) in subjects {
            let (granted, remaining, reset) = await take(subject: subject, limit: limit, now: now)
            let applied = Applied(name: name, subject: subject, limit: limit, remaining: remaining, reset: reset)
            verdict.applied.append(applied)
            if !granted {
                verdict.refusedBy = applied
                break
            }
        }
        return verdict
    }

    /// Spends one request of `subject`'s window from this node's chunk, taking a new chunk from the store when it is
    /// empty. A store that fails lets the request through (the request's own work then meets the same failure).
    private func take(subject: String, limit: Limit, now: Date) async -> (granted: Bool, remaining: Int, reset: Int) {
        let seconds = Int64(now.timeIntervalSince1970)
        let window = seconds - seconds % Int64(limit.window)
        let reset = max(1, Int(window + Int64(limit.window) - seconds))
        let local: (Bool, Int)? = pools.withLock { pools in
            guard var pool = pools[subject], pool.window == window, pool.available > 0 else { return nil }
            pool.available -= 1
            pools[subject] = pool
            return (true, max(0, limit.requests - pool.used + pool.available))
        }
        if case let (granted, remaining)? = local { return (granted, remaining, reset) }
        let chunk = max(1, min(limit.requests / 16, 100))
        let allowance: RateAllowance
        do {
            allowance = try await store.takeRateAllowance(subject: subject, window: window, limit: limit.requests, want: chunk)
        } catch {
            logger.warning("rate limit not checked", metadata: [LogKey.error: "\(error)", "crossdock.subject": "\(subject)"])
            return (true, limit.requests, reset)
        }
        let remaining: Int = pools.withLock { pools in
            var pool: (window: Int64, available: Int, used: Int) = (window, 0, 0)
            if let current = pools[subject], current.window == window { pool = current }
            pool.available += max(0, allowance.granted - 1)
            pool.used = max(pool.used, allowance.used)
            if pools[subject] == nil, pools.count >= 100_000 { pools.removeAll() }
            pools[subject] = pool
            return max(0, limit.requests - pool.used + pool.available)
        }
        return (allowance.granted > 0, remaining, reset)
    }

    /// The stored policies, read again when older than ``ttl``; the last ones read when the store fails.
    private func currentPolicies(now: Date) async -> [String: Limit] {
        if let cached = policies.withLock({ $0 }), now.timeIntervalSince(cached.read) < Self.ttl { return cached.limits }
        do {
            let stored = try await store.rateLimitPolicies()
            let limits = Dictionary(stored.map { ($0.subject, Limit(requests: $0.requests, window: $0.windowSeconds)) }) { $1 }
            policies.withLock { $0 = (limits, now) }
            return limits
        } catch {
            logger.warning("rate-limit policies not read", metadata: [LogKey.error: "\(error)"])
            return policies.withLock { $0?.limits } ?? [:]
        }
    }
}

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
/// `n` nodes a subject may be refused up to `(n - 1) × chunk` requests early. Once the store has answered that a
/// window is spent, the node refuses the rest of that window from memory (a store never hands out more of a window, so
/// this is exact), so a client that keeps asking after its 429 costs no query per request. Policies are read again at
/// most once per second: a change (`PUT /v1/rate-limits/…`, `crossdock limits`) applies on every node within about a
/// second, and a raised limit reopens a spent window.
///
/// A window caps how many requests a subject makes, not when: a client with many connections spends a whole window in
/// its first milliseconds, and that burst takes the CPU and the commit queue other partners need. So each node also
/// paces a subject's admitted requests at the limit's rate (``PaceSchedule``): a twentieth of the limit (at least one)
/// passes at once, and each later request is held until its turn, `window / requests` apart, at most ``maxHold``.
/// Pacing never refuses: it only spreads what the window admits.
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
        /// How long to hold an admitted request before working on it, so its subjects' requests are spread at their
        /// rates (zero when it is within their bursts, or refused).
        var hold: Duration = .zero
    }

    /// How long stored policies are used before they are read again.
    static let ttl: TimeInterval = 1

    let store: any Store
    /// Limits for keys and partners that no stored policy (`key:*`, `partner:*` included) names.
    let defaultKey: Limit?
    let defaultPartner: Limit?
    let logger: Logger
    /// The longest an admitted request is held to pace its subject (seconds); zero turns pacing off.
    let maxHold: TimeInterval

    private let policies = Mutex<(limits: [String: Limit], read: Date)?>(nil)
    private let pools = Mutex<[String: Pool]>([:])
    /// Per subject, when its requests are due on this node, under the limit the schedule was made for.
    private let paces = Mutex<[String: (limit: Limit, schedule: PaceSchedule)]>([:])

    /// A node's share of one subject's window.
    private struct Pool {
        var window: Int64
        /// Requests this node may still admit without asking the store.
        var available: Int
        /// The window's use across nodes, as the store last said.
        var used: Int
        /// The limit under which the store said the window is spent (nothing granted), if it did: until the window
        /// ends or the limit changes, every request is refused without asking again.
        var spentAt: Int?
    }

    init(
        store: any Store,
        defaultKey: Limit? = nil,
        defaultPartner: Limit? = nil,
        maxHold: Duration = .zero,
        logger: Logger = Logger(label: "crossdock.http")
    ) {
        self.store = store
        self.maxHold = Double(maxHold.components.seconds) + Double(maxHold.components.attoseconds) / 1e18
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
                verdict.hold = .zero
                break
            }
            verdict.hold = max(verdict.hold, pace(subject: subject, limit: limit, now: now))
        }
        return verdict
    }

    /// How long this admitted request of `subject` waits for its turn (``PaceSchedule``, one per subject and limit on
    /// this node).
    private func pace(subject: String, limit: Limit, now: Date) -> Duration {
        let time = now.timeIntervalSince1970
        let hold: Double = paces.withLock { paces in
            var schedule = paces[subject].flatMap { $0.limit == limit ? $0.schedule : nil }
            if schedule == nil { schedule = PaceSchedule(requests: limit.requests, windowSeconds: limit.window, maxHold: maxHold) }
            guard var schedule else {
                paces[subject] = nil
                return 0
            }
            let hold = schedule.admit(at: time)
            if paces[subject] == nil, paces.count >= 100_000 { paces.removeAll() }
            paces[subject] = (limit, schedule)
            return hold
        }
        return .nanoseconds(Int64(hold * 1e9))
    }

    /// Spends one request of `subject`'s window from this node's chunk, taking a new chunk from the store when it is
    /// empty. A store that fails lets the request through (the request's own work then meets the same failure).
    private func take(subject: String, limit: Limit, now: Date) async -> (granted: Bool, remaining: Int, reset: Int) {
        let seconds = Int64(now.timeIntervalSince1970)
        let window = seconds - seconds % Int64(limit.window)
        let reset = max(1, Int(window + Int64(limit.window) - seconds))
        let local: (Bool, Int)? = pools.withLock { pools in
            guard var pool = pools[subject], pool.window == window else { return nil }
            if pool.available == 0, pool.spentAt == limit.requests { return (false, 0) }
            guard pool.available > 0 else { return nil }
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
            var pool = Pool(window: window, available: 0, used: 0)
            if let current = pools[subject] {
                // A request stamped in an earlier window than the pool's (it waited for the store meanwhile) leaves
                // the newer pool alone.
                if current.window > window { return max(0, limit.requests - allowance.used) }
                if current.window == window { pool = current }
            }
            pool.available += max(0, allowance.granted - 1)
            pool.used = max(pool.used, allowance.used)
            pool.spentAt = allowance.granted == 0 ? limit.requests : nil
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

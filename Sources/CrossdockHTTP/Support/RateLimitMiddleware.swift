import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import HTTPTypes
import Hummingbird
import Metrics
import Synchronization

/// Applies the rate limits of the caller's key and partner (after ``AuthMiddleware``; requests without a key, such
/// as signed partner webhooks, are not limited here).
///
/// Every response to a limited key carries `RateLimit-Policy` and `RateLimit` (IETF httpapi ratelimit-headers draft,
/// structured fields: `"key";q=600;w=60` and `"key";r=12;t=37`); a request over a limit is answered 429
/// `rate_limited` with `Retry-After` and does nothing. Refusals are counted per policy and key in
/// `crossdock_rate_limited_total`.
///
/// A refusal is held for ``refusalDelay`` (at most until the window ends) before it is answered. A client that asks
/// again as soon as it is refused, ignoring `Retry-After`, then asks at most once per delay on each connection instead
/// of as fast as the hub can refuse, so its refusals do not take the CPU that other partners' requests need. Holding
/// costs a suspended task and no CPU; past ``maxHeld`` refusals held at once, refusals are answered at once.
///
/// An admitted request is held for the verdict's ``RateLimiter/Verdict/hold`` before it goes on (pacing, counted in
/// `crossdock_rate_paced_total`), under the same bound, and before it takes one of its partner's turns.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = CrossdockContext

    /// The counter's name in `/metrics`.
    static let metric = "crossdock_rate_limited_total"
    /// The counter of requests held by pacing, per key.
    static let pacedMetric = "crossdock_rate_paced_total"
    /// Refusals held at once on a node, at most.
    static let maxHeld = 10_000

    let limiter: RateLimiter
    /// How long a refusal is held before it is answered; zero answers at once.
    let refusalDelay: Duration
    private let held = HeldCount()

    init(limiter: RateLimiter, refusalDelay: Duration) {
        self.limiter = limiter
        self.refusalDelay = refusalDelay
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = context.principal else { return try await next(request, context) }
        let verdict = await limiter.check(keyID: key.id, partner: key.partner)
        guard !verdict.applied.isEmpty else { return try await next(request, context) }
        let headers = Self.headers(verdict)
        if var refused = verdict.refusedBy {
            Counter(label: Self.metric, dimensions: [("policy", refused.name), ("key", key.id)]).increment()
            var headers = headers
            let delay = min(refusalDelay, .seconds(refused.reset))
            if delay > .zero, held.enter() {
                defer { held.leave() }
                // Cancellation (shutdown) answers at once.
                try? await Task.sleep(for: delay)
                // The window is that much nearer its end by now.
                refused.reset = max(1, refused.reset - Int(delay.components.seconds))
                var answered = verdict
                answered.applied = verdict.applied.map { $0.subject == refused.subject ? refused : $0 }
                headers = Self.headers(answered)
            }
            var problemHeaders = headers
            problemHeaders[.retryAfter] = String(refused.reset)
            let whom = refused.name == "key" ? "this API key" : "partner '\(key.partner ?? "")'"
            throw Problem(
                status: .tooManyRequests,
                code: "rate_limited",
                title: "Rate limit exceeded",
                detail: "\(whom) may make \(refused.limit.requests) requests per \(refused.limit.window) s; retry in \(refused.reset) s",
                extra: [
                    "policy": .string(refused.name),
                    "limit": .number(Double(refused.limit.requests)),
                    "windowSeconds": .number(Double(refused.limit.window)),
                    "retryAfterSeconds": .number(Double(refused.reset)),
                ],
                headers: problemHeaders
            )
        }
        if verdict.hold > .zero, held.enter() {
            defer { held.leave() }
            Counter(label: Self.pacedMetric, dimensions: [("key", key.id)]).increment()
            // Cancellation (shutdown) goes on at once.
            try? await Task.sleep(for: verdict.hold)
        }
        return try await adding(headers) { try await next(request, context) }
    }

    /// `RateLimit-Policy` and `RateLimit` for the policies that applied.
    static func headers(_ verdict: RateLimiter.Verdict) -> HTTPFields {
        var headers: HTTPFields = [:]
        headers[.rateLimitPolicy] = verdict.applied.map { "\"\($0.name)\";q=\($0.limit.requests);w=\($0.limit.window)" }.joined(separator: ", ")
        headers[.rateLimit] = verdict.applied.map { "\"\($0.name)\";r=\($0.remaining);t=\($0.reset)" }.joined(separator: ", ")
        return headers
    }
}

/// How many refusals a node holds at once, bounded by ``RateLimitMiddleware/maxHeld``.
private final class HeldCount: Sendable {
    private let count = Atomic<Int>(0)

    /// Counts one more held refusal; false (nothing counted) when the bound is reached.
    func enter() -> Bool {
        if count.add(1, ordering: .relaxed).newValue <= RateLimitMiddleware.maxHeld { return true }
        count.subtract(1, ordering: .relaxed)
        return false
    }

    func leave() { count.subtract(1, ordering: .relaxed) }
}

extension HTTPField.Name {
    static let rateLimit = HTTPField.Name("RateLimit")!
    static let rateLimitPolicy = HTTPField.Name("RateLimit-Policy")!
}

import CrossdockEngine
import CrossdockStore
import Hummingbird
import Metrics
import Synchronization

/// Lets at most ``limit`` requests of one partner be worked on at once on a node; the partner's other requests wait
/// their turn, in order of arrival (after ``RateLimitMiddleware``, so refused requests take no turn).
///
/// A rate limit caps how much a partner may ask per window, not how much of it arrives at once: a partner with many
/// connections spends its whole window in the first milliseconds, and those requests then stand in the database's
/// commit queue ahead of every other partner's. With this cap a partner's burst occupies at most `limit` places in
/// that queue, so another partner's request waits behind at most that many of its requests, not the whole burst. Only
/// keys bound to a partner are capped; a partner's keys share its turns. `/metrics` counts the requests that had to
/// wait in `crossdock_partner_queued_total{partner}`.
struct PartnerBulkheadMiddleware: RouterMiddleware {
    typealias Context = CrossdockContext

    /// The counter's name in `/metrics`.
    static let metric = "crossdock_partner_queued_total"

    let turns: PartnerTurns

    init(limit: Int) { turns = PartnerTurns(limit: limit) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let partner = context.principal?.partner else { return try await next(request, context) }
        if await turns.take(partner) { Counter(label: Self.metric, dimensions: [("partner", partner)]).increment() }
        defer { turns.give(partner) }
        return try await next(request, context)
    }
}

/// The turns of each partner: how many of its requests are being worked on, and those waiting, first come first.
public final class PartnerTurns: Sendable {
    private struct Partner {
        var active = 0
        var waiting: [CheckedContinuation<Bool, Never>] = []
    }

    /// Requests of one partner worked on at once, at most.
    public let limit: Int
    private let partners = Mutex<[String: Partner]>([:])

    public init(limit: Int) { self.limit = max(1, limit) }

    /// Takes a turn for `partner`, waiting for one when all are taken; true when it had to wait.
    public func take(_ partner: String) async -> Bool {
        let granted = partners.withLock { partners in
            var entry = partners[partner] ?? Partner()
            guard entry.active < limit else { return false }
            entry.active += 1
            partners[partner] = entry
            return true
        }
        if granted { return false }
        // True when the turn is given by ``give(_:)`` to a waiting request; false when one was free by the second look.
        return await withCheckedContinuation { continuation in
            let now: Bool = partners.withLock { partners in
                var entry = partners[partner] ?? Partner()
                // A turn may have been given back between the two locks.
                if entry.active < limit {
                    entry.active += 1
                    partners[partner] = entry
                    return true
                }
                entry.waiting.append(continuation)
                partners[partner] = entry
                return false
            }
            if now { continuation.resume(returning: false) }
        }
    }

    /// Gives a turn back: to the partner's longest-waiting request, if any.
    public func give(_ partner: String) {
        let next: CheckedContinuation<Bool, Never>? = partners.withLock { partners in
            guard var entry = partners[partner] else { return nil }
            if !entry.waiting.isEmpty {
                // The turn passes on: `active` stays as it is.
                let first = entry.waiting.removeFirst()
                partners[partner] = entry
                return first
            }
            entry.active -= 1
            partners[partner] = entry.active > 0 ? entry : nil
            return nil
        }
        next?.resume(returning: true)
    }

    /// Requests of `partner` being worked on and waiting (for tests and diagnostics).
    public func state(_ partner: String) -> (active: Int, waiting: Int) {
        partners.withLock { ($0[partner]?.active ?? 0, $0[partner]?.waiting.count ?? 0) }
    }
}

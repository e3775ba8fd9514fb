import Foundation
import Synchronization

/// What the delivery side knows about its endpoints and backlog, shared with the rest of the hub: the circuit
/// breakers (for stale availability figures and metrics) and the undelivered backlog (for intake back-pressure).
public final class DeliveryHealth: Sendable {
    struct State {
        var breakers: [String: CircuitBreaker] = [:]
        var backlog = 0
    }

    /// The undelivered backlog above which intake answers 503 with `Retry-After`.
    public let maxBacklog: Int
    /// Breaker settings for new endpoints.
    let template: CircuitBreaker
    private let state = Mutex(State())

    /// Creates the shared state.
    /// - Parameters:
    ///   - maxBacklog: pending deliveries above which intake is refused (default 100 000).
    ///   - breaker: threshold and cooldowns of each endpoint's circuit breaker.
    public init(maxBacklog: Int = 100_000, breaker: CircuitBreaker = .init()) {
        self.maxBacklog = maxBacklog
        self.template = breaker
    }

    /// Pending deliveries at the last count.
    public var backlog: Int { state.withLock { $0.backlog } }

    /// Whether intake should push back.
    public var isOverloaded: Bool { backlog > maxBacklog }

    func setBacklog(_ value: Int) { state.withLock { $0.backlog = value } }

    /// The circuit state of `endpoint` at `now`.
    public func circuit(_ endpoint: String, at now: Date = Date()) -> CircuitBreaker.State {
        state.withLock { $0.breakers[endpoint]?.state(at: now) ?? .closed }
    }

    /// Since when `endpoint`'s circuit has been open (or half-open), or nil while it is closed.
    public func unreachableSince(_ endpoint: String, at now: Date = Date()) -> Date? {
        state.withLock { state in
            guard let breaker = state.breakers[endpoint], breaker.state(at: now) != .closed else { return nil }
            return breaker.openedAt
        }
    }

    /// Starts an attempt to `endpoint` if its circuit allows one; false (nothing burned) when open.
    func begin(_ endpoint: String, at now: Date) -> Bool {
        state.withLock { state in
            var breaker = state.breakers[endpoint] ?? template
            guard breaker.allows(at: now) else { return false }
            breaker.started(at: now)
            state.breakers[endpoint] = breaker
            return true
        }
    }

    /// Records an attempt's outcome for `endpoint`'s circuit.
    func finish(_ endpoint: String, healthy: Bool, at now: Date) {
        state.withLock { state in
            var breaker = state.breakers[endpoint] ?? template
            if healthy { breaker.succeeded() } else { breaker.failed(at: now) }
            state.breakers[endpoint] = breaker
        }
    }

    /// The earliest time an open circuit lets a probe through.
    func nextProbe(after now: Date) -> Date? {
        state.withLock { state in
            state.breakers.values.compactMap { $0.state(at: now) == .open ? $0.retryAt : nil }.min()
        }
    }
}

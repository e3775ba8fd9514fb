import CrossdockStore
import Foundation
import Metrics
import Synchronization

/// Per-subscription delivery metrics (Prometheus names): `crossdock_delivery_attempts_total{subscription,outcome}`,
/// `crossdock_delivery_latency_seconds{subscription}`, and the gauges `crossdock_delivery_backlog`,
/// `crossdock_delivery_lag_seconds` (age of the oldest undelivered event), `crossdock_delivery_dead` and
/// `crossdock_delivery_circuit_state` (0 closed, 1 half-open, 2 open), all labelled by subscription.
final class DeliveryMetrics: Sendable {
    /// The counters and timers already made, by subscription and outcome: making one asks the metrics backend to find
    /// it by label and dimensions, under its lock, which cost more per delivery than counting.
    private let made = Mutex<(counters: [String: Counter], timers: [String: Timer])>(([:], [:]))

    /// How an attempt ended.
    enum Outcome: String, Sendable {
        case success
        case clientError = "client_error"
        case serverError = "server_error"
        case rateLimited = "rate_limited"
        case gone
        case superseded
        case timeout
        case transport
    }

    func record(_ outcome: Outcome, subscription: String, latency: Duration) {
        let key = outcome.rawValue + " " + subscription
        let (counter, timer) = made.withLock { made in
            if made.counters.count > 10_000 { made = ([:], [:]) }
            let counter =
                made.counters[key]
                ?? Counter(label: "crossdock_delivery_attempts_total", dimensions: [("subscription", subscription), ("outcome", outcome.rawValue)])
            let timer = made.timers[subscription] ?? Timer(label: "crossdock_delivery_latency_seconds", dimensions: [("subscription", subscription)])
            made.counters[key] = counter
            made.timers[subscription] = timer
            return (counter, timer)
        }
        counter.increment()
        timer.recordNanoseconds(latency.components.seconds * 1_000_000_000 + latency.components.attoseconds / 1_000_000_000)
    }

    func gauges(_ statistics: SubscriptionDeliveryStatistics, circuit: CircuitBreaker.State, now: Date) {
        let dimensions = [("subscription", statistics.subscriptionID)]
        Gauge(label: "crossdock_delivery_backlog", dimensions: dimensions).record(statistics.pending)
        Gauge(label: "crossdock_delivery_dead", dimensions: dimensions).record(statistics.dead)
        Gauge(label: "crossdock_delivery_lag_seconds", dimensions: dimensions)
            .record(statistics.oldestPendingEventTime.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        let state: Int =
            switch circuit {
            case .closed: 0
            case .halfOpen: 1
            case .open: 2
            }
        Gauge(label: "crossdock_delivery_circuit_state", dimensions: dimensions).record(state)
    }
}

import CrossdockDomain
import CrossdockStore
import Foundation

/// The business KPIs over a time window (`GET /v1/kpis`, the console's overview), computed from stored facts (the
/// event log through its rollup, operations exceptions, delivery attempts and the delivery queue), so a restart changes
/// nothing. The window is whole minutes: `from` rounded down, `to` up. The definitions follow DOMAIN.md §6 and are
/// spelled out in docs/api.md:
/// - orders received, accepted, rejected and put on hold: events of those types in the window, per bucket;
/// - order cycle time: per order whose last `invoice.posted` falls in the window, that time − its first
///   `order.received`;
/// - fulfilment latency: per fulfilment order whose first `shipment.shipped` falls in the window, that time − its
///   first `fulfillment.released`;
/// - exception rate: orders received in the window with at least one exception (hold, backorder, short pick,
///   substitution, shipment exception, refused cancellation, or an operations exception such as a price mismatch) ÷
///   orders received in the window; open exceptions by kind at the time of the report;
/// - time to resolve: per operations exception resolved in the window (`exception.resolved`, by a person or a
///   watchdog), its stored `timeToResolveSeconds`; manual touches per order: the person-made touches (assign,
///   comment, resolve) stored on those exceptions, summed per order, over the orders they belong to;
/// - delivery success rate: delivery attempts in the window answered 2xx ÷ attempts;
/// - backlog and the age of the oldest undelivered event, per subscription, now.
///
/// Percentiles are nearest-rank (p50 of 1, 2, 3, 4 is 2). Cycle times and latencies are kept as log-spaced
/// histograms (``KPIHistogram``), so theirs are within 1 % of the exact value; time to resolve is exact.
public struct KPIReport: Encodable, Sendable {
    /// Orders per bucket.
    public struct Bucket: Encodable, Sendable, Equatable {
        public var start: Date
        public var received = 0
        public var accepted = 0
        public var rejected = 0
        public var onHold = 0
    }

    /// A duration KPI: how many were measured, median and 90th percentile in seconds (nil when none).
    public struct Durations: Encodable, Sendable, Equatable {
        public var count: Int
        public var p50Seconds: Double?
        public var p90Seconds: Double?
    }

    /// The exception rate and the open queue.
    public struct Exceptions: Encodable, Sendable, Equatable {
        public var ordersReceived: Int
        public var ordersWithException: Int
        /// `ordersWithException / ordersReceived`; nil when no order was received.
        public var rate: Double?
        /// Orders received in the window with at least one exception of each class.
        public var byClass: [String: Int]
        /// Open operations exceptions by kind, now.
        public var open: [String: Int]
        /// Time to resolve of the exceptions resolved in the window.
        public var timeToResolve: Durations
        /// Manual touches of the exceptions resolved in the window.
        public var manualTouches: Touches
    }

    /// Person-made touches (assign, comment, resolve) of the exceptions resolved in the window.
    public struct Touches: Encodable, Sendable, Equatable {
        /// Orders those exceptions belong to.
        public var orders: Int
        /// Their touches in all.
        public var touches: Int
        /// `touches / orders`; nil when no order's exception was resolved.
        public var perOrder: Double?
    }

    /// Delivery attempts in the window.
    public struct Deliveries: Encodable, Sendable, Equatable {
        public var attempts: Int
        public var succeeded: Int
        /// `succeeded / attempts`; nil when nothing was attempted.
        public var successRate: Double?
    }

    /// One subscription's queue, now.
    public struct Backlog: Encodable, Sendable, Equatable {
        public var subscriptionId: String
        /// Deliveries not yet delivered (pending).
        public var backlog: Int
        public var dead: Int
        /// Now − the time of the oldest pending delivery's event; nil when nothing is pending.
        public var oldestUndeliveredAgeSeconds: Double?
    }

    public var from: Date
    public var to: Date
    public var bucketSeconds: Int
    /// The window's totals (the sum of the buckets).
    public var orders: Bucket
    public var buckets: [Bucket]
    /// Order cycle time, received → invoiced.
    public var cycleTime: Durations
    /// Fulfilment latency, released → first shipped.
    public var fulfillmentLatency: Durations
    public var exceptions: Exceptions
    public var deliveries: Deliveries
    public var subscriptions: [Backlog]
    /// Whether the report left facts out: the window held more resolved exceptions than one report reads
    /// (``KPIReport/maxEvents``), or the log past the rollup was longer than one report folds (``KPIReport/maxTail``;
    /// the rollup is catching up, after an upgrade for instance).
    public var truncated: Bool
    /// Where the rollup stood when the report was read.
    public var rollup: Rollup

    /// How current the rolled-up figures are.
    public struct Rollup: Encodable, Sendable, Equatable {
        /// The log position the rollup has folded through.
        public var position: Int64
        /// The facts past it that this report folded itself.
        public var foldedFacts: Int
    }

    /// The most events of one kind one report reads.
    public static let maxEvents = 500_000
    /// The most facts past the rollup one report folds.
    public static let maxTail = 50_000
    /// The most buckets a window may be cut into.
    public static let maxBuckets = 1000

    /// Computes the report over the whole minutes that hold `from..<to` (``KPIWindow``), cut into buckets of
    /// `bucketSeconds` (a multiple of 60), with queue ages as of `now`. Orders, exceptions, cycle times and latencies
    /// come from the rollup (``KPIRollup``) and the events past it, folded here; the rest from their tables.
    public static func compute(store: any Store, from: Date, to: Date, bucketSeconds: Int, now: Date = Date()) async throws -> KPIReport {
        let window = KPIWindow(covering: from, to: to, bucketSeconds: bucketSeconds)
        let start = Date(timeIntervalSince1970: Double(window.from))
        let figures = KPIFigures(try await store.kpiSnapshot(window, tailLimit: maxTail), window: window)
        let count = Int((window.to - window.from + window.bucketSeconds - 1) / window.bucketSeconds)
        var buckets = (0..<count).map { Bucket(start: start.addingTimeInterval(Double($0 * Int(window.bucketSeconds)))) }
        var totals = Bucket(start: start)
        let counters: [String: WritableKeyPath<Bucket, Int>] = [
            "received": \.received, "accepted": \.accepted, "rejected": \.rejected, "on_hold": \.onHold,
        ]
        for (metric, perBucket) in figures.counts {
            guard let counter = counters[metric] else { continue }
            for (bucket, n) in perBucket where buckets.indices.contains(bucket) {
                buckets[bucket][keyPath: counter] += n
                totals[keyPath: counter] += n
            }
        }
        let received = totals.received
        let q = { (name: String) in EventType(name).qualifiedName }
        let end = Date(timeIntervalSince1970: Double(window.to))
        let resolvedMarks = try await store.eventMarks(types: [q("exception.resolved")], from: start, to: end, limit: maxEvents)
        let resolved = try await resolvedExceptions(resolvedMarks, store: store)
        let exceptions = Exceptions(
            ordersReceived: received,
            ordersWithException: figures.ordersWithException,
            rate: received == 0 ? nil : Double(figures.ordersWithException) / Double(received),
            byClass: figures.byClass,
            open: try await store.openExceptionCounts(),
            timeToResolve: durations(resolved.compactMap { $0.timeToResolveSeconds ?? $0.resolvedAt?.timeIntervalSince($0.openedAt) }),
            manualTouches: touches(resolved)
        )

        let attempts = try await store.attemptCounts(from: start, to: end)
        let backlog = try await store.deliveryStatistics().map {
            Backlog(
                subscriptionId: $0.subscriptionID,
                backlog: $0.pending,
                dead: $0.dead,
                oldestUndeliveredAgeSeconds: $0.oldestPendingEventTime.map { max(0, now.timeIntervalSince($0)) }
            )
        }
        return KPIReport(
            from: start,
            to: end,
            bucketSeconds: Int(window.bucketSeconds),
            orders: totals,
            buckets: buckets,
            cycleTime: histogram(figures.cycle),
            fulfillmentLatency: histogram(figures.latency),
            exceptions: exceptions,
            deliveries: Deliveries(
                attempts: attempts.attempts,
                succeeded: attempts.succeeded,
                successRate: attempts.attempts == 0 ? nil : Double(attempts.succeeded) / Double(attempts.attempts)
            ),
            subscriptions: backlog,
            truncated: !figures.complete || resolvedMarks.count == maxEvents,
            rollup: Rollup(position: figures.position, foldedFacts: figures.tailFacts)
        )
    }

    /// Count, p50 and p90 of the durations counted in histogram `buckets` (``KPIHistogram``).
    static func histogram(_ buckets: [Int: Int]) -> Durations {
        Durations(
            count: buckets.values.reduce(0, +),
            p50Seconds: KPIHistogram.percentile(buckets, 0.5),
            p90Seconds: KPIHistogram.percentile(buckets, 0.9)
        )
    }

    /// The exceptions `marks` (`exception.resolved`) name that are still resolved, read by id in one query.
    static func resolvedExceptions(_ marks: [EventMark], store: any Store) async throws -> [OperationsException] {
        try await store.operationsExceptions(ids: Set(marks.map(\.subject))).filter { $0.status == .resolved }
    }

    /// Manual touches of `exceptions`, per order they belong to.
    static func touches(_ exceptions: [OperationsException]) -> Touches {
        let ofOrders = exceptions.filter { !$0.orderID.isEmpty }
        let orders = Set(ofOrders.map(\.orderID)).count
        let touches = ofOrders.reduce(0) { $0 + $1.manualTouches }
        return Touches(orders: orders, touches: touches, perOrder: orders == 0 ? nil : Double(touches) / Double(orders))
    }

    /// Count, p50 and p90 of `seconds`.
    static func durations(_ seconds: [Double]) -> Durations {
        Durations(count: seconds.count, p50Seconds: percentile(seconds, 0.5), p90Seconds: percentile(seconds, 0.9))
    }

    /// The nearest-rank percentile `p` (0 < p ≤ 1) of `values`; nil when empty.
    static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

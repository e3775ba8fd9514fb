import CrossdockDomain
import CrossdockStore
import Foundation

/// The business KPIs over a time window (`GET /v1/kpis`, the console's overview), computed from stored facts (the
/// event log, operations exceptions, delivery attempts and the delivery queue), so a restart changes nothing. The
/// definitions follow DOMAIN.md §6 and are spelled out in docs/api.md:
/// - orders received, accepted, rejected and put on hold: events of those types in the window, per bucket;
/// - order cycle time: per order whose last `invoice.posted` in the window, that time − its `order.received`;
/// - fulfilment latency: per fulfilment order whose first `shipment.shipped` falls in the window, that time − its
///   `fulfillment.released`;
/// - exception rate: orders received in the window with at least one exception (hold, backorder, short pick,
///   substitution, shipment exception, refused cancellation, or an operations exception such as a price mismatch) ÷
///   orders received in the window; open exceptions by kind at the time of the report;
/// - time to resolve: per operations exception resolved in the window (`exception.resolved`, by a person or a
///   watchdog), its stored `timeToResolveSeconds`; manual touches per order: the person-made touches (assign,
///   comment, resolve) stored on those exceptions, summed per order, over the orders they belong to;
/// - delivery success rate: delivery attempts in the window answered 2xx ÷ attempts;
/// - backlog and the age of the oldest undelivered event, per subscription, now.
///
/// Percentiles are nearest-rank (p50 of 1, 2, 3, 4 is 2).
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
    /// Whether the window held more events than one report reads (``KPIReport/maxEvents``); narrow it then.
    public var truncated: Bool

    /// The most events of one kind one report reads.
    public static let maxEvents = 500_000
    /// The most buckets a window may be cut into.
    public static let maxBuckets = 1000

    /// Event types whose presence on an order counts as an exception, by class.
    static let exceptionClasses: [String: String] = [
        "order.on_hold": "hold", "order.backordered": "backorder", "fulfillment.short_picked": "short_pick",
        "order.line_substituted": "substitution", "shipment.exception": "shipment_exception", "order.cancel_refused": "cancel_refused",
    ]

    /// Computes the report over `from..<to` cut into buckets of `bucketSeconds`, with queue ages as of `now`.
    public static func compute(store: any Store, from: Date, to: Date, bucketSeconds: Int, now: Date = Date()) async throws -> KPIReport {
        let q = { (name: String) in EventType(name).qualifiedName }
        let counted = ["order.received", "order.accepted", "order.rejected", "order.on_hold"]
        let count = Int((to.timeIntervalSince(from) / Double(bucketSeconds)).rounded(.up))
        var buckets = (0..<max(count, 0)).map { Bucket(start: from.addingTimeInterval(Double($0 * bucketSeconds))) }
        var totals = Bucket(start: from)
        for counted in try await store.eventCounts(types: Set(counted.map(q)), from: from, to: to, bucketSeconds: bucketSeconds) {
            guard buckets.indices.contains(counted.bucket) else { continue }
            let counter: WritableKeyPath<Bucket, Int>? =
                switch EventType(qualifiedName: counted.type)?.name {
                case "order.received": \.received
                case "order.accepted": \.accepted
                case "order.rejected": \.rejected
                case "order.on_hold": \.onHold
                default: nil
                }
            if let counter {
                buckets[counted.bucket][keyPath: counter] += counted.count
                totals[keyPath: counter] += counted.count
            }
        }

        // Cycle time: the last invoice of each order invoiced in the window, from its receipt.
        let invoiced = try await store.spans(from: q("order.received"), to: q("invoice.posted"), endingFrom: from, to: to, limit: maxEvents)
        let cycle = invoiced.map(\.seconds)

        // Fulfilment latency: each fulfilment order whose first shipment left in the window, from its release.
        let shippedInWindow = try await store.eventMarks(types: [q("shipment.shipped")], from: from, to: to, limit: maxEvents)
        let shippedOrders = Array(Set(shippedInWindow.map(\.correlationID)))
        let history = try await store.eventMarks(types: [q("shipment.shipped"), q("fulfillment.released")], correlationIDs: shippedOrders)
        var released: [String: Date] = [:]
        var firstShipped: [String: Date] = [:]
        for mark in history {
            if mark.type == q("fulfillment.released") {
                released[mark.subject] = released[mark.subject] ?? mark.time
            } else if let fulfillment = mark.fulfillmentOrderID {
                firstShipped[fulfillment] = min(firstShipped[fulfillment] ?? mark.time, mark.time)
            }
        }
        let latency = firstShipped.compactMap { fulfillment, shipped -> Double? in
            guard shipped >= from, shipped < to, let start = released[fulfillment] else { return nil }
            return shipped.timeIntervalSince(start)
        }

        // Exceptions of the orders received in the window (one `order.received` each).
        let received = totals.received
        var classes: [String: Set<String>] = [:]
        let exceptionTypes = Set(exceptionClasses.keys.map(q))
        for (order, types) in try await store.eventTypes(exceptionTypes, ofOrdersReceived: q("order.received"), from: from, to: to) {
            for type in types {
                if let name = EventType(qualifiedName: type)?.name, let kind = exceptionClasses[name] { classes[order, default: []].insert(kind) }
            }
        }
        for (order, kinds) in try await store.exceptionKinds(ofOrdersReceived: q("order.received"), from: from, to: to) {
            classes[order, default: []].formUnion(kinds)
        }
        var byClass: [String: Int] = [:]
        for kinds in classes.values { for kind in kinds { byClass[kind, default: 0] += 1 } }
        let resolvedMarks = try await store.eventMarks(types: [q("exception.resolved")], from: from, to: to, limit: maxEvents)
        let resolved = try await resolvedExceptions(resolvedMarks, store: store)
        let exceptions = Exceptions(
            ordersReceived: received,
            ordersWithException: classes.count,
            rate: received == 0 ? nil : Double(classes.count) / Double(received),
            byClass: byClass,
            open: try await store.openExceptionCounts(),
            timeToResolve: durations(resolved.compactMap { $0.timeToResolveSeconds ?? $0.resolvedAt?.timeIntervalSince($0.openedAt) }),
            manualTouches: touches(resolved)
        )

        let attempts = try await store.attemptCounts(from: from, to: to)
        let backlog = try await store.deliveryStatistics().map {
            Backlog(
                subscriptionId: $0.subscriptionID,
                backlog: $0.pending,
                dead: $0.dead,
                oldestUndeliveredAgeSeconds: $0.oldestPendingEventTime.map { max(0, now.timeIntervalSince($0)) }
            )
        }
        return KPIReport(
            from: from,
            to: to,
            bucketSeconds: bucketSeconds,
            orders: totals,
            buckets: buckets,
            cycleTime: durations(cycle),
            fulfillmentLatency: durations(latency),
            exceptions: exceptions,
            deliveries: Deliveries(
                attempts: attempts.attempts,
                succeeded: attempts.succeeded,
                successRate: attempts.attempts == 0 ? nil : Double(attempts.succeeded) / Double(attempts.attempts)
            ),
            subscriptions: backlog,
            truncated: [invoiced.count, shippedInWindow.count, resolvedMarks.count].contains(maxEvents)
        )
    }

    /// The exceptions `marks` (`exception.resolved`) name, read per order (or channel) they are correlated to.
    static func resolvedExceptions(_ marks: [EventMark], store: any Store) async throws -> [OperationsException] {
        var ids = Set(marks.map(\.subject))
        var result: [OperationsException] = []
        for correlation in Set(marks.map(\.correlationID)).sorted() {
            let orderID = correlation.hasPrefix("channel:") ? "" : correlation
            let found = try await store.operationsExceptions(status: .resolved, orderID: orderID, limit: 1000)
            for exception in found where ids.remove(exception.id) != nil { result.append(exception) }
        }
        return result
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

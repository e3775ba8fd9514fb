import Foundation

/// A KPI report's window in whole minutes: `[from, to)` in seconds since 1970, cut into buckets of `bucketSeconds`
/// from `from` (the last one ends at `to`).
public struct KPIWindow: Sendable, Hashable {
    public var from: Int64
    public var to: Int64
    public var bucketSeconds: Int64

    /// The window of whole minutes that holds `[from, to)`: `from` rounded down, `to` up. `bucketSeconds` must be a
    /// positive multiple of 60.
    public init(covering from: Date, to: Date, bucketSeconds: Int) {
        self.from = Int64((from.timeIntervalSince1970 / 60).rounded(.down)) * 60
        self.to = max(Int64((to.timeIntervalSince1970 / 60).rounded(.up)) * 60, self.from)
        self.bucketSeconds = Int64(max(bucketSeconds, 60))
    }

    /// The chart bucket `minute` falls in; nil outside the window.
    public func bucket(_ minute: Int64) -> Int? {
        minute >= from && minute < to ? Int((minute - from) / bucketSeconds) : nil
    }

    /// The stored cells that cover the window exactly, fewest first: whole hours inside it, minutes at its edges, as
    /// `(grain, lo, hi)` ranges of cell starts.
    public var ranges: [(grain: Int64, lo: Int64, hi: Int64)] {
        let firstHour = (from + 3599) / 3600 * 3600
        let lastHour = to / 3600 * 3600
        guard firstHour < lastHour else { return [(60, from, to)] }
        return [(3600, firstHour, lastHour), (60, from, firstHour), (60, lastHour, to)].filter { $0.lo < $0.hi }
    }
}

/// What a report reads from the rollup, and from the log past it, in one snapshot of the store.
public struct KPISnapshot: Sendable {
    /// Rolled-up counts per chart bucket: (metric, bucket, n).
    public var counts: [(metric: String, bucket: Int, n: Int)] = []
    /// Rolled-up window totals of ``KPIRollup/totalMetrics``: (metric, histogram bucket, n).
    public var totals: [(metric: String, bucket: Int, n: Int)] = []
    /// How far the rollup has folded the log.
    public var position: Int64 = 0
    /// The facts past `position` (the tail), oldest first.
    public var tail: [KPIFact] = []
    /// Whether the tail holds every fact past `position` (false when it was longer than the report reads).
    public var complete = true
    /// The stored states of the orders and fulfilment orders the tail names.
    public var orders: [String: KPIOrderState] = [:]
    public var fulfillments: [String: KPIFulfillmentState] = [:]
    /// The operations exceptions (order, kind) of the orders the rollup has received in the window, with their stored
    /// state, and of the orders the tail names (state from ``orders``).
    public var operations: [(orderID: String, kind: String, state: KPIOrderState?)] = []

    public init() {}
}

/// A report's figures: the rollup's cells in the window, plus the tail folded in memory.
public struct KPIFigures: Sendable {
    /// Per counted metric (``KPIRollup/countedMetrics``): chart bucket → events.
    public var counts: [String: [Int: Int]] = [:]
    /// Orders received in the window with an exception of any class (events or operations exceptions).
    public var ordersWithException = 0
    /// Per class: orders received in the window with an exception of it.
    public var byClass: [String: Int] = [:]
    /// Histogram buckets (``KPIHistogram``) of the cycle times and fulfilment latencies attributed to the window.
    public var cycle: [Int: Int] = [:]
    public var latency: [Int: Int] = [:]
    /// Where the rollup stood, and how many facts past it the report folded itself.
    public var position: Int64 = 0
    public var tailFacts = 0
    /// False when the log past the rollup was longer than one report folds: the newest events are then missing.
    public var complete = true

    public init() {}

    /// The figures of `snapshot` over `window`.
    public init(_ snapshot: KPISnapshot, window: KPIWindow) {
        position = snapshot.position
        tailFacts = snapshot.tail.count
        complete = snapshot.complete
        for row in snapshot.counts { counts[row.metric, default: [:]][row.bucket, default: 0] += row.n }
        var totals: [String: [Int: Int]] = [:]
        for row in snapshot.totals { totals[row.metric, default: [:]][row.bucket, default: 0] += row.n }
        var fold = KPIFold(orders: snapshot.orders, fulfillments: snapshot.fulfillments)
        for fact in snapshot.tail { fold.apply(fact) }
        for (cell, n) in fold.nonZeroDeltas {
            guard let bucket = window.bucket(cell.minute) else { continue }
            if KPIRollup.countedMetrics.contains(cell.metric) {
                counts[cell.metric, default: [:]][bucket, default: 0] += n
            } else {
                totals[cell.metric, default: [:]][cell.bucket, default: 0] += n
            }
        }
        cycle = totals["cycle"] ?? [:]
        latency = totals["latency"] ?? [:]
        ordersWithException = totals["exception"]?.values.reduce(0, +) ?? 0
        for name in KPIRollup.exceptionClasses.map(\.name) {
            if let n = totals["exception:\(name)"]?.values.reduce(0, +), n != 0 { byClass[name] = n }
        }
        // Operations exceptions join the event classes per order: an order counts once per class and once in all.
        var kinds: [String: (state: KPIOrderState, kinds: Set<String>)] = [:]
        for row in snapshot.operations {
            guard let state = fold.orders[row.orderID] ?? row.state, let received = state.receivedAt,
                window.bucket(KPICell(metric: "", at: received).minute) != nil
            else { continue }
            kinds[row.orderID, default: (state, [])].kinds.insert(row.kind)
        }
        for (state, orderKinds) in kinds.values {
            let classes = Set(KPIRollup.classes(state.mask))
            if classes.isEmpty { ordersWithException += 1 }
            for kind in orderKinds.subtracting(classes) { byClass[kind, default: 0] += 1 }
        }
    }
}

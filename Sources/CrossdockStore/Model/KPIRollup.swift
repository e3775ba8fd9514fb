import CrossdockDomain
import Foundation

/// The KPI rollup: per-minute and per-hour figures folded from the event log by one follower (``KPIFold``), so that a
/// report over a day of a hundred thousand orders reads a few thousand rows, not the day's events.
///
/// What is kept, per cell (a metric, the minute it is attributed to, and a histogram bucket or 0):
/// - `received`, `accepted`, `rejected`, `on_hold`: events of those types, at their time;
/// - `exception` and `exception:<class>`: orders with at least one exception event (of any class; of that class), at
///   the time the order was received, each order counted once however many such events it has;
/// - `cycle`: per order, its last `invoice.posted` − its first `order.received`, at the invoice's time, as a bucket
///   of ``KPIHistogram``; a later invoice moves the order's figure;
/// - `latency`: per fulfilment order, its first `shipment.shipped` − its first `fulfillment.released`, at the
///   shipment's time.
///
/// The fold keeps a small state per order and per fulfilment order (``KPIOrderState``, ``KPIFulfillmentState``); a
/// change of state replaces the cells it contributed, so events whose times arrive out of order across nodes still
/// give the figures their definitions say.
public enum KPIRollup {
    /// The follower's cursor (`connector_cursors`).
    public static let cursor = "kpi-rollup"
    /// The cell sizes kept: minutes and hours (a report reads hours inside its window, minutes at its edges).
    public static let grains: [Int64] = [60, 3600]
    /// The metrics counted per event, by CloudEvents type.
    public static let counted: [String: String] = [
        EventType.orderReceived.qualifiedName: "received", EventType("order.accepted").qualifiedName: "accepted",
        EventType("order.rejected").qualifiedName: "rejected", EventType("order.on_hold").qualifiedName: "on_hold",
    ]
    /// The counted metrics, for the per-bucket read.
    public static let countedMetrics = ["accepted", "on_hold", "received", "rejected"]
    /// Event types whose presence on an order counts as an exception, with their class; the index is the class's bit
    /// in ``KPIOrderState/mask``.
    public static let exceptionClasses: [(type: String, name: String)] = [
        ("order.on_hold", "hold"), ("order.backordered", "backorder"), ("fulfillment.short_picked", "short_pick"),
        ("order.line_substituted", "substitution"), ("shipment.exception", "shipment_exception"), ("order.cancel_refused", "cancel_refused"),
    ].map { (EventType($0.0).qualifiedName, $0.1) }
    static let classBits: [String: Int] = Dictionary(uniqueKeysWithValues: exceptionClasses.enumerated().map { ($1.type, $0) })
    static let invoicePosted = EventType("invoice.posted").qualifiedName
    static let fulfillmentReleased = EventType("fulfillment.released").qualifiedName
    /// The type whose facts carry their shipment's fulfilment order.
    public static let shipmentShipped = EventType("shipment.shipped").qualifiedName
    /// Every type the fold reads; the rest of the log is passed over.
    public static let factTypes: [String] = Array(
        Set(counted.keys).union(exceptionClasses.map(\.type)).union([invoicePosted, fulfillmentReleased, shipmentShipped])
    ).sorted()
    /// The metrics read as window totals (not per bucket): exceptions and the two histograms.
    public static var totalMetrics: [String] { ["cycle", "exception", "latency"] + exceptionClasses.map { "exception:\($0.name)" } }

    /// The class names set in `mask`.
    public static func classes(_ mask: Int) -> [String] {
        exceptionClasses.indices.filter { mask & (1 << $0) != 0 }.map { exceptionClasses[$0].name }
    }
}

/// One event as the rollup reads it: no payload.
public struct KPIFact: Sendable, Hashable {
    public var type: String
    /// Seconds since 1970.
    public var time: Double
    public var correlationID: String
    public var subject: String
    /// For `shipment.shipped`: the shipment's fulfilment order.
    public var fulfillmentOrderID: String?

    public init(type: String, time: Double, correlationID: String, subject: String, fulfillmentOrderID: String?) {
        self.type = type
        self.time = time
        self.correlationID = correlationID
        self.subject = subject
        self.fulfillmentOrderID = fulfillmentOrderID
    }
}

/// What the rollup remembers of an order.
public struct KPIOrderState: Sendable, Hashable {
    /// Its first `order.received`.
    public var receivedAt: Double?
    /// The exception classes seen (bit i = ``KPIRollup/exceptionClasses``[i]).
    public var mask: Int
    /// Its last `invoice.posted`.
    public var invoicedAt: Double?

    public init(receivedAt: Double?, mask: Int, invoicedAt: Double?) {
        self.receivedAt = receivedAt
        self.mask = mask
        self.invoicedAt = invoicedAt
    }

    /// The cells this state contributes.
    var cells: [KPICell] {
        guard let received = receivedAt else { return [] }
        var cells: [KPICell] = []
        if mask != 0 {
            cells.append(KPICell(metric: "exception", at: received))
            for name in KPIRollup.classes(mask) { cells.append(KPICell(metric: "exception:\(name)", at: received)) }
        }
        if let invoiced = invoicedAt { cells.append(KPICell(metric: "cycle", at: invoiced, bucket: KPIHistogram.index(invoiced - received))) }
        return cells
    }
}

/// What the rollup remembers of a fulfilment order.
public struct KPIFulfillmentState: Sendable, Hashable {
    /// Its first `fulfillment.released`.
    public var releasedAt: Double?
    /// Its first `shipment.shipped`.
    public var firstShippedAt: Double?

    public init(releasedAt: Double?, firstShippedAt: Double?) {
        self.releasedAt = releasedAt
        self.firstShippedAt = firstShippedAt
    }

    var cells: [KPICell] {
        guard let released = releasedAt, let shipped = firstShippedAt else { return [] }
        return [KPICell(metric: "latency", at: shipped, bucket: KPIHistogram.index(shipped - released))]
    }
}

/// One figure of the rollup: a metric in one minute, in one histogram bucket (0 for counts).
public struct KPICell: Sendable, Hashable {
    public var metric: String
    /// The minute's start, seconds since 1970.
    public var minute: Int64
    public var bucket: Int

    public init(metric: String, at time: Double, bucket: Int = 0) {
        self.metric = metric
        self.minute = Int64((time / 60).rounded(.down)) * 60
        self.bucket = bucket
    }

    /// The start of the cell of `grain` seconds that holds this minute.
    public func start(grain: Int64) -> Int64 { minute >= 0 ? minute / grain * grain : (minute - grain + 1) / grain * grain }
}

/// A stored row of the rollup: `n` added to the cell of `grain` seconds starting at `start`.
public struct KPIRow: Sendable, Hashable {
    public var grain: Int64
    public var metric: String
    public var start: Int64
    public var bucket: Int
    public var n: Int
}

/// Folds facts, in log order, into cell deltas and state changes. Before applying facts, the caller loads the stored
/// state of every order (correlation id) and fulfilment order they name (absent ones stay absent).
public struct KPIFold: Sendable {
    public var orders: [String: KPIOrderState]
    public var fulfillments: [String: KPIFulfillmentState]
    /// What the facts add to each cell (zeros left out by ``nonZeroDeltas``).
    public private(set) var deltas: [KPICell: Int] = [:]
    public private(set) var changedOrders: Set<String> = []
    public private(set) var changedFulfillments: Set<String> = []

    public init(orders: [String: KPIOrderState] = [:], fulfillments: [String: KPIFulfillmentState] = [:]) {
        self.orders = orders
        self.fulfillments = fulfillments
    }

    /// The fulfilment orders `facts` name (releases by subject, shipments by their fulfilment order).
    public static func fulfillmentIDs(_ facts: [KPIFact]) -> Set<String> {
        Set(
            facts.compactMap {
                $0.type == KPIRollup.fulfillmentReleased ? $0.subject : $0.type == KPIRollup.shipmentShipped ? $0.fulfillmentOrderID : nil
            }
        )
    }

    /// The orders `facts` name.
    public static func orderIDs(_ facts: [KPIFact]) -> Set<String> {
        Set(facts.filter { $0.type != KPIRollup.fulfillmentReleased && $0.type != KPIRollup.shipmentShipped }.map(\.correlationID))
    }

    public var nonZeroDeltas: [KPICell: Int] { deltas.filter { $0.value != 0 } }

    /// The deltas as stored rows: one per grain and cell start (minutes of one hour add up in the hour's row).
    public var rows: [KPIRow] {
        var rows: [KPIRow: Int] = [:]
        for (cell, n) in deltas where n != 0 {
            for grain in KPIRollup.grains {
                rows[KPIRow(grain: grain, metric: cell.metric, start: cell.start(grain: grain), bucket: cell.bucket, n: 0), default: 0] += n
            }
        }
        return rows.compactMap { row, n in n == 0 ? nil : KPIRow(grain: row.grain, metric: row.metric, start: row.start, bucket: row.bucket, n: n) }
    }

    public mutating func apply(_ fact: KPIFact) {
        if let metric = KPIRollup.counted[fact.type] { deltas[KPICell(metric: metric, at: fact.time), default: 0] += 1 }
        switch fact.type {
        case KPIRollup.fulfillmentReleased:
            updateFulfillment(fact.subject) { state in
                if state.releasedAt.map({ fact.time < $0 }) ?? true { state.releasedAt = fact.time }
            }
        case KPIRollup.shipmentShipped:
            guard let id = fact.fulfillmentOrderID, !id.isEmpty else { return }
            updateFulfillment(id) { state in
                if state.firstShippedAt.map({ fact.time < $0 }) ?? true { state.firstShippedAt = fact.time }
            }
        case KPIRollup.orderReceivedType:
            updateOrder(fact.correlationID) { state in
                if state.receivedAt.map({ fact.time < $0 }) ?? true { state.receivedAt = fact.time }
            }
        case KPIRollup.invoicePosted:
            updateOrder(fact.correlationID) { state in
                if state.invoicedAt.map({ fact.time > $0 }) ?? true { state.invoicedAt = fact.time }
            }
        default:
            break
        }
        if let bit = KPIRollup.classBits[fact.type] {
            updateOrder(fact.correlationID) { $0.mask |= 1 << bit }
        }
    }

    private mutating func updateOrder(_ id: String, _ change: (inout KPIOrderState) -> Void) {
        let old = orders[id]
        var new = old ?? KPIOrderState(receivedAt: nil, mask: 0, invoicedAt: nil)
        change(&new)
        guard new != old else { return }
        replace(old?.cells ?? [], with: new.cells)
        orders[id] = new
        changedOrders.insert(id)
    }

    private mutating func updateFulfillment(_ id: String, _ change: (inout KPIFulfillmentState) -> Void) {
        let old = fulfillments[id]
        var new = old ?? KPIFulfillmentState(releasedAt: nil, firstShippedAt: nil)
        change(&new)
        guard new != old else { return }
        replace(old?.cells ?? [], with: new.cells)
        fulfillments[id] = new
        changedFulfillments.insert(id)
    }

    private mutating func replace(_ old: [KPICell], with new: [KPICell]) {
        for cell in old { deltas[cell, default: 0] -= 1 }
        for cell in new { deltas[cell, default: 0] += 1 }
    }
}

extension KPIRollup {
    static let orderReceivedType = EventType.orderReceived.qualifiedName
}

/// Log-spaced buckets for durations, as DDSketch: bucket `i` holds `(γ^(i-1), γ^i]` seconds with γ = 1.02, and
/// reports the value whose relative error to any member is at most 1 %. Durations of a millisecond or less (and negative
/// ones, from clocks that disagree) share the lowest bucket and report 0.
public enum KPIHistogram {
    static let gamma = 1.02
    static let logGamma = log(gamma)
    /// The lowest bucket: durations ≤ 1 ms.
    public static let floorIndex = Int((log(0.001) / logGamma).rounded(.up))

    public static func index(_ seconds: Double) -> Int {
        guard seconds > 0.001, seconds.isFinite else { return floorIndex }
        return max(floorIndex + 1, Int((log(seconds) / logGamma).rounded(.up)))
    }

    /// The value bucket `index` reports.
    public static func value(_ index: Int) -> Double {
        index <= floorIndex ? 0 : 2 * pow(gamma, Double(index)) / (gamma + 1)
    }

    /// The nearest-rank percentile `p` (0 < p ≤ 1) of the durations counted in `buckets`; nil when there are none.
    public static func percentile(_ buckets: [Int: Int], _ p: Double) -> Double? {
        let total = buckets.values.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = min(max(Int((p * Double(total)).rounded(.up)), 1), total)
        var seen = 0
        for (index, count) in buckets.sorted(by: { $0.key < $1.key }) where count > 0 {
            seen += count
            if seen >= rank { return value(index) }
        }
        return nil
    }
}

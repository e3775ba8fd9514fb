import CrossdockDomain
import Foundation

/// How one subscription is delivered: filters, ordering, concurrency, rate, timeout and retries.
public struct SubscriptionSettings: Hashable, Sendable, Codable {
    /// What orders deliveries: events with the same key are delivered one after the other, in log order.
    public enum OrderingKey: String, Hashable, Sendable, Codable, CaseIterable {
        /// The event's subject (the aggregate: order, fulfilment order, shipment…). The default.
        case subject
        /// The business flow (`correlationid`: the order id for everything about an order).
        case correlation
    }

    /// Attribute filters (`warehouse`, `channel`, `customer`, `partner` → value); all must match.
    public var attributes: [String: String]
    /// The ordering key.
    public var orderingKey: OrderingKey
    /// Deliveries of this subscription in flight at once (default 8).
    public var maxInFlight: Int
    /// Attempts per second at most; `nil` for no limit.
    public var ratePerSecond: Double?
    /// Per-request timeout in milliseconds; `nil` for the hub's default (10 s).
    public var timeoutMs: Int?
    /// Attempts before an event is dead-lettered; `nil` for the hub's default (`delivery.max.attempts`, 12).
    public var maxAttempts: Int?
    /// First backoff ceiling in milliseconds, doubled per attempt with full jitter; `nil` for the hub's default
    /// (`delivery.retry.base.ms`, 1 000).
    public var retryBaseMs: Int?
    /// The largest backoff ceiling in milliseconds; `nil` for the hub's default (300 000).
    public var retryCapMs: Int?
    /// The outbound mapping that renders each event into the partner's body (see docs/mappings.md); `nil` sends the
    /// CloudEvent itself.
    public var mapping: String?
    /// Set when the subscription is an alert route: which operations exceptions it is told about and how (see
    /// docs/alerts.md); its event types are then `alert.firing` and `alert.resolved`.
    public var alert: AlertRoute?

    /// Creates settings.
    /// - Parameters:
    ///   - attributes: attribute filters.
    ///   - orderingKey: the ordering key (default subject).
    ///   - maxInFlight: concurrent deliveries (default 8).
    ///   - ratePerSecond: attempts per second (default unlimited).
    ///   - timeoutMs: request timeout (default: the hub's).
    ///   - maxAttempts: attempts before dead-lettering (default: the hub's).
    ///   - retryBaseMs: first backoff ceiling (default: the hub's).
    ///   - retryCapMs: largest backoff ceiling (default: the hub's).
    public init(
        attributes: [String: String] = [:],
        orderingKey: OrderingKey = .subject,
        maxInFlight: Int = 8,
        ratePerSecond: Double? = nil,
        timeoutMs: Int? = nil,
        maxAttempts: Int? = nil,
        retryBaseMs: Int? = nil,
        retryCapMs: Int? = nil,
        mapping: String? = nil,
        alert: AlertRoute? = nil
    ) {
        self.mapping = mapping
        self.alert = alert
        self.attributes = attributes
        self.orderingKey = orderingKey
        self.maxInFlight = maxInFlight
        self.ratePerSecond = ratePerSecond
        self.timeoutMs = timeoutMs
        self.maxAttempts = maxAttempts
        self.retryBaseMs = retryBaseMs
        self.retryCapMs = retryCapMs
    }

    enum CodingKeys: String, CodingKey {
        case attributes, orderingKey, maxInFlight, ratePerSecond, timeoutMs, maxAttempts, retryBaseMs, retryCapMs, mapping, alert
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SubscriptionSettings()
        attributes = try c.decodeIfPresent([String: String].self, forKey: .attributes) ?? defaults.attributes
        orderingKey = try c.decodeIfPresent(OrderingKey.self, forKey: .orderingKey) ?? defaults.orderingKey
        maxInFlight = try c.decodeIfPresent(Int.self, forKey: .maxInFlight) ?? defaults.maxInFlight
        ratePerSecond = try c.decodeIfPresent(Double.self, forKey: .ratePerSecond)
        timeoutMs = try c.decodeIfPresent(Int.self, forKey: .timeoutMs)
        maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts)
        retryBaseMs = try c.decodeIfPresent(Int.self, forKey: .retryBaseMs)
        retryCapMs = try c.decodeIfPresent(Int.self, forKey: .retryCapMs)
        mapping = try c.decodeIfPresent(String.self, forKey: .mapping)
        alert = try c.decodeIfPresent(AlertRoute.self, forKey: .alert)
    }

    /// Problems with the values, as `(field, reason)`; empty when valid.
    public var problems: [(field: String, reason: String)] {
        var result: [(String, String)] = []
        for name in attributes.keys.sorted() where !EventAttributes.names.contains(name) {
            result.append(("attributes.\(name)", "unknown attribute; use one of \(EventAttributes.names.sorted().joined(separator: ", "))"))
        }
        if !(1...256).contains(maxInFlight) { result.append(("maxInFlight", "must be 1…256")) }
        if let rate = ratePerSecond, !(rate > 0 && rate <= 100_000) { result.append(("ratePerSecond", "must be > 0 and ≤ 100000")) }
        if let timeoutMs, !(100...120_000).contains(timeoutMs) { result.append(("timeoutMs", "must be 100…120000")) }
        if let maxAttempts, !(1...100).contains(maxAttempts) { result.append(("maxAttempts", "must be 1…100")) }
        if let retryBaseMs, !(1...3_600_000).contains(retryBaseMs) { result.append(("retryBaseMs", "must be 1…3600000")) }
        if let mapping, mapping.isEmpty || mapping.count > 128 { result.append(("mapping", "must be a mapping name of 1…128 characters")) }
        if let retryCapMs, !((retryBaseMs ?? 1)...86_400_000).contains(retryCapMs) {
            result.append(("retryCapMs", "must be at least retryBaseMs and at most 86400000"))
        }
        if let alert {
            result += alert.problems(prefix: "alert")
            if mapping != nil { result.append(("mapping", "an alert route renders its own body (alert.format); it takes no mapping")) }
            if !attributes.isEmpty { result.append(("attributes", "an alert route filters with alert.kinds, severities, partners and channels")) }
        }
        return result
    }
}

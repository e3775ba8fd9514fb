import Foundation

/// How long the hub waits for each promised fact before a watchdog raises an operations exception, and how long a
/// channel's customers may return goods before an order closes: built-in defaults, hub-wide defaults, and overrides
/// per warehouse (WMS or 3PL), carrier, EDI partner and channel. Stored as one document and edited at
/// `PUT /v1/watchdog-deadlines`.
///
/// ```json
/// {"defaults": {"ediAcknowledgementHours": 12},
///  "warehouses": {"WH-3PL": {"fulfillmentAcknowledgementMinutes": 60}},
///  "carriers": {"UPS": {"scanBusinessDays": 1, "transitGraceHours": 12}},
///  "partners": {"ACME": {"ediAcknowledgementHours": 4}},
///  "channels": {"shopify": {"returnWindowDays": 60}}}
/// ```
public struct WatchdogDeadlines: Hashable, Sendable, Codable {
    /// One set of limits; a missing member falls back to the hub-wide default, then to ``builtIn``.
    public struct Limits: Hashable, Sendable, Codable {
        /// Minutes a released fulfilment order may wait for a pick, a shipment or its 940's 997 (warehouses).
        public var fulfillmentAcknowledgementMinutes: Int?
        /// Business days (Monday to Friday) a shipment may go without a carrier scan (carriers).
        public var scanBusinessDays: Int?
        /// Hours a shipment may stay undelivered past the carrier's estimated delivery (carriers).
        public var transitGraceHours: Int?
        /// Hours an outbound 855, 856, 810 or 940 may wait for its 997 (EDI partners).
        public var ediAcknowledgementHours: Int?
        /// The same in minutes, for partners that answer within the hour (a VAN or AS2 link that returns 997s at once);
        /// at one level set this or ``ediAcknowledgementHours``, not both.
        public var ediAcknowledgementMinutes: Int?
        /// Days after a backorder's promised date before it is overdue; 0 = the day after the date (channels).
        public var backorderGraceDays: Int?
        /// A channel is silent when its gap since the last order exceeds this many times its usual gap (channels).
        public var silenceFactor: Int?
        /// The shortest gap that counts as silence, however busy the channel is (channels).
        public var minimumSilenceMinutes: Int?
        /// Days after an order is invoiced or cancelled during which its customer may still return goods (channels).
        public var returnWindowDays: Int?

        /// Creates limits; every member is optional.
        public init(
            fulfillmentAcknowledgementMinutes: Int? = nil,
            scanBusinessDays: Int? = nil,
            transitGraceHours: Int? = nil,
            ediAcknowledgementHours: Int? = nil,
            ediAcknowledgementMinutes: Int? = nil,
            backorderGraceDays: Int? = nil,
            silenceFactor: Int? = nil,
            minimumSilenceMinutes: Int? = nil,
            returnWindowDays: Int? = nil
        ) {
            self.fulfillmentAcknowledgementMinutes = fulfillmentAcknowledgementMinutes
            self.scanBusinessDays = scanBusinessDays
            self.transitGraceHours = transitGraceHours
            self.ediAcknowledgementHours = ediAcknowledgementHours
            self.ediAcknowledgementMinutes = ediAcknowledgementMinutes
            self.backorderGraceDays = backorderGraceDays
            self.silenceFactor = silenceFactor
            self.minimumSilenceMinutes = minimumSilenceMinutes
            self.returnWindowDays = returnWindowDays
        }
    }

    /// What the hub uses when nothing is configured: 4 hours for a warehouse to start, 2 business days between scans,
    /// 24 hours past the carrier's estimate, 24 hours for a 997, backorders overdue the day after their date, a channel
    /// silent at 4 times its usual gap (2 hours at least), and a 30-day return window.
    public static let builtIn = Limits(
        fulfillmentAcknowledgementMinutes: 240,
        scanBusinessDays: 2,
        transitGraceHours: 24,
        ediAcknowledgementHours: 24,
        backorderGraceDays: 0,
        silenceFactor: 4,
        minimumSilenceMinutes: 120,
        returnWindowDays: 30
    )

    /// Hub-wide defaults.
    public var defaults: Limits
    /// Overrides by warehouse id.
    public var warehouses: [String: Limits]
    /// Overrides by carrier code (as shipments name it).
    public var carriers: [String: Limits]
    /// Overrides by EDI partner id.
    public var partners: [String: Limits]
    /// Overrides by order channel.
    public var channels: [String: Limits]

    /// Creates a configuration.
    public init(
        defaults: Limits = .init(),
        warehouses: [String: Limits] = [:],
        carriers: [String: Limits] = [:],
        partners: [String: Limits] = [:],
        channels: [String: Limits] = [:]
    ) {
        self.defaults = defaults
        self.warehouses = warehouses
        self.carriers = carriers
        self.partners = partners
        self.channels = channels
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        defaults = try c.decodeIfPresent(Limits.self, forKey: .defaults) ?? .init()
        warehouses = try c.decodeIfPresent([String: Limits].self, forKey: .warehouses) ?? [:]
        carriers = try c.decodeIfPresent([String: Limits].self, forKey: .carriers) ?? [:]
        partners = try c.decodeIfPresent([String: Limits].self, forKey: .partners) ?? [:]
        channels = try c.decodeIfPresent([String: Limits].self, forKey: .channels) ?? [:]
    }

    /// The limit `member` for a subject: its override, else the hub-wide default, else the built-in one.
    func value(_ member: KeyPath<Limits, Int?>, override: Limits?) -> Int {
        override?[keyPath: member] ?? defaults[keyPath: member] ?? Self.builtIn[keyPath: member] ?? 0
    }

    /// The deadline for a fulfilment order of `warehouse` to show progress, in seconds.
    public func fulfillmentAcknowledgement(warehouse: String) -> TimeInterval {
        TimeInterval(value(\.fulfillmentAcknowledgementMinutes, override: warehouses[warehouse]) * 60)
    }

    /// Business days a shipment of `carrier` may go without a scan.
    public func scanBusinessDays(carrier: String) -> Int { value(\.scanBusinessDays, override: carriers[carrier]) }

    /// Seconds a shipment of `carrier` may stay undelivered past its estimated delivery.
    public func transitGrace(carrier: String) -> TimeInterval {
        TimeInterval(value(\.transitGraceHours, override: carriers[carrier]) * 3600)
    }

    /// Seconds an outbound document to `partner` may wait for its 997: the partner's override in minutes or hours, else
    /// the hub-wide default in minutes or hours, else the built-in hours.
    public func ediAcknowledgement(partner: String) -> TimeInterval {
        for limits in [partners[partner], defaults, Self.builtIn] {
            if let minutes = limits?.ediAcknowledgementMinutes { return TimeInterval(minutes * 60) }
            if let hours = limits?.ediAcknowledgementHours { return TimeInterval(hours * 3600) }
        }
        return 0
    }

    /// Days past a backorder's promised date before it is overdue, for orders of `channel`.
    public func backorderGraceDays(channel: String) -> Int { value(\.backorderGraceDays, override: channels[channel]) }

    /// How many usual gaps make `channel` silent.
    public func silenceFactor(channel: String) -> Int { value(\.silenceFactor, override: channels[channel]) }

    /// The shortest silence of `channel` that counts, in seconds.
    public func minimumSilence(channel: String) -> TimeInterval {
        TimeInterval(value(\.minimumSilenceMinutes, override: channels[channel]) * 60)
    }

    /// The return window of `channel`, in days.
    public func returnWindowDays(channel: String) -> Int { value(\.returnWindowDays, override: channels[channel]) }
}

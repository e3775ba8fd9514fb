import Foundation

/// How urgent an operations exception is for the people on call; fixed per kind (``OperationsException/Kind/severity``).
public enum AlertSeverity: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// Goods or revenue are at risk now: a parcel lost or damaged, a warehouse or channel gone quiet, a rejected 856.
    case critical
    /// A promise is slipping: a late backorder, a parcel overdue, a missing 997, a refused cancellation, totals that
    /// differ.
    case warning
    /// Worth a look in working hours: a channel price outside the tolerance.
    case info

    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension OperationsException.Kind {
    /// How urgent this kind is.
    public var severity: AlertSeverity {
        switch self {
        case .deliveryException, .shipmentSilent, .fulfillmentUnacknowledged, .ediRejected, .channelSilent: .critical
        case .cancelRefused, .channelTotalsMismatch, .shipmentOverdue, .ediUnacknowledged, .backorderOverdue: .warning
        case .priceMismatch: .info
        }
    }
}

/// What makes a subscription an alert route: which operations exceptions it is told about and how
/// (`settings.alert` of a subscription to `alert.*`). See docs/alerts.md.
///
/// Empty filter lists match everything; a non-empty one must contain the exception's value. An exception about no
/// single order (a silent channel) has its channel in `partner`, and matches `channels` by it.
public struct AlertRoute: Hashable, Sendable, Codable {
    /// The body the route's endpoint receives.
    public enum Format: String, Hashable, Sendable, Codable, CaseIterable {
        /// The `alert.firing` / `alert.resolved` CloudEvent, signed with Standard Webhooks like every delivery.
        case standard
        /// A Slack-compatible incoming-webhook body (`text` and `blocks`), still signed.
        case slack
    }

    /// Exception kinds to alert on; empty for every kind.
    public var kinds: [OperationsException.Kind]
    /// Severities to alert on; empty for every severity.
    public var severities: [AlertSeverity]
    /// Warehouses, carriers, EDI partners or channels (an exception's `partner`) to alert on; empty for any.
    public var partners: [String]
    /// Channels of the exceptions' orders to alert on; empty for any.
    public var channels: [String]
    /// The body format.
    public var format: Format
    /// Minutes after which a group still open is notified again; 0 never reminds. Default 240.
    public var renotifyMinutes: Int
    /// Whether a message says when a notified exception is resolved. Default true.
    public var notifyResolved: Bool

    /// Creates a route.
    public init(
        kinds: [OperationsException.Kind] = [],
        severities: [AlertSeverity] = [],
        partners: [String] = [],
        channels: [String] = [],
        format: Format = .standard,
        renotifyMinutes: Int = 240,
        notifyResolved: Bool = true
    ) {
        self.kinds = kinds
        self.severities = severities
        self.partners = partners
        self.channels = channels
        self.format = format
        self.renotifyMinutes = renotifyMinutes
        self.notifyResolved = notifyResolved
    }

    enum CodingKeys: String, CodingKey {
        case kinds, severities, partners, channels, format, renotifyMinutes, notifyResolved
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = AlertRoute()
        kinds = try c.decodeIfPresent([OperationsException.Kind].self, forKey: .kinds) ?? defaults.kinds
        severities = try c.decodeIfPresent([AlertSeverity].self, forKey: .severities) ?? defaults.severities
        partners = try c.decodeIfPresent([String].self, forKey: .partners) ?? defaults.partners
        channels = try c.decodeIfPresent([String].self, forKey: .channels) ?? defaults.channels
        format = try c.decodeIfPresent(Format.self, forKey: .format) ?? defaults.format
        renotifyMinutes = try c.decodeIfPresent(Int.self, forKey: .renotifyMinutes) ?? defaults.renotifyMinutes
        notifyResolved = try c.decodeIfPresent(Bool.self, forKey: .notifyResolved) ?? defaults.notifyResolved
    }

    /// The largest re-notify interval: one week.
    public static let renotifyRange = 0...10_080

    /// What makes no sense, as `(field, reason)` under `prefix`: a value out of range, an empty or repeated name, a
    /// severity filter that no kind in the kind filter has (the route could never fire).
    public func problems(prefix: String) -> [(field: String, reason: String)] {
        var result: [(String, String)] = []
        if !Self.renotifyRange.contains(renotifyMinutes) {
            result.append(("\(prefix).renotifyMinutes", "must be 0 (never) to \(Self.renotifyRange.upperBound) minutes"))
        }
        for (name, values) in [
            ("kinds", kinds.map(\.rawValue)), ("severities", severities.map(\.rawValue)), ("partners", partners), ("channels", channels),
        ] {
            if values.count > 100 { result.append(("\(prefix).\(name)", "at most 100 values")) }
            for (index, value) in values.enumerated() {
                if value.trimmingCharacters(in: .whitespaces).isEmpty || value.count > 128 {
                    result.append(("\(prefix).\(name)[\(index)]", "must be 1…128 characters"))
                } else if values[..<index].contains(value) {
                    result.append(("\(prefix).\(name)[\(index)]", "repeats \(value)"))
                }
            }
        }
        if !kinds.isEmpty, !severities.isEmpty, !kinds.contains(where: { severities.contains($0.severity) }) {
            result.append(("\(prefix).severities", "none of the kinds has these severities, so the route would never fire"))
        }
        return result
    }

    /// Whether the route alerts on `exception`, whose order came from `channel` (nil when unknown or no order).
    public func matches(_ exception: OperationsException, channel: String?) -> Bool {
        if !kinds.isEmpty, !kinds.contains(exception.kind) { return false }
        if !severities.isEmpty, !severities.contains(exception.kind.severity) { return false }
        if !partners.isEmpty, !partners.contains(exception.partner ?? "") { return false }
        if !channels.isEmpty {
            let ownChannel = exception.kind == .channelSilent ? exception.partner : channel
            guard let ownChannel, channels.contains(ownChannel) else { return false }
        }
        return true
    }
}

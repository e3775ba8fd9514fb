/// What ``ShipmentTracking/apply(_:)`` did with a milestone.
public enum TrackingOutcome: Hashable, Sendable {
    /// The same scan was applied before (same tracking number, raw code or status, and scan time). Nothing changed.
    case duplicate
    /// The scan was appended to the milestones, but it was stale or would regress the package, so nothing else changed.
    case recordedOnly
    /// The scan changed the tracking (a package status, or the ETA); the hub publishes `signals`, in order
    /// (possibly none, e.g. one package of several delivered).
    case applied(signals: [TrackingSignal])

    /// The signals to publish; empty unless ``applied(signals:)``.
    public var signals: [TrackingSignal] {
        if case .applied(let signals) = self { signals } else { [] }
    }
}

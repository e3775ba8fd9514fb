import Foundation

/// The carrier tracking state of one shipment with one or more packages. Pure: feed it milestones with
/// ``apply(_:)`` and publish the signals it returns.
///
/// Rules (DOMAIN.md 1.10 and 2.4; `docs/tracking.md`):
/// - A re-sent scan (same ``TrackingMilestone/dedupeKey``) is a ``TrackingOutcome/duplicate`` and changes nothing.
/// - A scan older than the package's last applied scan, or one that would lower its
///   ``TrackingStatus/progressRank``, is recorded but leaves the package as it was. Moves into `exception`,
///   `lost_suspected` and `returned_to_sender` are always applied, and so is `delivered` (proof of delivery wins
///   over scan times).
/// - `delivered` is left only into `returned_to_sender`; `returned_to_sender` is never left; `unknown` never
///   changes a package.
/// - The shipment is `delivered` only when every package is.
public struct ShipmentTracking: Hashable, Sendable, Codable {
    /// The tracking state of one package.
    public struct PackageState: Hashable, Sendable, Codable {
        /// The package's carrier tracking number.
        public var trackingNumber: String
        /// The package's current status; `label_created` until a scan is applied.
        public var status: TrackingStatus
        /// The scan time of the latest scan applied to the package (recorded-only scans do not count).
        public var lastOccurredAt: Date?
        /// When the package was delivered; nil unless its status is `delivered`.
        public var deliveredAt: Date?

        /// Creates a package state.
        public init(trackingNumber: String, status: TrackingStatus = .labelCreated, lastOccurredAt: Date? = nil, deliveredAt: Date? = nil) {
            self.trackingNumber = trackingNumber
            self.status = status
            self.lastOccurredAt = lastOccurredAt
            self.deliveredAt = deliveredAt
        }
    }

    /// The packages, in the order given at creation.
    public private(set) var packages: [PackageState]
    /// The shipment-level status: an exception status if any package is in one (`returned_to_sender` before
    /// `lost_suspected` before `exception`), else `delivered` when every package is, else the least advanced
    /// package status; `label_created` at the start.
    public private(set) var status: TrackingStatus
    /// The latest estimated delivery time the carrier gave (from the most recent scan that carried one).
    public private(set) var estimatedDeliveryAt: Date?
    /// The scan time of the scan that gave ``estimatedDeliveryAt``; an ETA from an older scan is ignored.
    public private(set) var estimatedDeliveryReportedAt: Date?
    /// When the last package was delivered; nil unless the shipment is `delivered`.
    public private(set) var deliveredAt: Date?
    /// Every distinct scan received, in arrival order, including the recorded-only ones.
    public private(set) var milestones: [TrackingMilestone]
    /// The latest delivery exception raised and not yet resolved by the operations team.
    public private(set) var openException: DeliveryExceptionKind?

    /// Starts tracking a shipment whose packages carry `trackingNumbers` (repeated numbers are kept once).
    /// Every package starts at `label_created`. A shipment without packages is never delivered.
    public init(trackingNumbers: [String]) {
        var seen: Set<String> = []
        packages = trackingNumbers.filter { seen.insert($0).inserted }.map { PackageState(trackingNumber: $0) }
        status = .labelCreated
        milestones = []
    }

    /// The state of the package with `trackingNumber`, if it belongs to the shipment.
    public func package(_ trackingNumber: String) -> PackageState? {
        packages.first { $0.trackingNumber == trackingNumber }
    }

    /// Applies one carrier scan.
    /// - Parameters:
    ///   - milestone: the scan, mapped to the canonical status.
    /// - Returns: ``TrackingOutcome/duplicate`` for a re-sent scan, ``TrackingOutcome/recordedOnly`` for a stale or
    ///   regressing one, else ``TrackingOutcome/applied(signals:)`` with what to publish.
    /// - Throws: ``TrackingError`` `invalid_milestone` (see ``TrackingMilestone/validate()``) or
    ///   `unknown_tracking_number`; nothing changes then.
    @discardableResult
    public mutating func apply(_ milestone: TrackingMilestone) throws(TrackingError) -> TrackingOutcome {
        let errors = milestone.validate()
        guard errors.isEmpty else {
            throw TrackingError(code: "invalid_milestone", message: "The tracking milestone has \(errors.count) problem(s).", errors: errors)
        }
        guard let index = packages.firstIndex(where: { $0.trackingNumber == milestone.trackingNumber }) else {
            throw TrackingError(
                code: "unknown_tracking_number",
                message: "tracking number \(milestone.trackingNumber) is not a package of this shipment",
                errors: [.init(field: "trackingNumber", reason: "is not a package of this shipment")]
            )
        }
        let key = milestone.dedupeKey
        guard !milestones.contains(where: { $0.dedupeKey == key }) else { return .duplicate }
        milestones.append(milestone)

        var signals: [TrackingSignal] = []
        var changed = false
        let wasDelivered = status == .delivered
        if Self.moves(packages[index], with: milestone) {
            changed = true
            var package = packages[index]
            package.status = milestone.status
            package.lastOccurredAt = max(package.lastOccurredAt ?? milestone.occurredAt, milestone.occurredAt)
            package.deliveredAt = milestone.status == .delivered ? milestone.occurredAt : nil
            packages[index] = package
            refreshStatus()
            if let signal = Self.signal(for: milestone) { signals.append(signal) }
            if let kind = milestone.raisedExceptionKind { openException = kind }
            if status == .delivered, !wasDelivered { signals.append(.delivered) }
        }
        if status != .delivered, let eta = milestone.estimatedDeliveryAt, isNewerETAReport(eta, at: milestone.occurredAt) {
            estimatedDeliveryReportedAt = milestone.occurredAt
            if eta != estimatedDeliveryAt {
                estimatedDeliveryAt = eta
                signals.append(.etaChanged(eta))
                changed = true
            }
        }
        return changed ? .applied(signals: signals) : .recordedOnly
    }

    /// Whether the shipment has gone silent: it is not delivered and some package that is moving (picked up, in
    /// transit, delayed, out for delivery, after a failed attempt) has had no scan of any kind for at least
    /// `threshold` seconds before `now`. The hub then applies a `lost_suspected` milestone for each package of
    /// ``silentTrackingNumbers(now:threshold:)`` (DOMAIN.md 2.4).
    /// - Parameters:
    ///   - now: the current time.
    ///   - threshold: how long a moving package may stay without a scan (per carrier mode; business days converted by
    ///     the caller).
    public func isSilent(now: Date, threshold: TimeInterval) -> Bool {
        status != .delivered && !silentTrackingNumbers(now: now, threshold: threshold).isEmpty
    }

    /// The tracking numbers of the moving packages with no scan for at least `threshold` seconds before `now`, in
    /// package order. See ``isSilent(now:threshold:)``.
    /// - Parameters:
    ///   - now: the current time.
    ///   - threshold: how long a moving package may stay without a scan.
    public func silentTrackingNumbers(now: Date, threshold: TimeInterval) -> [String] {
        var lastScan: [String: Date] = [:]
        for milestone in milestones {
            lastScan[milestone.trackingNumber] = max(lastScan[milestone.trackingNumber] ?? milestone.occurredAt, milestone.occurredAt)
        }
        return packages.compactMap { package in
            guard Self.movingStatuses.contains(package.status), let last = lastScan[package.trackingNumber] else { return nil }
            return now.timeIntervalSince(last) >= threshold ? package.trackingNumber : nil
        }
    }

    /// Clears ``openException``: the operations team acted on it. Package statuses do not change.
    public mutating func resolveException() {
        openException = nil
    }

    // MARK: - Rules

    private static let movingStatuses: Set<TrackingStatus> = [.pickedUp, .inTransit, .delayed, .outForDelivery, .deliveryAttempted]

    /// Whether `milestone` changes `package`'s status (the no-regression rule).
    private static func moves(_ package: PackageState, with milestone: TrackingMilestone) -> Bool {
        let current = package.status
        let next = milestone.status
        if current == .returnedToSender { return false }
        if next == .returnedToSender { return true }
        if current == .delivered { return false }
        if next == .delivered || next.isException { return true }
        if next == .unknown { return false }
        if let last = package.lastOccurredAt, milestone.occurredAt < last { return false }
        if current.isException { return true }
        return next.progressRank >= current.progressRank
    }

    /// The per-scan signal of an applied milestone (shipment-level `delivered` is added separately).
    private static func signal(for milestone: TrackingMilestone) -> TrackingSignal? {
        if let kind = milestone.raisedExceptionKind { return .exception(kind) }
        switch milestone.status {
        case .labelCreated: return .labelCreated
        case .pickedUp, .inTransit, .availableForPickup: return .inTransit
        case .outForDelivery: return .outForDelivery
        default: return nil
        }
    }

    /// Whether an ETA reported by a scan at `reportedAt` replaces the current one: a newer report wins; at the same
    /// scan time the later ETA wins, so the result does not depend on arrival order.
    private func isNewerETAReport(_ eta: Date, at reportedAt: Date) -> Bool {
        guard let current = estimatedDeliveryReportedAt else { return true }
        if reportedAt != current { return reportedAt > current }
        return eta > (estimatedDeliveryAt ?? .distantPast)
    }

    private mutating func refreshStatus() {
        let statuses = packages.map(\.status)
        if let exception = [TrackingStatus.returnedToSender, .lostSuspected, .exception].first(where: statuses.contains) {
            status = exception
        } else if !packages.isEmpty, statuses.allSatisfy({ $0 == .delivered }) {
            status = .delivered
        } else {
            status =
                statuses.min {
                    ($0.progressRank, Self.tieBreak($0)) < ($1.progressRank, Self.tieBreak($1))
                } ?? .labelCreated
        }
        deliveredAt = status == .delivered ? packages.compactMap(\.deliveredAt).max() : nil
    }

    /// Among equally advanced statuses, the one that needs attention first represents the shipment.
    private static func tieBreak(_ status: TrackingStatus) -> Int {
        switch status {
        case .delayed, .deliveryAttempted: 0
        case .availableForPickup: 1
        default: 2
        }
    }
}

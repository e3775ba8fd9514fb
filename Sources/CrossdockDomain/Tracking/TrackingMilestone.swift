import Foundation

/// One carrier scan of one package, already mapped to the canonical status (DOMAIN.md 1.10).
public struct TrackingMilestone: Hashable, Sendable, Codable {
    /// The identity used to drop re-sent scans: tracking number, raw code (or the canonical status when the carrier
    /// sent none), and scan time to the millisecond.
    public struct DedupeKey: Hashable, Sendable {
        /// The package's tracking number.
        public var trackingNumber: String
        /// `rawCode`, or the canonical status's raw value.
        public var code: String
        /// `occurredAt` in whole milliseconds since 1970, so a time that went through JSON still matches.
        public var occurredAtMilliseconds: Int64
    }

    /// The package's carrier tracking number.
    public var trackingNumber: String
    /// The canonical status.
    public var status: TrackingStatus
    /// The carrier's own status text, e.g. `in_transit`, `TRANSIT`, `OutForDelivery`.
    public var rawStatus: String?
    /// The carrier's status or sub-status code, e.g. `Exception_003`, X12 `AH`.
    public var rawCode: String?
    /// When the carrier scanned the package.
    public var occurredAt: Date
    /// The carrier's estimated delivery time given with this scan.
    public var estimatedDeliveryAt: Date?
    /// Where the scan happened, as the carrier wrote it.
    public var location: String?
    /// The carrier's message.
    public var message: String?
    /// The delivery exception: required for `exception`; `returned_to_sender` implies `returned_to_sender` and
    /// `lost_suspected` implies `lost`; optional for `delayed` and `delivery_attempted`; absent otherwise.
    public var exceptionKind: DeliveryExceptionKind?
    /// Who signed for a delivery.
    public var signedBy: String?

    /// Creates a milestone.
    public init(
        trackingNumber: String,
        status: TrackingStatus,
        rawStatus: String? = nil,
        rawCode: String? = nil,
        occurredAt: Date,
        estimatedDeliveryAt: Date? = nil,
        location: String? = nil,
        message: String? = nil,
        exceptionKind: DeliveryExceptionKind? = nil,
        signedBy: String? = nil
    ) {
        self.trackingNumber = trackingNumber
        self.status = status
        self.rawStatus = rawStatus
        self.rawCode = rawCode
        self.occurredAt = occurredAt
        self.estimatedDeliveryAt = estimatedDeliveryAt
        self.location = location
        self.message = message
        self.exceptionKind = exceptionKind
        self.signedBy = signedBy
    }

    /// The key under which a re-sent copy of this scan is recognised.
    public var dedupeKey: DedupeKey {
        DedupeKey(
            trackingNumber: trackingNumber,
            code: rawCode ?? status.rawValue,
            occurredAtMilliseconds: Int64((occurredAt.timeIntervalSince1970 * 1000).rounded())
        )
    }

    /// The exception this scan raises: its ``exceptionKind``, else the one its status implies
    /// (``TrackingStatus/impliedExceptionKind``); nil for statuses that raise none.
    public var raisedExceptionKind: DeliveryExceptionKind? {
        guard status.carriesExceptionKind else { return nil }
        return exceptionKind ?? status.impliedExceptionKind
    }

    /// Every problem of the milestone, with JSON field names; empty when it is valid.
    public func validate() -> [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        if trackingNumber.allSatisfy(\.isWhitespace) {
            errors.append(.init(field: "trackingNumber", reason: "must not be empty"))
        } else {
            Identifier.check(trackingNumber, .trackingNumber, field: "trackingNumber", into: &errors)
        }
        if let rawCode, rawCode.allSatisfy(\.isWhitespace) {
            errors.append(.init(field: "rawCode", reason: "must not be empty when present"))
        }
        switch (status, exceptionKind) {
        case (.exception, nil):
            errors.append(.init(field: "exceptionKind", reason: "is required when status is exception"))
        case (.returnedToSender, let kind?) where kind != .returnedToSender:
            errors.append(.init(field: "exceptionKind", reason: "must be returned_to_sender when status is returned_to_sender"))
        case (.lostSuspected, let kind?) where kind != .lost:
            errors.append(.init(field: "exceptionKind", reason: "must be lost when status is lost_suspected"))
        case (let status, _?) where !status.carriesExceptionKind:
            errors.append(.init(field: "exceptionKind", reason: "must be absent when status is \(status.rawValue)"))
        default:
            break
        }
        return errors
    }
}

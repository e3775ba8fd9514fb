import CrossdockDomain
import Foundation

/// Times and scans for the tracking tests.
enum TrackingFixture {
    /// 2027-01-15T08:00:00Z.
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// `start` plus `minutes`.
    static func at(_ minutes: Int) -> Date { start.addingTimeInterval(TimeInterval(minutes * 60)) }

    /// A valid scan of `number` at minute `minute`.
    static func scan(
        _ number: String,
        _ status: TrackingStatus,
        _ minute: Int,
        kind: DeliveryExceptionKind? = nil,
        rawCode: String? = nil,
        eta: Date? = nil
    ) -> TrackingMilestone {
        TrackingMilestone(
            trackingNumber: number,
            status: status,
            rawStatus: status.rawValue,
            rawCode: rawCode,
            occurredAt: at(minute),
            estimatedDeliveryAt: eta,
            location: "Memphis, TN, US",
            exceptionKind: kind ?? (status == .exception ? .damaged : nil),
            signedBy: status == .delivered ? "J. DOE" : nil
        )
    }
}

import CrossdockDomain
import Foundation
import Testing

@Suite("Tracking milestone validation and JSON")
struct TrackingMilestoneTests {
    private func fields(_ milestone: TrackingMilestone) -> [String] { milestone.validate().map(\.field) }

    @Test func aPlainScanIsValid() {
        #expect(TrackingFixture.scan("1Z1", .inTransit, 0).validate().isEmpty)
    }

    @Test func emptyTrackingNumberIsRejected() {
        #expect(fields(TrackingFixture.scan("", .inTransit, 0)) == ["trackingNumber"])
        #expect(fields(TrackingFixture.scan("  ", .inTransit, 0)) == ["trackingNumber"])
    }

    @Test func exceptionNeedsAKind() {
        let milestone = TrackingMilestone(trackingNumber: "1Z1", status: .exception, occurredAt: TrackingFixture.start)
        #expect(milestone.validate() == [.init(field: "exceptionKind", reason: "is required when status is exception")])
    }

    @Test func impliedKindsMustNotBeContradicted() {
        #expect(fields(TrackingFixture.scan("1Z1", .returnedToSender, 0, kind: .damaged)) == ["exceptionKind"])
        #expect(fields(TrackingFixture.scan("1Z1", .lostSuspected, 0, kind: .refused)) == ["exceptionKind"])
        #expect(fields(TrackingFixture.scan("1Z1", .returnedToSender, 0, kind: .returnedToSender)).isEmpty)
        #expect(fields(TrackingFixture.scan("1Z1", .lostSuspected, 0, kind: .lost)).isEmpty)
        #expect(TrackingFixture.scan("1Z1", .returnedToSender, 0).raisedExceptionKind == .returnedToSender)
        #expect(TrackingFixture.scan("1Z1", .lostSuspected, 0).raisedExceptionKind == .lost)
    }

    @Test func onlyExceptionLikeStatusesCarryAKind() {
        #expect(fields(TrackingFixture.scan("1Z1", .inTransit, 0, kind: .damaged)) == ["exceptionKind"])
        #expect(fields(TrackingFixture.scan("1Z1", .delivered, 0, kind: .other)) == ["exceptionKind"])
        #expect(fields(TrackingFixture.scan("1Z1", .deliveryAttempted, 0, kind: .addressIssue)).isEmpty)
        #expect(fields(TrackingFixture.scan("1Z1", .delayed, 0, kind: .delayed)).isEmpty)
        #expect(TrackingFixture.scan("1Z1", .deliveryAttempted, 0, kind: .refused).raisedExceptionKind == .refused)
        #expect(TrackingFixture.scan("1Z1", .inTransit, 0).raisedExceptionKind == nil)
    }

    @Test func blankRawCodeIsRejectedAndErrorsAccumulate() {
        let milestone = TrackingMilestone(trackingNumber: "", status: .exception, rawCode: " ", occurredAt: TrackingFixture.start)
        #expect(fields(milestone) == ["trackingNumber", "rawCode", "exceptionKind"])
    }

    @Test func applyRejectsAnInvalidMilestoneAndChangesNothing() {
        var tracking = ShipmentTracking(trackingNumbers: ["1Z1"])
        let before = tracking
        let error = #expect(throws: TrackingError.self) {
            try tracking.apply(TrackingMilestone(trackingNumber: "1Z1", status: .exception, occurredAt: TrackingFixture.start))
        }
        #expect(error?.code == "invalid_milestone")
        #expect(error?.errors.map(\.field) == ["exceptionKind"])
        #expect(tracking == before)
    }

    @Test func applyRejectsAnUnknownTrackingNumber() {
        var tracking = ShipmentTracking(trackingNumbers: ["1Z1"])
        let before = tracking
        let error = #expect(throws: TrackingError.self) { try tracking.apply(TrackingFixture.scan("1Z9", .inTransit, 0)) }
        #expect(error?.code == "unknown_tracking_number")
        #expect(error?.errors == [.init(field: "trackingNumber", reason: "is not a package of this shipment")])
        #expect(tracking == before)
    }

    @Test func dedupeKeyUsesRawCodeElseStatusAndMilliseconds() {
        let a = TrackingFixture.scan("1Z1", .inTransit, 5, rawCode: "AF")
        var b = TrackingFixture.scan("1Z1", .pickedUp, 5, rawCode: "AF")
        b.occurredAt = b.occurredAt.addingTimeInterval(0.000_2)
        #expect(a.dedupeKey == b.dedupeKey)
        #expect(TrackingFixture.scan("1Z1", .inTransit, 5).dedupeKey != TrackingFixture.scan("1Z1", .delayed, 5).dedupeKey)
        #expect(TrackingFixture.scan("1Z1", .inTransit, 5).dedupeKey.code == "in_transit")
    }

    @Test func milestoneAndTrackingUseCamelCaseJSON() throws {
        let milestone = TrackingFixture.scan("1Z1", .returnedToSender, 0, rawCode: "3", eta: TrackingFixture.at(600))
        let json = String(decoding: try JSONCoding.encoder().encode(milestone), as: UTF8.self)
        #expect(json.contains("\"trackingNumber\":\"1Z1\""))
        #expect(json.contains("\"status\":\"returned_to_sender\""))
        #expect(json.contains("\"estimatedDeliveryAt\":\"2027-01-15T18:00:00.000Z\""))
        #expect(json.contains("\"occurredAt\":\"2027-01-15T08:00:00.000Z\""))
        #expect(try JSONCoding.decoder().decode(TrackingMilestone.self, from: Data(json.utf8)) == milestone)

        var tracking = ShipmentTracking(trackingNumbers: ["1Z1", "1Z2"])
        try tracking.apply(TrackingFixture.scan("1Z1", .exception, 10, kind: .addressIssue, eta: TrackingFixture.at(900)))
        try tracking.apply(TrackingFixture.scan("1Z2", .delivered, 20))
        let state = try JSONCoding.encoder().encode(tracking)
        let text = String(decoding: state, as: UTF8.self)
        for key in ["packages", "lastOccurredAt", "deliveredAt", "estimatedDeliveryAt", "estimatedDeliveryReportedAt", "milestones", "openException"]
        {
            #expect(text.contains("\"\(key)\""), "missing \(key)")
        }
        #expect(text.contains("\"openException\":\"address_issue\""))
        #expect(try JSONCoding.decoder().decode(ShipmentTracking.self, from: state) == tracking)
    }
}

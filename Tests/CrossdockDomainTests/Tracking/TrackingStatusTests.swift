import CrossdockDomain
import Foundation
import Testing

@Suite("Tracking status")
struct TrackingStatusTests {
    @Test func rawValuesAreTheCanonicalSnakeCaseNames() {
        #expect(
            TrackingStatus.allCases.map(\.rawValue) == [
                "label_created", "picked_up", "in_transit", "out_for_delivery", "delivery_attempted", "available_for_pickup",
                "delivered", "delayed", "exception", "returned_to_sender", "cancelled", "unknown", "lost_suspected",
            ]
        )
        #expect(
            DeliveryExceptionKind.allCases.map(\.rawValue) == [
                "damaged", "lost", "returned_to_sender", "refused", "address_issue", "delayed", "other",
            ]
        )
    }

    @Test func exceptionAndFinalFlags() {
        #expect(TrackingStatus.allCases.filter(\.isException) == [.exception, .returnedToSender, .lostSuspected])
        #expect(TrackingStatus.allCases.filter(\.isFinal) == [.delivered, .returnedToSender])
    }

    @Test func progressRankOrdersTheHappyPath() {
        let path: [TrackingStatus] = [.labelCreated, .pickedUp, .inTransit, .outForDelivery, .delivered]
        #expect(zip(path, path.dropFirst()).allSatisfy { $0.progressRank < $1.progressRank })
        #expect(TrackingStatus.delayed.progressRank == TrackingStatus.inTransit.progressRank)
        #expect(TrackingStatus.deliveryAttempted.progressRank == TrackingStatus.outForDelivery.progressRank)
        #expect(TrackingStatus.availableForPickup.progressRank == TrackingStatus.outForDelivery.progressRank)
        #expect(TrackingStatus.unknown.progressRank < TrackingStatus.labelCreated.progressRank)
        #expect(TrackingStatus.returnedToSender.progressRank > TrackingStatus.delivered.progressRank)
    }

    /// What one scan in each status does to a fresh one-package shipment.
    @Test(arguments: TrackingStatus.allCases)
    func everyCanonicalStatusFromLabelCreated(status: TrackingStatus) throws {
        var tracking = ShipmentTracking(trackingNumbers: ["1Z1"])
        let outcome = try tracking.apply(TrackingFixture.scan("1Z1", status, 60))
        let expected: (TrackingOutcome, TrackingStatus, DeliveryExceptionKind?) =
            switch status {
            case .labelCreated: (.applied(signals: [.labelCreated]), .labelCreated, nil)
            case .pickedUp: (.applied(signals: [.inTransit]), .pickedUp, nil)
            case .inTransit: (.applied(signals: [.inTransit]), .inTransit, nil)
            case .outForDelivery: (.applied(signals: [.outForDelivery]), .outForDelivery, nil)
            case .deliveryAttempted: (.applied(signals: [.exception(.other)]), .deliveryAttempted, .other)
            case .availableForPickup: (.applied(signals: [.inTransit]), .availableForPickup, nil)
            case .delivered: (.applied(signals: [.delivered]), .delivered, nil)
            case .delayed: (.applied(signals: [.exception(.delayed)]), .delayed, .delayed)
            case .exception: (.applied(signals: [.exception(.damaged)]), .exception, .damaged)
            case .returnedToSender: (.applied(signals: [.exception(.returnedToSender)]), .returnedToSender, .returnedToSender)
            case .cancelled: (.applied(signals: []), .cancelled, nil)
            case .unknown: (.recordedOnly, .labelCreated, nil)
            case .lostSuspected: (.applied(signals: [.exception(.lost)]), .lostSuspected, .lost)
            }
        #expect(outcome == expected.0)
        #expect(tracking.status == expected.1)
        #expect(tracking.package("1Z1")?.status == expected.1)
        #expect(tracking.openException == expected.2)
        #expect(tracking.milestones.count == 1)
        #expect(tracking.deliveredAt == (status == .delivered ? TrackingFixture.at(60) : nil))
    }

    @Test func statusesRoundTripThroughJSON() throws {
        let data = try JSONEncoder().encode(TrackingStatus.allCases)
        #expect(try JSONDecoder().decode([TrackingStatus].self, from: data) == TrackingStatus.allCases)
        #expect(String(decoding: try JSONEncoder().encode(DeliveryExceptionKind.addressIssue), as: UTF8.self) == "\"address_issue\"")
    }
}

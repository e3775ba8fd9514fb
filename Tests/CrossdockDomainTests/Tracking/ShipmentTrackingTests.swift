import CrossdockDomain
import Foundation
import Testing

@Suite("Shipment tracking")
struct ShipmentTrackingTests {
    private typealias F = TrackingFixture

    @Test func startsAtLabelCreated() {
        let tracking = ShipmentTracking(trackingNumbers: ["A", "B", "A"])
        #expect(tracking.packages.map(\.trackingNumber) == ["A", "B"])
        #expect(tracking.packages.allSatisfy { $0.status == .labelCreated && $0.lastOccurredAt == nil && $0.deliveredAt == nil })
        #expect(tracking.status == .labelCreated)
        #expect(tracking.milestones.isEmpty && tracking.estimatedDeliveryAt == nil && tracking.openException == nil)
        #expect(ShipmentTracking(trackingNumbers: []).status == .labelCreated)
    }

    @Test func twoPackagesAreDeliveredOnlyWhenBothAre() throws {
        var tracking = ShipmentTracking(trackingNumbers: ["A", "B"])
        #expect(try tracking.apply(F.scan("A", .pickedUp, 0)) == .applied(signals: [.inTransit]))
        #expect(tracking.status == .labelCreated)  // B has not moved yet
        try tracking.apply(F.scan("B", .inTransit, 10))
        try tracking.apply(F.scan("A", .outForDelivery, 20))
        #expect(tracking.status == .inTransit)  // the least advanced package
        #expect(try tracking.apply(F.scan("A", .delivered, 30)) == .applied(signals: []))
        #expect(tracking.package("A")?.deliveredAt == F.at(30))
        #expect(tracking.status == .inTransit)
        #expect(tracking.deliveredAt == nil)
        #expect(try tracking.apply(F.scan("B", .outForDelivery, 40)) == .applied(signals: [.outForDelivery]))
        #expect(tracking.status == .outForDelivery)
        #expect(try tracking.apply(F.scan("B", .delivered, 50)) == .applied(signals: [.delivered]))
        #expect(tracking.status == .delivered)
        #expect(tracking.deliveredAt == F.at(50))
    }

    @Test func deliveredAtIsTheLastPackagesEvenWhenItsScanArrivesFirst() throws {
        var tracking = ShipmentTracking(trackingNumbers: ["A", "B"])
        try tracking.apply(F.scan("B", .delivered, 90))
        #expect(try tracking.apply(F.scan("A", .delivered, 30)) == .applied(signals: [.delivered]))
        #expect(tracking.deliveredAt == F.at(90))
    }

    @Test func duplicateScansChangeNothing() throws {
        var tracking = ShipmentTracking(trackingNumbers: ["A"])
        try tracking.apply(F.scan("A", .inTransit, 10, rawCode: "X1"))
        let after = tracking
        #expect(try tracking.apply(F.scan("A", .inTransit, 10, rawCode: "X1", eta: F.at(999))) == .duplicate)
        // Same raw code and time: the same scan, even if the adapter mapped it differently.
        #expect(try tracking.apply(F.scan("A", .delayed, 10, rawCode: "X1")) == .duplicate)
        #expect(tracking == after)
        // Without a raw code the canonical status is part of the key.
        try tracking.apply(F.scan("A", .outForDelivery, 20))
        #expect(try tracking.apply(F.scan("A", .outForDelivery, 20)) == .duplicate)
        #expect(tracking.milestones.count == 2)
    }

    @Test func anOlderInTransitAfterOutForDeliveryIsRecordedOnly() throws {
        var tracking = ShipmentTracking(trackingNumbers: ["A"])
        try tracking.apply(F.scan("A", .outForDelivery, 30))
        #expect(try tracking.apply(F.scan("A", .inTransit, 20)) == .recordedOnly)
        #expect(tracking.status == .outForDelivery)
        #expect(tracking.package("A")?.lastOccurredAt == F.at(30))
        #expect(tracking.milestones.map(\.status) == [.outForDelivery, .inTransit])
        // Newer but lower in rank: still no regression.
        #expect(try tracking.apply(F.scan("A", .pickedUp, 40)) == .recordedOnly)
        // Older but higher in rank: stale, not applied either.
        try tracking.apply(F.scan("A", .inTransit, 50))
        #expect(tracking.status == .outForDelivery)
        var other = ShipmentTracking(trackingNumbers: ["A"])
        try other.apply(F.scan("A", .inTransit, 50))
        #expect(try other.apply(F.scan("A", .outForDelivery, 40)) == .recordedOnly)
        #expect(other.status == .inTransit)
    }

    @Test func equalRankMovesWhenNewer() throws {
        var tracking = ShipmentTracking(trackingNumbers: ["A"])
        try tracking.apply(F.scan("A", .inTransit, 10))
        #expect(try tracking.apply(F.scan("A", .delayed, 20)) == .applied(signals: [.exception(.delayed)]))
        #expect(try tracking.apply(F.scan("A", .inTransit, 30)) == .applied(signals: [.inTransit]))
        #expect(try tracking.apply(F.scan("A", .deliveryAttempted, 40, kind: .addressIssue)) == .applied(signals: [.exception(.addressIssue)]))
        #expect(try tracking.apply(F.scan("A", .outForDelivery, 50)) == .applied(signals: [.outForDelivery]))
        #expect(tracking.openException == .addressIssue)
    }

    @Test func unknownNeverChangesAPackageAndCancelledCanBeOvertaken() throws {
        var tracking = ShipmentTracking(trackingNumbers: ["A"])
        try tracking.apply(F.scan("A", .cancelled, 10))
        #expect(tracking.status == .cancelled)
        #expect(try tracking.apply(F.scan("A", .unknown, 20)) == .recordedOnly)
        #expect(try tracking.apply(F.scan("A", .labelCreated, 30)) == .recordedOnly)
        #expect(try tracking.apply(F.scan("A", .pickedUp, 40)) == .applied(signals: [.inTransit]))
        #expect(try tracking.apply(F.scan("A", .cancelled, 50)) == .recordedOnly)
    }

    @Test func exceptionAfterDeliveredIsNotAppliedButReturnedToSenderIs() throws {
        var tracking = ShipmentTracking(trackingNumbers: ["A"])
        try tracking.apply(F.scan("A", .delivered, 50))
        #expect(try tracking.apply(F.scan("A", .exception, 60, kind: .damaged)) == .recordedOnly)
        #expect(try tracking.apply(F.scan("A", .lostSuspected, 61)) == .recordedOnly)
        #expect(try tracking.apply(F.scan("A", .outForDelivery, 62)) == .recordedOnly)
        #expect(try tracking.apply(F.scan("A", .delivered, 63)) == .recordedOnly)
        #expect(tracking.status == .delivered)
        #expect(tracking.openException == nil)
        #expect(tracking.deliveredAt == F.at(50))

        #expect(try tracking.apply(F.scan("A", .returnedToSender, 70)) == .applied(signals: [.exception(.returnedToSender)]))
        #expect(tracking.status == .returnedToSender)
        #expect(tracking.deliveredAt == nil)
        #expect(tracking.package("A")?.deliveredAt == nil)
        #expect(tracking.openException == .returnedToSender)
        // Returned to sender is never left.
        #expect(try tracking.apply(F.scan("A", .delivered, 80)) == .recordedOnly)
        #expect(try tracking.apply(F.scan("A", .inTransit, 90)) == .recordedOnly)
        #expect(tracking.status == .returnedToSender)
    }

    @Test(arguments: TrackingStatus.allCases.filter { $0 != .returnedToSender })
    func returnedToSenderAppliesFromAnyState(status: TrackingStatus) throws {
        var tracking = ShipmentTracking(trackingNumbers: ["A"])
        try tracking.apply(F.scan("A", status, 100))
        // Even an older return scan wins.
        #expect(try tracking.apply(F.scan("A", .returnedToSender, 50)) == .applied(signals: [.exception(.returnedToSender)]))
        #expect(tracking.status == .returnedToSender)
        // `unknown` changed nothing, so the return scan is the package's only applied one.
        #expect(tracking.package("A")?.lastOccurredAt == F.at(status == .unknown ? 50 : 100))
    }

    @Test func anOlderExceptionIsAppliedAndOnlyANewerScanLeavesIt() throws {
        var tracking = ShipmentTracking(trackingNumbers: ["A"])
        try tracking.apply(F.scan("A", .outForDelivery, 30))
        #expect(try tracking.apply(F.scan("A", .exception, 20, kind: .damaged)) == .applied(signals: [.exception(.damaged)]))
        #expect(tracking.status == .exception)
        #expect(tracking.package("A")?.lastOccurredAt == F.at(30))
        #expect(try tracking.apply(F.scan("A", .inTransit, 25)) == .recordedOnly)
        #expect(try tracking.apply(F.scan("A", .inTransit, 40)) == .applied(signals: [.inTransit]))
        #expect(tracking.status == .inTransit)
        #expect(tracking.openException == .damaged)
        tracking.resolveException()
        #expect(tracking.openException == nil)
        #expect(tracking.status == .inTransit)
    }

    @Test func deliveredWinsOverALaterScanTime() throws {
        var tracking = ShipmentTracking(trackingNumbers: ["A"])
        try tracking.apply(F.scan("A", .exception, 90, kind: .addressIssue))
        #expect(try tracking.apply(F.scan("A", .delivered, 80)) == .applied(signals: [.delivered]))
        #expect(tracking.package("A")?.lastOccurredAt == F.at(90))
        #expect(tracking.deliveredAt == F.at(80))
    }

    @Test func shipmentExceptionTakesPrecedenceBySeverity() throws {
        var tracking = ShipmentTracking(trackingNumbers: ["A", "B", "C"])
        try tracking.apply(F.scan("A", .delivered, 10))
        try tracking.apply(F.scan("B", .exception, 10, kind: .refused))
        #expect(tracking.status == .exception)
        try tracking.apply(F.scan("C", .lostSuspected, 10))
        #expect(tracking.status == .lostSuspected)
        try tracking.apply(F.scan("B", .returnedToSender, 20))
        #expect(tracking.status == .returnedToSender)
        #expect(tracking.openException == .returnedToSender)
    }

    @Test func leastAdvancedPrefersTheStatusThatNeedsAttention() throws {
        var tracking = ShipmentTracking(trackingNumbers: ["A", "B"])
        try tracking.apply(F.scan("A", .inTransit, 10))
        try tracking.apply(F.scan("B", .delayed, 10))
        #expect(tracking.status == .delayed)
        try tracking.apply(F.scan("A", .outForDelivery, 20))
        try tracking.apply(F.scan("B", .availableForPickup, 20))
        #expect(tracking.status == .availableForPickup)
    }

    @Test func etaChanges() throws {
        var tracking = ShipmentTracking(trackingNumbers: ["A", "B"])
        let first = F.at(24 * 60)
        let second = F.at(48 * 60)
        #expect(try tracking.apply(F.scan("A", .inTransit, 10, eta: first)) == .applied(signals: [.inTransit, .etaChanged(first)]))
        #expect(tracking.estimatedDeliveryAt == first)
        #expect(tracking.estimatedDeliveryReportedAt == F.at(10))
        // Same ETA again: no signal for it.
        #expect(try tracking.apply(F.scan("A", .inTransit, 20, eta: first)) == .applied(signals: [.inTransit]))
        // An older report does not override a newer one.
        #expect(try tracking.apply(F.scan("B", .pickedUp, 5, eta: second)) == .applied(signals: [.inTransit]))
        #expect(tracking.estimatedDeliveryAt == first)
        // A stale scan still carries a newer ETA.
        try tracking.apply(F.scan("B", .inTransit, 60))
        #expect(try tracking.apply(F.scan("B", .pickedUp, 30, eta: second)) == .applied(signals: [.etaChanged(second)]))
        #expect(tracking.package("B")?.status == .inTransit)
        #expect(tracking.estimatedDeliveryAt == second)
        // An earlier ETA is a change too.
        #expect(try tracking.apply(F.scan("A", .outForDelivery, 70, eta: first)) == .applied(signals: [.outForDelivery, .etaChanged(first)]))
        // Once everything is delivered, ETAs are ignored.
        try tracking.apply(F.scan("A", .delivered, 80))
        try tracking.apply(F.scan("B", .delivered, 90, eta: second))
        #expect(tracking.estimatedDeliveryAt == first)
        #expect(try tracking.apply(F.scan("B", .unknown, 100, eta: second)) == .recordedOnly)
    }

    @Test func silenceAfterTheLastInTransitScan() throws {
        let day: TimeInterval = 86_400
        let threshold = 3 * day
        var tracking = ShipmentTracking(trackingNumbers: ["A", "B"])
        #expect(!tracking.isSilent(now: F.at(10 * 24 * 60), threshold: threshold))  // never moved: not this rule
        try tracking.apply(F.scan("A", .pickedUp, 0))
        try tracking.apply(F.scan("A", .inTransit, 60))
        try tracking.apply(F.scan("B", .availableForPickup, 60))
        let lastScan = F.at(60)
        #expect(!tracking.isSilent(now: lastScan.addingTimeInterval(threshold - 1), threshold: threshold))
        #expect(tracking.isSilent(now: lastScan.addingTimeInterval(threshold), threshold: threshold))
        #expect(tracking.silentTrackingNumbers(now: lastScan.addingTimeInterval(threshold), threshold: threshold) == ["A"])
        // Any scan of the package, even a stale-ranked one, is a sign of life.
        try tracking.apply(F.scan("A", .pickedUp, 24 * 60))
        #expect(!tracking.isSilent(now: lastScan.addingTimeInterval(threshold), threshold: threshold))

        // The hub then marks the package lost: an exception, and no longer silent.
        let now = F.at(24 * 60).addingTimeInterval(threshold)
        #expect(tracking.isSilent(now: now, threshold: threshold))
        let outcome = try tracking.apply(
            TrackingMilestone(trackingNumber: "A", status: .lostSuspected, occurredAt: now, message: "no scan for 3 days")
        )
        #expect(outcome == .applied(signals: [.exception(.lost)]))
        #expect(tracking.status == .lostSuspected)
        #expect(!tracking.isSilent(now: now.addingTimeInterval(10 * day), threshold: threshold))
    }

    @Test func aDeliveredShipmentIsNeverSilent() throws {
        var tracking = ShipmentTracking(trackingNumbers: ["A"])
        try tracking.apply(F.scan("A", .inTransit, 0))
        try tracking.apply(F.scan("A", .delivered, 10))
        #expect(!tracking.isSilent(now: F.at(100 * 24 * 60), threshold: 60))
    }
}

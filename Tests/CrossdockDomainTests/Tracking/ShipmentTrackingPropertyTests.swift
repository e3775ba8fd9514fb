import CrossdockDomain
import Foundation
import PropertyBased
import Testing

/// Invariants of ``ShipmentTracking`` over generated scan sequences.
@Suite("Shipment tracking properties")
struct ShipmentTrackingPropertyTests {
    static let numbers = ["PKG-A", "PKG-B", "PKG-C"]

    /// Any valid scan of one of the three packages: any status, a small time range (so times and keys collide),
    /// a raw code tied to the status or none, an ETA or none.
    static let anyScan = zip(
        Gen.int(in: 0...2),
        Gen<TrackingStatus>.case,
        Gen.int(in: 0...40),
        Gen<DeliveryExceptionKind>.case,
        Gen.int(in: 0...3),
        Gen.bool
    )
    .map { package, status, minute, kind, eta, withCode in
        TrackingMilestone(
            trackingNumber: numbers[package],
            status: status,
            rawCode: withCode ? "C-\(status.rawValue)" : nil,
            occurredAt: TrackingFixture.at(minute),
            estimatedDeliveryAt: eta == 0 ? nil : TrackingFixture.at(1_000 * eta),
            exceptionKind: exceptionKind(for: status, choice: kind)
        )
    }

    /// A valid kind for `status`, derived from a generated choice.
    static func exceptionKind(for status: TrackingStatus, choice: DeliveryExceptionKind) -> DeliveryExceptionKind? {
        switch status {
        case .exception: choice
        case .deliveryAttempted, .delayed: choice == .other ? nil : choice
        case .returnedToSender: choice == .other ? nil : .returnedToSender
        case .lostSuspected: choice == .other ? nil : .lost
        default: nil
        }
    }

    static func applyAll(_ milestones: [TrackingMilestone], to tracking: inout ShipmentTracking) throws -> [TrackingOutcome] {
        var outcomes: [TrackingOutcome] = []
        for milestone in milestones { outcomes.append(try tracking.apply(milestone)) }
        return outcomes
    }

    @Test func applyingTheSameScansTwiceChangesNothingTheSecondTime() async {
        await propertyCheck(count: 200, input: Self.anyScan.array(of: 0...30)) { milestones in
            var tracking = ShipmentTracking(trackingNumbers: Self.numbers)
            _ = try Self.applyAll(milestones, to: &tracking)
            let once = tracking
            let again = try Self.applyAll(milestones, to: &tracking)
            #expect(again.allSatisfy { $0 == .duplicate })
            #expect(tracking == once)
            #expect(Set(tracking.milestones.map(\.dedupeKey)).count == tracking.milestones.count)
            #expect(Set(tracking.milestones.map(\.dedupeKey)) == Set(milestones.map(\.dedupeKey)))
        }
    }

    @Test func deliveredIffEveryPackageGotADeliveredScanAndNoneWasReturned() async {
        let input = zip(Self.anyScan.array(of: 0...30), Gen.int(in: 0...40).array(of: 3))
        await propertyCheck(count: 200, input: input) { scans, minutes in
            // Add a delivered scan for some packages so that both sides of the equivalence occur.
            var milestones = scans
            for (index, minute) in minutes.enumerated() where minute.isMultiple(of: 2) {
                milestones.insert(TrackingFixture.scan(Self.numbers[index], .delivered, minute), at: minute % (milestones.count + 1))
            }
            var tracking = ShipmentTracking(trackingNumbers: Self.numbers)
            _ = try Self.applyAll(milestones, to: &tracking)
            let everyDelivered = Self.numbers.allSatisfy { number in
                milestones.contains { $0.trackingNumber == number && $0.status == .delivered }
            }
            let anyReturned = tracking.packages.contains { $0.status == .returnedToSender }
            #expect((tracking.status == .delivered) == (everyDelivered && !anyReturned))
            #expect((tracking.deliveredAt != nil) == (tracking.status == .delivered))
            if tracking.status == .delivered {
                #expect(tracking.deliveredAt == tracking.packages.compactMap(\.deliveredAt).max())
            }
        }
    }

    /// A carrier-consistent timeline without exception statuses: per package, statuses never lose rank as time goes on,
    /// and scan times are distinct.
    static let timeline = zip(
        Gen<TrackingStatus>.case.array(of: 0...8),
        Gen<TrackingStatus>.case.array(of: 0...8),
        Gen.int(in: 0...1_000).array(of: 24),
        Gen.int(in: 0...1_000).array(of: 24)
    )
    .map { first, second, orderA, orderB in
        var milestones: [TrackingMilestone] = []
        for (number, statuses) in [(numbers[0], first), (numbers[1], second)] {
            let sorted = statuses.filter { !$0.isException }.enumerated()
                .sorted { ($0.element.progressRank, $0.offset) < ($1.element.progressRank, $1.offset) }
                .map(\.element)
            for (step, status) in sorted.enumerated() {
                milestones.append(TrackingFixture.scan(number, status, 10 * step + 1, kind: status == .delayed ? .delayed : nil))
            }
        }
        func shuffled(_ keys: [Int]) -> [TrackingMilestone] {
            milestones.indices.sorted { (keys[$0], $0) < (keys[$1], $1) }.map { milestones[$0] }
        }
        return (shuffled(orderA), shuffled(orderB))
    }

    @Test func theSameScansInAnotherOrderEndInTheSamePackageStatuses() async {
        await propertyCheck(count: 200, input: Self.timeline) { one, other in
            var first = ShipmentTracking(trackingNumbers: Self.numbers)
            var second = ShipmentTracking(trackingNumbers: Self.numbers)
            _ = try Self.applyAll(one, to: &first)
            _ = try Self.applyAll(other, to: &second)
            #expect(first.packages.map(\.status) == second.packages.map(\.status))
            #expect(first.status == second.status)
            // The end state is the latest informative scan of each package.
            for package in first.packages {
                let latest = one.filter { $0.trackingNumber == package.trackingNumber && $0.status != .unknown }
                    .max { $0.occurredAt < $1.occurredAt }
                #expect(package.status == (latest?.status ?? .labelCreated))
            }
        }
    }
}

import CrossdockDomain
import Foundation
import Testing

/// One breach, one exception: the plan raises a breach once across runs, never again after it was handled by hand, and
/// resolves an open exception with the reason of the fact that arrived.
@Suite struct WatchdogPlanTests {
    typealias F = WatchdogFixture

    func lateFulfilment() -> (findings: [Watchdog.Finding], breach: Watchdog.Breach) {
        let findings = Watchdog.findings(.init(fulfillments: [.init(order: F.fulfillment())]), deadlines: .init(), now: F.at(5 * F.hour))
        return (findings, F.breach(findings.first?.verdict)!)
    }

    @Test func aBreachIsRaisedOnceWhileItsExceptionIsOpen() {
        let (findings, breach) = lateFulfilment()
        let first = Watchdog.plan(findings, open: [], used: [])
        #expect(first.raise == [breach] && first.resolve.isEmpty)
        let exception = breach.exception(id: "EX-1", at: F.at(5 * F.hour))
        #expect(exception.watchdogKey == breach.key && exception.status == .open && exception.kind == .fulfillmentUnacknowledged)
        #expect(exception.partner == "WH-3PL" && exception.dueAt == breach.dueAt && exception.fulfillmentOrderID == "FO-1")
        let second = Watchdog.plan(findings, open: [exception], used: [breach.key])
        #expect(second.raise.isEmpty && second.resolve.isEmpty)
    }

    @Test func aBreachAcknowledgedByHandIsNotRaisedAgain() {
        let (findings, breach) = lateFulfilment()
        #expect(Watchdog.plan(findings, open: [], used: [breach.key]).raise.isEmpty)
    }

    @Test func theLateFactResolvesTheExceptionWithItsReason() {
        let (_, breach) = lateFulfilment()
        let exception = breach.exception(id: "EX-1", at: F.at(5 * F.hour))
        var picked = F.fulfillment()
        picked.status = .inProgress
        let findings = Watchdog.findings(.init(fulfillments: [.init(order: picked)]), deadlines: .init(), now: F.at(6 * F.hour))
        let plan = Watchdog.plan(findings, open: [exception], used: [])
        #expect(plan.raise.isEmpty)
        #expect(plan.resolve.map(\.exception.id) == ["EX-1"] && plan.resolve.first?.reason == "the warehouse reported a pick")
    }

    @Test func aSubjectNoLongerWatchedOrBreachedAnewResolvesTheOldException() throws {
        let (_, breach) = lateFulfilment()
        let gone = Watchdog.plan([], open: [breach.exception(id: "EX-1", at: F.monday)], used: [])
        #expect(gone.resolve.first?.reason == "no longer watched")
        // A shipment scanned once more and silent again: the old silence resolves, the new one is raised.
        var shipment = F.shipment()
        let old = try #require(
            F.breach(F.verdict(Watchdog.findings(.init(shipments: [shipment]), deadlines: .init(), now: F.at(2 * F.day)), "shipment_silent:SHP-1"))
        )
        try F.scan(&shipment, .inTransit, at: F.at(2 * F.day + F.hour))
        let findings = Watchdog.findings(.init(shipments: [shipment]), deadlines: .init(), now: F.at(4 * F.day + F.hour))
        let plan = Watchdog.plan(findings, open: [old.exception(id: "EX-2", at: F.at(2 * F.day))], used: [old.key])
        #expect(plan.raise.map(\.kind) == [.shipmentSilent] && plan.raise.first?.key != old.key)
        #expect(plan.resolve.first?.reason.hasPrefix("a later fact arrived; still late: no UPS scan since 2026-03-04T11:00:00Z") == true)
    }

    @Test func exceptionsNoWatchdogRaisedAreLeftAlone() {
        let manual = OperationsException(id: "EX-9", kind: .cancelRefused, detail: "too late", orderID: "SO-1", openedAt: F.monday)
        #expect(Watchdog.plan([], open: [manual], used: []).resolve.isEmpty)
        #expect(!OperationsException.Kind.cancelRefused.isWatchdog && OperationsException.Kind.channelSilent.isWatchdog)
    }

    @Test func breachesAreRaisedInTheOrderTheyFellDue() {
        let facts = WatchdogFacts(
            fulfillments: [.init(order: F.fulfillment(id: "FO-2", releasedAt: F.at(F.hour))), .init(order: F.fulfillment(id: "FO-1"))]
        )
        let plan = Watchdog.plan(Watchdog.findings(facts, deadlines: .init(), now: F.at(F.day)), open: [], used: [])
        #expect(plan.raise.map(\.fulfillmentOrderID) == ["FO-1", "FO-2"])
    }

    @Test func theSubjectOfAKeyIsWhatPrecedesItsAnchor() {
        #expect(Watchdog.subject(ofKey: "shipment_silent:SHP-1@1772445600") == "shipment_silent:SHP-1")
        #expect(Watchdog.subject(ofKey: "edi_unacknowledged:DOC-1") == "edi_unacknowledged:DOC-1")
    }
}

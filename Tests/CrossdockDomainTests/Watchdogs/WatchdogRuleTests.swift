import CrossdockDomain
import Foundation
import Testing

/// Every watchdog rule on a controlled clock: just before its deadline, at it, and after the late fact.
@Suite struct WatchdogRuleTests {
    typealias F = WatchdogFixture
    let defaults = WatchdogDeadlines()

    func findings(_ facts: WatchdogFacts, at offset: TimeInterval, deadlines: WatchdogDeadlines? = nil) -> [Watchdog.Finding] {
        Watchdog.findings(facts, deadlines: deadlines ?? defaults, now: F.at(offset))
    }

    @Test func aReleasedFulfilmentOrderIsLateAtItsWarehouseDeadline() throws {
        let facts = WatchdogFacts(fulfillments: [.init(order: F.fulfillment())])
        let subject = "fulfillment_unacknowledged:FO-1"
        #expect(F.reason(F.verdict(findings(facts, at: 4 * F.hour - 1), subject))?.hasPrefix("due by") == true)
        let breach = try #require(F.breach(F.verdict(findings(facts, at: 4 * F.hour), subject)))
        #expect(breach.kind == .fulfillmentUnacknowledged && breach.key == subject)
        #expect(breach.fulfillmentOrderID == "FO-1" && breach.orderID == "SO-1" && breach.partner == "WH-3PL")
        #expect(breach.dueAt == F.at(4 * F.hour))
        // A per-warehouse deadline wins over the default.
        let tight = WatchdogDeadlines(warehouses: ["WH-3PL": .init(fulfillmentAcknowledgementMinutes: 30)])
        #expect(F.breach(F.verdict(findings(facts, at: 30 * 60, deadlines: tight), subject)) != nil)
        #expect(
            F.breach(
                F.verdict(
                    findings(WatchdogFacts(fulfillments: [.init(order: F.fulfillment(warehouse: "WH-2"))]), at: 30 * 60, deadlines: tight),
                    subject
                )
            ) == nil
        )
    }

    @Test func aPickAShipmentACancellationOrA997ClearsTheFulfilmentWatchdog() {
        let subject = "fulfillment_unacknowledged:FO-1"
        var picked = F.fulfillment()
        picked.status = .inProgress
        var shipped = F.fulfillment()
        shipped.status = .closed
        var cancelled = F.fulfillment()
        cancelled.status = .cancelled
        var cancelling = F.fulfillment()
        cancelling.status = .cancellationRequested
        let cases: [(WatchdogFacts.Fulfillment, String)] = [
            (.init(order: picked), "the warehouse reported a pick"),
            (.init(order: shipped), "the warehouse shipped it"),
            (.init(order: cancelled), "the warehouse confirmed its cancellation"),
            (.init(order: cancelling), "a cancellation was requested"),
            (.init(order: F.fulfillment(), acknowledgedAt: F.at(F.hour)), "the warehouse acknowledged it at 2026-03-02T11:00:00Z"),
        ]
        for (fact, reason) in cases {
            #expect(F.reason(F.verdict(findings(WatchdogFacts(fulfillments: [fact]), at: 10 * F.day), subject)) == reason)
        }
    }

    @Test func businessDaysSkipTheWeekend() {
        let friday = F.at(4 * F.day)
        let saturday = F.at(5 * F.day)
        #expect(Watchdog.adding(businessDays: 1, to: F.monday) == F.at(F.day))
        #expect(Watchdog.adding(businessDays: 1, to: friday) == F.at(7 * F.day), "Friday plus one is Monday")
        #expect(Watchdog.adding(businessDays: 1, to: saturday) == F.at(7 * F.day), "Saturday plus one is Monday")
        #expect(Watchdog.adding(businessDays: 5, to: F.monday) == F.at(7 * F.day))
        #expect(Watchdog.adding(businessDays: 0, to: saturday) == saturday)
        #expect(BusinessDay("2026-03-07")!.isWeekend && BusinessDay("2026-03-08")!.isWeekend && !BusinessDay("2026-03-09")!.isWeekend)
        #expect(!BusinessDay(daysSince1970: 0).isWeekend && BusinessDay(daysSince1970: -4).isWeekend, "1970-01-01 was a Thursday")
    }

    @Test func aShipmentWithoutAScanForTwoBusinessDaysIsSilentAndANewScanClearsIt() throws {
        var shipment = F.shipment(shippedAt: F.at(3 * F.day))  // Thursday
        let subject = "shipment_silent:SHP-1"
        // Thursday + 2 business days = Monday.
        #expect(F.breach(F.verdict(findings(.init(shipments: [shipment]), at: 7 * F.day - 1), subject)) == nil)
        let breach = try #require(F.breach(F.verdict(findings(.init(shipments: [shipment]), at: 7 * F.day), subject)))
        #expect(breach.kind == .shipmentSilent && breach.partner == "UPS" && breach.shipmentID == "SHP-1")
        #expect(breach.key == "shipment_silent:SHP-1@\(Int(F.at(3 * F.day).timeIntervalSince1970))")
        try F.scan(&shipment, .inTransit, at: F.at(7 * F.day + F.hour))
        let after = findings(.init(shipments: [shipment]), at: 7 * F.day + 2 * F.hour)
        #expect(F.reason(F.verdict(after, subject))?.hasPrefix("carrier scan at 2026-03-09T11:00:00Z") == true)
        // Silent again two business days after that scan: a new key, so a new breach.
        let again = try #require(F.breach(F.verdict(findings(.init(shipments: [shipment]), at: 9 * F.day + F.hour), subject)))
        #expect(again.key != breach.key)
    }

    @Test func theLeastRecentlyScannedPackageSetsTheSilence() throws {
        var shipment = F.shipment(tracking: ["1Z1", "1Z2"])
        try F.scan(&shipment, .inTransit, at: F.at(F.day), number: "1Z1")
        let breach = try #require(F.breach(F.verdict(findings(.init(shipments: [shipment]), at: 2 * F.day), "shipment_silent:SHP-1")))
        #expect(breach.detail.contains("since 2026-03-02T10:00:00Z"))
    }

    @Test func deliveredAndCarrierExceptionsClearBothShipmentWatchdogs() throws {
        var delivered = F.shipment()
        try F.scan(&delivered, .delivered, at: F.at(F.hour))
        var lost = F.shipment()
        try lost.tracking.apply(TrackingMilestone(trackingNumber: "1Z1", status: .exception, occurredAt: F.at(F.hour), exceptionKind: .damaged))
        for (shipment, reason) in [(delivered, "delivered at 2026-03-02T11:00:00Z"), (lost, "the carrier reported exception")] {
            let result = findings(.init(shipments: [shipment]), at: 30 * F.day)
            #expect(F.reason(F.verdict(result, "shipment_silent:SHP-1")) == reason)
            #expect(F.reason(F.verdict(result, "shipment_overdue:SHP-1")) == reason)
        }
    }

    @Test func aShipmentPastItsEstimatedDeliveryPlusGraceIsOverdue() throws {
        var shipment = F.shipment()
        let eta = F.at(2 * F.day)
        try F.scan(&shipment, .inTransit, at: F.at(F.hour), eta: eta)
        let subject = "shipment_overdue:SHP-1"
        let lenient = WatchdogDeadlines(carriers: ["UPS": .init(scanBusinessDays: 10)])
        #expect(
            F.reason(F.verdict(findings(.init(shipments: [shipment]), at: 3 * F.day - 1, deadlines: lenient), subject))
                == "estimated delivery 2026-03-04T10:00:00Z"
        )
        let breach = try #require(F.breach(F.verdict(findings(.init(shipments: [shipment]), at: 3 * F.day, deadlines: lenient), subject)))
        #expect(breach.kind == .shipmentOverdue && breach.dueAt == F.at(3 * F.day))
        #expect(F.breach(F.verdict(findings(.init(shipments: [shipment]), at: 3 * F.day, deadlines: lenient), "shipment_silent:SHP-1")) == nil)
        // A later estimate is a new promise: the old breach's key no longer breaches.
        try F.scan(&shipment, .inTransit, at: F.at(2 * F.day), eta: F.at(5 * F.day))
        #expect(F.breach(F.verdict(findings(.init(shipments: [shipment]), at: 3 * F.day, deadlines: lenient), subject)) == nil)
        let none = F.shipment()
        #expect(F.reason(F.verdict(findings(.init(shipments: [none]), at: 0), subject)) == "no estimated delivery")
    }

    @Test func anOutboundDocumentWithoutIts997WithinTheHoursIsLate() throws {
        let subject = "edi_unacknowledged:DOC-1"
        for set in ["855", "856", "810", "940"] {
            let facts = WatchdogFacts(documents: [F.document(set: set)])
            #expect(F.reason(F.verdict(findings(facts, at: 24 * F.hour - 1), subject)) == "997 due by 2026-03-03T10:00:00Z")
            let breach = try #require(F.breach(F.verdict(findings(facts, at: 24 * F.hour), subject)))
            #expect(breach.kind == .ediUnacknowledged && breach.documentID == "DOC-1" && breach.partner == "ACME")
            #expect(breach.detail.hasPrefix("\(set) SHP-1 to ACME"))
        }
        #expect(findings(WatchdogFacts(documents: [F.document(set: "997")]), at: 30 * F.day).isEmpty, "only 855, 856, 810, 940 wait for a 997")
        let perPartner = WatchdogDeadlines(partners: ["ACME": .init(ediAcknowledgementHours: 2)])
        #expect(F.breach(F.verdict(findings(WatchdogFacts(documents: [F.document()]), at: 2 * F.hour, deadlines: perPartner), subject)) != nil)
        // A partner that answers at once gets a deadline in minutes; the hub-wide hours still apply to the others.
        let fast = WatchdogDeadlines(defaults: .init(ediAcknowledgementHours: 6), partners: ["ACME": .init(ediAcknowledgementMinutes: 15)])
        let document = WatchdogFacts(documents: [F.document()])
        #expect(F.breach(F.verdict(findings(document, at: 15 * 60 - 1, deadlines: fast), subject)) == nil)
        let late = try #require(F.breach(F.verdict(findings(document, at: 15 * 60, deadlines: fast), subject)))
        #expect(late.detail.hasSuffix("no 997 within 15 minutes"), "\(late.detail)")
        #expect(fast.ediAcknowledgement(partner: "OTHER") == 6 * 3600)
    }

    @Test func anAcknowledgementDeadlineInHoursAndMinutesAtOnceIsRefused() throws {
        let both = WatchdogDeadlines(partners: ["ACME": .init(ediAcknowledgementHours: 1, ediAcknowledgementMinutes: 30)])
        #expect(both.validate().map(\.field) == ["partners.ACME.ediAcknowledgementMinutes"])
        let minutes = WatchdogDeadlines(partners: ["ACME": .init(ediAcknowledgementMinutes: 0)])
        #expect(minutes.validate().map(\.reason) == ["must be between 1 and 43200"])
    }

    @Test func a997ThatAcceptsClearsAndOneThatRejectsRaisesARejection() throws {
        let accepted = findings(WatchdogFacts(documents: [F.document(status: .acknowledged, acknowledgedAt: F.at(F.hour))]), at: 30 * F.day)
        #expect(F.reason(F.verdict(accepted, "edi_unacknowledged:DOC-1")) == "997 received at 2026-03-02T11:00:00Z: acknowledged")
        #expect(F.reason(F.verdict(accepted, "edi_rejected:DOC-1")) != nil)
        let withErrors = findings(WatchdogFacts(documents: [F.document(status: .acknowledgedWithErrors, acknowledgedAt: F.at(F.hour))]), at: 0)
        #expect(F.reason(F.verdict(withErrors, "edi_rejected:DOC-1"))?.hasSuffix("acknowledged_with_errors") == true)
        let rejected = findings(WatchdogFacts(documents: [F.document(status: .rejected, acknowledgedAt: F.at(F.hour))]), at: F.hour)
        #expect(F.reason(F.verdict(rejected, "edi_unacknowledged:DOC-1")) == "997 received at 2026-03-02T11:00:00Z: rejected")
        let breach = try #require(F.breach(F.verdict(rejected, "edi_rejected:DOC-1")))
        #expect(breach.kind == .ediRejected && breach.detail == "856 SHP-1 to ACME rejected by its 997: AK5 R" && breach.dueAt == F.at(F.hour))
    }

    @Test func aBackorderIsOverdueTheDayAfterItsPromisedDatePlusGrace() throws {
        let subject = "backorder_overdue:SO-1:1"
        let facts = WatchdogFacts(backorders: [F.backorder()])
        // Promised for Monday 2026-03-02: overdue from Tuesday 00:00 UTC.
        #expect(F.reason(F.verdict(findings(facts, at: 14 * F.hour - 1), subject)) == "promised for 2026-03-02")
        let breach = try #require(F.breach(F.verdict(findings(facts, at: 14 * F.hour), subject)))
        #expect(breach.kind == .backorderOverdue && breach.lineNo == 1 && breach.key == "\(subject)@2026-03-02")
        #expect(breach.dueAt == F.at(14 * F.hour) && breach.detail == "3 of SKU-1 promised for 2026-03-02 not yet received")
        let graceful = WatchdogDeadlines(channels: ["api": .init(backorderGraceDays: 2)])
        #expect(F.breach(F.verdict(findings(facts, at: 2 * F.day + 14 * F.hour - 1, deadlines: graceful), subject)) == nil)
        #expect(F.breach(F.verdict(findings(facts, at: 2 * F.day + 14 * F.hour, deadlines: graceful), subject)) != nil)
        let filled = findings(WatchdogFacts(backorders: [F.backorder(units: 0)]), at: 10 * F.day)
        #expect(F.reason(F.verdict(filled, subject)) == "the backorder was filled or cancelled")
        #expect(F.reason(F.verdict(findings(WatchdogFacts(backorders: [F.backorder(promised: nil)]), at: 10 * F.day), subject)) == "no promised date")
        let moved = findings(WatchdogFacts(backorders: [F.backorder(promised: "2026-03-20")]), at: 10 * F.day)
        #expect(F.reason(F.verdict(moved, subject)) == "promised for 2026-03-20")
    }

    @Test func aBackorderPromisedForTodayIsOverdueAsSoonAsTheReceiptItWaitsForIsLate() throws {
        let subject = "backorder_overdue:SO-1:1"
        // Promised for Monday 2026-03-02 (today) on the strength of PO-77, expected Sunday and not in.
        let late = F.receipt(expected: "2026-03-01")
        let facts = WatchdogFacts(backorders: [F.backorder(lateReceipts: [late])])
        let breach = try #require(F.breach(F.verdict(findings(facts, at: 0), subject)))
        #expect(breach.kind == .backorderOverdue && breach.key == "\(subject)@receipt:RCV-1@2026-03-01")
        #expect(
            breach.detail == "3 of SKU-1 promised for 2026-03-02 wait for PO-77 (receipt RCV-1), expected 2026-03-01 at WH-1 and not yet received"
        )
        #expect(breach.dueAt == F.at(-10 * F.hour), "overdue since Monday 00:00")
        // A grace day: the receipt is not late yet.
        let graceful = WatchdogDeadlines(channels: ["api": .init(backorderGraceDays: 1)])
        #expect(F.reason(F.verdict(findings(facts, at: 0, deadlines: graceful), subject)) == "promised for 2026-03-02")
        // Received in full: no late receipt. A line promised for a later day is not waiting for it.
        let arrived = WatchdogFacts(backorders: [F.backorder(lateReceipts: [F.receipt(expected: "2026-03-01", received: 10)])])
        #expect(F.reason(F.verdict(findings(arrived, at: 0), subject)) == "promised for 2026-03-02")
        let later = WatchdogFacts(backorders: [F.backorder(promised: "2026-03-05", lateReceipts: [late])])
        #expect(F.reason(F.verdict(findings(later, at: 0), subject)) == "promised for 2026-03-05")
        // Once the promised date itself has passed, the breach is the promise's.
        #expect(F.breach(F.verdict(findings(facts, at: F.day), subject))?.key == "\(subject)@2026-03-02")
    }

    @Test func aChannelIsSilentPastItsUsualGapTimesTheFactor() throws {
        // Orders every 30 minutes; the last at Monday 10:00.
        let arrivals = (0..<6).map { F.at(-Double($0) * 1800) }
        let facts = WatchdogFacts(channels: [.init(channel: "shopify", arrivals: arrivals)])
        let subject = "channel_silent:shopify"
        // 4 × 30 min = 2 h, which is also the minimum.
        #expect(F.breach(F.verdict(findings(facts, at: 2 * F.hour - 1), subject)) == nil)
        let breach = try #require(F.breach(F.verdict(findings(facts, at: 2 * F.hour), subject)))
        #expect(breach.kind == .channelSilent && breach.orderID.isEmpty && breach.partner == "shopify")
        #expect(breach.detail == "no order from shopify since 2026-03-02T10:00:00Z; its usual gap is 30 minutes")
        // A busier channel is still held to the minimum silence; a factor per channel applies.
        let busy = WatchdogFacts(channels: [.init(channel: "edi", arrivals: (0..<6).map { F.at(-Double($0) * 60) })])
        #expect(F.breach(F.verdict(findings(busy, at: 2 * F.hour - 1), "channel_silent:edi")) == nil)
        let patient = WatchdogDeadlines(channels: ["shopify": .init(silenceFactor: 10)])
        #expect(F.breach(F.verdict(findings(facts, at: 4 * F.hour, deadlines: patient), subject)) == nil)
        // Two orders say nothing about a usual gap; none is not a channel.
        let young = WatchdogFacts(channels: [.init(channel: "new", arrivals: [F.monday, F.at(-60)])])
        #expect(F.reason(F.verdict(findings(young, at: 30 * F.day), "channel_silent:new")) == "an order arrived at 2026-03-02T10:00:00Z")
        #expect(findings(WatchdogFacts(channels: [.init(channel: "none", arrivals: [])]), at: 0).isEmpty)
    }
}

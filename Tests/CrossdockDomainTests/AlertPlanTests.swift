import CrossdockDomain
import Foundation
import Testing

/// The alert plan is a pure function of the routes, the exceptions and a clock: these runs move the clock by hand.
@Suite struct AlertPlanTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func exception(_ id: String, _ kind: OperationsException.Kind, order: String = "O-1", partner: String? = nil) -> OperationsException {
        var exception = OperationsException(id: id, kind: kind, detail: "d", orderID: order, openedAt: start)
        exception.partner = partner
        return exception
    }

    /// Applies a notice's marks, as the job does.
    func apply(_ notices: [AlertNotice], to exceptions: inout [OperationsException]) {
        for notice in notices {
            for index in exceptions.indices {
                if let mark = notice.marks[exceptions[index].id] { exceptions[index].alerts[notice.routeID] = mark }
            }
        }
    }

    @Test func exceptionsRaisedBetweenRunsMakeOneMessageAndAreNotRepeatedUntilTheReminder() {
        let routes = ["R": AlertRoute(renotifyMinutes: 60)]
        var exceptions = [exception("E1", .shipmentSilent), exception("E2", .shipmentSilent), exception("E3", .priceMismatch)]
        let first = AlertPlan.notices(routes: routes, open: exceptions.map { .init($0, channel: nil) }, resolved: [], now: start)
        #expect(first.map(\.kind) == [.priceMismatch, .shipmentSilent], "one message per kind, in catalogue order")
        #expect(first.allSatisfy { $0.reason == .new })
        #expect(first.first { $0.kind == .shipmentSilent }?.newIDs == ["E1", "E2"])
        apply(first, to: &exceptions)

        // Nothing new, interval not passed: quiet.
        let quiet = AlertPlan.notices(routes: routes, open: exceptions.map { .init($0, channel: nil) }, resolved: [], now: start + 3599)
        #expect(quiet.isEmpty)

        // A new one in a group: that group is told again, listing all, with the new one marked.
        exceptions.append(exception("E4", .shipmentSilent))
        let grown = AlertPlan.notices(routes: routes, open: exceptions.map { .init($0, channel: nil) }, resolved: [], now: start + 600)
        #expect(grown.count == 1 && grown[0].reason == .new && grown[0].newIDs == ["E4"] && grown[0].open.count == 3)
        #expect(AlertData(grown[0]).title == "[critical] shipment_silent: 3 open, 1 new")
        apply(grown, to: &exceptions)

        // The reminder comes an interval after the group's last message, for each group on its own.
        let reminders = AlertPlan.notices(routes: routes, open: exceptions.map { .init($0, channel: nil) }, resolved: [], now: start + 3600)
        #expect(reminders.map(\.kind) == [.priceMismatch] && reminders[0].reason == .reminder)
        #expect(reminders[0].marks["E3"]?.notifications == 2)
        let later = AlertPlan.notices(routes: routes, open: exceptions.map { .init($0, channel: nil) }, resolved: [], now: start + 4200)
        #expect(later.map(\.kind) == [.priceMismatch, .shipmentSilent] && later.allSatisfy { $0.reason == .reminder })

        // Zero never reminds.
        let never = AlertPlan.notices(
            routes: ["R": AlertRoute(renotifyMinutes: 0)],
            open: exceptions.map { .init($0, channel: nil) },
            resolved: [],
            now: start + 86_400 * 30
        )
        #expect(never.isEmpty)
    }

    @Test func aResolvedExceptionIsReportedOnceToEachRouteThatHeardOfIt() throws {
        var told = exception("E1", .backorderOverdue)
        told.alerts = ["R": AlertMark(notifiedAt: start), "QUIET": AlertMark(notifiedAt: start), "GONE": AlertMark(notifiedAt: start)]
        try told.resolve(.acknowledge, note: nil, by: .watchdog, at: start + 60)
        #expect(told.awaitsResolvedAlert)
        let stillOpen = exception("E2", .backorderOverdue)
        let routes = ["R": AlertRoute(), "QUIET": AlertRoute(notifyResolved: false)]
        let notices = AlertPlan.notices(routes: routes, open: [.init(stillOpen, channel: nil)], resolved: [told], now: start + 120)
        let resolved = try #require(notices.first { $0.routeID == "R" && $0.reason == .resolved })
        #expect(resolved.resolved.map(\.id) == ["E1"] && resolved.open.map(\.id) == ["E2"])
        #expect(AlertData(resolved).status == "resolved" && AlertData(resolved).title == "[warning] backorder_overdue: 1 resolved, 1 still open")
        #expect(notices.contains { $0.routeID == "QUIET" && $0.reason == .settled })
        #expect(notices.contains { $0.routeID == "GONE" && $0.reason == .settled }, "a deleted route's marks are settled silently")
        for notice in notices { if let mark = notice.marks["E1"] { told.alerts[notice.routeID] = mark } }
        #expect(!told.awaitsResolvedAlert)
        #expect(AlertPlan.notices(routes: routes, open: [], resolved: [told], now: start + 180).isEmpty)
    }

    @Test func routesFilterByKindSeverityPartnerAndChannel() {
        let silent = exception("E1", .fulfillmentUnacknowledged, partner: "WH-EAST")
        let price = exception("E2", .priceMismatch)
        let quietChannel = exception("E3", .channelSilent, order: "", partner: "shopify-b2b")
        let candidates: [AlertPlan.Candidate] = [.init(silent, channel: "edi"), .init(price, channel: "api"), .init(quietChannel, channel: nil)]
        func ids(_ route: AlertRoute) -> Set<String> {
            Set(AlertPlan.notices(routes: ["R": route], open: candidates, resolved: [], now: start).flatMap(\.newIDs))
        }
        #expect(ids(AlertRoute()) == ["E1", "E2", "E3"])
        #expect(ids(AlertRoute(severities: [.critical])) == ["E1", "E3"])
        #expect(ids(AlertRoute(kinds: [.priceMismatch])) == ["E2"])
        #expect(ids(AlertRoute(partners: ["WH-EAST"])) == ["E1"])
        #expect(ids(AlertRoute(channels: ["api"])) == ["E2"])
        #expect(ids(AlertRoute(channels: ["shopify-b2b"])) == ["E3"], "a silent channel is its own channel")
    }

    @Test func aRouteThatMakesNoSenseNamesEachField() {
        let route = AlertRoute(kinds: [.priceMismatch], severities: [.critical], partners: ["A", "A", " "], renotifyMinutes: -5)
        let fields = route.problems(prefix: "alert").map(\.field)
        #expect(fields == ["alert.renotifyMinutes", "alert.partners[1]", "alert.partners[2]", "alert.severities"])
        #expect(AlertRoute().problems(prefix: "alert").isEmpty)
    }

    @Test func aMessageNamesAtMostFiftyExceptionsAndSaysSo() throws {
        let many = (0..<60).map { exception(String(format: "E%02d", $0), .shipmentOverdue) }
        let notice = AlertPlan.notices(routes: ["R": AlertRoute()], open: many.map { .init($0, channel: nil) }, resolved: [], now: start)[0]
        let data = AlertData(notice)
        #expect(data.exceptions.count == 50 && data.truncated && data.openCount == 60 && data.newCount == 60)
        #expect(data.severity == .warning && data.oldestOpenedAt == start)

        // Resolutions are all named: one resolved message per fifty.
        let resolved = try many.map { exception -> OperationsException in
            var copy = exception
            copy.alerts["R"] = AlertMark(notifiedAt: start)
            try copy.resolve(.acknowledge, note: nil, by: .watchdog, at: start + 10)
            return copy
        }
        let reports = AlertPlan.notices(routes: ["R": AlertRoute()], open: [], resolved: resolved, now: start + 20)
        #expect(reports.map { AlertData($0).exceptions.count } == [50, 10] && reports.allSatisfy { $0.reason == .resolved })
        #expect(Set(reports.flatMap { AlertData($0).exceptions.map(\.id) }).count == 60)
    }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import Foundation
import NIOHTTP1
import Synchronization
import Testing

/// Alert routes end to end (issue 17.3 and 17.6): a subscription with `settings.alert` on a live hub, the alert job
/// run on a clock the test moves, and real receivers over loopback that check the Standard Webhooks signature.
@Suite struct AlertRouteTests {
    /// The alert job over `store` with a clock the test moves.
    final class Job: Sendable {
        let store: any Store
        let clock = Mutex(Date())

        init(_ store: any Store) { self.store = store }

        /// Runs the job once at `offset` seconds after the test's start.
        func run(after offset: TimeInterval = 0, from start: Date) async throws -> AlertNotifier.Report {
            clock.withLock { $0 = start.addingTimeInterval(offset) }
            return try await AlertNotifier(store: store, now: { [self] in clock.withLock { $0 } }).step()
        }
    }

    @Test func aRouteHearsEachGroupOnceThenAReminderThenTheResolutionAndNothingElse() async throws {
        let pager = TestReceiver(mode: .accept(delay: .zero))
        let everything = TestReceiver(mode: .accept(delay: .zero))
        try await withReceiver(pager) { pagerURL in
            try await withReceiver(everything) { everythingURL in
                try await withLiveHub(configuration: .quiet) { baseURL, key, database in
                    let hub = HubClient(baseURL: baseURL, apiKey: key)
                    let route = try await createRoute(
                        hub,
                        url: pagerURL,
                        secret: pager.secret,
                        alert: #"{"kinds":["price_mismatch","shipment_silent"],"renotifyMinutes":60}"#
                    )
                    let all = #"{"url":"\#(everythingURL)","eventTypes":["*"],"secret":"\#(everything.secret)"}"#
                    #expect(try await hub.send(.POST, "/v1/subscriptions", body: Array(all.utf8)).status == 201)
                    let order = try await orderID(hub, "AL-1")
                    for (id, kind) in [("EX-1", OperationsException.Kind.priceMismatch), ("EX-2", .priceMismatch), ("EX-3", .deliveryException)] {
                        try await insertException(id, kind, order: order, database.store)
                    }
                    let job = Job(database.store)
                    let start = Date()

                    let first = try await job.run(from: start)
                    #expect(first.alerts.map(\.kind) == [.priceMismatch], "the route does not take delivery exceptions")
                    #expect(first.alerts.first?.openCount == 2 && first.alerts.first?.newCount == 2 && first.alerts.first?.reason == "new")
                    #expect(try await job.run(after: 1, from: start).alerts.isEmpty, "told once, not again before the reminder")

                    try await insertException("EX-4", .priceMismatch, order: order, database.store)
                    let grown = try await job.run(after: 120, from: start)
                    #expect(grown.alerts.map { [$0.openCount, $0.newCount] } == [[3, 1]])
                    // (Stored times are rounded to the millisecond: the test keeps clear of the exact boundary.)
                    let reminder = try await job.run(after: 120 + 3601, from: start)
                    #expect(reminder.alerts.map(\.reason) == ["reminder"] && reminder.alerts.first?.openCount == 3)

                    let resolve = #"{"resolution":"acknowledge","note":"price agreed with sales"}"#
                    #expect(try await hub.send(.POST, "/v1/exceptions/EX-1/resolve", body: Array(resolve.utf8)).status == 200)
                    #expect(try await database.store.exceptionsAwaitingResolvedAlert(limit: 10).map(\.id) == ["EX-1"])
                    let resolved = try await job.run(after: 3900, from: start)
                    #expect(resolved.alerts.map(\.status) == ["resolved"])
                    #expect(resolved.alerts.first.map { [$0.resolvedCount, $0.openCount] } == [1, 2])
                    #expect(try await database.store.exceptionsAwaitingResolvedAlert(limit: 10).isEmpty)
                    #expect(try await job.run(after: 3901, from: start).alerts.isEmpty)

                    // Delivered by the outbox, signed, in order, to the route alone.
                    #expect(try await eventually { pager.receipts.count >= 4 })
                    let received = try pager.receipts.map { try JSONDecoder().decode(JSONValue.self, from: Data($0.body)) }
                    #expect(
                        received.compactMap { $0["type"]?.stringValue } == [
                            "com.crossdock.alert.firing.v1", "com.crossdock.alert.firing.v1", "com.crossdock.alert.firing.v1",
                            "com.crossdock.alert.resolved.v1",
                        ]
                    )
                    #expect(received.allSatisfy { $0["subject"]?.stringValue == "alert/\(route)/price_mismatch" })
                    #expect(received.map { $0["data"]?["route"]?.stringValue } == Array(repeating: route, count: 4))
                    #expect(pager.receipts.allSatisfy { $0.signatureValid })
                    #expect(received.last?["data"]?["exceptions"]?.arrayValue?.first?["note"]?.stringValue == "price agreed with sales")
                    #expect(try await eventually { everything.receipts.contains { $0.subject == "EX-1" } })
                    #expect(!everything.receipts.contains { $0.subject.hasPrefix("alert/") }, "alerts go to their route only")
                    let marked = try #require(try await database.store.operationsException("EX-2"))
                    #expect(marked.alerts[route]?.notifications == 3)
                    try await EventSchemaCheck.expectValid(database.store)
                }
            }
        }
    }

    @Test func aSlackRouteGetsChatTextAndFiltersBySeverityAndChannel() async throws {
        let chat = TestReceiver(mode: .accept(delay: .zero))
        try await withReceiver(chat) { chatURL in
            try await withLiveHub(configuration: .quiet) { baseURL, key, database in
                let hub = HubClient(baseURL: baseURL, apiKey: key)
                let slack = try await createRoute(
                    hub,
                    url: chatURL,
                    secret: chat.secret,
                    alert: #"{"severities":["critical"],"channels":["api"],"format":"slack"}"#
                )
                let elsewhere = try await createRoute(hub, url: chatURL, secret: chat.secret, alert: #"{"channels":["shopify-b2b"]}"#)
                let order = try await orderID(hub, "AL-SLACK")
                try await insertException("EX-LOST", .deliveryException, order: order, database.store)
                try await insertException("EX-PRICE", .priceMismatch, order: order, database.store)
                let report = try await Job(database.store).run(from: Date())
                #expect(report.alerts.map(\.route) == [slack] && report.alerts.map(\.kind) == [.deliveryException])
                #expect(report.alerts.first?.title == "[critical] delivery_exception: 1 open, 1 new")
                #expect(try await eventually { chat.receipts.count >= 1 })
                let receipt = try #require(chat.receipts.first)
                #expect(receipt.signatureValid)
                let body = try JSONDecoder().decode(JSONValue.self, from: Data(receipt.body))
                #expect(body["text"]?.stringValue == "[critical] delivery_exception: 1 open, 1 new")
                let section = body["blocks"]?.arrayValue?.dropFirst().first?["text"]?["text"]?.stringValue ?? ""
                #expect(section.contains("`EX-LOST` new order `\(order)`"), "\(section)")
                #expect(try await database.store.operationsException("EX-LOST")?.alerts[elsewhere] == nil)
            }
        }
    }

    @Test func aRouteThatMakesNoSenseIsRefusedNamingTheFieldAndNothingIsCreated() async throws {
        try await withLiveHub(configuration: .quiet) { baseURL, key, database in
            let hub = HubClient(baseURL: baseURL, apiKey: key)
            let before = try await database.store.subscriptions().count
            let cases: [(String, [String])] = [
                (#""eventTypes":["alert.*"],"settings":{"alert":{"renotifyMinutes":-1}}"#, ["settings.alert.renotifyMinutes"]),
                (
                    #""eventTypes":["alert.*"],"settings":{"alert":{"kinds":["price_mismatch"],"severities":["critical"]}}"#,
                    ["settings.alert.severities"]
                ),
                (#""eventTypes":["order.*"],"settings":{"alert":{}}"#, ["eventTypes[0]"]),
                (#""eventTypes":["alert.firing"]"#, ["eventTypes[0]"]),
                (
                    #""eventTypes":["alert.*"],"settings":{"alert":{"partners":["A","A"]},"attributes":{"channel":"api"}}"#,
                    [
                        "settings.alert.partners[1]", "settings.attributes",
                    ]
                ),
            ]
            for (members, fields) in cases {
                let body = #"{"url":"http://127.0.0.1:9/hook",\#(members)}"#
                let answer = try await hub.send(.POST, "/v1/subscriptions", body: Array(body.utf8))
                #expect(answer.status == 422, "\(members): \(answer.status)")
                let problem = try JSONDecoder().decode(JSONValue.self, from: Data(answer.body))
                #expect(Set(problemFields(problem)) == Set(fields), "\(members)")
            }
            let unknownKind = #"{"url":"http://127.0.0.1:9/hook","eventTypes":["alert.*"],"settings":{"alert":{"kinds":["lost_cat"]}}}"#
            let refused = try await hub.send(.POST, "/v1/subscriptions", body: Array(unknownKind.utf8))
            #expect((400..<500).contains(refused.status) && String(decoding: refused.body, as: UTF8.self).contains("kinds"))
            #expect(try await database.store.subscriptions().count == before)
        }
    }

    @Test func anAlertEndpointThatFailsTimesOutOrRedirectsIsRetriedThenDeadLetteredAndNotRepeated() async throws {
        let broken = TestReceiver(mode: .answer(status: 500, retryAfter: nil))
        let slow = TestReceiver(mode: .accept(delay: .seconds(5)))
        let target = TestReceiver(mode: .accept(delay: .zero))
        try await withReceiver(broken) { brokenURL in
            try await withReceiver(slow) { slowURL in
                try await withReceiver(target) { targetURL in
                    let moved = TestReceiver(mode: .redirect(to: targetURL))
                    try await withReceiver(moved) { movedURL in
                        try await withLiveHub(configuration: .quiet) { baseURL, key, database in
                            let hub = HubClient(baseURL: baseURL, apiKey: key)
                            let retries = #""maxAttempts":2,"retryBaseMs":10,"timeoutMs":300"#
                            var routes: [String] = []
                            for (url, secret) in [(brokenURL, broken.secret), (slowURL, slow.secret), (movedURL, moved.secret)] {
                                routes.append(try await createRoute(hub, url: url, secret: secret, alert: "{}", settings: retries))
                            }
                            let order = try await orderID(hub, "AL-DEAD")
                            try await insertException("EX-D", .shipmentSilent, order: order, database.store)
                            let job = Job(database.store)
                            let start = Date()
                            #expect(try await job.run(from: start).alerts.count == 3)
                            let dead = try await eventually(timeout: .seconds(60)) {
                                try await database.store.deliveryDetails(DeliveryQuery(status: .dead, limit: 100)).count == 3
                            }
                            #expect(dead, "each failing route dead-letters its alert after its attempts")
                            #expect(broken.receipts.count == 2 && moved.receipts.count == 2)
                            #expect(target.receipts.isEmpty, "a redirect is not followed")
                            // The dead letters wait for an operator; the job does not queue the alert again.
                            #expect(try await job.run(after: 60, from: start).alerts.isEmpty)
                            try await Task.sleep(for: .milliseconds(300))
                            #expect(broken.receipts.count == 2 && moved.receipts.count == 2)
                            let details = try await database.store.deliveryDetails(DeliveryQuery(status: .dead, limit: 100))
                            #expect(Set(details.map(\.delivery.subscriptionID)) == Set(routes))
                        }
                    }
                }
            }
        }
    }
}

/// Creates an alert route to `url` and answers its id.
private func createRoute(_ hub: HubClient, url: String, secret: String, alert: String, settings: String = "") async throws -> String {
    let extra = settings.isEmpty ? "" : "," + settings
    let body = #"{"url":"\#(url)","eventTypes":["alert.*"],"secret":"\#(secret)","settings":{"alert":\#(alert)\#(extra)}}"#
    let answer = try await hub.send(.POST, "/v1/subscriptions", body: Array(body.utf8))
    guard answer.status == 201, let id = try JSONDecoder().decode(JSONValue.self, from: Data(answer.body))["id"]?.stringValue else {
        throw TestFailure("route not created: \(answer.status) \(String(decoding: answer.body, as: UTF8.self))")
    }
    return id
}

/// Creates an order and answers its id.
private func orderID(_ hub: HubClient, _ externalID: String) async throws -> String {
    let answer = try await hub.send(.POST, "/v1/orders", body: Array(orderJSON(externalID: externalID).utf8))
    guard answer.status == 201, let id = try JSONDecoder().decode(JSONValue.self, from: Data(answer.body))["id"]?.stringValue else {
        throw TestFailure("order not created: \(answer.status)")
    }
    return id
}

/// Stores an open exception as the hub raises one.
private func insertException(_ id: String, _ kind: OperationsException.Kind, order: String, _ store: any Store) async throws {
    let exception = OperationsException(id: id, kind: kind, detail: "test \(kind.rawValue)", orderID: order, openedAt: Date())
    var unit = UnitOfWork()
    unit.exceptions = [.init(exception, expectedVersion: nil)]
    #expect(try await store.commit(unit) == .committed(sequences: []))
}

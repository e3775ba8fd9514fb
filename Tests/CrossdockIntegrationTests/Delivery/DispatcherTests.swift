import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import CrossdockTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The delivery engine over real loopback HTTP: per-key FIFO with parking, isolation of slow endpoints, circuit
/// breakers, `Retry-After`, 410, secret rotation, back-pressure.
@Suite struct DispatcherTests {
    struct NewSubscription: Encodable {
        var url: String
        var eventTypes: [String]
        var secret: String
        var settings: SubscriptionSettings?
    }

    struct Created: Decodable {
        var id: String
    }

    func subscribe(
        _ hub: HubClient,
        _ url: String,
        _ receiver: TestReceiver,
        types: [String] = ["order.*"],
        settings: SubscriptionSettings? = nil
    )
        async throws -> String
    {
        let response = try await hub.expectSuccess(
            .POST,
            "/v1/subscriptions",
            json: NewSubscription(url: url, eventTypes: types, secret: receiver.secret, settings: settings)
        )
        return try JSONCoding.decoder().decode(Created.self, from: Data(response.body)).id
    }

    /// A JSON value of any encodable type.
    struct AnyEncodable: Encodable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
        let encode: @Sendable (any Encoder) throws -> Void
        init(stringLiteral value: String) { encode = { try value.encode(to: $0) } }
        init(integerLiteral value: Int) { encode = { try value.encode(to: $0) } }
        init(booleanLiteral value: Bool) { encode = { try value.encode(to: $0) } }
        func encode(to encoder: any Encoder) throws { try encode(encoder) }
    }

    func orders(_ count: Int, seed: UInt64) -> [OrderRequest] { Catalog().orders(count: count, seed: seed, scarceBias: 0) }

    @Test func aPoisonedKeyIsParkedWhileOtherKeysFlowInOrder() async throws {
        let receiver = TestReceiver(mode: .accept(delay: .zero))
        try await withReceiver(receiver) { url in
            try await withLiveHub(configuration: CrossdockHTTPConfiguration.fastRetries) { baseURL, key, database in
                let hub = HubClient(baseURL: baseURL, apiKey: key)
                // Pause while the orders go in, so the poisoned subject is known before anything is sent.
                let id = try await subscribe(hub, url, receiver, settings: SubscriptionSettings(maxAttempts: 3))
                try await hub.expectSuccess(.POST, "/v1/subscriptions/\(id)/pause", json: [String: String]())
                let requests = orders(3, seed: 21)
                var ids: [String] = []
                for request in requests {
                    let created = try await hub.expectSuccess(.POST, "/v1/orders", json: request)
                    ids.append(try JSONCoding.decoder().decode(SalesOrder.self, from: Data(created.body)).id)
                }
                receiver.mode = .refuseSubjects([ids[0]])
                try await hub.expectSuccess(.POST, "/v1/subscriptions/\(id)/resume", json: [String: String]())
                let events = try await database.store.events(after: 0, limit: 10_000).filter { $0.shortType.hasPrefix("order.") }
                let poisoned = events.filter { $0.subject == ids[0] }
                let healthy = events.filter { $0.subject != ids[0] }
                let flowed = try await eventually(timeout: .seconds(20)) { receiver.applied.isSuperset(of: Set(healthy.map(\.id))) }
                #expect(flowed, "every other key keeps flowing")
                let dead = try await eventually(timeout: .seconds(20)) { try await database.store.deliveryCounts().dead == 1 }
                #expect(dead)
                // The head of the poisoned key was tried exactly max attempts; its later events were never sent.
                let tried = receiver.receipts.filter { $0.subject == ids[0] }
                #expect(tried.count == 3)
                #expect(Set(tried.map(\.webhookID)) == [poisoned[0].id])
                // (Events appended after the snapshot above, e.g. by a loaded machine's slower followers, may still be
                // pending for other keys: count the poisoned key's own.)
                let pending = try await database.store.deliveries(status: .pending, limit: 100)
                let waiting = pending.filter { delivery in poisoned.contains { $0.id == delivery.eventID } }
                #expect(waiting.count == poisoned.count - 1, "the rest of the key waits, visibly, behind the dead head")
                // Per-key order: each healthy subject's events arrived in log order.
                for subject in Set(healthy.map(\.subject)) {
                    let arrived = receiver.receipts.filter { $0.subject == subject && $0.accepted }.map(\.webhookID)
                    #expect(arrived == healthy.filter { $0.subject == subject }.map(\.id))
                }
            }
        }
    }

    @Test func aHungEndpointDoesNotDelayAnotherSubscription() async throws {
        let slow = TestReceiver(mode: .hold)
        let fast = TestReceiver(mode: .accept(delay: .zero))
        try await withReceiver(slow) { slowURL in
            try await withReceiver(fast) { fastURL in
                try await withLiveHub(configuration: CrossdockHTTPConfiguration.fastRetries) { baseURL, key, database in
                    let hub = HubClient(baseURL: baseURL, apiKey: key)
                    _ = try await subscribe(hub, slowURL, slow, settings: SubscriptionSettings(maxInFlight: 2, timeoutMs: 60_000))
                    _ = try await subscribe(hub, fastURL, fast)
                    for request in orders(5, seed: 22) { try await hub.expectSuccess(.POST, "/v1/orders", json: request) }
                    let expected = Set(try await database.store.events(after: 0, limit: 10_000).filter { $0.shortType.hasPrefix("order.") }.map(\.id))
                    // The slow endpoint holds every request it gets; the other subscription is served meanwhile.
                    let done = try await eventually(timeout: .seconds(30)) { fast.applied == expected }
                    #expect(done, "the fast endpoint did not wait for the hung one")
                    #expect(slow.receipts.isEmpty, "the hung endpoint has answered nothing yet")
                    slow.mode = .accept(delay: .zero)
                    let drained = try await eventually(timeout: .seconds(30)) { slow.applied == expected }
                    #expect(drained, "the hung endpoint gets everything once it answers")
                }
            }
        }
    }

    @Test func anOpenCircuitBurnsNoAttemptsAndMarksTheWarehouseStale() async throws {
        let configuration = {
            var configuration = CrossdockHTTPConfiguration.fastRetries
            configuration.breaker = CircuitBreaker(threshold: 3, cooldown: 30, maxCooldown: 30)
            return configuration
        }()
        let receiver = TestReceiver(mode: .refuse)
        try await withReceiver(receiver) { url in
            try await withLiveHub(configuration: configuration) { baseURL, key, _ in
                let hub = HubClient(baseURL: baseURL, apiKey: key)
                _ = try await subscribe(
                    hub,
                    url,
                    receiver,
                    types: ["fulfillment.released"],
                    settings: SubscriptionSettings(attributes: ["warehouse": "WH-EAST"], maxInFlight: 1)
                )
                for request in orders(8, seed: 23) { try await hub.expectSuccess(.POST, "/v1/orders", json: request) }
                try await Task.sleep(for: .seconds(2))
                // 3 failures opened the circuit; with 20 ms backoff, a closed circuit would have made dozens.
                #expect(receiver.receipts.count == 3, "\(receiver.receipts.count) attempts")
                let availability = try await hub.send(.GET, "/v1/inventory/availability?sku=SKU-0010")
                let document = try JSONCoding.decoder().decode(JSONValue.self, from: Data(availability.body))
                let east = document["warehouses"]?.arrayValue?.first { $0["warehouseId"]?.stringValue == "WH-EAST" }
                #expect(east?["stale"] == .bool(true))
                #expect((east?["staleSeconds"]?.intValue ?? -1) >= 1)
                let west = document["warehouses"]?.arrayValue?.first { $0["warehouseId"]?.stringValue == "WH-WEST" }
                #expect(west?["stale"] == .bool(false))
            }
        }
    }

    @Test func retryAfterIsHonouredAnd410DisablesTheSubscription() async throws {
        let receiver = TestReceiver(mode: .answer(status: 429, retryAfter: "1"))
        try await withReceiver(receiver) { url in
            try await withLiveHub(configuration: CrossdockHTTPConfiguration.fastRetries) { baseURL, key, database in
                let hub = HubClient(baseURL: baseURL, apiKey: key)
                let id = try await subscribe(hub, url, receiver, types: ["order.received"])
                try await hub.expectSuccess(.POST, "/v1/orders", json: orders(1, seed: 24)[0])
                _ = try await eventually(timeout: .seconds(60)) { receiver.receipts.count >= 2 }
                let times = receiver.receipts.map(\.at)
                try #require(times.count >= 2)
                #expect(times[1].timeIntervalSince(times[0]) >= 0.9, "the second attempt waited for Retry-After: 1")

                receiver.mode = .answer(status: 410, retryAfter: nil)
                let disabled = try await eventually(timeout: .seconds(20)) { try await database.store.subscription(id)?.status == .disabled }
                #expect(disabled)
                let count = receiver.receipts.count
                try await hub.expectSuccess(.POST, "/v1/orders", json: orders(1, seed: 25)[0])
                try await Task.sleep(for: .milliseconds(500))
                #expect(receiver.receipts.count == count, "a disabled subscription gets nothing")

                receiver.mode = .accept(delay: .zero)
                try await hub.expectSuccess(.POST, "/v1/subscriptions/\(id)/resume", json: [String: String]())
                let received = try await database.store.events(after: 0, limit: 1000).filter { $0.shortType == "order.received" }.map(\.id)
                let delivered = try await eventually(timeout: .seconds(10)) { receiver.applied == Set(received) }
                #expect(delivered, "nothing was lost while disabled")
            }
        }
    }

    @Test func a409SettlesTheDeliveryAsSupersededWithoutRetryOrParkingTheKey() async throws {
        let receiver = TestReceiver(mode: .answer(status: 409, retryAfter: nil))
        try await withReceiver(receiver) { url in
            try await withLiveHub(configuration: CrossdockHTTPConfiguration.fastRetries) { baseURL, key, database in
                let hub = HubClient(baseURL: baseURL, apiKey: key)
                _ = try await subscribe(hub, url, receiver, types: ["order.*"])
                try await hub.expectSuccess(.POST, "/v1/orders", json: orders(1, seed: 31)[0])
                // The feed may hold the order's events back for a moment on PostgreSQL (its fence waits for older
                // transactions of the hub's own jobs): wait for them as a consumer would.
                var found: [CloudEvent] = []
                let deadline = ContinuousClock.now + .seconds(20)
                while found.count < 3 && ContinuousClock.now < deadline {
                    found = try await database.store.events(after: 0, limit: 1000).filter { $0.shortType.hasPrefix("order.") }
                    if found.count < 3 { try await Task.sleep(for: .milliseconds(50)) }
                }
                let events = found
                #expect(events.count >= 3, "one key with several events")
                let settled = try await eventually(timeout: .seconds(60)) {
                    try await database.store.deliveryCounts().pending == 0 && receiver.receipts.count >= events.count
                }
                #expect(settled, "every event of the key went out: a refused head does not park the key")
                #expect(receiver.receipts.map(\.webhookID) == events.map(\.id), "each sent once, in order, never retried")
                let counts = try await database.store.deliveryCounts()
                #expect(counts.dead == 0 && counts.delivered == events.count && counts.retries == 0)
                let rows = try await database.store.deliveries(status: .delivered, limit: 100)
                #expect(rows.allSatisfy { $0.lastStatusCode == 409 && $0.lastError?.hasPrefix("superseded: HTTP 409") == true })
            }
        }
    }

    @Test func aRotatedSecretSignsWithBothDuringTheOverlapAndPythonVerifiesIt() async throws {
        let receiver = TestReceiver(mode: .accept(delay: .zero))
        try await withReceiver(receiver) { url in
            try await withLiveHub(configuration: CrossdockHTTPConfiguration.fastRetries) { baseURL, key, _ in
                let hub = HubClient(baseURL: baseURL, apiKey: key)
                let id = try await subscribe(hub, url, receiver, types: ["order.received"])
                let rotated = try await hub.expectSuccess(.POST, "/v1/subscriptions/\(id)/rotate-secret", json: ["overlapSeconds": 3600])
                let newSecret = try #require(try JSONCoding.decoder().decode(JSONValue.self, from: Data(rotated.body))["secret"]?.stringValue)
                try await hub.expectSuccess(.POST, "/v1/orders", json: orders(1, seed: 26)[0])
                _ = try await eventually(timeout: .seconds(20)) { !receiver.receipts.isEmpty }
                let receipt = try #require(receiver.receipts.first)
                #expect(receipt.signatureHeader.split(separator: " ").count == 2, "old and new signatures during the overlap")
                #expect(receipt.signatureValid, "the old secret still verifies")
                for secret in [receiver.secret, newSecret] {
                    #expect(try python(secret: secret, receipt) == 0, "Python's hmac accepts the signature")
                }
                var tampered = receipt
                tampered.body = Array(String(decoding: receipt.body, as: UTF8.self).replacingOccurrences(of: "order", with: "0rder").utf8)
                #expect(try python(secret: newSecret, tampered) == 1, "a tampered body is rejected")
                #expect(try python(secret: "whsec_" + Data(repeating: 7, count: 24).base64EncodedString(), receipt) == 1)
            }
        }
    }

    /// Runs the independent verifier (Tests/…/verify_webhook.py) on a receipt.
    func python(secret: String, _ receipt: TestReceiver.Receipt) throws -> Int32 {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("verify_webhook.py")
        let body = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-\(UUID().uuidString).json")
        try Data(receipt.body).write(to: body)
        defer { try? FileManager.default.removeItem(at: body) }
        let arguments = ["python3", script.path, secret, receipt.webhookID, receipt.timestamp, receipt.signatureHeader, body.path]
        return try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), arguments).status
    }

    @Test func perSubscriptionMetricsAreExposedByServe() async throws {
        let receiver = TestReceiver(mode: .refuse)
        try await withReceiver(receiver) { url in
            let database = try await TestDatabase()
            defer { database.remove() }
            let process = try await HubProcess(database: database.url, arguments: ["--retry-base-ms", "20"])
            let hub = HubClient(baseURL: process.baseURL, apiKey: try #require(process.bootstrapKey))
            let id = try await subscribe(hub, url, receiver, types: ["*"])
            try await hub.expectSuccess(.PUT, "/v1/warehouses/WH-M", json: ["name": "M", "region": "US-NY", "priority": 1] as [String: AnyEncodable])
            // Wait for a refused attempt to be counted (on a loaded machine the first may time out instead).
            _ = try await eventually(timeout: .seconds(90)) {
                let text = try await hub.send(.GET, "/metrics").text
                return text.contains("crossdock_delivery_circuit_state{subscription=\"\(id)\"}")
                    && text.contains("crossdock_delivery_attempts_total{subscription=\"\(id)\",outcome=\"server_error\"}")
            }
            let text = try await hub.send(.GET, "/metrics").text
            for name in [
                "crossdock_delivery_attempts_total{subscription=\"\(id)\",outcome=\"server_error\"}", "crossdock_delivery_latency_seconds",
                "crossdock_delivery_backlog{subscription=\"\(id)\"}", "crossdock_delivery_lag_seconds{subscription=\"\(id)\"}",
                "crossdock_delivery_dead{subscription=\"\(id)\"}", "crossdock_delivery_circuit_state{subscription=\"\(id)\"}",
            ] {
                #expect(text.contains(name), "\(name) missing from /metrics")
            }
            #expect(try await process.stop(SIGTERM) == 0)
        }
    }

    @Test func intakePushesBackWhenTheBacklogIsFull() async throws {
        let configuration = {
            var configuration = CrossdockHTTPConfiguration.fastRetries
            configuration.maxBacklog = 5
            return configuration
        }()
        let receiver = TestReceiver(mode: .refuse)
        try await withReceiver(receiver) { url in
            try await withLiveHub(configuration: configuration) { baseURL, key, _ in
                let hub = HubClient(baseURL: baseURL, apiKey: key)
                _ = try await subscribe(hub, url, receiver, types: ["*"])
                var refused: HubClient.Answer?
                for attempt in 0..<40 {
                    let answer = try await hub.send(.POST, "/v1/orders", json: orders(1, seed: 100 + UInt64(attempt))[0])
                    if answer.status == 503 {
                        refused = answer
                        break
                    }
                    try await Task.sleep(for: .milliseconds(100))
                }
                let answer = try #require(refused, "intake never pushed back")
                #expect(answer.headers["retry-after"].first == "5")
                #expect(answer.text.contains("backlog_full"))
            }
        }
    }
}

extension DispatcherTests {
    @Test func filtersOnTypePrefixAndAttributesAndOrderByCorrelation() async throws {
        let west = TestReceiver(mode: .accept(delay: .zero))
        let flows = TestReceiver(mode: .accept(delay: .zero))
        try await withReceiver(west) { westURL in
            try await withReceiver(flows) { flowsURL in
                try await withLiveHub(configuration: CrossdockHTTPConfiguration.fastRetries) { baseURL, key, database in
                    let hub = HubClient(baseURL: baseURL, apiKey: key)
                    _ = try await subscribe(
                        hub,
                        westURL,
                        west,
                        types: ["fulfillment.*"],
                        settings: SubscriptionSettings(attributes: ["warehouse": "WH-WEST"])
                    )
                    _ = try await subscribe(hub, flowsURL, flows, types: ["*"], settings: SubscriptionSettings(orderingKey: .correlation))
                    try await hub.expectSuccess(.PUT, "/v1/region-preferences/US-IL", json: ["warehouses": ["WH-WEST"]])
                    for request in orders(6, seed: 28) { try await hub.expectSuccess(.POST, "/v1/orders", json: request) }
                    let events = try await database.store.events(after: 0, limit: 10_000)
                    let expectedWest = events.filter {
                        $0.shortType.hasPrefix("fulfillment.") && $0.data["warehouseId"]?.stringValue == "WH-WEST"
                    }
                    #expect(!expectedWest.isEmpty)
                    let westDone = try await eventually(timeout: .seconds(30)) { west.applied == Set(expectedWest.map(\.id)) }
                    #expect(westDone, "exactly the fulfilment events of WH-WEST")
                    let flowsDone = try await eventually(timeout: .seconds(30)) { flows.applied.isSuperset(of: Set(events.map(\.id))) }
                    #expect(flowsDone)
                    // Ordered by correlation: every order's events (order, fulfilment orders) arrive in log order.
                    let position = Dictionary(uniqueKeysWithValues: events.map { ($0.id, Int64($0.sequence) ?? 0) })
                    for correlation in Set(events.map(\.correlationid)) {
                        let ids = Set(events.filter { $0.correlationid == correlation }.map(\.id))
                        let arrived = flows.receipts.filter { ids.contains($0.webhookID) && $0.accepted }.map { position[$0.webhookID]! }
                        #expect(arrived == arrived.sorted(), "events of \(correlation) arrived out of order")
                    }
                }
            }
        }
    }
}

extension DispatcherTests {
    @Test func anAlwaysFailingReceiverFillsTheDeadLetterQueueAndABulkReplayEmptiesIt() async throws {
        let receiver = TestReceiver(mode: .refuse)
        try await withReceiver(receiver) { url in
            try await withLiveHub(configuration: CrossdockHTTPConfiguration.fastRetries) { baseURL, key, database in
                let hub = HubClient(baseURL: baseURL, apiKey: key)
                _ = try await subscribe(hub, url, receiver, types: ["order.received"], settings: SubscriptionSettings(maxAttempts: 3))
                for request in orders(3, seed: 29) { try await hub.expectSuccess(.POST, "/v1/orders", json: request) }
                let dead = try await eventually(timeout: .seconds(30)) { try await database.store.deliveryCounts().dead == 3 }
                #expect(dead)
                #expect(receiver.receipts.count == 9, "exactly max attempts per event")
                let ids = Set(try await database.store.events(after: 0, limit: 1000).filter { $0.shortType == "order.received" }.map(\.id))

                receiver.mode = .accept(delay: .zero)
                let plan = try await hub.expectSuccess(.POST, "/v1/deliveries/replay", json: ["status": "dead"])
                let planned = try JSONCoding.decoder().decode(JSONValue.self, from: Data(plan.body))
                #expect(planned["deliveries"]?.intValue == 3)
                #expect(planned["confirmed"] == .bool(false))
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await database.store.deliveryCounts().dead == 3, "a plan changes nothing")

                try await hub.expectSuccess(.POST, "/v1/deliveries/replay", json: ["status": "dead", "confirm": true] as [String: AnyEncodable])
                let emptied = try await eventually(timeout: .seconds(30)) {
                    let counts = try await database.store.deliveryCounts()
                    return counts.dead == 0 && counts.pending == 0
                }
                #expect(emptied)
                #expect(receiver.applied == ids, "the same event ids, applied once each")
            }
        }
    }
}

extension DispatcherTests {
    @Test func aRateLimitSpacesAttempts() async throws {
        let receiver = TestReceiver(mode: .accept(delay: .zero))
        try await withReceiver(receiver) { url in
            try await withLiveHub(configuration: CrossdockHTTPConfiguration.fastRetries) { baseURL, key, database in
                let hub = HubClient(baseURL: baseURL, apiKey: key)
                _ = try await subscribe(hub, url, receiver, types: ["order.*"], settings: SubscriptionSettings(ratePerSecond: 10))
                for request in orders(4, seed: 30) { try await hub.expectSuccess(.POST, "/v1/orders", json: request) }
                let total = try await database.store.events(after: 0, limit: 1000).filter { $0.shortType.hasPrefix("order.") }.count
                #expect(total > 20)
                let done = try await eventually(timeout: .seconds(30)) { receiver.receipts.count == total }
                #expect(done)
                let times = receiver.receipts.map(\.at).sorted()
                let span = try #require(times.last).timeIntervalSince(try #require(times.first))
                // A full bucket of 10 goes at once, the rest at 10 per second.
                #expect(span >= Double(total - 10) / 10 * 0.9, "\(total) attempts in \(span) s")
            }
        }
    }
}

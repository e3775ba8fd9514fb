import AsyncHTTPClient
import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockTestSupport
import Foundation
import Logging
import NIOHTTP1
import PostgresNIO
import ServiceLifecycle
import Testing

@testable import CrossdockStore

/// Faults with real processes: the database restarted under load, a pool exhausted by slow queries, a notification
/// missed, a lease running out mid-request.
@Suite(.enabled(if: PostgresTestCluster.enabled), .serialized) struct PostgresFaultTests {
    @Test func aDatabaseRestartMidRunAnswers503MeanwhileAndLosesNothingAcknowledged() async throws {
        // A cluster of its own: restarting the shared one would cut every other test's connections.
        let cluster = PostgresTestCluster()
        let url = try await cluster.createDatabase(prefix: "restart") + "&pool_timeout_ms=5000"
        let store = try await PostgresStore.open(url: url, logger: Logger(label: "test"))
        let key = try await store.withRunning {
            try await seed(store, Catalog())
            return try await APIKeys.create(in: store, name: "admin", scopes: ["admin"]).1
        }
        let node = try await HubProcess(database: url)
        defer { Task { try? await node.stop(SIGKILL) } }
        let client = HubClient(baseURL: node.baseURL, apiKey: key)
        let outcomes = try await withThrowingTaskGroup(of: [(Int, String, String?)].self) { group in
            group.addTask {
                // A steady stream of orders through the outage; each remembers its answer.
                var answers: [(Int, String, String?)] = []
                for index in 0..<400 {
                    let externalID = "PGR-\(index)"
                    do {
                        // A request caught by the stop itself may go unanswered: the client gives up after 4s and
                        // counts it as in doubt (status 0), which the checks below allow but never count as stored.
                        let answer = try await client.send(
                            .POST,
                            "/v1/orders",
                            body: Array(orderJSON(externalID: externalID).utf8),
                            timeout: .seconds(4)
                        )
                        answers.append((answer.status, externalID, answer.headers.first(name: "retry-after")))
                    } catch {
                        answers.append((0, externalID, nil))
                    }
                    try await Task.sleep(for: .milliseconds(15))
                }
                return answers
            }
            group.addTask {
                try await Task.sleep(for: .seconds(1))
                try await cluster.stop()
                // Once the node noticed (its listener reconnects every half second), readiness turns 503.
                try await Task.sleep(for: .milliseconds(1500))
                var readiness: [(Int, String, String?)] = []
                let ready = try await HubClient(baseURL: node.baseURL, apiKey: key).send(.GET, "/health/ready")
                readiness.append((ready.status, "ready-during-outage", nil))
                try await Task.sleep(for: .seconds(5))
                try await cluster.resume()
                return readiness
            }
            var all: [(Int, String, String?)] = []
            for try await part in group { all += part }
            return all
        }
        let readiness = try #require(outcomes.first { $0.1 == "ready-during-outage" })
        #expect(readiness.0 == 503, "/health/ready turns 503 while the database is down")
        let orders = outcomes.filter { $0.1 != "ready-during-outage" }
        let refused = orders.filter { $0.0 == 503 }
        #expect(!refused.isEmpty, "requests during the outage were refused: \(node.log.suffix(3000))")
        #expect(refused.allSatisfy { $0.2 != nil }, "with Retry-After")
        #expect(orders.allSatisfy { [201, 503, 0].contains($0.0) }, "\(Set(orders.map(\.0)))")
        #expect(orders.suffix(20).allSatisfy { $0.0 == 201 }, "the node reconnected by itself")
        let stored = try await store.withRunning { Set(try await store.orders(OrderQuery(limit: 1000)).orders.map(\.externalID)) }
        for acknowledged in orders where acknowledged.0 == 201 {
            #expect(stored.contains(acknowledged.1), "acknowledged \(acknowledged.1) is stored")
        }
        try await node.stop(SIGTERM)
    }

    @Test func aPoolExhaustedBySlowQueriesAnswers503AfterABoundedWait() async throws {
        let database = try await TestDatabase(backend: .postgres)
        defer { database.remove() }
        let store = try await PostgresStore.open(url: database.url + "&pool_max=2&pool_timeout_ms=800", logger: Logger(label: "test"))
        try await store.withRunning {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await store.withConnection { try await $0.run("SELECT pg_sleep(4)") } }
                }
                try await Task.sleep(for: .milliseconds(500))
                let start = ContinuousClock.now
                do {
                    _ = try await store.order("none")
                    Issue.record("a query ran although every connection was busy")
                } catch let error as StoreError {
                    #expect(error.code == .unavailable)
                }
                #expect(ContinuousClock.now - start < .seconds(3), "bounded wait, never a hang")
                try await group.waitForAll()
            }
            #expect(try await store.order("none") == nil, "the pool serves again once the slow queries end")
        }
    }

    @Test func anEventCommittedWithoutANotificationIsStillDelivered() async throws {
        let receiver = TestReceiver(mode: .accept(delay: .zero))
        try await withReceiver(receiver) { url in
            try await withCluster(nodes: 1) { cluster in
                let created = try await cluster.client(0).send(
                    .POST,
                    "/v1/subscriptions",
                    body: Array(#"{"url":"\#(url)","eventTypes":["order.received"],"secret":"\#(receiver.secret)"}"#.utf8)
                )
                #expect(created.status == 201)
                // An event written behind the hub's back: no NOTIFY, so only polling can find it.
                try await PostgresProbe.execute(
                    cluster.database.url,
                    """
                    INSERT INTO events(seq, id, type, subject, time, correlation_id, causation_id, data)
                    VALUES ((pg_current_xact_id()::text::bigint << 20) + 1, 'silent-1', 'com.crossdock.order.received.v1', 'O-SILENT',
                    '2026-12-04T00:00:00.000Z', 'O-SILENT', NULL, convert_to('{}', 'UTF8'))
                    """
                )
                #expect(try await eventually(timeout: .seconds(30)) { receiver.applied.contains("silent-1") }, "the poll picked it up")
            }
        }
    }

    @Test func aRequestEndsBeforeItsLeaseSoNoNodeDeliversAfterAnotherTookOver() async throws {
        let receiver = TestReceiver(mode: .hold)
        try await withReceiver(receiver) { url in
            let database = try await TestDatabase(backend: .postgres)
            defer { database.remove() }
            let store = database.store
            var configuration = Hub.Configuration.quiet
            configuration.delivery.lease = .seconds(3)
            configuration.delivery.requestTimeout = .seconds(30)
            configuration.delivery.retry = RetryPolicy(maxAttempts: 1, base: .milliseconds(10))
            try await store.withRunning {
                try await store.insertSubscription(
                    Subscription(id: "sub-lease", url: url, eventTypes: ["*"], secret: receiver.secret, createdAt: Date(), cursor: 0)
                )
                var unit = UnitOfWork()
                unit.events = [StoreConformanceTests.event("lease-1")]
                _ = try await store.commit(unit)
            }
            let worker = DeliveryWorker(store: store, client: .shared, configuration: configuration.delivery)
            let started = ContinuousClock.now
            try await withRunningServices([store, worker], logger: Logger(label: "test")) {
                let attempted = try await eventually(timeout: .seconds(30)) {
                    try await store.deliveryDetails(DeliveryQuery(limit: 10)).first?.history.isEmpty == false
                }
                #expect(attempted)
            }
            let detail = try #require(try await store.withRunning { try await store.deliveryDetails(DeliveryQuery(limit: 10)).first })
            let attempt = try #require(detail.history.first)
            #expect(attempt.statusCode == nil, "the request was cut short, not answered")
            #expect(attempt.latencyMs < 3000, "it ended before the 3 s lease did (it took \(attempt.latencyMs) ms)")
            #expect(ContinuousClock.now - started < .seconds(30))
            receiver.mode = .accept(delay: .zero)
        }
    }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import Foundation
import NIOHTTP1
import Testing

/// Minimal delivery over real loopback HTTP: retries with backoff through an outage, dead after the last attempt.
@Suite struct DeliveryRetryTests {
    struct NewSubscription: Encodable {
        var url: String
        var eventTypes: [String]
        var secret: String
    }

    @Test func aReceiverThatAlwaysFailsDeadLettersAfterExactlyMaxAttempts() async throws {
        let configuration = {
            var configuration = CrossdockHTTPConfiguration.fastRetries
            configuration.delivery.retry = RetryPolicy(maxAttempts: 3, base: .milliseconds(10), cap: .milliseconds(50))
            return configuration
        }()
        let receiver = TestReceiver(mode: .refuse)
        try await withReceiver(receiver) { url in
            try await withLiveHub(configuration: configuration) { baseURL, key, database in
                let hub = HubClient(baseURL: baseURL, apiKey: key)
                try await hub.expectSuccess(
                    .POST,
                    "/v1/subscriptions",
                    json: NewSubscription(url: url, eventTypes: ["order.received"], secret: receiver.secret)
                )
                try await hub.expectSuccess(.POST, "/v1/orders", json: Catalog().orders(count: 1, seed: 3, scarceBias: 0)[0])
                let dead = try await eventually(timeout: .seconds(60)) { try await database.store.deliveryCounts().dead == 1 }
                #expect(dead)
                let answer = try await hub.send(.GET, "/v1/deliveries?status=dead")
                let deliveries = try JSONCoding.decoder().decode([Delivery].self, from: Data(answer.body))
                #expect(deliveries.count == 1)
                #expect(deliveries.first?.attempts == 3)
                #expect(deliveries.first?.lastStatusCode == 503)
                #expect(receiver.receipts.count == 3, "exactly max attempts reached the receiver")
            }
        }
    }

    @Test func anOutageThenRecoveryDeliversEverythingOnce() async throws {
        let receiver = TestReceiver(mode: .refuse)
        try await withReceiver(receiver) { url in
            try await withLiveHub(configuration: CrossdockHTTPConfiguration.fastRetries) { baseURL, key, database in
                let hub = HubClient(baseURL: baseURL, apiKey: key)
                try await hub.expectSuccess(
                    .POST,
                    "/v1/subscriptions",
                    json: NewSubscription(url: url, eventTypes: ["order.*"], secret: receiver.secret)
                )
                for order in Catalog().orders(count: 5, seed: 4, scarceBias: 0) { try await hub.expectSuccess(.POST, "/v1/orders", json: order) }
                _ = try await eventually(timeout: .seconds(5)) { receiver.receipts.count >= 10 }
                #expect(receiver.applied.isEmpty, "nothing is accepted during the outage")
                receiver.mode = .accept(delay: .zero)
                let expected = Set(try await database.store.events(after: 0, limit: 10_000).filter { $0.shortType.hasPrefix("order.") }.map(\.id))
                let done = try await eventually(timeout: .seconds(20)) { receiver.applied == expected }
                #expect(done)
                let accepted = receiver.receipts.filter(\.accepted).map(\.webhookID)
                #expect(accepted.count == Set(accepted).count, "each event accepted once")
                // In order per key: each order's events were accepted in log order.
                let events = try await database.store.events(after: 0, limit: 10_000).filter { $0.shortType.hasPrefix("order.") }
                for subject in Set(events.map(\.subject)) {
                    let arrived = receiver.receipts.filter { $0.subject == subject && $0.accepted }.map(\.webhookID)
                    #expect(arrived == events.filter { $0.subject == subject }.map(\.id), "events of \(subject) out of order")
                }
                // The receiver answers before the hub records the attempt: wait for the books to catch up.
                let settled = try await eventually(timeout: .seconds(10)) { try await database.store.deliveryCounts().pending == 0 }
                #expect(settled)
            }
        }
    }
}

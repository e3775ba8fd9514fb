import CrossdockDomain
import CrossdockSandbox
import Foundation
import NIOHTTP1
import Testing

/// The hub as a child process, killed for real: deliveries survive SIGKILL and a graceful stop sends nothing twice.
@Suite(.serialized) struct CrashRecoveryTests {
    struct NewSubscription: Encodable {
        var url: String
        var eventTypes: [String]
        var secret: String
    }

    /// Every event id in the hub's log.
    func eventIDs(_ hub: HubClient) async throws -> Set<String> {
        var ids: Set<String> = []
        var after: Int64 = 0
        while true {
            let answer = try await hub.send(.GET, "/v1/events?after=\(after)&limit=1000")
            struct Page: Decodable {
                var events: [CloudEvent]
                var nextAfter: Int64
            }
            let page = try JSONCoding.decoder().decode(Page.self, from: Data(answer.body))
            if page.events.isEmpty { return ids }
            ids.formUnion(page.events.map(\.id))
            after = page.nextAfter
        }
    }

    /// Seeds a small catalog and submits `count` orders through the API.
    func load(_ hub: HubClient, count: Int, seed: UInt64) async throws {
        let catalog = Catalog(skus: 12, customers: 4, scarce: 0)
        try await catalog.seed(hub)
        let result = await LoadDriver(hub: hub).run(catalog.orders(count: count, seed: seed, scarceBias: 0), concurrency: 8)
        #expect(result.statuses[201] == count)
    }

    @Test func sigkillBetweenAppendAndDeliveryLosesNothing() async throws {
        let database = try await TestDatabase()
        defer { database.remove() }
        // Deliveries hang for 2 s, so many are in flight, and none is marked delivered, when the hub is killed.
        let receiver = TestReceiver(mode: .accept(delay: .seconds(2)))
        try await withReceiver(receiver) { url in
            let first = try await HubProcess(database: database.url, arguments: ["--retry-base-ms", "50"])
            let key = try #require(first.bootstrapKey, "serve prints a bootstrap admin key on an empty database")
            let hub = HubClient(baseURL: first.baseURL, apiKey: key)
            try await hub.expectSuccess(.POST, "/v1/subscriptions", json: NewSubscription(url: url, eventTypes: ["*"], secret: receiver.secret))
            try await load(hub, count: 10, seed: 1)
            let expected = try await eventIDs(hub)
            try await Task.sleep(for: .milliseconds(500))  // deliveries are now in flight at the hanging receiver
            let status = try await first.stop(SIGKILL)
            #expect(status != 0, "the hub was killed, not stopped")
            #expect(receiver.applied.count < expected.count, "the kill happened before every event was delivered")

            receiver.mode = .accept(delay: .zero)
            let second = try await HubProcess(database: database.url, arguments: ["--retry-base-ms", "50"])
            #expect(second.bootstrapKey == nil, "keys survive the restart; no new bootstrap key")
            let delivered = try await eventually(timeout: .seconds(60)) { receiver.applied.isSuperset(of: expected) }
            try await second.stop(SIGTERM)
            #expect(delivered, "after restart every event id arrives at least once")
            #expect(receiver.applied == expected, "deduplicating on webhook-id applies each event exactly once")
            let allSigned = receiver.receipts.allSatisfy { $0.signatureValid }
            #expect(allSigned)
        }
    }

    @Test func gracefulStopSendsNoIdTwice() async throws {
        let database = try await TestDatabase()
        defer { database.remove() }
        let receiver = TestReceiver(mode: .accept(delay: .milliseconds(30)))
        try await withReceiver(receiver) { url in
            let first = try await HubProcess(database: database.url)
            let key = try #require(first.bootstrapKey)
            let hub = HubClient(baseURL: first.baseURL, apiKey: key)
            try await hub.expectSuccess(.POST, "/v1/subscriptions", json: NewSubscription(url: url, eventTypes: ["*"], secret: receiver.secret))
            try await load(hub, count: 10, seed: 2)
            let expected = try await eventIDs(hub)
            _ = try await eventually(timeout: .seconds(10)) { receiver.receipts.count >= 20 }
            let status = try await first.stop(SIGTERM)
            #expect(status == 0, "SIGTERM is a graceful stop: \(first.log.suffix(500))")

            let second = try await HubProcess(database: database.url)
            let delivered = try await eventually(timeout: .seconds(60)) { receiver.applied.isSuperset(of: expected) }
            try await second.stop(SIGTERM)
            #expect(delivered)
            let ids = receiver.receipts.map(\.webhookID)
            #expect(ids.count == Set(ids).count, "no webhook id arrived twice across a graceful stop and restart")
            #expect(Set(ids) == expected)
        }
    }
}

import CrossdockDomain
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct EventRouteTests {
    /// Creates three orders (released, held, rejected) and returns their ids.
    func makeOrders(_ client: any TestClientProtocol, key: String) async throws -> [String] {
        let released = try await client.createOrder(orderJSON(externalID: "E-1"), key: key)
        let held = try await client.createOrder(orderJSON(externalID: "E-2", customer: "CUST-013"), key: key)
        // An order in a currency the customer's price list is not in is rejected.
        let rejected = try await client.createOrder(
            #"{"channel":"api","externalId":"E-3","customerId":"CUST-001","currency":"EUR","lines":[{"sku":"SKU-0010","quantity":1}]}"#,
            key: key
        )
        return [released.id, held.id, rejected.id]
    }

    @Test func eventsAreCloudEventsInGapFreeOrder() async throws {
        try await withHub { client, _, key in
            let ids = try await makeOrders(client, key: key)
            let response = try await client.send(.get, "/v1/events?after=0&limit=1000", key: key)
            #expect(response.status == .ok)
            let raw = try #require(try response.json()["events"]?.arrayValue)
            #expect(!raw.isEmpty)
            for event in raw {
                #expect(event["specversion"]?.stringValue == "1.0")
                #expect(event["datacontenttype"]?.stringValue == "application/json")
                #expect(event["source"]?.stringValue == "/crossdock/hub")
                #expect(event["schemaversion"]?.stringValue == "1")
                for field in ["id", "type", "subject", "time", "sequence", "correlationid", "causationid"] {
                    #expect(event[field]?.stringValue?.isEmpty == false, "\(field) in \(event)")
                }
                #expect(event["data"] != nil)
                let type = try #require(event["type"]?.stringValue)
                #expect(type.hasPrefix("com.crossdock.") && type.hasSuffix(".v1"), "\(type)")
                #expect(EventType(qualifiedName: type).map { EventType.catalogue.contains($0) } == true, "\(type)")
                let time = try #require(event["time"]?.stringValue)
                #expect(JSONCoding.parse(time) != nil && time.hasSuffix("Z"), "\(time)")
            }
            let page = try response.decode(EventPage.self)
            let sequences = page.events.map { Int64($0.sequence) ?? -1 }
            #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 }, "\(sequences)")
            if Backend.default == .sqlite {
                // SQLite's positions are dense; PostgreSQL's are increasing with gaps (docs/events.md, "The feed").
                #expect(sequences == sequences.indices.map { Int64($0) + 1 })
            }
            #expect(page.nextAfter == sequences.last)
            #expect(Set(page.events.map(\.id)).count == page.events.count)

            let types = page.events.map(\.shortType)
            #expect(
                types.prefix(6) == [
                    "order.received", "order.validated", "order.accepted", "order.allocated", "fulfillment.released", "order.released",
                ]
            )
            #expect(types.contains("order.on_hold"))
            #expect(types.contains("order.rejected"))
            #expect(page.events.first?.type == "com.crossdock.order.received.v1")
            #expect(page.events.first?.subject == ids[0])
        }
    }

    @Test func anOrdersEventsShareItsCorrelationIDAndChainCausation() async throws {
        try await withHub { client, _, key in
            let ids = try await makeOrders(client, key: key)
            let events = try await client.get(EventPage.self, "/v1/events?after=0&limit=1000", key: key).events
            for id in ids {
                let flow = events.filter { $0.correlationid == id }
                #expect(!flow.isEmpty)
                #expect(flow.first?.shortType == "order.received")
                #expect(flow.filter { $0.shortType.hasPrefix("order.") }.allSatisfy { $0.subject == id })
                // Each event after the first is caused by the one before it.
                for (previous, next) in zip(flow, flow.dropFirst()) {
                    #expect(next.causationid == previous.id)
                }
            }
            #expect(events.allSatisfy { ids.contains($0.correlationid) })
            let held = events.filter { $0.correlationid == ids[1] }.map(\.shortType)
            #expect(held == ["order.received", "order.validated", "order.on_hold"])
            let rejected = events.filter { $0.correlationid == ids[2] }.map(\.shortType)
            #expect(rejected == ["order.received", "order.rejected"])
        }
    }

    @Test(arguments: [1, 2, 3, 7])
    func pagingWithNextAfterContinuesExactly(limit: Int) async throws {
        try await withHub { client, _, key in
            _ = try await makeOrders(client, key: key)
            let all = try await client.get(EventPage.self, "/v1/events?after=0&limit=1000", key: key).events
            var collected: [CloudEvent] = []
            var after: Int64 = 0
            var requests = 0
            while true {
                let page = try await client.get(EventPage.self, "/v1/events?after=\(after)&limit=\(limit)", key: key)
                requests += 1
                #expect(page.events.count <= limit)
                if page.events.isEmpty {
                    #expect(page.nextAfter == after)  // an empty page keeps the position
                    break
                }
                collected += page.events
                after = page.nextAfter
                try #require(requests < 200)
            }
            #expect(collected == all)
            #expect(requests == (all.count + limit - 1) / limit + 1)
        }
    }

    @Test func afterSkipsExactly() async throws {
        try await withHub { client, _, key in
            _ = try await makeOrders(client, key: key)
            let all = try await client.get(EventPage.self, "/v1/events?limit=1000", key: key).events
            // Positions are increasing, not dense on every backend (docs/events.md): skip by the fourth's position.
            let fourth = try #require(Int64(all[3].sequence))
            let tail = try await client.get(EventPage.self, "/v1/events?after=\(fourth)&limit=1000", key: key).events
            #expect(tail == Array(all.dropFirst(4)))
            let last = try #require(all.last)
            let end = try #require(Int64(last.sequence)) + 100_000
            let beyond = try await client.get(EventPage.self, "/v1/events?after=\(end)", key: key)
            #expect(beyond.events.isEmpty)
            #expect(beyond.nextAfter == end)
        }
    }

    @Test func anEmptyLogAnswersAnEmptyPage() async throws {
        try await withHub(catalog: nil) { client, _, key in
            let page = try await client.get(EventPage.self, "/v1/events", key: key)
            #expect(page.events.isEmpty)
            #expect(page.nextAfter == 0)
        }
    }

    @Test(arguments: ["limit=0", "limit=1001", "limit=-1", "limit=ten", "limit=", "after=-1", "after=x"])
    func badQueriesAre400(query: String) async throws {
        try await withHub(catalog: nil) { client, _, key in
            let field = String(query.prefix { $0 != "=" })
            try expectProblem(try await client.send(.get, "/v1/events?\(query)", key: key), .badRequest, code: "invalid_query", fields: [field])
        }
    }
}

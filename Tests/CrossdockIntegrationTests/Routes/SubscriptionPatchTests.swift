import CrossdockDomain
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `PATCH /v1/subscriptions/{id}`: a merge patch of URL, event types and settings that keeps the subscription's
/// cursor, secret and backlog, refuses what `POST` would refuse, and loses no change to a concurrent one.
@Suite struct SubscriptionPatchTests {
    static let sink = SubscriptionRouteTests.sink

    private func create(_ client: some TestClientProtocol, key: String, _ body: String) async throws -> String {
        let response = try await client.send(.post, "/v1/subscriptions", key: key, json: body)
        try #require(response.status == .created, "\(response.text)")
        return try #require(try response.json()["id"]?.stringValue)
    }

    @Test func membersChangeOneByOneAndNullRestoresADefault() async throws {
        try await withHub(catalog: nil) { client, database, key in
            let id = try await create(
                client,
                key: key,
                #"{"url":"\#(Self.sink)","eventTypes":["order.*"],"settings":{"maxInFlight":4,"timeoutMs":5000,"attributes":{"channel":"shopify"}}}"#
            )
            let before = try #require(try await database.store.subscription(id))
            let response = try await client.send(
                .patch,
                "/v1/subscriptions/\(id)",
                key: key,
                json:
                    #"{"eventTypes":["order.*","shipment.shipped"],"settings":{"maxInFlight":8,"timeoutMs":null,"attributes":{"warehouse":"WH-EAST"}}}"#
            )
            #expect(response.status == .ok, "\(response.text)")
            #expect(!response.text.contains("whsec_"), "the secret is never shown again")
            let after = try #require(try await database.store.subscription(id))
            #expect(after.url == Self.sink)
            #expect(after.eventTypes == ["order.*", "shipment.shipped"])
            #expect(after.settings.maxInFlight == 8)
            #expect(after.settings.timeoutMs == nil, "null restores the default")
            #expect(after.settings.attributes == ["channel": "shopify", "warehouse": "WH-EAST"], "objects merge member by member")
            #expect(after.secret == before.secret && after.cursor == before.cursor && after.createdAt == before.createdAt)
            #expect(try response.decode(Subscription.self).settings.maxInFlight == 8, "the answer is the subscription as stored")

            let moved = try await client.send(.patch, "/v1/subscriptions/\(id)", key: key, json: #"{"url":"https://hooks.example.com/v2"}"#)
            #expect(moved.status == .ok)
            #expect(try await database.store.subscription(id)?.url == "https://hooks.example.com/v2")
            #expect(try await database.store.subscription(id)?.settings.maxInFlight == 8, "what the patch omits stays")
        }
    }

    @Test(arguments: [
        (#"{"settings":{"maxInFlight":0}}"#, "invalid_fields", ["settings.maxInFlight"]),
        (#"{"settings":{"maxInFlight":"many"}}"#, "invalid_fields", ["settings.maxInFlight"]),
        (#"{"url":null}"#, "invalid_fields", ["url"]),
        (#"{"settings":null}"#, "invalid_fields", ["settings"]),
        (#"{"url":"ftp://example.com/x","eventTypes":["order.teleported"]}"#, "invalid_fields", ["url", "eventTypes[0]"]),
        (#"{"eventTypes":["alert.firing"]}"#, "invalid_fields", ["eventTypes[0]"]),
        (#"{"settings":{"mapping":"no-such-mapping"}}"#, "invalid_fields", ["settings.mapping"]),
        (#"{"secret":"whsec_c2hvcnQ="}"#, "unknown_fields", ["secret"]),
        (#"{"cursor":0}"#, "unknown_fields", ["cursor"]),
    ])
    func aPatchPostWouldRefuseIsRefusedAndChangesNothing(body: String, code: String, fields: [String]) async throws {
        try await withHub(catalog: nil) { client, database, key in
            let id = try await create(client, key: key, #"{"url":"\#(Self.sink)","eventTypes":["order.*"],"settings":{"maxInFlight":4}}"#)
            let before = try #require(try await database.store.subscription(id))
            let response = try await client.send(.patch, "/v1/subscriptions/\(id)", key: key, json: body)
            try expectProblem(response, .unprocessableContent, code: code, fields: fields)
            let after = try #require(try await database.store.subscription(id))
            #expect(after.url == before.url && after.eventTypes == before.eventTypes && after.settings == before.settings)
        }
    }

    @Test func anAlertRouteChangesItsFiltersButStaysAnAlertRoute() async throws {
        try await withHub(catalog: nil) { client, database, key in
            let id = try await create(
                client,
                key: key,
                #"{"url":"\#(Self.sink)","eventTypes":["alert.*"],"settings":{"alert":{"kinds":["shipment_silent"],"renotifyMinutes":60}}}"#
            )
            let changed = try await client.send(
                .patch,
                "/v1/subscriptions/\(id)",
                key: key,
                json: #"{"settings":{"alert":{"kinds":["shipment_silent","edi_unacknowledged"],"format":"slack"}}}"#
            )
            #expect(changed.status == .ok, "\(changed.text)")
            let alert = try #require(try await database.store.subscription(id)?.settings.alert)
            #expect(alert.kinds == [.shipmentSilent, .ediUnacknowledged])
            #expect(alert.renotifyMinutes == 60, "members the patch omits stay")
            #expect(alert.format == .slack)
            try expectProblem(
                try await client.send(.patch, "/v1/subscriptions/\(id)", key: key, json: #"{"settings":{"alert":null}}"#),
                .unprocessableContent,
                code: "invalid_fields",
                fields: ["eventTypes[0]"]
            )
            try expectProblem(
                try await client.send(.patch, "/v1/subscriptions/\(id)", key: key, json: #"{"settings":{"alert":{"renotifyMinutes":-5}}}"#),
                .unprocessableContent,
                code: "invalid_fields",
                fields: ["settings.alert.renotifyMinutes"]
            )
            #expect(try await database.store.subscription(id)?.settings.alert == alert)
        }
    }

    @Test func concurrentPatchesOfDifferentMembersAllApply() async throws {
        try await withHub(catalog: nil) { client, database, key in
            let id = try await create(client, key: key, #"{"url":"\#(Self.sink)","eventTypes":["*"]}"#)
            let attributes = ["warehouse": "WH-EAST", "channel": "shopify", "customer": "CUST-001", "partner": "acme", "priceList": "PL-STD"]
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (name, value) in attributes {
                    group.addTask {
                        try await client.send(
                            .patch,
                            "/v1/subscriptions/\(id)",
                            key: key,
                            json: #"{"settings":{"attributes":{"\#(name)":"\#(value)"}}}"#
                        )
                        .status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .ok })
            #expect(try await database.store.subscription(id)?.settings.attributes == attributes, "no patch overwrote another's")
        }
    }

    @Test func anUnknownSubscriptionIs404() async throws {
        try await withHub(catalog: nil) { client, _, key in
            _ = try expectProblem(
                try await client.send(.patch, "/v1/subscriptions/nope", key: key, json: #"{"settings":{"maxInFlight":2}}"#),
                .notFound,
                code: "not_found"
            )
        }
    }
}

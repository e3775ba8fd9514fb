import CrossdockDomain
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct SubscriptionRouteTests {
    /// A URL nothing listens on, so the running delivery worker fails fast and harmlessly.
    static let sink = "http://127.0.0.1:9/hooks"

    static func body(url: String = sink, eventTypes: String = #"["order.*"]"#, secret: String? = nil) -> String {
        let secretMember = secret.map { #","secret":"\#($0)""# } ?? ""
        return #"{"url":"\#(url)","eventTypes":\#(eventTypes)\#(secretMember)}"#
    }

    @Test(arguments: [
        (body(url: "ftp://example.com/hook"), ["url"]),
        (body(url: "not a url"), ["url"]),
        (body(url: "/relative/path"), ["url"]),
        (body(eventTypes: "[]"), ["eventTypes"]),
        (body(eventTypes: #"["order.received","order.teleported"]"#), ["eventTypes[1]"]),
        (body(eventTypes: #"["com.crossdock.order.received.v1"]"#), ["eventTypes[0]"]),
        (body(secret: "whsec_c2hvcnQ="), ["secret"]),
        (body(secret: "not-a-secret"), ["secret"]),
        (body(url: "mailto:x@y.z", eventTypes: #"["nope"]"#, secret: "x"), ["url", "eventTypes[0]", "secret"]),
    ])
    func invalidSubscriptionsAre422(body: String, fields: [String]) async throws {
        try await withHub(catalog: nil) { client, database, key in
            let before = try await database.store.rowCounts()
            let response = try await client.send(.post, "/v1/subscriptions", key: key, json: body)
            try expectProblem(response, .unprocessableContent, code: "invalid_fields", fields: fields)
            #expect(try await database.store.rowCounts() == before)
        }
    }

    @Test func schemaErrorsAre422() async throws {
        try await withHub(catalog: nil) { client, _, key in
            try expectProblem(
                try await client.send(.post, "/v1/subscriptions", key: key, json: #"{"url":"http://a.b/c"}"#),
                .unprocessableContent,
                code: "invalid_fields",
                fields: ["eventTypes"]
            )
            try expectProblem(
                try await client.send(.post, "/v1/subscriptions", key: key, json: #"{"url":"http://a.b/c","eventTypes":["*"],"filter":"x"}"#),
                .unprocessableContent,
                code: "unknown_fields",
                fields: ["filter"]
            )
        }
    }

    @Test func createListFetchAndDelete() async throws {
        try await withHub(catalog: nil) { client, _, key in
            let response = try await client.send(
                .post,
                "/v1/subscriptions",
                key: key,
                json: Self.body(eventTypes: #"["order.*","shipment.shipped"]"#)
            )
            #expect(response.status == .created)
            let created = try response.json()
            let id = try #require(created["id"]?.stringValue)
            #expect(response.headers[.location] == "/v1/subscriptions/\(id)")
            let secret = try #require(created["secret"]?.stringValue)
            #expect(secret.hasPrefix("whsec_"))
            let decoded = try #require(Data(base64Encoded: String(secret.dropFirst(6))))
            #expect(decoded.count >= 16)
            #expect(created["url"]?.stringValue == Self.sink)
            #expect(created["eventTypes"] == .array([.string("order.*"), .string("shipment.shipped")]))

            let listed = try await client.send(.get, "/v1/subscriptions", key: key)
            #expect(listed.status == .ok)
            let subscriptions = try listed.decode([Subscription].self)
            #expect(subscriptions.map(\.id) == [id])
            #expect(subscriptions[0].eventTypes == ["order.*", "shipment.shipped"])
            // The secret is shown once, never listed.
            #expect(!listed.text.contains(secret))
            #expect(!listed.text.contains("whsec_"))

            let fetched = try await client.send(.get, "/v1/subscriptions/\(id)", key: key)
            #expect(fetched.status == .ok)
            #expect(try fetched.decode(Subscription.self).url == Self.sink)
            #expect(!fetched.text.contains("whsec_"))

            let deleted = try await client.send(.delete, "/v1/subscriptions/\(id)", key: key)
            #expect(deleted.status == .noContent)
            #expect(deleted.body.readableBytes == 0)
            try expectProblem(try await client.send(.delete, "/v1/subscriptions/\(id)", key: key), .notFound, code: "not_found")
            try expectProblem(try await client.send(.get, "/v1/subscriptions/\(id)", key: key), .notFound, code: "not_found")
            #expect(try await client.get([Subscription].self, "/v1/subscriptions", key: key).isEmpty)
        }
    }

    @Test func aGivenSecretIsKeptAndWildcardsAreAccepted() async throws {
        try await withHub(catalog: nil) { client, _, key in
            let secret = "whsec_" + Data(repeating: 7, count: 24).base64EncodedString()
            let response = try await client.send(.post, "/v1/subscriptions", key: key, json: Self.body(eventTypes: #"["*"]"#, secret: secret))
            #expect(response.status == .created)
            #expect(try response.json()["secret"]?.stringValue == secret)
            let https = try await client.send(
                .post,
                "/v1/subscriptions",
                key: key,
                json: Self.body(url: "https://hooks.example.com/x", eventTypes: #"["fulfillment.*"]"#)
            )
            #expect(https.status == .created)
            #expect(try await client.get([Subscription].self, "/v1/subscriptions", key: key).count == 2)
        }
    }

    @Test func deliveriesFilterByStatus() async throws {
        try await withHub(catalog: nil) { client, _, key in
            for status in ["pending", "delivered", "dead"] {
                let response = try await client.send(.get, "/v1/deliveries?status=\(status)", key: key)
                #expect(response.status == .ok, "\(status)")
                #expect(try response.decode([Delivery].self).isEmpty)
            }
            #expect(try await client.get([Delivery].self, "/v1/deliveries", key: key).isEmpty)
            try expectProblem(
                try await client.send(.get, "/v1/deliveries?status=bogus", key: key),
                .badRequest,
                code: "invalid_query",
                fields: ["status"]
            )
            try expectProblem(try await client.send(.get, "/v1/deliveries?limit=0", key: key), .badRequest, code: "invalid_query", fields: ["limit"])
        }
    }
}

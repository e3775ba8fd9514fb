import AsyncHTTPClient
import CrossdockDomain
import CrossdockHTTP
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// `GET /v1/deliveries?subscription=` is deprecated in favour of `subscriptionId` (docs/api.md): it still works,
/// answers with `Deprecation`, `Sunset` and `Link` headers, and `/metrics` counts its calls per key.
@Suite struct DeprecationTests {
    @Test func theDeprecatedParameterStillFiltersAndSaysSo() async throws {
        try await withHub(configuration: .quiet, testing: .live) { client, _, key in
            let created = try await client.send(
                .post,
                "/v1/subscriptions",
                key: key,
                json: #"{"url":"http://127.0.0.1:9/unreachable","eventTypes":["order.*"]}"#
            )
            let id = try #require(try created.json()["id"]?.stringValue)
            _ = try await client.createOrder(orderJSON(externalID: "DEP-1"), key: key)
            let fannedOut = try await eventually {
                try await client.send(.get, "/v1/deliveries?subscriptionId=\(id)", key: key).json().arrayValue?.isEmpty == false
            }
            #expect(fannedOut)

            let old = try await client.send(.get, "/v1/deliveries?limit=50&subscription=\(id)", key: key)
            #expect(old.status == .ok)
            #expect(old.headers[HTTPField.Name("Deprecation")!] == "@1796342400")
            #expect(old.headers[HTTPField.Name("Sunset")!] == "Thu, 01 Jul 2027 00:00:00 GMT")
            let link = try #require(old.headers[HTTPField.Name("Link")!])
            #expect(link.contains("</v1/deliveries?limit=50&subscriptionId=\(id)>; rel=\"successor-version\""), "\(link)")
            #expect(link.contains("</docs#deprecations>; rel=\"deprecation\""))

            let new = try await client.send(.get, "/v1/deliveries?limit=50&subscriptionId=\(id)", key: key)
            #expect(new.status == .ok)
            #expect(new.headers[HTTPField.Name("Deprecation")!] == nil)
            let oldIDs = try old.json().arrayValue?.compactMap { $0["id"]?.intValue }
            let newIDs = try new.json().arrayValue?.compactMap { $0["id"]?.intValue }
            #expect(oldIDs == newIDs && newIDs?.isEmpty == false)

            let both = try await client.send(.get, "/v1/deliveries?subscriptionId=\(id)&subscription=\(id)", key: key)
            try expectProblem(both, .badRequest, code: "invalid_query", fields: ["subscription"])
            #expect(both.headers[HTTPField.Name("Deprecation")!] == "@1796342400", "a refused deprecated call is still told")
        }
    }

    @Test func metricsCountDeprecatedCallsPerKey() async throws {
        let database = try await TestDatabase()
        defer { database.remove() }
        let hub = try await HubProcess(database: database.url)
        do {
            let key = try #require(hub.bootstrapKey)
            for _ in 0..<2 {
                var request = HTTPClientRequest(url: "\(hub.baseURL)/v1/deliveries?subscription=sub-1")
                request.headers.add(name: "authorization", value: "Bearer \(key)")
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                #expect(response.status == .ok)
                #expect(response.headers.first(name: "deprecation") == "@1796342400")
            }
            var current = HTTPClientRequest(url: "\(hub.baseURL)/v1/deliveries?subscriptionId=sub-1")
            current.headers.add(name: "authorization", value: "Bearer \(key)")
            _ = try await HTTPClient.shared.execute(current, timeout: .seconds(30))
            let metrics = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(hub.baseURL)/metrics"), timeout: .seconds(30))
            let text = String(buffer: try await metrics.body.collect(upTo: 16 << 20))
            let lines = text.split(separator: "\n").filter { $0.hasPrefix("crossdock_deprecated_requests_total{") }
            #expect(lines.count == 1, "\(lines)")
            let line = String(lines.first ?? "")
            #expect(line.contains(#"route="GET /v1/deliveries?subscription""#))
            #expect(line.contains(#"key=""#) && !line.contains(#"key="anonymous""#))
            #expect(line.hasSuffix(" 2"), "\(line)")
        } catch {
            try await hub.stop(SIGTERM)
            throw error
        }
        #expect(try await hub.stop(SIGTERM) == 0)
    }
}

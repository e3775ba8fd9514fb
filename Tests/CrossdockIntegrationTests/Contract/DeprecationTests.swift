import AsyncHTTPClient
import CrossdockDomain
import CrossdockHTTP
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// `GET /v1/orders?cursor=` is deprecated in favour of `after` (docs/api.md): it still works, answers with
/// `Deprecation`, `Sunset` and `Link` headers, and `/metrics` counts its calls per key.
@Suite struct DeprecationTests {
    @Test func theDeprecatedParameterStillPagesAndSaysSo() async throws {
        try await withHub { client, _, key in
            for index in 0..<3 { _ = try await client.createOrder(orderJSON(externalID: "DEP-\(index)"), key: key) }
            let old = try await client.send(.get, "/v1/orders?limit=2&cursor=0", key: key)
            #expect(old.status == .ok)
            #expect(old.headers[HTTPField.Name("Deprecation")!] == "@1796342400")
            #expect(old.headers[HTTPField.Name("Sunset")!] == "Thu, 01 Jul 2027 00:00:00 GMT")
            let link = try #require(old.headers[HTTPField.Name("Link")!])
            #expect(link.contains("</v1/orders?limit=2&after=0>; rel=\"successor-version\""), "\(link)")
            #expect(link.contains("</docs#deprecations>; rel=\"deprecation\""))

            let new = try await client.send(.get, "/v1/orders?limit=2&after=0", key: key)
            #expect(new.headers[HTTPField.Name("Deprecation")!] == nil)
            let oldPage = try old.json()
            let newPage = try new.json()
            #expect(oldPage["orders"] == newPage["orders"])
            #expect(newPage["nextAfter"] != nil && newPage["nextAfter"] == newPage["nextCursor"])

            let next = try #require(newPage["nextAfter"]?.intValue)
            let second = try await client.send(.get, "/v1/orders?limit=2&after=\(next)", key: key)
            let secondCount = try second.json()["orders"]?.arrayValue?.count
            #expect(second.status == .ok && secondCount == 1)

            let both = try await client.send(.get, "/v1/orders?after=0&cursor=0", key: key)
            try expectProblem(both, .badRequest, code: "invalid_query", fields: ["cursor"])
            #expect(both.headers[HTTPField.Name("Deprecation")!] == "@1796342400", "a refused deprecated call is still told")
        }
    }

    @Test func metricsCountDeprecatedCallsPerKey() async throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let hub = try await HubProcess(database: database.path)
        do {
            let key = try #require(hub.bootstrapKey)
            for _ in 0..<2 {
                var request = HTTPClientRequest(url: "\(hub.baseURL)/v1/orders?cursor=0")
                request.headers.add(name: "authorization", value: "Bearer \(key)")
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                #expect(response.status == .ok)
                #expect(response.headers.first(name: "deprecation") == "@1796342400")
            }
            var current = HTTPClientRequest(url: "\(hub.baseURL)/v1/orders?after=0")
            current.headers.add(name: "authorization", value: "Bearer \(key)")
            _ = try await HTTPClient.shared.execute(current, timeout: .seconds(30))
            let metrics = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(hub.baseURL)/metrics"), timeout: .seconds(30))
            let text = String(buffer: try await metrics.body.collect(upTo: 16 << 20))
            let lines = text.split(separator: "\n").filter { $0.hasPrefix("crossdock_deprecated_requests_total{") }
            #expect(lines.count == 1, "\(lines)")
            let line = String(lines.first ?? "")
            #expect(line.contains(#"route="GET /v1/orders?cursor""#))
            #expect(line.contains(#"key=""#) && !line.contains(#"key="anonymous""#))
            #expect(line.hasSuffix(" 2"), "\(line)")
        } catch {
            try await hub.stop(SIGTERM)
            throw error
        }
        #expect(try await hub.stop(SIGTERM) == 0)
    }
}

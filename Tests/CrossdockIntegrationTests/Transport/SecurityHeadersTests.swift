import CrossdockDomain
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every response carries the security headers, errors and unknown paths included; `/v1` answers are never cached.
@Suite struct SecurityHeadersTests {
    static func expectSecurityHeaders(_ response: TestResponse, noStore: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", sourceLocation: sourceLocation)
        #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", sourceLocation: sourceLocation)
        #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", sourceLocation: sourceLocation)
        #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true, sourceLocation: sourceLocation)
        #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true, sourceLocation: sourceLocation)
        #expect((response.headers[.cacheControl] == "no-store") == noStore, sourceLocation: sourceLocation)
        #expect(response.headers[.strictTransportSecurity] == nil, "no HSTS over plain HTTP", sourceLocation: sourceLocation)
    }

    @Test func successesErrorsAndUnknownPathsCarryThem() async throws {
        try await withHub { client, _, key in
            Self.expectSecurityHeaders(try await client.send(.get, "/health/live", key: nil), noStore: false)
            Self.expectSecurityHeaders(try await client.send(.get, "/openapi.yaml", key: nil), noStore: false)
            Self.expectSecurityHeaders(try await client.send(.get, "/no/such/path", key: nil), noStore: false)
            Self.expectSecurityHeaders(try await client.send(.get, "/v1/orders", key: key), noStore: true)
            Self.expectSecurityHeaders(try await client.send(.get, "/v1/orders", key: nil), noStore: true)
            Self.expectSecurityHeaders(try await client.send(.get, "/v1/orders/nope", key: key), noStore: true)
            Self.expectSecurityHeaders(try await client.send(.post, "/v1/orders", key: key, json: "{"), noStore: true)
            Self.expectSecurityHeaders(try await client.send(.get, "/v1/event-types", key: nil), noStore: true)
            // The console's own form posts must carry its Origin (a browser sends `Origin: null` under no-referrer).
            let console = try await client.send(.get, "/console/sign-in", key: nil)
            #expect(console.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            let created = try await client.postOrder(orderJSON(externalID: "SH-1"), key: key)
            #expect(created.status == .created)
            Self.expectSecurityHeaders(created, noStore: true)
        }
    }

    /// `Server-Timing: app;dur=…` (milliseconds, three decimals) on every answer, errors and unknown paths included.
    @Test func everyAnswerSaysHowLongTheHubSpentOnIt() async throws {
        try await withHub { client, _, key in
            for (method, path, credential, body) in [
                (HTTPRequest.Method.get, "/health/live", nil, nil), (.get, "/no/such/path", nil, nil), (.get, "/v1/orders", nil, nil),
                (.get, "/v1/orders/nope", key, nil), (.post, "/v1/orders", key, "{"), (.get, "/console/sign-in", nil, nil),
                (.get, "/v1/search?q=PO-1", key, nil),
            ] as [(HTTPRequest.Method, String, String?, String?)] {
                let response = try await client.send(method, path, key: credential, json: body)
                let timing = response.headers[HTTPField.Name("Server-Timing")!] ?? ""
                #expect(timing.wholeMatch(of: /app;dur=[0-9]+\.[0-9]{3}/) != nil, "\(method) \(path): \(timing)")
            }
        }
    }

    @Test func theDocsPageHasItsOwnStrictPolicy() async throws {
        try await withHub(catalog: nil) { client, _, _ in
            let docs = try await client.send(.get, "/docs", key: nil)
            let policy = try #require(docs.headers[.contentSecurityPolicy])
            #expect(policy.hasPrefix("default-src 'none'; style-src 'sha256-"))
            #expect(!policy.contains("unsafe-inline") && !policy.contains("script-src"))
            #expect(docs.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
        }
    }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockStore
import CrossdockTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Rate limits per key and per partner: the draft's `RateLimit-Policy` and `RateLimit` headers on every limited
/// response, 429 `rate_limited` with `Retry-After` over the limit (and nothing done), policies changed at runtime
/// through `/v1/rate-limits`, bad policies refused by field. Windows of a day keep a window edge out of the test. Runs
/// on the backend of the test run (SQLite, or PostgreSQL with `CROSSDOCK_TEST_BACKEND=postgres`).
@Suite struct RateLimitTests {
    static let policyHeader = HTTPField.Name("RateLimit-Policy")!
    static let limitHeader = HTTPField.Name("RateLimit")!

    static func limited(_ policies: [RateLimitPolicy]) -> Hub.Configuration {
        var configuration = Hub.Configuration.quiet
        configuration.defaultRateLimits = policies
        return configuration
    }

    @Test func aKeyOverItsLimitIsAnswered429WithRetryAfterAndNothingIsDone() async throws {
        let configuration = Self.limited([RateLimitPolicy(subject: "key:*", requests: 4, windowSeconds: 86_400)])
        try await withHub(configuration: configuration) { client, database, admin in
            let erp = try await APIKeys.create(in: database.store, name: "erp", scopes: ["orders:write", "orders:read"]).1
            for remaining in [3, 2, 1, 0] {
                let answer = try await client.send(.get, "/v1/orders", key: erp)
                #expect(answer.status == .ok)
                #expect(answer.headers[Self.policyHeader] == #""key";q=4;w=86400"#)
                let reset = try #require(Self.reset(answer.headers[Self.limitHeader]))
                #expect(answer.headers[Self.limitHeader] == #""key";r=\#(remaining);t=\#(reset)"#)
                #expect((1...86_400).contains(reset))
            }
            let orders = try await database.store.rowCounts()["orders"]
            let refused = try await client.send(.post, "/v1/orders", key: erp, json: orderJSON(externalID: "RL-1"))
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.contentType] == "application/problem+json")
            let problem = try refused.json()
            #expect(problem["code"]?.stringValue == "rate_limited")
            #expect(problem["policy"]?.stringValue == "key")
            let retry = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...86_400).contains(retry))
            #expect(refused.headers[Self.limitHeader]?.hasPrefix(#""key";r=0;"#) == true)
            #expect(try await database.store.rowCounts()["orders"] == orders, "a refused request does nothing")
            // Errors of a limited key carry the headers too; another key has its own window.
            #expect(try await client.send(.get, "/v1/orders/none", key: erp).status == .tooManyRequests)
            let other = try await client.send(.get, "/v1/orders/none", key: admin)
            #expect(other.status == .notFound)
            #expect(other.headers[Self.limitHeader]?.hasPrefix(#""key";r=3;"#) == true)
        }
    }

    /// A refusal is held for the configured delay before it is answered (a client that ignores `Retry-After` then
    /// cannot ask as fast as the hub can refuse); a spent window is refused from memory, and a raised limit reopens it.
    @Test func aRefusalIsHeldForTheDelayAndARaisedLimitReopensASpentWindow() async throws {
        var configuration = Self.limited([])
        configuration.rateLimitRefusalDelay = .milliseconds(400)
        try await withHub(configuration: configuration) { client, database, admin in
            let (record, erp) = try await APIKeys.create(in: database.store, name: "erp", scopes: ["orders:read"])
            let path = "/v1/rate-limits/key:\(record.id)"
            #expect(try await client.send(.put, path, key: admin, json: #"{"requests":2,"windowSeconds":86400}"#).status == .ok)
            try await Task.sleep(for: .milliseconds(1200))
            for _ in 0..<2 { #expect(try await client.send(.get, "/v1/orders", key: erp).status == .ok) }
            for _ in 0..<3 {
                let asked = ContinuousClock.now
                let refused = try await client.send(.get, "/v1/orders", key: erp)
                #expect(refused.status == .tooManyRequests)
                #expect(ContinuousClock.now - asked >= .milliseconds(400), "the refusal was held")
                #expect(refused.headers[Self.limitHeader]?.hasPrefix(#""key";r=0;"#) == true)
                #expect(refused.headers[.retryAfter].flatMap { Int($0) }.map { (1...86_400).contains($0) } == true)
            }
            #expect(try await client.send(.put, path, key: admin, json: #"{"requests":4,"windowSeconds":86400}"#).status == .ok)
            try await Task.sleep(for: .milliseconds(1200))
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<3 { statuses.append(try await client.send(.get, "/v1/orders", key: erp).status) }
            #expect(statuses == [.ok, .ok, .tooManyRequests], "the raised limit admits its two more requests of the spent window")
        }
    }

    /// A burst within the limit is admitted whole but spread at the limit's rate: at 20 per second, 10 requests sent at
    /// once are all answered 200, the last no sooner than 9 × 50 ms after the first was sent (a twentieth of 20 passes
    /// at once). With pacing off the same burst is admitted too.
    @Test func aBurstWithinTheLimitIsAdmittedWholeAndSpreadAtTheLimitsRate() async throws {
        for pacing in [Duration.seconds(1), .zero] {
            var configuration = Self.limited([RateLimitPolicy(subject: "key:*", requests: 20, windowSeconds: 1)])
            configuration.rateLimitPacing = pacing
            try await withHub(configuration: configuration) { client, database, _ in
                let erp = try await APIKeys.create(in: database.store, name: "erp", scopes: ["orders:read"]).1
                let sent = ContinuousClock.now
                let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, Duration).self) { group in
                    for _ in 0..<10 {
                        group.addTask {
                            let answer = try await client.send(.get, "/v1/orders", key: erp)
                            return (answer.status, ContinuousClock.now - sent)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(answers.map(\.0) == Array(repeating: .ok, count: 10), "pacing refuses nothing")
                if pacing > .zero {
                    #expect(answers.map(\.1).max()! >= .milliseconds(450), "the burst was spread at 50 ms a request")
                }
            }
        }
    }

    @Test func aPartnersKeysShareItsLimitAndOtherPartnersAreUntouched() async throws {
        try await withHub(configuration: .quiet) { client, database, admin in
            let store = database.store
            let scopes = ["orders:read"]
            let shopA1 = try await APIKeys.create(in: store, name: "a1", scopes: scopes, partner: "shop-a").1
            let shopA2 = try await APIKeys.create(in: store, name: "a2", scopes: scopes, partner: "shop-a").1
            let shopB = try await APIKeys.create(in: store, name: "b", scopes: scopes, partner: "shop-b").1
            // Unlimited until a policy exists: no headers.
            let free = try await client.send(.get, "/v1/orders", key: shopA1)
            #expect(free.status == .ok && free.headers[Self.policyHeader] == nil)
            let put = try await client.send(.put, "/v1/rate-limits/partner:shop-a", key: admin, json: #"{"requests":5,"windowSeconds":86400}"#)
            #expect(put.status == .ok, "\(put.text)")
            #expect(try put.json()["subject"]?.stringValue == "partner:shop-a")
            // The hub reads policies again at most a second after it last did.
            try await Task.sleep(for: .milliseconds(1200))
            var statuses: [HTTPResponse.Status] = []
            for key in [shopA1, shopA2, shopA1, shopA2, shopA1, shopA2] {
                let answer = try await client.send(.get, "/v1/orders", key: key)
                statuses.append(answer.status)
                #expect(answer.headers[Self.policyHeader] == #""partner";q=5;w=86400"#)
            }
            #expect(statuses == [.ok, .ok, .ok, .ok, .ok, .tooManyRequests], "the two keys of shop-a share its 5 requests")
            let refused = try await client.send(.get, "/v1/orders", key: shopA1)
            #expect(try refused.json()["policy"]?.stringValue == "partner")
            #expect(try await client.send(.get, "/v1/orders", key: shopB).status == .ok, "shop-b has no policy")
            // A partner-bound key cannot change limits.
            let forbidden = try await client.send(.delete, "/v1/rate-limits/partner:shop-a", key: shopA1)
            #expect(forbidden.status == .tooManyRequests || forbidden.status == .forbidden)
            #expect(try await client.send(.delete, "/v1/rate-limits/partner:shop-a", key: shopB).status == .forbidden)
            // Removed, the limit is gone within the same bound.
            #expect(try await client.send(.delete, "/v1/rate-limits/partner:shop-a", key: admin).status == .noContent)
            try await Task.sleep(for: .milliseconds(1200))
            #expect(try await client.send(.get, "/v1/orders", key: shopA2).status == .ok)
        }
    }

    @Test func policiesAreListedAuditedAndBadOnesRefusedByField() async throws {
        let configuration = Self.limited([RateLimitPolicy(subject: "partner:*", requests: 3000, windowSeconds: 60)])
        try await withHub(configuration: configuration) { client, database, admin in
            let (record, _) = try await APIKeys.create(in: database.store, name: "erp", scopes: ["orders:read"])
            let path = "/v1/rate-limits/key:\(record.id)"
            #expect(try await client.send(.put, path, key: admin, json: #"{"requests":600,"windowSeconds":60}"#).status == .ok)
            #expect(try await client.send(.put, path, key: admin, json: #"{"requests":900,"windowSeconds":60}"#).status == .ok)
            let listing = try await client.send(.get, "/v1/rate-limits", key: admin).json()
            let policies = listing["policies"]?.arrayValue ?? []
            #expect(policies.count == 1)
            #expect(policies.first?["subject"]?.stringValue == "key:\(record.id)" && policies.first?["requests"]?.intValue == 900)
            #expect(listing["serveDefaults"]?["partner"]?["requests"]?.intValue == 3000)
            #expect(listing["serveDefaults"]?["key"] == nil)
            var query = AuditQuery(limit: 10)
            query.resource = "rate-limit"
            let audit = try await database.store.auditEntries(query)
            let change = try #require(audit.last)
            #expect((change.changes ?? []).contains { $0.field == "requests" && $0.before == .number(600) && $0.after == .number(900) })

            let before = try await database.store.rateLimitPolicies()
            let cases: [(String, String, HTTPResponse.Status, String)] = [
                ("/v1/rate-limits/key:\(record.id)", #"{"requests":0,"windowSeconds":60}"#, .unprocessableContent, "requests"),
                ("/v1/rate-limits/key:\(record.id)", #"{"requests":10,"windowSeconds":86401}"#, .unprocessableContent, "windowSeconds"),
                ("/v1/rate-limits/key:\(record.id)", #"{"requests":10,"windowSeconds":60,"burst":5}"#, .unprocessableContent, "burst"),
                ("/v1/rate-limits/key:no-such-key", #"{"requests":10,"windowSeconds":60}"#, .unprocessableContent, "subject"),
                ("/v1/rate-limits/team:ops", #"{"requests":10,"windowSeconds":60}"#, .badRequest, "subject"),
            ]
            for (path, body, status, field) in cases {
                let answer = try await client.send(.put, path, key: admin, json: body)
                #expect(answer.status == status, "\(path) \(body): \(answer.text)")
                #expect(answer.text.contains(#""field":"\#(field)""#), "\(path) \(body) names \(field): \(answer.text)")
            }
            #expect(try await database.store.rateLimitPolicies() == before, "refused policies change nothing")
            #expect(try await client.send(.delete, "/v1/rate-limits/partner:nobody", key: admin).status == .notFound)
        }
    }

    /// The `t` of a `RateLimit` header's first item.
    static func reset(_ header: String?) -> Int? {
        guard let header, let range = header.range(of: ";t=") else { return nil }
        return Int(header[range.upperBound...].prefix { $0.isNumber })
    }
}

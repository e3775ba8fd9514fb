import CrossdockDomain
import CrossdockEngine
import CrossdockSandbox
import CrossdockStore
import CrossdockTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// API keys over their life: expiry, last use, rotation and revocation, in the store (both backends), at the HTTP
/// edge and through `crossdock keys`.
@Suite struct KeyLifecycleTests {
    @Test(arguments: Backend.available)
    func theStoreRotatesRevokesAndRecordsLastUse(backend: Backend) async throws {
        let database = try await TestDatabase(backend: backend)
        defer { database.remove() }
        try await database.store.withRunning {
            let store = database.store
            let expiry = Date().addingTimeInterval(86_400).rounded
            let (record, secret) = try await APIKeys.create(in: store, name: "erp", scopes: ["orders:read"], partner: "erp-1", expiresAt: expiry)
            let stored = try #require(try await store.key(hash: APIKeys.hash(secret)))
            #expect(stored.expiresAt == expiry && stored.revokedAt == nil && stored.lastUsedAt == nil && stored.partner == "erp-1")

            let used = Date().rounded
            try await store.touchKey(record.id, at: used)
            try await store.touchKey(record.id, at: used.addingTimeInterval(30))
            #expect(try await store.keys().first { $0.id == record.id }?.lastUsedAt == used, "one write a minute at most")
            try await store.touchKey(record.id, at: used.addingTimeInterval(61))
            #expect(try await store.keys().first { $0.id == record.id }?.lastUsedAt == used.addingTimeInterval(61))

            let rotated = try #require(try await APIKeys.rotate(in: store, id: record.id))
            #expect(try await store.key(hash: APIKeys.hash(secret)) == nil, "the old secret is gone")
            #expect(try await store.key(hash: APIKeys.hash(rotated))?.id == record.id, "same key, new secret")
            #expect(try await APIKeys.rotate(in: store, id: "no-such-key") == nil)

            #expect(try await store.revokeKey(record.id, at: Date()))
            #expect(try await store.revokeKey(record.id, at: Date()) == false, "revoked once")
            #expect(try await APIKeys.rotate(in: store, id: record.id) == nil, "a revoked key cannot be brought back")
            let revoked = try #require(try await store.key(hash: APIKeys.hash(rotated)))
            #expect(revoked.refusal(at: Date()) == .revoked)
            #expect(try await store.keys().contains { $0.id == record.id && $0.revokedAt != nil }, "listed with its revocation")

            await #expect(throws: EngineError.self) {
                _ = try await APIKeys.create(in: store, name: "late", scopes: ["orders:read"], expiresAt: Date().addingTimeInterval(-1))
            }
        }
    }

    @Test func theHubRefusesRevokedRotatedAndExpiredKeys() async throws {
        try await withHub { client, database, _ in
            let store = database.store
            let (record, secret) = try await APIKeys.create(in: store, name: "shop", scopes: ["orders:read"])
            #expect(try await client.send(.get, "/v1/orders", key: secret).status == .ok)

            // Rotation through the hub's store: the new secret works and the old one is refused at once (the key
            // cache is dropped when the store's key generation moves; no waiting for its 1 s bound).
            let rotated = try #require(try await APIKeys.rotate(in: store, id: record.id))
            #expect(try await client.send(.get, "/v1/orders", key: rotated).status == .ok)
            #expect(try await client.send(.get, "/v1/orders", key: secret).status == .unauthorized)

            // Revocation: refused on the very next request, with a problem that says why.
            #expect(try await client.send(.get, "/v1/orders", key: rotated).status == .ok, "cached again")
            #expect(try await store.revokeKey(record.id, at: Date()))
            let revoked = try await client.send(.get, "/v1/orders", key: rotated)
            #expect(revoked.status == .unauthorized)
            #expect(revoked.text.contains("Revoked API key"))
            #expect(revoked.headers[.wwwAuthenticate]?.contains("invalid_token") == true)

            // Expiry needs no cache bound: a key past its expiry is refused on the first request.
            let expired = "cdk_expired-test-secret"
            try await store.insertKey(
                APIKeyRecord(
                    id: "expired-key",
                    name: "old",
                    hash: APIKeys.hash(expired),
                    scopes: ["orders:read"],
                    partner: nil,
                    createdAt: Date().addingTimeInterval(-7200),
                    expiresAt: Date().addingTimeInterval(-60)
                )
            )
            let refused = try await client.send(.get, "/v1/orders", key: expired)
            #expect(refused.status == .unauthorized && refused.text.contains("Expired API key"))

            // Use is recorded.
            #expect(try await store.keys().first { $0.id == record.id }?.lastUsedAt != nil)
        }
    }

    @Test func keysListRotateAndRevokeOnTheCommandLine() async throws {
        let database = try await TestDatabase()
        defer { database.remove() }
        let executable = try HubProcess.executable
        func run(_ arguments: [String]) throws -> ChildProcess.Result { try ChildProcess.run(executable, arguments) }

        let created = try run(["keys", "create", "--db", database.url, "--name", "wms", "--scopes", "orders:read", "--expires", "30d"])
        #expect(created.status == 0, "\(created.text)")
        #expect(created.text.contains("expires 20"))
        let summary = try #require(created.text.split(separator: "\n").first { $0.hasPrefix("created key ") })
        let id = try #require(summary.split(separator: " ").dropFirst(2).first.map(String.init))

        let listed = try run(["keys", "list", "--db", database.url])
        #expect(listed.status == 0)
        let line = try #require(listed.text.split(separator: "\n").first { $0.hasPrefix(id) })
        #expect(line.contains("wms") && line.contains("active") && line.contains("never"))

        let rotated = try run(["keys", "rotate", "--db", database.url, id])
        #expect(rotated.status == 0)
        #expect(rotated.text.split(separator: "\n").last?.hasPrefix("cdk_") == true, "the new secret alone on the last line")

        #expect(try run(["keys", "revoke", "--db", database.url, id]).status == 0)
        let again = try run(["keys", "revoke", "--db", database.url, id])
        #expect(again.status != 0 && again.text.contains("no active key"))
        #expect(try run(["keys", "list", "--db", database.url]).text.split(separator: "\n").contains { $0.hasPrefix(id) && $0.contains("revoked") })

        let bad = try run(["keys", "create", "--db", database.url, "--name", "x", "--scopes", "orders:read", "--expires", "soon"])
        #expect(bad.status != 0 && bad.text.contains("--expires takes"))
    }
}

extension Date {
    /// To the millisecond, as both stores keep it.
    fileprivate var rounded: Date { Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000) }
}

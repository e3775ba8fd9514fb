import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOHTTP1
import Testing

/// Subscription and partner secrets encrypted at rest, on both backends: what the columns hold, what the store reads,
/// the rotation to a new key, and deliveries signed (or refused) with what the store opens.
@Suite struct SecretsAtRestTests {
    static func secret() -> String {
        "whsec_" + Data((0..<24).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }

    static func subscription(_ id: String, secret: String) -> Subscription {
        Subscription(id: id, url: "http://127.0.0.1:9/hook", eventTypes: ["order.*"], secret: secret, createdAt: Date(), cursor: 0)
    }

    static func shop(_ id: String, secret: String) -> PartnerRecord {
        let document =
            #"{"id": "\#(id)", "shopDomain": "acme.myshopify.com", "webhookSecret": "\#(secret)", "customers": {"c-1": "CUST-001"}, "units": 12}"#
        return PartnerRecord(id: id, kind: "shopify", document: Data(document.utf8), updatedAt: Date())
    }

    static func carrier(_ id: String, secret: String) -> PartnerRecord {
        let document = #"{"id": "\#(id)", "format": "generic", "secret": "\#(secret)"}"#
        return PartnerRecord(id: id, kind: "carrier", document: Data(document.utf8), updatedAt: Date())
    }

    /// The string member `name` of a stored profile as the store reads it.
    static func member(_ record: PartnerRecord?, _ name: String) throws -> String? {
        try JSONDecoder().decode(JSONValue.self, from: try #require(record).document)[name]?.stringValue
    }

    static func column(_ database: TestDatabase, _ column: String, _ id: String) async throws -> String? {
        try await SQLProbe.string(database, "SELECT \(column) FROM subscriptions WHERE id = '\(id)'")
    }

    @Test(arguments: Backend.available)
    func secretsAreCiphertextInTheDatabaseAndPlainThroughTheStore(backend: Backend) async throws {
        let box = try SecretBox(key: SecretBoxTests.newKey())
        let keyID = try #require(box.keyID)
        let database = try await TestDatabase(backend: backend, secrets: box)
        defer { database.remove() }
        let store = database.store
        let (first, second, webhookSecret) = (Self.secret(), Self.secret(), "shpss_" + UUID().uuidString)
        try await store.withRunning {
            try await store.insertSubscription(Self.subscription("sub-a", secret: first))
            let stored = try #require(try await Self.column(database, "secret", "sub-a"))
            #expect(stored.hasPrefix("enc:v1:\(keyID):"), "ciphertext, named by its key")
            #expect(!stored.contains(first) && !stored.contains(first.dropFirst(6)))
            #expect(try await store.subscription("sub-a")?.secret == first)

            #expect(try await store.rotateSubscriptionSecret("sub-a", secret: second, previousValidUntil: Date().addingTimeInterval(3600)))
            for column in ["secret", "previous_secret"] {
                #expect(try await Self.column(database, column, "sub-a")?.hasPrefix("enc:v1:\(keyID):") == true, "\(column)")
            }
            let rotated = try #require(try await store.subscriptions().first { $0.id == "sub-a" })
            #expect(rotated.secret == second && rotated.previousSecret == first && rotated.secretUnavailable == nil)
            #expect(rotated.signingSecrets(at: Date()) == [second, first])

            try await store.putPartner(Self.shop("shop-1", secret: webhookSecret))
            let document = try #require(try await SQLProbe.partnerDocument(database, "shop-1"))
            #expect(document.contains("enc:v1:\(keyID):") && !document.contains(webhookSecret))
            #expect(document.contains("acme.myshopify.com"), "other members stay readable")
            let read = try await store.partner("shop-1")
            #expect(try Self.member(read, "webhookSecret") == webhookSecret)
            #expect(try Self.member(read, "shopDomain") == "acme.myshopify.com")
            let decoded = try JSONDecoder().decode(JSONValue.self, from: try #require(read).document)
            #expect(decoded["units"] == .number(12) && decoded["customers"]?["c-1"]?.stringValue == "CUST-001")
            #expect(try Self.member(try await store.partners(kind: "shopify").first, "webhookSecret") == webhookSecret)

            // A ciphertext copied into another row does not open there: that subscription reads, without secrets.
            try await store.insertSubscription(Self.subscription("sub-b", secret: Self.secret()))
            try await SQLProbe.execute(
                database,
                "UPDATE subscriptions SET secret = (SELECT secret FROM subscriptions WHERE id = 'sub-a') WHERE id = 'sub-b'"
            )
            let moved = try #require(try await store.subscription("sub-b"))
            #expect(moved.secret.isEmpty && moved.signingSecrets(at: Date()) == [""])
            let reason = try #require(moved.secretUnavailable)
            #expect(reason.contains("secret_unreadable") && reason.contains("subscription sub-b"), "\(reason)")
            #expect(!reason.contains(second))
        }
    }

    @Test(arguments: Backend.available)
    func theRotationReencryptsLegacyAndOldKeySecretsOnceAndWritesNothingWhenAKeyIsMissing(backend: Backend) async throws {
        let (oldKey, newKey) = (SecretBoxTests.newKey(), SecretBoxTests.newKey())
        let old = try SecretBox(key: oldKey)
        let (oldID, newID) = (try #require(old.keyID), try #require(try SecretBox(key: newKey).keyID))
        let database = try await TestDatabase(backend: backend)  // written before any key was configured
        defer { database.remove() }
        let (plain1, plain2, oldSecret) = (Self.secret(), Self.secret(), Self.secret())
        let (shopSecret, carrierSecret) = ("shop-secret-" + UUID().uuidString, "carrier-secret-" + UUID().uuidString)
        try await database.store.withRunning {
            try await database.store.insertSubscription(Self.subscription("a-plain", secret: plain1))
            _ = try await database.store.rotateSubscriptionSecret("a-plain", secret: plain2, previousValidUntil: Date().addingTimeInterval(3600))
            try await database.store.putPartner(Self.shop("shop-1", secret: shopSecret))
        }
        #expect(try await Self.column(database, "secret", "a-plain") == plain2, "plaintext without a key")
        #expect(try await SQLProbe.partnerDocument(database, "shop-1")?.contains(shopSecret) == true)
        let oldStore = try await database.reopen(secrets: old)
        try await oldStore.withRunning {
            try await oldStore.insertSubscription(Self.subscription("b-old", secret: oldSecret))
            try await oldStore.putPartner(Self.carrier("carrier-1", secret: carrierSecret))
            #expect(try await oldStore.subscription("a-plain")?.secret == plain2, "legacy plaintext still reads")
            #expect(try Self.member(try await oldStore.partner("shop-1"), "webhookSecret") == shopSecret)
        }

        // The new key alone cannot open b-old: the rotation fails naming it and the key it needs, and a-plain (rewritten
        // before it in the same transaction) stays as it was.
        let missing = try await database.reopen(secrets: try SecretBox(key: newKey))
        try await missing.withRunning {
            let error = try await #require(throws: SecretError.self) { try await missing.resealSecrets() }
            #expect(error.code == .keyMissing, "\(error)")
            #expect(error.message.contains("subscription b-old") && error.message.contains(oldID), "\(error)")
            #expect(!error.description.contains(oldSecret))
        }
        #expect(try await Self.column(database, "secret", "a-plain") == plain2, "one transaction: nothing was written")

        let rotating = try await database.reopen(secrets: try SecretBox(key: newKey, previousKey: oldKey))
        try await rotating.withRunning {
            let first = try await rotating.resealSecrets()
            #expect(first == SecretResealing(subscriptionSecrets: 3, partnerSecrets: 2, unchanged: 0))
            let second = try await rotating.resealSecrets()
            #expect(second == SecretResealing(subscriptionSecrets: 0, partnerSecrets: 0, unchanged: 5), "a second run changes nothing")
        }
        for (id, column) in [("a-plain", "secret"), ("a-plain", "previous_secret"), ("b-old", "secret")] {
            #expect(try await Self.column(database, column, id)?.hasPrefix("enc:v1:\(newID):") == true, "\(id).\(column)")
        }
        for id in ["shop-1", "carrier-1"] {
            let document = try #require(try await SQLProbe.partnerDocument(database, id))
            #expect(document.contains("enc:v1:\(newID):") && !document.contains(shopSecret) && !document.contains(carrierSecret))
        }

        // Once rotated, the new key alone reads everything; the old key alone reads nothing it needs.
        let after = try await database.reopen(secrets: try SecretBox(key: newKey))
        try await after.withRunning {
            let a = try #require(try await after.subscription("a-plain"))
            #expect(a.secret == plain2 && a.previousSecret == plain1)
            #expect(try await after.subscription("b-old")?.secret == oldSecret)
            #expect(try Self.member(try await after.partner("shop-1"), "webhookSecret") == shopSecret)
            #expect(try Self.member(try await after.partner("carrier-1"), "secret") == carrierSecret)
        }
        let stale = try await database.reopen(secrets: old)
        try await stale.withRunning {
            let b = try #require(try await stale.subscription("b-old"))
            #expect(b.secret.isEmpty && b.secretUnavailable?.contains(newID) == true)
            let error = try await #require(throws: SecretError.self) { try await stale.partner("carrier-1") }
            #expect(error.code == .keyMissing && error.message.contains("partner carrier-1") && error.message.contains(newID), "\(error)")
            #expect(!error.description.contains(carrierSecret))
        }
    }

    @Test(arguments: Backend.available)
    func aPreviousSecretThatDoesNotOpenIsDroppedOnceExpiredAndBlocksDeliveryWithinItsOverlap(backend: Backend) async throws {
        let box = try SecretBox(key: SecretBoxTests.newKey())
        let database = try await TestDatabase(backend: backend, secrets: box)
        defer { database.remove() }
        let store = database.store
        let (first, second) = (Self.secret(), Self.secret())
        try await store.withRunning {
            try await store.insertSubscription(Self.subscription("sub-c", secret: first))
            #expect(try await store.rotateSubscriptionSecret("sub-c", secret: second, previousValidUntil: Date().addingTimeInterval(-1)))
            let foreign = try SecretBox(key: SecretBoxTests.newKey()).seal(first, for: .subscription("sub-c"))
            try await SQLProbe.execute(database, "UPDATE subscriptions SET previous_secret = '\(foreign)' WHERE id = 'sub-c'")
            let expired = try #require(try await store.subscription("sub-c"))
            #expect(expired.secretUnavailable == nil && expired.secret == second && expired.previousSecret == nil)
            #expect(try await store.resealSecrets() == SecretResealing(unchanged: 1, skipped: 1))

            let future = Date().addingTimeInterval(3600).timeIntervalSince1970
            try await SQLProbe.execute(database, "UPDATE subscriptions SET previous_secret_expires_at = \(future) WHERE id = 'sub-c'")
            let overlapping = try #require(try await store.subscription("sub-c"))
            #expect(overlapping.secretUnavailable?.contains("subscription sub-c") == true && overlapping.secret.isEmpty)
            await #expect(throws: SecretError.self) { try await store.resealSecrets() }
        }
    }

    @Test func deliveriesAreSignedWithTheStoredSecretAndNotSentWhenItCannotBeOpened() async throws {
        let box = try SecretBox(key: SecretBoxTests.newKey())
        let receiver = TestReceiver(mode: .accept(delay: .zero))
        try await withReceiver(receiver) { url in
            try await withLiveHub(configuration: CrossdockHTTPConfiguration.fastRetries, secrets: box) { baseURL, key, database in
                let hub = HubClient(baseURL: baseURL, apiKey: key)
                let created = try await hub.expectSuccess(
                    .POST,
                    "/v1/subscriptions",
                    json: DispatcherTests.NewSubscription(url: url, eventTypes: ["order.received"], secret: receiver.secret)
                )
                let id = try #require(try JSONDecoder().decode(JSONValue.self, from: Data(created.body))["id"]?.stringValue)
                let stored = try #require(try await Self.column(database, "secret", id))
                #expect(stored.hasPrefix("enc:v1:") && !stored.contains(receiver.secret))

                let orders = Catalog().orders(count: 2, seed: 71, scarceBias: 0)
                try await hub.expectSuccess(.POST, "/v1/orders", json: orders[0])
                #expect(try await eventually(timeout: .seconds(20)) { !receiver.receipts.isEmpty })
                let receipt = try #require(receiver.receipts.first)
                #expect(receipt.signatureValid, "signed with the secret the store decrypted")

                // The stored secret now needs a key this hub was not given: nothing goes out, unsigned or otherwise,
                // and the delivery's error says why.
                let foreign = try SecretBox(key: SecretBoxTests.newKey())
                let sealed = foreign.seal(receiver.secret, for: .subscription(id))
                try await SQLProbe.execute(database, "UPDATE subscriptions SET secret = '\(sealed)' WHERE id = '\(id)'")
                let received = receiver.receipts.count
                try await hub.expectSuccess(.POST, "/v1/orders", json: orders[1])
                let failed = try await eventually(timeout: .seconds(20)) {
                    try await database.store.allDeliveries().contains { $0.delivery.lastError?.contains("secret_key_missing") == true }
                }
                #expect(failed)
                let detail = try #require(try await database.store.allDeliveries().first { $0.delivery.lastError != nil })
                let error = try #require(detail.delivery.lastError)
                let foreignID = try #require(foreign.keyID)
                #expect(error.contains("subscription \(id)") && error.contains(foreignID), "\(error)")
                #expect(!error.contains(receiver.secret))
                #expect(receiver.receipts.count == received, "nothing was sent")
            }
        }
    }

    @Test func aPartnerSecretStoredEncryptedAuthenticatesItsWebhooksAndOneThatCannotBeOpenedFailsWithoutACrash() async throws {
        let box = try SecretBox(key: SecretBoxTests.newKey())
        try await withHub(secrets: box) { client, database, key in
            #expect(try await client.send(.put, "/v1/partners/acme-shop", key: key, json: ChannelRouteTests.shop).status == .ok)
            let document = try #require(try await SQLProbe.partnerDocument(database, "acme-shop"))
            #expect(document.contains("enc:v1:") && !document.contains(ChannelRouteTests.shopSecret))
            let shown = try await client.send(.get, "/v1/partners/acme-shop", key: key)
            #expect(shown.status == .ok && shown.text.contains("\"***\"") && !shown.text.contains("enc:v1:"))
            let created = try await ChannelRouteTests.postShopify(client, ChannelRouteTests.shopifyOrder(), webhookID: "wh-1")
            #expect(created.status == .created, "verified with the decrypted secret: \(created.text)")

            // The profile's secret now needs a key the hub was not given: requests that need it fail (500, logged
            // with the partner and the key id), nothing is created, and the hub goes on serving.
            let foreign = try SecretBox(key: SecretBoxTests.newKey())
            let sealed = foreign.seal(ChannelRouteTests.shopSecret, for: .partner("acme-shop", member: "webhookSecret"))
            let replaced = document.replacingOccurrences(
                of: #"enc:v1:[0-9a-f]{8}:[A-Za-z0-9+/=]+"#,
                with: sealed,
                options: .regularExpression
            )
            let column = database.backend == .sqlite ? "CAST('\(replaced)' AS BLOB)" : "convert_to('\(replaced)', 'UTF8')"
            try await SQLProbe.execute(database, "UPDATE partners SET doc = \(column) WHERE id = 'acme-shop'")
            let refused = try await ChannelRouteTests.postShopify(client, ChannelRouteTests.shopifyOrder(id: 42), webhookID: "wh-2")
            #expect(refused.status == .internalServerError, "\(refused.text)")
            #expect(!refused.text.contains(ChannelRouteTests.shopSecret))
            #expect(try await client.send(.get, "/v1/partners/acme-shop", key: key).status == .internalServerError)
            #expect(try await database.store.rowCounts()["orders"] == 1)
            #expect(try await client.send(.get, "/v1/orders", key: key).status == .ok)
        }
    }
}

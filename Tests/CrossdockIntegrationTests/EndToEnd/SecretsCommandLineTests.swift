import CrossdockDomain
import CrossdockStore
import CrossdockTestSupport
import Foundation
import Testing

/// `crossdock secrets rotate` and the secret key settings of `crossdock serve`, run as child processes.
@Suite struct SecretsCommandLineTests {
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        var inherited = ProcessInfo.processInfo.environment
        inherited["CROSSDOCK_SECRET_KEY"] = nil
        inherited["CROSSDOCK_SECRET_KEY_PREVIOUS"] = nil
        let result = try ChildProcess.run(try HubProcess.executable, arguments, environment: inherited.merging(environment) { $1 })
        return (result.status, result.text)
    }

    @Test func rotateReencryptsLegacyAndOldKeySecretsWithTheNewKeyAndASecondRunChangesNothing() async throws {
        let (oldKey, newKey) = (SecretBoxTests.newKey(), SecretBoxTests.newKey())
        let newID = try #require(try SecretBox(key: newKey).keyID)
        let database = try await TestDatabase()
        defer { database.remove() }
        let (legacy, sealed) = (SecretsAtRestTests.secret(), SecretsAtRestTests.secret())
        let shopSecret = "shop-secret-" + UUID().uuidString
        try await database.store.withRunning {
            try await database.store.insertSubscription(SecretsAtRestTests.subscription("a-legacy", secret: legacy))
            try await database.store.putPartner(SecretsAtRestTests.shop("shop-1", secret: shopSecret))
        }
        let old = try await database.reopen(secrets: try SecretBox(key: oldKey))
        try await old.withRunning { try await old.insertSubscription(SecretsAtRestTests.subscription("b-old", secret: sealed)) }

        let keys = ["CROSSDOCK_SECRET_KEY": newKey, "CROSSDOCK_SECRET_KEY_PREVIOUS": oldKey]
        let first = try run(["secrets", "rotate", "--db", database.url], environment: keys)
        #expect(first.status == 0, "\(first.output)")
        #expect(
            first.output.contains("re-encrypted 2 subscription secret(s) and 1 partner secret(s) with key \(newID); 0 already were"),
            "\(first.output)"
        )
        let second = try run(["secrets", "rotate", "--db", database.url], environment: keys)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("re-encrypted 0 subscription secret(s) and 0 partner secret(s) with key \(newID); 3 already were"))
        for output in [first.output, second.output] {
            #expect(!output.contains(legacy) && !output.contains(sealed) && !output.contains(shopSecret) && !output.contains(newKey))
        }

        let rotated = try await database.reopen(secrets: try SecretBox(key: newKey))
        try await rotated.withRunning {
            let (a, b) = (try await rotated.subscription("a-legacy"), try await rotated.subscription("b-old"))
            #expect(a?.secret == legacy && b?.secret == sealed)
            #expect(try SecretsAtRestTests.member(try await rotated.partner("shop-1"), "webhookSecret") == shopSecret)
        }
        #expect(try await SQLProbe.string(database, "SELECT secret FROM subscriptions WHERE id = 'a-legacy'")?.hasPrefix("enc:v1:\(newID):") == true)

        // Without the previous key the old one's secret does not open: the command fails naming it, and writes nothing.
        let stranger = SecretBoxTests.newKey()
        let refused = try run(["secrets", "rotate", "--db", database.url], environment: ["CROSSDOCK_SECRET_KEY": stranger])
        #expect(refused.status != 0)
        #expect(refused.output.contains("secret_key_missing") && refused.output.contains("subscription a-legacy"), "\(refused.output)")
        #expect(refused.output.contains(newID) && !refused.output.contains(stranger) && !refused.output.contains(legacy))
    }

    @Test func aMalformedOrMissingKeyIsRefusedWithoutEchoingItAndServeWarnsOnceWithoutOne() async throws {
        let database = try await TestDatabase()
        defer { database.remove() }
        let noKey = try run(["secrets", "rotate", "--db", database.url])
        #expect(noKey.status != 0)
        #expect(noKey.output.contains("CROSSDOCK_SECRET_KEY is not set"), "\(noKey.output)")

        let malformed = "bm90LTMyLWJ5dGVz"  // base64 of 12 bytes
        let serve = try run(["serve", "--db", database.url, "--port", "0"], environment: ["CROSSDOCK_SECRET_KEY": malformed])
        #expect(serve.status != 0)
        #expect(serve.output.contains("CROSSDOCK_SECRET_KEY must be the base64 of exactly 32 bytes, not 12"), "\(serve.output)")
        #expect(!serve.output.contains(malformed))
        let previous = try run(
            ["secrets", "rotate", "--db", database.url],
            environment: ["CROSSDOCK_SECRET_KEY": SecretBoxTests.newKey(), "CROSSDOCK_SECRET_KEY_PREVIOUS": "%%%"]
        )
        #expect(previous.status != 0)
        #expect(previous.output.contains("CROSSDOCK_SECRET_KEY_PREVIOUS is not valid base64") && !previous.output.contains("%%%"))

        let hub = try await HubProcess(database: database.url)
        let warning = "CROSSDOCK_SECRET_KEY is not set: subscription and partner secrets are stored in plain text"
        #expect(hub.log.components(separatedBy: warning).count == 2, "one warning at startup: \(hub.log)")
        #expect(try await hub.stop(SIGTERM) == 0)
    }
}

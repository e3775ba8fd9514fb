import AsyncHTTPClient
import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import Foundation
import InMemoryLogging
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import Testing

/// No secret ever appears in a log line or a problem body: API keys (valid and invalid), subscription `whsec_`
/// secrets (created, rotated, refused) and partner secrets (Shopify webhook secrets, carrier secrets) are sent to a
/// live hub that logs everything at trace level into memory, and neither the captured logs nor any problem answer
/// holds them.
@Suite struct SecretsTests {
    static let shopSecret = "shpss_secret_0123456789abcdefABCDEF"
    static let carrierSecret = "carrier-secret-9f8e7d6c5b4a39281706"

    @Test func secretsNeverReachLogsOrProblems() async throws {
        let logs = InMemoryLogHandler()
        let logger = {
            var logger = Logger(label: "crossdock", factory: { _ in logs })
            logger.logLevel = .trace
            return logger
        }()
        let receiver = TestReceiver(mode: .accept(delay: .zero))
        let database = try await TestDatabase(logger: logger)
        defer { database.remove() }
        let adminKey = try await database.store.withRunning {
            try await seed(database.store, Catalog())
            return try await APIKeys.create(in: database.store, name: "test-admin", scopes: ["admin"]).1
        }
        let collected = Mutex<(problems: [String], secrets: [String])>(([], [adminKey, Self.shopSecret, Self.carrierSecret, receiver.secret]))
        try await withReceiver(receiver) { hook in
            let port = PortPromise()
            var configuration = Hub.Configuration.quiet
            configuration.port = 0
            let app = Hub.application(store: database.store, configuration: configuration, logger: logger) { port.fulfil($0) }
            try await withRunningServices([app], logger: logger) {
                guard let port = await port.value() else { throw TestFailure("hub did not start") }
                let base = "http://127.0.0.1:\(port)"
                let admin = HubClient(baseURL: base, apiKey: adminKey)
                func record(_ answer: HubClient.Answer) {
                    if answer.headers.first(name: "content-type") == "application/problem+json" {
                        collected.withLock { $0.problems.append(answer.text) }
                    }
                }

                // A wrong key that looks real, and a right one.
                let forged = "cdk_" + String(adminKey.dropFirst(4).reversed())
                collected.withLock { $0.secrets.append(forged) }
                let refused = try await HubClient(baseURL: base, apiKey: forged).send(.GET, "/v1/orders")
                #expect(refused.status == 401)
                record(refused)
                record(try await admin.send(.GET, "/v1/orders/nope"))

                // Subscription secrets: created, refused when malformed, rotated.
                let created = try await admin.send(
                    .POST,
                    "/v1/subscriptions",
                    body: Array(#"{"url":"\#(hook)","eventTypes":["order.*"],"secret":"\#(receiver.secret)"}"#.utf8)
                )
                #expect(created.status == 201)
                let id = try #require(try JSONDecoder().decode(JSONValue.self, from: Data(created.body))["id"]?.stringValue)
                let malformed = "whsec_not base64 at all !!! 0123456789"
                collected.withLock { $0.secrets.append(malformed) }
                let badSecret = try await admin.send(
                    .POST,
                    "/v1/subscriptions",
                    body: Array(#"{"url":"\#(hook)","eventTypes":["*"],"secret":"\#(malformed)"}"#.utf8)
                )
                #expect(badSecret.status == 422)
                record(badSecret)
                let rotated = "whsec_" + Data((0..<24).map { UInt8($0 * 7 + 3) }).base64EncodedString()
                collected.withLock { $0.secrets.append(rotated) }
                let rotation = try await admin.send(
                    .POST,
                    "/v1/subscriptions/\(id)/rotate-secret",
                    body: Array(#"{"secret":"\#(rotated)","overlapSeconds":3600}"#.utf8)
                )
                #expect(rotation.status == 200)
                record(try await admin.send(.POST, "/v1/subscriptions/\(id)/rotate-secret", body: Array(#"{"secret":"\#(malformed)"}"#.utf8)))

                // Partner secrets: stored, masked on read, never echoed by a refusal.
                let shop =
                    #"{"kind":"shopify","id":"acme-shop","shopDomain":"acme.myshopify.com","webhookSecret":"\#(Self.shopSecret)","customers":{"byEmail":{"buyer@customer1.example":"CUST-001"}}}"#
                let stored = try await admin.send(.PUT, "/v1/partners/acme-shop", body: Array(shop.utf8))
                #expect(stored.status == 200, "\(stored.text)")
                let shown = try await admin.send(.GET, "/v1/partners/acme-shop")
                #expect(!shown.text.contains(Self.shopSecret))
                record(
                    try await admin.send(
                        .PUT,
                        "/v1/partners/bad-shop",
                        body: Array(#"{"kind":"shopify","webhookSecret":"\#(Self.shopSecret)","shopDomain":7}"#.utf8)
                    )
                )
                let carrier = #"{"kind":"carrier","id":"easypost","format":"easypost","secret":"\#(Self.carrierSecret)"}"#
                let carrierAnswer = try await admin.send(.PUT, "/v1/partners/easypost", body: Array(carrier.utf8))
                record(carrierAnswer)

                // A Shopify webhook with a wrong signature, and a carrier webhook with none.
                var webhook = HTTPClientRequest(url: "\(base)/v1/inbound/shopify/orders")
                webhook.method = .POST
                webhook.headers.add(name: "content-type", value: "application/json")
                webhook.headers.add(name: "x-shopify-shop-domain", value: "acme.myshopify.com")
                webhook.headers.add(name: "x-shopify-hmac-sha256", value: "bm90IHRoZSByaWdodCBzaWduYXR1cmU=")
                webhook.headers.add(name: "x-shopify-webhook-id", value: "wh-1")
                webhook.body = .bytes(ByteBuffer(string: #"{"id":1}"#))
                let shopAnswer = try await HTTPClient.shared.execute(webhook, timeout: .seconds(30))
                #expect(shopAnswer.status.code == 401)
                let shopProblem = String(buffer: try await shopAnswer.body.collect(upTo: 1 << 20))
                collected.withLock { $0.problems.append(shopProblem) }
                var tracking = HTTPClientRequest(url: "\(base)/v1/inbound/carriers/easypost")
                tracking.method = .POST
                tracking.headers.add(name: "content-type", value: "application/json")
                tracking.body = .bytes(ByteBuffer(string: #"{"description":"tracker.updated","result":{}}"#))
                let trackingAnswer = try await HTTPClient.shared.execute(tracking, timeout: .seconds(30))
                let trackingProblem = String(buffer: try await trackingAnswer.body.collect(upTo: 1 << 20))
                collected.withLock { $0.problems.append(trackingProblem) }

                // Deliveries signed with the subscription secret, logged at trace level.
                #expect(try await admin.send(.POST, "/v1/orders", body: Array(orderJSON(externalID: "SECRET-1").utf8)).status == 201)
                #expect(try await eventually { receiver.receipts.count >= 3 })
            }
        }
        let (problems, secrets) = collected.withLock { ($0.problems, $0.secrets) }
        #expect(logs.entries.count > 10, "the hub logged at trace level")
        #expect(problems.count >= 6)
        let lines = logs.entries.map { entry in "\(entry.level) \(entry.message) \(entry.metadata)" }
        for secret in Set(secrets) {
            let key = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
            for fragment in Set([secret, key]) where fragment.count >= 16 {
                #expect(!lines.contains { $0.contains(fragment) }, "a log line holds a secret: \(lines.first { $0.contains(fragment) } ?? "")")
                #expect(!problems.contains { $0.contains(fragment) }, "a problem body holds a secret")
            }
        }
    }

    @Test func theContractAndTheDocsHoldNoRealLookingSecret() throws {
        let root = ExternalValidatorsRoot.url
        var files = [root.appendingPathComponent("README.md"), root.appendingPathComponent("Sources/CrossdockHTTP/Resources/openapi.yaml")]
        files += try FileManager.default.contentsOfDirectory(at: root.appendingPathComponent("docs"), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }
        // A key is cdk_ + 43 base64url characters; a signing secret is whsec_ + base64 of at least 16 bytes.
        let patterns = [#"cdk_[A-Za-z0-9_-]{20,}"#, #"whsec_[A-Za-z0-9+/]{20,}"#]
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for pattern in patterns {
                #expect(
                    text.range(of: pattern, options: .regularExpression) == nil,
                    "\(file.lastPathComponent) holds something that looks like a secret"
                )
            }
        }
    }
}

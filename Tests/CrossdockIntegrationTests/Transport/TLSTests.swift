import AsyncHTTPClient
import CrossdockDomain
import CrossdockTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

/// `crossdock serve --tls-cert --tls-key` serves HTTPS with a certificate made for the test (a self-signed P-256
/// certificate for localhost from the `openssl` command), sends `Strict-Transport-Security`, and names its schemas
/// with `https` URLs.
@Suite struct TLSTests {
    /// A self-signed certificate and key for `localhost` and 127.0.0.1, written as PEM files in `directory`.
    static func makeCertificate(in directory: URL) throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("hub.crt").path
        let key = directory.appendingPathComponent("hub.key").path
        let result = try ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate,
            ]
        )
        guard result.status == 0 else { throw TestFailure("openssl could not make a certificate: \(result.text)") }
        return (certificate, key)
    }

    @Test func theHubServesHTTPSWithHSTSAndHTTPSSchemaURLs() async throws {
        let database = try await TestDatabase()
        defer { database.remove() }
        let files = try Self.makeCertificate(in: database.directory)
        let hub = try await HubProcess(database: database.url, arguments: ["--tls-cert", files.certificate, "--tls-key", files.key])
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(files.certificate))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            #expect(hub.log.contains("crossdock listening on https://"))
            let key = try #require(hub.bootstrapKey)
            let base = "https://localhost:\(hub.port)"

            let live = try await client.execute(HTTPClientRequest(url: "\(base)/health/live"), timeout: .seconds(30))
            #expect(live.status == .ok)
            #expect(live.headers.first(name: "strict-transport-security") == "max-age=31536000; includeSubDomains")
            #expect(live.headers.first(name: "x-content-type-options") == "nosniff")

            var list = HTTPClientRequest(url: "\(base)/v1/event-types")
            list.headers.add(name: "authorization", value: "Bearer \(key)")
            let answer = try await client.execute(list, timeout: .seconds(30))
            #expect(answer.status == .ok)
            let body = try await answer.body.collect(upTo: 1 << 20)
            let document = try JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
            let url = document["eventTypes"]?.arrayValue?.first?["dataschema"]?.stringValue
            #expect(url?.hasPrefix("https://127.0.0.1:\(hub.port)/v1/event-types/") == true, "\(url ?? "none")")

            // Plain HTTP to the TLS port gets no HTTP answer.
            let plain = HTTPClient(eventLoopGroupProvider: .singleton)
            await #expect(throws: (any Error).self) {
                _ = try await plain.execute(HTTPClientRequest(url: "http://127.0.0.1:\(hub.port)/health/live"), timeout: .seconds(10))
            }
            try await plain.shutdown()
        } catch {
            try await client.shutdown()
            try await hub.stop(SIGTERM)
            throw error
        }
        try await client.shutdown()
        #expect(try await hub.stop(SIGTERM) == 0)
    }

    @Test func aKeyThatDoesNotMatchTheCertificateIsRefusedAtStart() async throws {
        let database = try await TestDatabase()
        defer { database.remove() }
        let first = try Self.makeCertificate(in: database.directory)
        let other = database.directory.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let second = try Self.makeCertificate(in: other)
        let result = try ChildProcess.run(
            try HubProcess.executable,
            ["serve", "--db", database.url, "--port", "0", "--tls-cert", first.certificate, "--tls-key", second.key]
        )
        let text = result.text
        #expect(result.status != 0)
        #expect(text.contains("--tls-cert/--tls-key"), "\(text)")
        #expect(!text.contains("listening"))
    }
}

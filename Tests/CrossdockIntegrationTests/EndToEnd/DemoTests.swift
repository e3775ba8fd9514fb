import AsyncHTTPClient
import CrossdockStore
import CrossdockTestSupport
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// `crossdock demo --keep` as a child process: the hub, the sandbox WMS and the sandbox carrier over real loopback
/// HTTP, every exception of the order lifecycle (credit hold and release, substitution, backorders filled by receipts,
/// cancellations before and after release, short picks, lost, damaged and returned parcels, returns) and a
/// balanced reconciliation. The hub then stays up: the console it prints finds a PO the demo created and shows its
/// trace, and Ctrl-C (SIGINT) stops it cleanly. Every event the demo emitted is then validated against its schema.
@Suite struct DemoTests {
    @Test func theDemoSettlesEveryOrderThroughEveryExceptionAndBalances() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("demo.sqlite").path
        let log = directory.appendingPathComponent("demo.log")
        let argv = [try HubProcess.executable.path, "demo", "--orders", "60", "--seed", "11", "--db", "sqlite:\(database)", "--keep"]
        let pid = try Spawn.start(argv, output: log.path)
        var ended: Int32?
        defer {
            if ended == nil {
                kill(pid, SIGKILL)
                _ = try? Spawn.wait(pid)
            }
        }
        func output() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        // Generous: the demo settles every order on a loaded machine in a debug build.
        let deadline = ContinuousClock.now + .seconds(900)
        while !output().contains("press Ctrl-C to stop"), ContinuousClock.now < deadline {
            if let status = try Spawn.poll(pid) {
                ended = status
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        try #require(ended == nil && output().contains("press Ctrl-C to stop"), "the demo did not stay up: \(output())")
        try await Self.expectConsoleShowsTheDemo(output())

        kill(pid, SIGINT)
        let stopBy = ContinuousClock.now + .seconds(60)
        while ended == nil, ContinuousClock.now < stopBy {
            ended = try Spawn.poll(pid)
            if ended == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let text = output()
        #expect(ended == 0, "Ctrl-C stops the kept demo cleanly: \(text.suffix(2000))")
        let reconciliation = text.split(separator: "\n").first { $0.contains("reconciliation: ordered") }
        #expect(reconciliation?.hasSuffix("| balanced") == true, "\(text)")
        for exercised in [
            "short-picked", "cancellations", "lost", "damaged", "returned to sender", "returns:", "substitution", "credit hold", "on-call:",
            "reshipped:", "fulfillment_unacknowledged", "shipment_silent",
        ] {
            #expect(text.contains(exercised), "the demo did not report \(exercised)")
        }
        #expect(text.contains("demo passed"))

        let store = try SQLiteStore(path: database, logger: Logger(label: "test"))
        let types = try await EventSchemaCheck.expectValid(store)
        if !types.isEmpty { print("demo events validated against their schemas: \(types.count) types") }
    }

    /// Signs in to the console the kept demo printed, finds the substitution order by its PO number and opens its
    /// trace, over real HTTP.
    static func expectConsoleShowsTheDemo(_ output: String) async throws {
        let line = try #require(output.split(separator: "\n").first { $0.contains("/console") && $0.contains("sign in with") })
        let words = line.split(separator: " ").map(String.init)
        let console = try #require(words.first { $0.hasSuffix("/console") })
        let key = try #require(words.last)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            var signIn = HTTPClientRequest(url: console + "/sign-in")
            signIn.method = .POST
            signIn.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            signIn.body = .bytes(ByteBuffer(string: "key=\(key)"))
            let signedIn = try await client.execute(signIn, timeout: .seconds(30))
            #expect(signedIn.status == .seeOther)
            let cookie = try #require(signedIn.headers.first(name: "Set-Cookie")?.split(separator: ";").first.map(String.init))

            func page(_ url: String) async throws -> (status: UInt, html: String) {
                var request = HTTPClientRequest(url: url)
                request.headers.add(name: "Cookie", value: cookie)
                let response = try await client.execute(request, timeout: .seconds(30))
                let body = try await response.body.collect(upTo: 4 << 20)
                return (response.status.code, String(buffer: body))
            }
            let search = try await page(console + "/search?q=PO-SUBST")
            #expect(search.status == 200)
            let link = try #require(search.html.range(of: #"href="/console/orders/"#).map { search.html[$0.upperBound...].prefix { $0 != "\"" } })
            let trace = try await page(console + "/orders/" + link)
            #expect(trace.status == 200)
            for step in ["order.received", "order.allocated", "PO-SUBST"] {
                #expect(trace.html.contains(step), "the trace of the demo's substitution order shows \(step)")
            }
            let overview = try await page(console)
            #expect(overview.status == 200 && overview.html.contains("Orders received"))
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}

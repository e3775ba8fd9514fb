import CrossdockSandbox
import CrossdockTestSupport
import Foundation
import NIOHTTP1
import Testing

/// `crossdock limits` and serve's `--rate-limit`, run as child processes.
@Suite struct LimitsCommandLineTests {
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try ChildProcess.run(try HubProcess.executable, arguments, environment: ProcessInfo.processInfo.environment)
        return (result.status, result.text)
    }

    @Test func limitsSetListAndRemovePoliciesAndRefuseBadOnesByField() async throws {
        let database = try await TestDatabase()
        defer { database.remove() }
        let set = try run(["limits", "set", "--db", database.url, "partner:acme", "100/1m"])
        #expect(set.status == 0, "\(set.output)")
        #expect(set.output.contains("partner:acme: 100 requests per 60 s"))
        let listed = try run(["limits", "list", "--db", database.url])
        #expect(listed.output.contains("partner:acme") && listed.output.contains("60s"), "\(listed.output)")
        for (arguments, message) in [
            (["partner:acme", "0/1m"], "requests: must be 1 to 1000000"),
            (["partner:acme", "10/2d"], "the limit must be REQUESTS/WINDOW"),
            (["team:ops", "10/1s"], "subject: must be key:<key id>"),
            (["key:no-such-key", "10/1s"], "subject: no API key has the id 'no-such-key'"),
        ] {
            let refused = try run(["limits", "set", "--db", database.url] + arguments)
            #expect(refused.status != 0)
            #expect(refused.output.contains(message), "\(arguments): \(refused.output)")
        }
        #expect(try run(["limits", "remove", "--db", database.url, "partner:acme"]).status == 0)
        let again = try run(["limits", "remove", "--db", database.url, "partner:acme"])
        #expect(again.status != 0 && again.output.contains("no policy for 'partner:acme'"))
    }

    @Test func serveLimitsEachKeyByItsDefaultAndRefusesANonsenseLimit() async throws {
        let database = try await TestDatabase()
        defer { database.remove() }
        let refused = try run(["serve", "--db", database.url, "--port", "0", "--rate-limit", "lots"])
        #expect(refused.status != 0)
        #expect(refused.output.contains("--rate-limit must be REQUESTS/WINDOW"), "\(refused.output)")

        let hub = try await HubProcess(database: database.url, arguments: ["--rate-limit", "3/86400s"])
        let client = HubClient(baseURL: hub.baseURL, apiKey: try #require(hub.bootstrapKey))
        var statuses: [Int] = []
        for _ in 0..<4 { statuses.append(try await client.send(.GET, "/v1/warehouses").status) }
        #expect(statuses == [200, 200, 200, 429])
        #expect(try await hub.stop(SIGTERM) == 0)
    }
}

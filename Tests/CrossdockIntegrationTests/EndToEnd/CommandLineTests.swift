import CrossdockSandbox
import CrossdockTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The `crossdock` executable's administrative commands, run as child processes.
@Suite struct CommandLineTests {
    /// Runs `crossdock` with `arguments`; returns exit status and standard output.
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let result = try ChildProcess.run(
            try HubProcess.executable,
            arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }
        )
        return (result.status, result.text)
    }

    @Test func keysCreatePrintsAKeyThatServeAcceptsWithItsScopesOnly() async throws {
        let database = try await TestDatabase()
        defer { database.remove() }
        let created = try run(["keys", "create", "--db", database.url, "--name", "erp", "--scopes", "orders:read,events:read"])
        #expect(created.status == 0, "\(created.output)")
        let key = try #require(created.output.split(separator: "\n").last.map(String.init))
        #expect(key.hasPrefix("cdk_"), "the key is alone on the last line")

        let hub = try await HubProcess(database: database.url)
        #expect(hub.bootstrapKey == nil, "a database that has keys gets no bootstrap key")
        let client = HubClient(baseURL: hub.baseURL, apiKey: key)
        #expect(try await client.send(.GET, "/v1/orders").status == 200)
        #expect(try await client.send(.GET, "/v1/events?after=0").status == 200)
        let refused = try await client.send(.POST, "/v1/orders", body: Array("{}".utf8))
        #expect(refused.status == 403)
        #expect(refused.text.contains("insufficient_scope"))
        #expect(try await hub.stop(SIGTERM) == 0)
    }

    @Test func keysCreateRefusesUnknownScopesAndWritesNothing() async throws {
        let database = try await TestDatabase()
        defer { database.remove() }
        let refused = try run(["keys", "create", "--db", database.url, "--name", "x", "--scopes", "orders:read,root"])
        #expect(refused.status != 0)
        #expect(refused.output.contains("unknown scope(s): root"))
        let migrated = try run(["migrate", "--db", database.url])
        #expect(migrated.status == 0)
    }

    @Test func theDatabaseURLComesFromTheOptionOrElseDB_URL() async throws {
        let database = try await TestDatabase(backend: .sqlite)
        defer { database.remove() }
        let fromEnvironment = try run(["migrate"], environment: ["DB_URL": database.url])
        #expect(fromEnvironment.status == 0)
        #expect(fromEnvironment.output.contains("migrations applied to sqlite:\(database.path)"))
        let other = database.directory.appendingPathComponent("other.sqlite").path
        let fromOption = try run(["migrate", "--db", "sqlite:\(other)"], environment: ["DB_URL": database.url])
        #expect(fromOption.output.contains("migrations applied to sqlite:\(other)"), "the option wins over the environment")
        #expect(FileManager.default.fileExists(atPath: other))
    }

    @Test func everyCommandExplainsItself() async throws {
        for command in ["serve", "demo", "bench", "keys", "migrate"] {
            let help = try run([command, "--help"])
            #expect(help.status == 0)
            #expect(help.output.contains("USAGE: crossdock \(command)"))
        }
        // Nothing listens on port 1: a precise error that names the database without its password.
        let postgres = try run(["migrate", "--db", "postgres://u:secret-password@127.0.0.1:1/x"])
        #expect(postgres.status != 0)
        #expect(postgres.output.contains("database is unavailable"))
        #expect(postgres.output.contains("postgres://127.0.0.1:1/x"))
        #expect(!postgres.output.contains("secret-password"))
    }
}

import ArgumentParser
import CrossdockEngine
import CrossdockHTTP
import CrossdockStore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

extension Demo {
    /// Runs `body` with an in-process hub on `database` (a new `sqlite:PATH` or an empty PostgreSQL database, kept
    /// afterwards) or, when nil, on a temporary file removed afterwards. `extraServices` run in the hub's service group and stop before it.
    func withDemoHub<T: Sendable>(
        database: String?,
        nodes: Int = 1,
        configuration: Hub.Configuration,
        logger: Logger,
        extraServices: [any Service],
        _ body: @escaping @Sendable (LocalHub) async throws -> T
    ) async throws -> T {
        guard let database else {
            return try await withTemporaryDirectory { directory in
                try await LocalHub.with(directory: directory, configuration: configuration, logger: logger, extraServices: extraServices, body)
            }
        }
        let store: any Store
        switch try DatabaseURL(parsing: database) {
        case .sqlite(let path):
            guard !FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("\(path) exists; the demo needs a new database")
            }
            store = try SQLiteStore(path: path, logger: logger)
        case .postgres(let url):
            let postgres = try await PostgresStore.open(url: url, logger: logger)
            let counts = try await postgres.withRunning { try await postgres.rowCounts() }
            guard counts["orders", default: 0] == 0, counts["customers", default: 0] == 0 else {
                throw ValidationError("\(postgres.location) already holds data; the demo needs an empty database")
            }
            store = postgres
        }
        if nodes > 1 {
            return try await withNodes(nodes, database: database, store: store, logger: logger, extraServices: extraServices, body)
        }
        let port = PortPromise()
        var configuration = configuration
        configuration.port = 0
        let app = Hub.application(store: store, configuration: configuration, logger: logger) { port.fulfil($0) }
        return try await withRunningServices([app] + extraServices, signals: [.sigterm, .sigint], logger: logger) {
            guard let port = await port.value() else { throw CleanExit.message("the hub did not start") }
            let (_, secret) = try await APIKeys.create(in: store, name: "local-admin", scopes: [Scope.admin.rawValue])
            return try await body(LocalHub(store: store, baseURL: "http://127.0.0.1:\(port)", adminKey: secret))
        }
    }
}

/// Runs the sandbox partners as services of the demo's service group once they are configured (they need the hub's
/// URL and keys, which exist only once the hub runs).
final class PartnerBox: Service, Sendable {
    private let (stream, sink) = AsyncStream.makeStream(of: [any Service].self)

    /// Starts `partners`; call once.
    func start(_ partners: [any Service]) {
        sink.yield(partners)
        sink.finish()
    }

    func run() async throws {
        var iterator = stream.makeAsyncIterator()
        let partners: [any Service]? = await withGracefulShutdownHandler {
            await iterator.next()
        } onGracefulShutdown: {
            self.sink.finish()
        }
        guard let partners else { return }
        try await withThrowingDiscardingTaskGroup { group in
            for partner in partners { group.addTask { try await partner.run() } }
        }
    }
}

extension Demo {
    /// Runs `body` with `count` hub nodes as child processes on the PostgreSQL `database` (`store` is this process's
    /// own view of it, for the summary), partners and the admin client spread over them.
    func withNodes<T: Sendable>(
        _ count: Int,
        database: String,
        store: any Store,
        logger: Logger,
        extraServices: [any Service],
        _ body: @escaping @Sendable (LocalHub) async throws -> T
    ) async throws -> T {
        // The demo's key first, so that no node starts on a keyless database and prints a bootstrap key of its own.
        let secret = try await store.withRunning {
            try await APIKeys.create(in: store, name: "local-admin", scopes: [Scope.admin.rawValue]).1
        }
        return try await withTemporaryDirectory { directory in
            // Short leases, so a killed node's deliveries and jobs move within seconds.
            let nodes = try await NodeSet(
                count: count,
                database: database,
                arguments: [
                    "--max-attempts", "10", "--retry-base-ms", "100", "--delivery-lease-ms", "5000", "--alert-interval-ms", "1000",
                    "--watchdog-interval-ms", "5000",
                ],
                directory: directory
            )
            defer { nodes.stopAll() }
            return try await withRunningServices([store] + extraServices, signals: [.sigterm, .sigint], logger: logger) {
                try await body(LocalHub(store: store, baseURL: nodes.urls[0], adminKey: secret, nodes: nodes))
            }
        }
    }
}

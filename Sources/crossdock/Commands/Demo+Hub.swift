import ArgumentParser
import CrossdockEngine
import CrossdockHTTP
import CrossdockStore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

extension Demo {
    /// Runs `body` with an in-process hub on `database` (`sqlite:PATH`, kept afterwards) or, when nil, on a temporary
    /// file removed afterwards. `extraServices` run in the hub's service group and stop before it.
    func withDemoHub<T: Sendable>(
        database: String?,
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
        guard database.hasPrefix("sqlite:"), database.count > "sqlite:".count else {
            throw ValidationError("--db must be sqlite:PATH")
        }
        let path = String(database.dropFirst("sqlite:".count))
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("\(path) exists; the demo needs a new database")
        }
        let store = try SQLiteStore(path: path, logger: logger)
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

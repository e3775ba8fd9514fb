import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import Foundation
import Logging
import ServiceLifecycle

/// A hub on a real loopback socket in this process, with a fresh seeded database.
func withLiveHub<T: Sendable>(
    catalog: Catalog = Catalog(),
    configuration: Hub.Configuration = .init(),
    _ body: @Sendable (_ baseURL: String, _ adminKey: String, _ database: TestDatabase) async throws -> T
) async throws -> T {
    let database = try TestDatabase()
    defer { database.remove() }
    let key = try await database.store.withRunningWriter {
        try await seed(database.store, catalog)
        return try await APIKeys.create(in: database.store, name: "test-admin", scopes: ["admin"]).1
    }
    let (ports, sink) = AsyncStream.makeStream(of: Int.self)
    var configuration = configuration
    configuration.port = 0
    let app = Hub.application(store: database.store, configuration: configuration, logger: Logger(label: "test")) { port in
        sink.yield(port)
        sink.finish()
    }
    let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test")))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("hub did not start") }
        do {
            let value = try await body("http://127.0.0.1:\(port)", key, database)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return value
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

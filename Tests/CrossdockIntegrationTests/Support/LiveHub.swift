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
    secrets: SecretBox = .plaintext,
    _ body: @Sendable (_ baseURL: String, _ adminKey: String, _ database: TestDatabase) async throws -> T
) async throws -> T {
    let database = try await TestDatabase(secrets: secrets)
    defer { database.remove() }
    let key = try await database.store.withRunning {
        try await seed(database.store, catalog)
        return try await APIKeys.create(in: database.store, name: "test-admin", scopes: ["admin"]).1
    }
    let port = PortPromise()
    var configuration = configuration
    configuration.port = 0
    let app = Hub.application(store: database.store, configuration: configuration, logger: Logger(label: "test")) { port.fulfil($0) }
    return try await withRunningServices([app], logger: Logger(label: "test")) {
        guard let port = await port.value() else { throw TestFailure("hub did not start") }
        return try await body("http://127.0.0.1:\(port)", key, database)
    }
}

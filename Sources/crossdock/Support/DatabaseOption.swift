import ArgumentParser
import CrossdockStore
import Logging

/// `--db`: the database the administrative commands open directly.
struct DatabaseOption: ParsableArguments {
    @Option(
        help:
            "Database URL: sqlite:PATH or postgres://user:password@host:port/db[?sslmode=require] (config db.url, env DB_URL; default sqlite:./crossdock.sqlite)."
    )
    var db: String?

    /// The URL the option or the settings name.
    func url() async throws -> DatabaseURL {
        try DatabaseURL(parsing: try await Settings.load().databaseURL(db))
    }

    /// Opens (and migrates) the store, with the secret keys of the environment, runs `body` with it running, and stops
    /// it.
    func withStore<T: Sendable>(_ body: @Sendable (any Store) async throws -> T) async throws -> T {
        let settings = try await Settings.load()
        let url = try DatabaseURL(parsing: settings.databaseURL(db))
        let store = try await StoreFactory.open(url, secrets: try settings.secretBox(), logger: Logger(label: "crossdock.store"))
        return try await store.withRunning { try await body(store) }
    }
}

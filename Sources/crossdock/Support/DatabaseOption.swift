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

    /// Opens (and migrates) the store, runs `body` with it running, and stops it.
    func withStore<T: Sendable>(_ body: @Sendable (any Store) async throws -> T) async throws -> T {
        let store = try await StoreFactory.open(try await url(), logger: Logger(label: "crossdock.store"))
        return try await store.withRunning { try await body(store) }
    }
}

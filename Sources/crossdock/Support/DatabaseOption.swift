import ArgumentParser
import CrossdockStore

/// `--db`: the database the administrative commands open directly.
struct DatabaseOption: ParsableArguments {
    @Option(help: "Database URL (config db.url, env DB_URL; default sqlite:./crossdock.sqlite).")
    var db: String?

    /// The URL the option or the settings name.
    func url() async throws -> DatabaseURL {
        try DatabaseURL(parsing: try await Settings.load().databaseURL(db))
    }

    /// Opens (and migrates) the store.
    func openStore() async throws -> SQLiteStore {
        try SQLiteStore.open(try await url())
    }
}

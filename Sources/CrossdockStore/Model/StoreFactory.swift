import Foundation
import Logging

/// Opens the store a database URL names: `sqlite:PATH` (embedded, one process) or `postgres://…` (many nodes).
public enum StoreFactory {
    /// Opens (creating or migrating as needed) the database at `url`.
    /// - Parameters:
    ///   - url: the database.
    ///   - secrets: encrypts subscription and partner secrets at rest; ``SecretBox/plaintext`` (the default) does not.
    ///   - logger: where to log.
    /// - Throws: ``StoreError`` for an unreachable database or a bad URL.
    public static func open(
        _ url: DatabaseURL,
        secrets: SecretBox = .plaintext,
        logger: Logger = Logger(label: "crossdock.store")
    ) async throws -> any Store {
        switch url {
        case .sqlite(let path): try SQLiteStore(path: path, secrets: secrets, logger: logger)
        case .postgres(let text): try await PostgresStore.open(url: text, secrets: secrets, logger: logger)
        }
    }
}

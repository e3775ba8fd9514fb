/// Where the hub keeps its state: `sqlite:PATH` (the embedded default) or `postgres://user:pass@host:port/db`.
public enum DatabaseURL: Hashable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(String)

    /// The default, `sqlite:./crossdock.sqlite`.
    public static let `default` = DatabaseURL.sqlite(path: "./crossdock.sqlite")

    /// Parses a database URL.
    /// - Throws: ``StoreError`` with code `invalid_database_url`.
    public init(parsing text: String) throws(StoreError) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw StoreError(code: .invalidDatabaseURL, message: "sqlite: needs a file path") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(text)
        } else {
            throw StoreError(code: .invalidDatabaseURL, message: "expected sqlite:PATH or postgres://…")
        }
    }

    /// The URL without credentials.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let text): (try? PostgresStore.Configuration(url: text).description) ?? "postgres://…"
        }
    }
}

/// A storage failure that is not a business conflict.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Extensible error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public var description: String { raw }
        public static let invalidDatabaseURL = Code(raw: "invalid_database_url")
        public static let unsupportedBackend = Code(raw: "unsupported_backend")
        public static let notRunning = Code(raw: "store_not_running")
        public static let corrupt = Code(raw: "corrupt_record")
        /// The database cannot be reached now (down, restarting, or every connection busy): retry shortly.
        public static let unavailable = Code(raw: "database_unavailable")
    }

    /// The code.
    public var code: Code
    /// What happened; never holds payloads or secrets.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

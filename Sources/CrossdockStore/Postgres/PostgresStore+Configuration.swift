import Foundation
import NIOSSL
import PostgresNIO

extension PostgresStore {
    /// How a node reaches its database, read from `postgres://user:password@host:port/db?…`.
    ///
    /// Query parameters: `sslmode` (`disable`, the default, or `require`: encrypted, the server's certificate not
    /// checked, as libpq's `require`; `verify-full` checks it against the system's roots), `pool_max` (connections
    /// per node, default 20), `pool_timeout_ms` (the longest wait for a free connection before the request is answered
    /// 503, default 5000), `statement_timeout_ms` (default 30000), `cache_check_ms` (how often cached master data and
    /// keys are re-checked against the database when no notification arrived, default 500).
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        public var sslMode: SSLMode
        public var maximumConnections: Int
        public var acquireTimeout: Duration
        public var statementTimeout: Duration
        /// How often a node checks the master-data version when no notification arrived (the bound on a stale cache).
        public var cacheCheckInterval: Duration

        /// `sslmode`.
        public enum SSLMode: String, Sendable {
            case disable
            case require
            case verifyFull = "verify-full"
        }

        /// Parses a `postgres://` URL.
        /// - Throws: ``StoreError`` naming what is wrong; never the password.
        public init(url text: String) throws(StoreError) {
            guard let components = URLComponents(string: text), let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme) else {
                throw StoreError(code: .invalidDatabaseURL, message: "expected postgres://user:password@host:port/database")
            }
            guard let host = components.host, !host.isEmpty else {
                throw StoreError(code: .invalidDatabaseURL, message: "the PostgreSQL URL names no host")
            }
            let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
            guard !database.isEmpty else { throw StoreError(code: .invalidDatabaseURL, message: "the PostgreSQL URL names no database") }
            self.host = host
            self.port = components.port ?? 5432
            self.username = components.user?.removingPercentEncoding ?? "postgres"
            self.password = components.password?.removingPercentEncoding
            self.database = database
            var query: [String: String] = [:]
            for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
            guard let mode = SSLMode(rawValue: query["sslmode"] ?? "disable") else {
                throw StoreError(code: .invalidDatabaseURL, message: "sslmode must be disable, require or verify-full")
            }
            sslMode = mode
            func number(_ name: String, _ fallback: Int) throws(StoreError) -> Int {
                guard let text = query[name] else { return fallback }
                guard let value = Int(text), value > 0 else {
                    throw StoreError(code: .invalidDatabaseURL, message: "\(name) must be a positive integer")
                }
                return value
            }
            maximumConnections = try number("pool_max", 20)
            acquireTimeout = .milliseconds(try number("pool_timeout_ms", 5000))
            statementTimeout = .milliseconds(try number("statement_timeout_ms", 30000))
            cacheCheckInterval = .milliseconds(try number("cache_check_ms", 500))
        }

        /// The URL without credentials.
        public var description: String { "postgres://\(host):\(port)/\(database)" }

        var tlsConfiguration: TLSConfiguration? {
            switch sslMode {
            case .disable: return nil
            case .require:
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.certificateVerification = .none
                return tls
            case .verifyFull: return .makeClientConfiguration()
            }
        }

        var clientConfiguration: PostgresClient.Configuration {
            let tls: PostgresClient.Configuration.TLS = tlsConfiguration.map { .require($0) } ?? .disable
            var configuration = PostgresClient.Configuration(
                host: host,
                port: port,
                username: username,
                password: password,
                database: database,
                tls: tls
            )
            configuration.options.maximumConnections = maximumConnections
            configuration.options.minimumConnections = 0
            configuration.options.connectTimeout = .seconds(5)
            configuration.options.keepAliveBehavior = .init(frequency: .seconds(15))
            configuration.options.additionalStartupParameters = startupParameters
            return configuration
        }

        func connectionConfiguration() throws -> PostgresConnection.Configuration {
            let tls: PostgresConnection.Configuration.TLS = try tlsConfiguration.map { .require(try NIOSSLContext(configuration: $0)) } ?? .disable
            var configuration = PostgresConnection.Configuration(
                host: host,
                port: port,
                username: username,
                password: password,
                database: database,
                tls: tls
            )
            configuration.options.additionalStartupParameters = startupParameters
            configuration.options.connectTimeout = .seconds(5)
            return configuration
        }

        private var startupParameters: [(String, String)] {
            let milliseconds = statementTimeout.components.seconds * 1000 + statementTimeout.components.attoseconds / 1_000_000_000_000_000
            return [("statement_timeout", "\(milliseconds)"), ("application_name", "crossdock")]
        }
    }
}

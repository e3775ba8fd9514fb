import CrossdockDomain
import Foundation
import GRDB
import Logging

/// The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so every commit is on disk
/// before it is acknowledged. Readers never block the writer; all writes go through a group-commit writer.
public final class SQLiteStore: Store {
    let pool: DatabasePool
    let writer: GroupCommitWriter
    let signal = EventSignal()
    let cache = MasterDataCache()
    let checkpointer: Checkpointer
    let logger: Logger
    /// Encrypts the secrets it stores (see ``SecretBox``).
    let secrets: SecretBox
    /// Delivery leases. One process owns a SQLite file, so they live in memory and cost no write.
    let leases = DeliveryLeaseTable()
    /// Rate-limit counters: in memory for the same reason.
    let rateCounters = RateCounters()

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    /// - Parameters:
    ///   - path: the SQLite file.
    ///   - secrets: encrypts subscription and partner secrets at rest; ``SecretBox/plaintext`` (the default) does not.
    ///   - logger: where to log.
    public init(path: String, secrets: SecretBox = .plaintext, logger: Logger = Logger(label: "crossdock.store")) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 8
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            // Checkpoints run beside the writer (see Checkpointer); the log is truncated back to 128 MiB after one.
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 134217728")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Schema.migrator.migrate(pool)
        writer = GroupCommitWriter(pool: pool, logger: logger)
        checkpointer = try Checkpointer(path: path, writer: writer, logger: logger)
        self.logger = logger
        self.secrets = secrets
        logger.info("store opened", metadata: [LogKey.database: "sqlite:\(path)"])
    }

    /// What the group-commit writer has done since the store opened.
    public var writerStatistics: WriterStatistics { writer.statistics }

    public var pendingWrites: Int { writer.queueDepth }

    /// The database file.
    public var path: String { pool.path }

    public var location: String { "sqlite:\(pool.path)" }

    /// Runs the group-commit writer and, beside it, the checkpointer; returns when the writer has drained.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.checkpointer.run() }
            try await writer.run()
            group.cancelAll()
        }
    }

    public func isReady() async -> Bool {
        do {
            return try await pool.read { db in
                try Schema.migrator.hasCompletedMigrations(db)
            }
        } catch {
            return false
        }
    }

    /// Runs `body` with the writer running, then drains and stops it. For commands and tests.
    public func withRunning<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            defer { writer.reset() }
            do {
                let value = try await body()
                writer.stop()
                try await group.waitForAll()
                return value
            } catch {
                writer.stop()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    public func rowCounts() async throws -> [String: Int] {
        try await pool.read { db in
            var counts: [String: Int] = [:]
            for table in [
                "customers", "products", "warehouses", "price_lists", "tax_rates", "legal_entities", "balances", "orders", "fulfillment_orders",
                "shipments", "events", "idempotency_keys", "api_keys", "subscriptions", "deliveries", "delivery_attempts",
            ] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            counts["balances.reserved"] = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(reserved), 0) FROM balances") ?? 0
            counts["balances.on_hand"] = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(on_hand), 0) FROM balances") ?? 0
            counts["customers.open_orders"] = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(open_orders), 0) FROM customers") ?? 0
            return counts
        }
    }

    /// Raw one-row-per-transaction inserts into a scratch table, for the benchmark's baseline.
    public func rawInsertBaseline(rows: Int) async throws {
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS bench_baseline (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
        }
        let payload = Data(repeating: 0x2a, count: 512)
        for _ in 0..<rows {
            try await pool.write { db in
                try db.run("INSERT INTO bench_baseline(payload) VALUES (\(payload))")
            }
        }
    }
}

extension SQLiteStore {
    static func encode(_ value: some Encodable) throws -> Data {
        try JSONCoding.encode(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        try JSONCoding.decoder().decode(type, from: data)
    }
}

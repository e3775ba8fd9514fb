import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The raw limits of a PostgreSQL server, measured beside the hub in the same run (`crossdock bench --db postgres://…`):
/// what the hub's intake and delivery rates are compared with.
public enum PostgresBaseline {
    /// Rates of one measurement.
    public struct Rate: Sendable {
        /// Operations completed.
        public var operations: Int
        /// Wall time.
        public var seconds: Double
        /// Operations per second.
        public var perSecond: Double { Double(operations) / max(seconds, 1e-9) }
    }

    /// Single-row insert transactions (one `INSERT` of a 512-byte row, autocommit), `concurrency` at a time.
    public static func inserts(url: String, rows: Int, concurrency: Int, logger: Logger) async throws -> Rate {
        try await withClient(url: url, connections: concurrency, logger: logger) { client in
            try await client.query("DROP TABLE IF EXISTS bench_inserts", logger: logger)
            try await client.query("CREATE TABLE bench_inserts (id BIGSERIAL PRIMARY KEY, payload BYTEA NOT NULL)", logger: logger)
            let payload = Data(repeating: 0x2a, count: 512)
            let counter = Counter()
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        while counter.take() < rows {
                            try await client.query("INSERT INTO bench_inserts(payload) VALUES (\(payload))", logger: logger)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let seconds = seconds(ContinuousClock.now - start)
            try await client.query("DROP TABLE bench_inserts", logger: logger)
            return Rate(operations: rows, seconds: seconds)
        }
    }

    /// A bare `FOR UPDATE SKIP LOCKED` claim loop: `workers` take `rows` queued rows one at a time, each claim its own
    /// transaction (claim and mark done in one statement), until the queue is empty.
    public static func claims(url: String, rows: Int, workers: Int, logger: Logger) async throws -> Rate {
        try await withClient(url: url, connections: workers, logger: logger) { client in
            try await client.query("DROP TABLE IF EXISTS bench_queue", logger: logger)
            try await client.query("CREATE TABLE bench_queue (id BIGSERIAL PRIMARY KEY, state INTEGER NOT NULL, owner TEXT)", logger: logger)
            try await client.query("CREATE INDEX bench_queue_pending ON bench_queue(id) WHERE state = 0", logger: logger)
            try await client.query("INSERT INTO bench_queue(state) SELECT 0 FROM generate_series(1, \(rows))", logger: logger)
            try await client.query("ANALYZE bench_queue", logger: logger)
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<workers {
                    group.addTask {
                        let owner = "w\(worker)"
                        while true {
                            let claimed = try await client.query(
                                """
                                WITH c AS (SELECT id FROM bench_queue WHERE state = 0 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                                UPDATE bench_queue q SET state = 1, owner = \(owner) FROM c WHERE q.id = c.id RETURNING q.id
                                """,
                                logger: logger
                            ).collect()
                            if claimed.isEmpty { return }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let seconds = seconds(ContinuousClock.now - start)
            try await client.query("DROP TABLE bench_queue", logger: logger)
            return Rate(operations: rows, seconds: seconds)
        }
    }

    /// Server-wide counters of the current database, for per-order figures: WAL records and bytes, transactions
    /// committed, rows inserted and updated.
    public static func counters(url: String, logger: Logger) async throws -> [String: Int64] {
        try await withClient(url: url, connections: 1, logger: logger) { client in
            var result: [String: Int64] = [:]
            for try await (records, bytes) in try await client.query("SELECT wal_records, wal_bytes::bigint FROM pg_stat_wal", logger: logger)
                .decode((Int64, Int64).self)
            {
                result["wal_records"] = records
                result["wal_bytes"] = bytes
            }
            for try await (commits, inserted, updated, deleted) in try await client.query(
                "SELECT xact_commit, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = current_database()",
                logger: logger
            ).decode((Int64, Int64, Int64, Int64).self) {
                result["xact_commit"] = commits
                result["tup_inserted"] = inserted
                result["tup_updated"] = updated
                result["tup_deleted"] = deleted
            }
            return result
        }
    }

    private static func withClient<T: Sendable>(
        url: String,
        connections: Int,
        logger: Logger,
        _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        var configuration = try PostgresStore.Configuration(url: url).clientConfiguration
        configuration.options.maximumConnections = max(1, connections)
        let client = PostgresClient(configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Hands out ticket numbers to concurrent workers.
    private final class Counter: Sendable {
        private let value = Mutex(0)
        func take() -> Int {
            value.withLock { value in
                defer { value += 1 }
                return value
            }
        }
    }
}

import CrossdockDomain
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The scale-out store: any number of identical hub nodes share one PostgreSQL database.
///
/// Nothing correct rests on one node's memory. Each command is one transaction whose guards (conditional updates)
/// make concurrent nodes race-free; a command that keeps losing takes advisory locks on the keys it competes for
/// (``commitSerialized(_:_:)``), which every commit touching those keys also takes, so it cannot lose again. Events
/// get `seq = txid << 20 | n` and the feed is read only below the oldest transaction of this database still in
/// progress (``fence(_:catchUp:)``), so a reader never skips an event that commits late (docs/events.md). Deliveries
/// are leased with `FOR UPDATE SKIP LOCKED` and fenced by a token; jobs that must run once hold a lease row. A listener connection wakes waiting readers on
/// `NOTIFY` and empties master-data caches when another node changes master data; a poll of `hub_state` bounds how
/// stale a cache can be when a notification is missed.
///
/// ```swift
/// let store = try await PostgresStore.open(url: "postgres://hub:secret@db:5432/crossdock", logger: logger)
/// try await store.withRunning { try await store.commit(unit) }
/// ```
public final class PostgresStore: Store {
    /// The connection pool and how many runs use it (a pool runs once: the first of overlapping runs starts it, the
    /// others share it, and the last to end replaces it with a fresh one for the next run).
    private let clients: Mutex<(client: PostgresClient, runs: Int)>
    let configuration: Configuration
    let logger: Logger
    /// Encrypts the secrets it stores (see ``SecretBox``).
    let secrets: SecretBox
    let signal = EventSignal()
    let cache = MasterDataCache()
    /// Serialized commits of this node take turns before taking a connection, so that commands queued behind a hot key
    /// wait in memory instead of each holding a pooled connection while they wait for the key's advisory lock.
    let serializedTurns = AsyncLock()
    private let inFlight = Atomic<Int>(0)
    /// Whether the notification listener is connected: the database answers.
    let listening = Atomic<Bool>(false)
    /// Whether the listener's last attempt to connect failed: the database is down (requests fail fast meanwhile).
    let unreachable = Atomic<Bool>(false)
    /// The master-data and key versions this node's caches reflect.
    let versions = Mutex<(master: Int64, keys: Int64)>((0, 0))

    private init(configuration: Configuration, secrets: SecretBox, logger: Logger) {
        self.configuration = configuration
        self.secrets = secrets
        self.logger = logger
        self.clients = Mutex((Self.makeClient(configuration, logger), 0))
    }

    private static func makeClient(_ configuration: Configuration, _ logger: Logger) -> PostgresClient {
        // The pool's own chatter (a lease asked for a moment before the pool runs) stays out of the hub's log.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        return PostgresClient(configuration: configuration.clientConfiguration, backgroundLogger: background)
    }

    /// The pool queries go to.
    var client: PostgresClient { clients.withLock { $0.client } }

    /// Connects to the database `url` names and applies pending migrations (under an advisory lock, so nodes starting
    /// together migrate once). The store must then run (``run()`` or ``withRunning(_:)``) to be used.
    /// - Parameters:
    ///   - url: `postgres://user:password@host:port/db[?…]` (see ``Configuration``).
    ///   - secrets: encrypts subscription and partner secrets at rest; ``SecretBox/plaintext`` (the default) does not.
    ///   - logger: where to log.
    /// - Throws: ``StoreError`` for a bad URL or an unreachable database.
    public static func open(
        url: String,
        secrets: SecretBox = .plaintext,
        logger: Logger = Logger(label: "crossdock.store")
    ) async throws
        -> PostgresStore
    {
        let configuration = try Configuration(url: url)
        let store = PostgresStore(configuration: configuration, secrets: secrets, logger: logger)
        do {
            let connection = try await PostgresConnection.connect(configuration: try configuration.connectionConfiguration(), id: 0, logger: logger)
            do {
                try await PostgresSchema.migrate(connection, logger: logger)
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw Self.translate(error, context: "could not open \(configuration.description)")
        }
        logger.info("store opened", metadata: [LogKey.database: "\(configuration.description)"])
        return store
    }

    public var location: String { configuration.description }

    public var pendingWrites: Int { inFlight.load(ordering: .relaxed) }

    /// Runs the connection pool, the notification listener and the cache-version poll until graceful shutdown.
    public func run() async throws {
        guard let client = beginRun() else {
            // Another run already drives the pool: this one only lasts until shutdown.
            defer { endRun() }
            try? await gracefulShutdown()
            return
        }
        defer { endRun() }
        await cancelWhenGracefulShutdown {
            await self.runParts(client)
        }
    }

    /// Starts a run: the pool when none runs yet (returned, for the caller to drive), nil when one already does.
    private func beginRun() -> PostgresClient? {
        clients.withLock { state in
            state.runs += 1
            return state.runs == 1 ? state.client : nil
        }
    }

    private func endRun() {
        // A pool runs once, so the next run gets a fresh one at once: a request made between runs (or before the
        // first) waits on it until a run starts it, bounded by the acquire timeout, instead of failing on a pool that
        // has shut down.
        let configuration = self.configuration
        let logger = self.logger
        clients.withLock { state in
            state.runs -= 1
            if state.runs == 0 { state.client = Self.makeClient(configuration, logger) }
        }
    }

    private func runParts(_ client: PostgresClient) async {
        await withDiscardingTaskGroup { group in
            group.addTask { await client.run() }
            group.addTask { await self.listen() }
            group.addTask { await self.pollVersions() }
        }
    }

    public func withRunning<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard let client = beginRun() else {
            defer { endRun() }
            return try await body()
        }
        defer { endRun() }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.runParts(client) }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    public func isReady() async -> Bool {
        do {
            return try await withConnection(timeout: .seconds(2)) { connection in
                try await PostgresSchema.isCurrent(connection, logger: self.logger)
            }
        } catch {
            return false
        }
    }

    public func rowCounts() async throws -> [String: Int] {
        try await withConnection { connection in
            var counts: [String: Int] = [:]
            for table in StoreDiagnostics.countedTables {
                counts[table] = try await connection.one(Int.self, PostgresQuery(unsafeSQL: "SELECT COUNT(*)::bigint FROM \(table)")) ?? 0
            }
            counts["balances.reserved"] = try await connection.one(Int.self, "SELECT COALESCE(SUM(reserved), 0)::bigint FROM balances") ?? 0
            counts["balances.on_hand"] = try await connection.one(Int.self, "SELECT COALESCE(SUM(on_hand), 0)::bigint FROM balances") ?? 0
            counts["customers.open_orders"] = try await connection.one(Int.self, "SELECT COALESCE(SUM(open_orders), 0)::bigint FROM customers") ?? 0
            return counts
        }
    }

    /// Drops every table the hub owns (for tests and `bench` scratch databases).
    public static func dropSchema(url: String, logger: Logger) async throws {
        let configuration = try Configuration(url: url)
        let connection = try await PostgresConnection.connect(configuration: try configuration.connectionConfiguration(), id: 0, logger: logger)
        defer { Task { try? await connection.close() } }
        _ = try await connection.query("DROP SCHEMA public CASCADE", logger: logger).collect()
        _ = try await connection.query("CREATE SCHEMA public", logger: logger).collect()
    }

    // MARK: Connections

    /// Runs `body` on a pooled connection. Waiting for one is bounded: when none frees up within the configured time
    /// (every connection busy, or the database down) the call fails with ``StoreError/Code-swift.struct/unavailable``.
    func withConnection<T: Sendable>(
        timeout: Duration? = nil,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        if let held = Self.heldConnection { return try await body(held) }
        let race = AcquireRace()
        let wait = timeout ?? (unreachable.load(ordering: .relaxed) ? .seconds(1) : configuration.acquireTimeout)
        let client = self.client
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        // A connection that arrives after the wait gave up goes straight back, unused: the caller has
                        // been told the database is unavailable, so nothing may happen on its behalf.
                        guard race.acquire() else { throw CancellationError() }
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: wait)
                    if race.giveUp() {
                        throw StoreError(code: .unavailable, message: "no database connection became free within \(wait)")
                    }
                    return nil
                }
                while let next = try await group.next() {
                    if let value = next {
                        group.cancelAll()
                        return value
                    }
                }
                throw CancellationError()
            }
        } catch {
            throw Self.translate(error, context: nil)
        }
    }

    /// The connection of a serialized commit in progress on this task: the decision's reads run on it (inside its
    /// transaction, after its locks), so a decision never needs a second connection while holding one.
    @TaskLocal static var heldConnection: PostgresConnection?

    /// Runs `body` in a transaction on a pooled connection: committed when it returns, rolled back when it throws.
    /// Inside a serialized commit it runs as part of that commit's transaction.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        if let held = Self.heldConnection { return try await body(held) }
        inFlight.add(1, ordering: .relaxed)
        defer { inFlight.subtract(1, ordering: .relaxed) }
        return try await withConnection { connection in
            try await connection.run("BEGIN")
            do {
                let value = try await body(connection)
                try await connection.run("COMMIT")
                return value
            } catch {
                // Not subject to the caller's cancellation: a cancelled ROLLBACK would send the connection back to
                // the pool with the transaction open and its locks held.
                await Task { try? await connection.run("ROLLBACK") }.value
                throw error
            }
        }
    }

    /// Connection failures become ``StoreError`` `unavailable`; everything else passes through.
    static func translate(_ error: any Error, context: String?) -> any Error {
        if error is StoreError || error is CancellationError || error is ConflictError { return error }
        guard let psql = error as? PSQLError else { return error }
        let state = psql.serverInfo?[.sqlState] ?? ""
        let unavailable: Bool =
            switch psql.code {
            case .server: state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300" || state == "53400"
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed, .sslUnsupported,
                .failedToAddSSLHandler:
                true
            default: false
            }
        guard unavailable else { return error }
        let detail = psql.serverInfo?[.message] ?? "\(psql.code)"
        return StoreError(code: .unavailable, message: (context.map { $0 + ": " } ?? "") + "the database is unavailable (\(detail))")
    }
}

/// A flag set once, read from another task.
/// Who won between a pooled connection arriving and the bounded wait for it running out: exactly one of them does.
final class AcquireRace: Sendable {
    private let state = Atomic<Int>(0)  // 0 waiting, 1 acquired, 2 gave up
    /// The connection arrived: true unless the wait already gave up.
    func acquire() -> Bool { state.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged }
    /// The wait ran out: true unless the connection already arrived.
    func giveUp() -> Bool { state.compareExchange(expected: 0, desired: 2, ordering: .acquiringAndReleasing).exchanged }
}

/// What diagnostics count, the same on every backend.
public enum StoreDiagnostics {
    /// The tables ``Store/rowCounts()`` counts.
    public static let countedTables = [
        "customers", "products", "warehouses", "price_lists", "tax_rates", "legal_entities", "balances", "orders", "fulfillment_orders",
        "shipments", "events", "idempotency_keys", "api_keys", "subscriptions", "deliveries", "delivery_attempts",
    ]
}

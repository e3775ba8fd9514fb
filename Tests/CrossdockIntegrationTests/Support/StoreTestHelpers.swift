import CrossdockDomain
import Foundation
import GRDB
import PostgresNIO

@testable import CrossdockStore

extension Store {
    /// Records an attempt as if a worker had sent the delivery, taking a lease on it whatever its place in its key
    /// (test setup only: the worker leases heads alone).
    func recordAttempt(deliveryID: Int64, result: DeliveryAttemptResult, at: Date) async throws {
        let lease = try await forceLease(deliveryID)
        let recorded = try await recordAttempts([DeliveryAttemptRecord(lease: lease, result: result, at: at)])
        guard recorded.contains(deliveryID) else { throw TestFailure("delivery \(deliveryID) is not pending") }
    }

    /// A lease on `id` regardless of the per-key order.
    func forceLease(_ id: Int64) async throws -> DeliveryLease {
        switch self {
        case let sqlite as SQLiteStore:
            guard let lease = sqlite.leases.claim([id], lease: .seconds(60)).first else { throw TestFailure("delivery \(id) is leased") }
            return lease
        case let postgres as PostgresStore:
            let token = try await postgres.withConnection { connection in
                try await connection.one(
                    Int64.self,
                    """
                    UPDATE deliveries SET lease_owner = 'test', lease_until = extract(epoch FROM clock_timestamp()) + 60,
                    lease_token = nextval('delivery_lease_tokens') WHERE id = \(id) RETURNING lease_token
                    """
                )
            }
            guard let token else { throw TestFailure("no delivery \(id)") }
            return DeliveryLease(deliveryID: id, token: token, deadline: .now + .seconds(60))
        default:
            throw TestFailure("unknown store")
        }
    }

    /// Every delivery with its history.
    func allDeliveries() async throws -> [DeliveryDetail] {
        try await deliveryDetails(DeliveryQuery(limit: 100_000))
    }
}

/// Raw SQL against a test's PostgreSQL database, for what no store method shows (lease owners, statistics).
enum PostgresProbe {
    /// The first column of the first row of `sql` as text, nil when there is no row.
    static func string(_ url: String, _ sql: String) async throws -> String? {
        let configuration = try PostgresStore.Configuration(url: url)
        let connection = try await PostgresConnection.connect(
            configuration: try configuration.connectionConfiguration(),
            id: 99,
            logger: .init(label: "probe")
        )
        do {
            let value = try await connection.one(String.self, PostgresQuery(unsafeSQL: sql))
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Runs `sql` and discards its rows.
    static func execute(_ url: String, _ sql: String) async throws {
        let configuration = try PostgresStore.Configuration(url: url)
        let connection = try await PostgresConnection.connect(
            configuration: try configuration.connectionConfiguration(),
            id: 99,
            logger: .init(label: "probe")
        )
        do {
            try await connection.run(PostgresQuery(unsafeSQL: sql))
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// Raw SQL against a test database of either backend, for what the store does not show (how a column is stored).
enum SQLProbe {
    /// The first column of the first row of `sql` as text, nil when there is no row.
    static func string(_ database: TestDatabase, _ sql: String) async throws -> String? {
        switch database.backend {
        case .sqlite: try await queue(database).read { try String.fetchOne($0, sql: sql) }
        case .postgres: try await PostgresProbe.string(database.url, sql)
        }
    }

    /// Runs `sql`.
    static func execute(_ database: TestDatabase, _ sql: String) async throws {
        switch database.backend {
        case .sqlite: try await queue(database).write { try $0.execute(sql: sql) }
        case .postgres: try await PostgresProbe.execute(database.url, sql)
        }
    }

    /// A second connection to a SQLite test database, waiting out the store's writer.
    private static func queue(_ database: TestDatabase) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return try DatabaseQueue(path: database.path, configuration: configuration)
    }

    /// A partner profile document as stored, as text.
    static func partnerDocument(_ database: TestDatabase, _ id: String) async throws -> String? {
        let text = database.backend == .sqlite ? "CAST(doc AS TEXT)" : "convert_from(doc, 'UTF8')"
        return try await string(database, "SELECT \(text) FROM partners WHERE id = '\(id)'")
    }
}

import Foundation
import PostgresNIO

extension PostgresStore {
    public func acquireLease(_ name: String, owner: String, duration: Duration) async throws -> Bool {
        // The database's clock decides expiry, so nodes with skewed clocks agree on who holds a lease.
        try await withConnection { connection in
            try await connection.count(
                """
                INSERT INTO leases(name, owner, expires_at) VALUES (\(name), \(owner), extract(epoch FROM clock_timestamp()) + \(duration.seconds))
                ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE leases.owner = excluded.owner OR leases.expires_at < extract(epoch FROM clock_timestamp())
                RETURNING 1
                """
            ) == 1
        }
    }

    public func releaseLease(_ name: String, owner: String) async throws {
        try await withConnection { try await $0.run("DELETE FROM leases WHERE name = \(name) AND owner = \(owner)") }
    }

    public func leaseHolder(_ name: String) async throws -> String? {
        try await withConnection { connection in
            try await connection.one(
                String.self,
                "SELECT owner FROM leases WHERE name = \(name) AND expires_at >= extract(epoch FROM clock_timestamp())"
            )
        }
    }
}

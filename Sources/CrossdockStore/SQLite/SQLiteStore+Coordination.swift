import Foundation
import GRDB

extension SQLiteStore {
    public func acquireLease(_ name: String, owner: String, duration: Duration) async throws -> Bool {
        try await writer.write { db in
            let now = Date().timeIntervalSince1970
            let until = now + Double(duration.nanoseconds) / 1e9
            return try db.one(
                String.self,
                """
                INSERT INTO leases(name, owner, expires_at) VALUES (\(name), \(owner), \(until))
                ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE leases.owner = excluded.owner OR leases.expires_at < \(now)
                RETURNING owner
                """
            ) != nil
        }
    }

    public func releaseLease(_ name: String, owner: String) async throws {
        try await writer.write { db in try db.run("DELETE FROM leases WHERE name = \(name) AND owner = \(owner)") }
    }

    public func leaseHolder(_ name: String) async throws -> String? {
        try await pool.read { db in
            try db.one(String.self, "SELECT owner FROM leases WHERE name = \(name) AND expires_at >= \(Date().timeIntervalSince1970)")
        }
    }
}

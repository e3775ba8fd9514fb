import CrossdockDomain
import Foundation
import GRDB

extension SQLiteStore {
    public func insertKey(_ key: APIKeyRecord) async throws {
        let scopes = key.scopes.joined(separator: ",")
        try await writer.write { db in
            try db.run(
                """
                INSERT INTO api_keys(id, name, hash, scopes, partner, created_at, expires_at)
                VALUES (\(key.id), \(key.name), \(key.hash), \(scopes), \(key.partner), \(key.createdAt.timeIntervalSince1970),
                \(key.expiresAt?.timeIntervalSince1970))
                """
            )
        }
    }

    public func key(hash: String) async throws -> APIKeyRecord? {
        try await pool.read { db in try db.row("SELECT * FROM api_keys WHERE hash = \(hash)").map(Self.key) }
    }

    public func keyCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_keys") ?? 0 }
    }

    public func keys() async throws -> [APIKeyRecord] {
        try await pool.read { db in try db.rows("SELECT * FROM api_keys ORDER BY created_at DESC, id").map(Self.key) }
    }

    public func revokeKey(_ id: String, at: Date) async throws -> Bool {
        let changed = try await writer.write { db in
            try db.run("UPDATE api_keys SET revoked_at = \(at.timeIntervalSince1970) WHERE id = \(id) AND revoked_at IS NULL")
            return db.changesCount == 1
        }
        if changed { cache.invalidate() }
        return changed
    }

    public func rotateKey(_ id: String, hash: String) async throws -> Bool {
        let changed = try await writer.write { db in
            try db.run("UPDATE api_keys SET hash = \(hash) WHERE id = \(id) AND revoked_at IS NULL")
            return db.changesCount == 1
        }
        if changed { cache.invalidate() }
        return changed
    }

    /// The master-data cache's generation, which key changes through this store move too (another process's, such as
    /// `crossdock keys`, reach the hub's key cache by its time bound).
    public var keysGeneration: Int { cache.generation }

    public func touchKey(_ id: String, at: Date) async throws {
        let now = at.timeIntervalSince1970
        try await writer.write { db in
            try db.run("UPDATE api_keys SET last_used_at = \(now) WHERE id = \(id) AND (last_used_at IS NULL OR last_used_at < \(now - 60))")
        }
    }

    static func key(_ row: Row) -> APIKeyRecord {
        APIKeyRecord(
            id: row["id"],
            name: row["name"],
            hash: row["hash"],
            scopes: (row["scopes"] as String).split(separator: ",").map(String.init),
            partner: row["partner"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            expiresAt: (row["expires_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            revokedAt: (row["revoked_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            lastUsedAt: (row["last_used_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        )
    }
}

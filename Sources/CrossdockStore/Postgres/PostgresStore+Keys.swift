import CrossdockDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    public func insertKey(_ key: APIKeyRecord) async throws {
        let scopes = key.scopes.joined(separator: ",")
        _ = try await transaction { connection in
            try await connection.run(
                """
                INSERT INTO api_keys(id, name, hash, scopes, partner, created_at, expires_at)
                VALUES (\(key.id), \(key.name), \(key.hash), \(scopes), \(key.partner), \(key.createdAt.timeIntervalSince1970),
                \(key.expiresAt?.timeIntervalSince1970))
                """
            )
            try await Self.keysChanged(connection)
        }
    }

    public func key(hash: String) async throws -> APIKeyRecord? {
        try await withConnection { connection in
            try await connection.rows(
                "SELECT id, name, hash, scopes, partner, created_at, expires_at, revoked_at, last_used_at FROM api_keys WHERE hash = \(hash)"
            ).first.map(Self.key)
        }
    }

    public func keyCount() async throws -> Int {
        try await withConnection { try await $0.one(Int.self, "SELECT COUNT(*)::bigint FROM api_keys") ?? 0 }
    }

    public func keys() async throws -> [APIKeyRecord] {
        try await withConnection { connection in
            try await connection.rows(
                """
                SELECT id, name, hash, scopes, partner, created_at, expires_at, revoked_at, last_used_at FROM api_keys
                ORDER BY created_at DESC, id
                """
            ).map(Self.key)
        }
    }

    public func revokeKey(_ id: String, at: Date) async throws -> Bool {
        let changed = try await transaction { connection in
            let changed =
                try await connection.count(
                    "UPDATE api_keys SET revoked_at = \(at.timeIntervalSince1970) WHERE id = \(id) AND revoked_at IS NULL RETURNING 1"
                ) == 1
            if changed { try await Self.keysChanged(connection) }
            return changed
        }
        if changed { cache.invalidate() }
        return changed
    }

    public func rotateKey(_ id: String, hash: String) async throws -> Bool {
        let changed = try await transaction { connection in
            let changed = try await connection.count("UPDATE api_keys SET hash = \(hash) WHERE id = \(id) AND revoked_at IS NULL RETURNING 1") == 1
            if changed { try await Self.keysChanged(connection) }
            return changed
        }
        if changed { cache.invalidate() }
        return changed
    }

    public func touchKey(_ id: String, at: Date) async throws {
        let now = at.timeIntervalSince1970
        try await withConnection { connection in
            try await connection.run(
                "UPDATE api_keys SET last_used_at = \(now) WHERE id = \(id) AND (last_used_at IS NULL OR last_used_at < \(now - 60))"
            )
        }
    }

    /// The cache generation: every node's listener moves it when any node notifies `crossdock_cache` (keys or master
    /// data), and this node's own revocations and rotations move it at once.
    public var keysGeneration: Int { cache.generation }

    /// Tells every node that keys changed (their key caches are bounded by time as well).
    private static func keysChanged(_ connection: PostgresConnection) async throws {
        try await connection.run("UPDATE hub_state SET keys_version = keys_version + 1 WHERE id = 1")
        try await connection.run("SELECT pg_notify('crossdock_cache', 'keys')")
    }

    private static func key(_ row: PostgresRow) throws -> APIKeyRecord {
        let (id, name, hash, scopes, partner, created, expires, revoked, used) = try row.decode(
            (String, String, String, String, String?, Double, Double?, Double?, Double?).self
        )
        return APIKeyRecord(
            id: id,
            name: name,
            hash: hash,
            scopes: scopes.split(separator: ",").map(String.init),
            partner: partner,
            createdAt: Date(timeIntervalSince1970: created),
            expiresAt: expires.map(Date.init(timeIntervalSince1970:)),
            revokedAt: revoked.map(Date.init(timeIntervalSince1970:)),
            lastUsedAt: used.map(Date.init(timeIntervalSince1970:))
        )
    }
}

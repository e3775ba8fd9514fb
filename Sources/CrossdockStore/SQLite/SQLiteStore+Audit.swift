import CrossdockDomain
import Foundation
import GRDB

extension SQLiteStore {
    @discardableResult
    public func appendAudit(_ entry: AuditEntry) async throws -> AuditEntry {
        let row = try AuditRow(entry)
        var stored = entry
        stored.seq = try await writer.write { db in try Self.insertAudit(row, db) }
        return stored
    }

    public func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry] {
        var sql: SQL = "SELECT * FROM audit_log WHERE seq > \(query.after)"
        if let key = query.keyID { sql += " AND key_id = \(key)" }
        if let resource = query.resource {
            if let prefix = query.resourcePrefix {
                sql += " AND (resource = \(resource) OR substr(resource, 1, \(prefix.count)) = \(prefix))"
            } else {
                sql += " AND resource = \(resource)"
            }
        }
        if let since = query.since { sql += " AND at >= \(since.timeIntervalSince1970)" }
        if let until = query.until { sql += " AND at < \(until.timeIntervalSince1970)" }
        sql += " ORDER BY seq LIMIT \(query.limit)"
        let statement = sql
        return try await pool.read { db in try db.rows(statement).map(Self.auditEntry) }
    }

    /// Inserts one audit row (inside the caller's transaction); returns its `seq`.
    static func insertAudit(_ row: AuditRow, _ db: Database) throws -> Int64 {
        let entry = row.entry
        try db.exec(
            """
            INSERT INTO audit_log(at, key_id, key_name, partner, method, route, path, resource, status, request_id, source, changes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                row.at, entry.keyId, entry.keyName, entry.partner, entry.method, entry.route, entry.path, entry.resource, entry.status,
                entry.requestId, entry.source, row.changes,
            ]
        )
        return db.lastInsertedRowID
    }

    static func auditEntry(_ row: Row) -> AuditEntry {
        AuditEntry(
            seq: row["seq"],
            at: Date(timeIntervalSince1970: row["at"]),
            keyId: row["key_id"],
            keyName: row["key_name"],
            partner: row["partner"],
            method: row["method"],
            route: row["route"],
            path: row["path"],
            resource: row["resource"],
            status: row["status"],
            requestId: row["request_id"],
            source: row["source"],
            changes: AuditEntry.changes(row["changes"])
        )
    }
}

import CrossdockDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    @discardableResult
    public func appendAudit(_ entry: AuditEntry) async throws -> AuditEntry {
        let row = try AuditRow(entry)
        var stored = entry
        stored.seq = try await transaction { connection in try await Self.insertAudit(row, connection) }
        return stored
    }

    public func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry] {
        // Only the filters given are in the statement, so each shape can use its index; every value is a bind.
        var binds = PostgresBindings()
        var sql = "SELECT seq, at, key_id, key_name, partner, method, route, path, resource, status, request_id, source, changes"
        sql += " FROM audit_log WHERE seq > $1"
        binds.append(query.after)
        func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if let key = query.keyID { sql += " AND key_id = \(bind(key))" }
        if let resource = query.resource {
            if let prefix = query.resourcePrefix {
                sql += " AND (resource = \(bind(resource)) OR starts_with(resource, \(bind(prefix))))"
            } else {
                sql += " AND resource = \(bind(resource))"
            }
        }
        if let since = query.since { sql += " AND at >= \(bind(since.timeIntervalSince1970))" }
        if let until = query.until { sql += " AND at < \(bind(until.timeIntervalSince1970))" }
        sql += " ORDER BY seq LIMIT \(bind(query.limit))"
        let statement = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await withConnection { connection in
            try await connection.rows(statement).map { try Self.auditEntry($0.columns) }
        }
    }

    /// Inserts one audit row on `connection` (inside its transaction); returns its `seq`.
    static func insertAudit(_ row: AuditRow, _ connection: PostgresConnection) async throws -> Int64 {
        let entry = row.entry
        let seq = try await connection.one(
            Int64.self,
            """
            INSERT INTO audit_log(at, key_id, key_name, partner, method, route, path, resource, status, request_id, source, changes)
            VALUES (\(row.at), \(entry.keyId), \(entry.keyName), \(entry.partner), \(entry.method), \(entry.route), \(entry.path),
            \(entry.resource), \(entry.status), \(entry.requestId), \(entry.source), \(row.changes))
            RETURNING seq
            """
        )
        return seq ?? 0
    }

    static func auditEntry(_ row: PostgresRandomAccessRow) throws -> AuditEntry {
        AuditEntry(
            seq: try row.get("seq"),
            at: Date(timeIntervalSince1970: try row.get("at")),
            keyId: try row.get("key_id"),
            keyName: try row.get("key_name"),
            partner: try row.get("partner"),
            method: try row.get("method"),
            route: try row.get("route"),
            path: try row.get("path"),
            resource: try row.get("resource"),
            status: try row.get("status"),
            requestId: try row.get("request_id"),
            source: try row.get("source"),
            changes: AuditEntry.changes(try row.get("changes"))
        )
    }
}

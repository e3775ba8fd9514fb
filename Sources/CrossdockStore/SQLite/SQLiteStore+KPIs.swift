import CrossdockDomain
import Foundation
import GRDB

/// The KPI reads: counted and joined by SQLite, so a day of a hundred thousand orders costs index ranges, not a
/// hundred thousand rows handed to Swift. The receipt of an order is looked up by its correlation id: `+` keeps the
/// planner from reaching for the (type, time) index there, which would scan every receipt of the window per row.
extension SQLiteStore {
    public func eventCounts(types: Set<String>, from: Date, to: Date, bucketSeconds: Int) async throws -> [EventCount] {
        let bounds = Self.bucketBounds(from: from, to: to, bucketSeconds: bucketSeconds)
        guard !types.isEmpty, !bounds.isEmpty else { return [] }
        let boundsJSON = String(decoding: try JSONCoding.encode(bounds.map { [$0.lo, $0.hi] }), as: UTF8.self)
        let typesJSON = String(decoding: try JSONCoding.encode(types.sorted()), as: UTF8.self)
        return try await pool.read { db in
            try db.rows(
                """
                WITH b AS (SELECT key AS idx, json_extract(value, '$[0]') AS lo, json_extract(value, '$[1]') AS hi FROM json_each(\(boundsJSON))),
                k AS (SELECT value AS type FROM json_each(\(typesJSON)))
                SELECT b.idx, k.type, (SELECT COUNT(*) FROM events e WHERE e.type = k.type AND e.time >= b.lo AND e.time < b.hi) AS n
                FROM b, k
                """
            ).compactMap { row in
                let count: Int = row["n"]
                return count == 0 ? nil : EventCount(type: row["type"], bucket: row["idx"], count: count)
            }
        }
    }

    public func eventTypes(_ types: Set<String>, ofOrdersReceived receivedType: String, from: Date, to: Date) async throws -> [String: Set<String>] {
        guard !types.isEmpty else { return [:] }
        let since = from.addingTimeInterval(-Self.clockSkewAllowance)
        return try await pool.read { db in
            var result: [String: Set<String>] = [:]
            for row in try db.rows(
                """
                SELECT DISTINCT x.correlation_id, x.type FROM events x
                WHERE x.type IN \(types.sorted()) AND x.time >= \(JSONCoding.format(since))
                AND EXISTS (SELECT 1 FROM events r WHERE r.correlation_id = x.correlation_id AND +r.type = \(receivedType)
                    AND +r.time >= \(JSONCoding.format(from)) AND r.time < \(JSONCoding.format(to)))
                """
            ) {
                result[row["correlation_id"], default: []].insert(row["type"])
            }
            return result
        }
    }

    public func exceptionKinds(ofOrdersReceived receivedType: String, from: Date, to: Date) async throws -> [String: Set<String>] {
        try await pool.read { db in
            var kinds: [String: Set<String>] = [:]
            for row in try db.rows(
                """
                SELECT DISTINCT o.order_id, o.kind FROM operations_exceptions o
                WHERE EXISTS (SELECT 1 FROM events r WHERE r.correlation_id = o.order_id AND +r.type = \(receivedType)
                    AND +r.time >= \(JSONCoding.format(from)) AND r.time < \(JSONCoding.format(to)))
                """
            ) {
                kinds[row["order_id"], default: []].insert(row["kind"])
            }
            return kinds
        }
    }

    public func spans(from startType: String, to endType: String, endingFrom from: Date, to: Date, limit: Int) async throws -> [TimeSpan] {
        try await pool.read { db in
            try db.rows(
                """
                SELECT (SELECT MIN(r.time) FROM events r WHERE r.correlation_id = e.correlation_id AND +r.type = \(startType)) AS started,
                MAX(e.time) AS ended
                FROM events e WHERE e.type = \(endType) AND e.time >= \(JSONCoding.format(from)) AND e.time < \(JSONCoding.format(to))
                GROUP BY e.correlation_id LIMIT \(limit)
                """
            ).compactMap { row in
                guard let started = (row["started"] as String?).flatMap(JSONCoding.parse), let ended = JSONCoding.parse(row["ended"]) else {
                    return nil
                }
                return TimeSpan(start: started, end: ended)
            }
        }
    }

}

import CrossdockDomain
import Foundation
import PostgresNIO

/// The KPI reads: counted and joined by PostgreSQL, so a day of a hundred thousand orders costs index ranges, not a
/// hundred thousand rows sent to the hub. An order's receipt is found through its correlation id in a lateral
/// subquery: as a semi-join the planner hashes every receipt of the window (a scan of the log) to match a few
/// exceptions.
extension PostgresStore {
    public func eventCounts(types: Set<String>, from: Date, to: Date, bucketSeconds: Int) async throws -> [EventCount] {
        let bounds = Self.bucketBounds(from: from, to: to, bucketSeconds: bucketSeconds)
        guard !types.isEmpty, !bounds.isEmpty else { return [] }
        return try await withConnection { connection in
            try await connection.rows(
                """
                SELECT b.idx, k.type, (SELECT count(*) FROM events e WHERE e.type = k.type AND e.time >= b.lo AND e.time < b.hi)::bigint
                FROM unnest(\(bounds.map(\.lo))::text[], \(bounds.map(\.hi))::text[]) WITH ORDINALITY AS b(lo, hi, idx),
                unnest(\(types.sorted())::text[]) AS k(type)
                """
            ).compactMap { row in
                let (index, type, count) = try row.decode((Int64, String, Int64).self)
                return count == 0 ? nil : EventCount(type: type, bucket: Int(index) - 1, count: Int(count))
            }
        }
    }

    public func eventTypes(_ types: Set<String>, ofOrdersReceived receivedType: String, from: Date, to: Date) async throws -> [String: Set<String>] {
        guard !types.isEmpty else { return [:] }
        let since = from.addingTimeInterval(-Self.clockSkewAllowance)
        return try await withConnection { connection in
            var result: [String: Set<String>] = [:]
            for row in try await connection.rows(
                """
                SELECT DISTINCT x.correlation_id, x.type FROM events x
                CROSS JOIN LATERAL (SELECT min(r.time) AS at FROM events r WHERE r.correlation_id = x.correlation_id AND r.type = \(receivedType)) r
                WHERE x.type = ANY(\(types.sorted())::text[]) AND x.time >= \(JSONCoding.format(since))
                AND r.at >= \(JSONCoding.format(from)) AND r.at < \(JSONCoding.format(to))
                """
            ) {
                let (order, type) = try row.decode((String, String).self)
                result[order, default: []].insert(type)
            }
            return result
        }
    }

    public func exceptionKinds(ofOrdersReceived receivedType: String, from: Date, to: Date) async throws -> [String: Set<String>] {
        try await withConnection { connection in
            var kinds: [String: Set<String>] = [:]
            for row in try await connection.rows(
                """
                SELECT DISTINCT o.order_id, o.kind FROM operations_exceptions o
                CROSS JOIN LATERAL (SELECT min(r.time) AS at FROM events r WHERE r.correlation_id = o.order_id AND r.type = \(receivedType)) r
                WHERE r.at >= \(JSONCoding.format(from)) AND r.at < \(JSONCoding.format(to))
                """
            ) {
                let (order, kind) = try row.decode((String, String).self)
                kinds[order, default: []].insert(kind)
            }
            return kinds
        }
    }

    public func spans(from startType: String, to endType: String, endingFrom from: Date, to: Date, limit: Int) async throws -> [TimeSpan] {
        try await withConnection { connection in
            try await connection.rows(
                """
                SELECT (SELECT min(r.time) FROM events r WHERE r.correlation_id = e.correlation_id AND r.type = \(startType)), max(e.time)
                FROM events e WHERE e.type = \(endType) AND e.time >= \(JSONCoding.format(from)) AND e.time < \(JSONCoding.format(to))
                GROUP BY e.correlation_id LIMIT \(limit)
                """
            ).compactMap { row in
                let (started, ended) = try row.decode((String?, String).self)
                guard let start = started.flatMap(JSONCoding.parse), let end = JSONCoding.parse(ended) else { return nil }
                return TimeSpan(start: start, end: end)
            }
        }
    }
}

import CrossdockDomain
import Foundation
import GRDB

extension SQLiteStore {
    public func events(correlationID: String, limit: Int) async throws -> [CloudEvent] {
        try await pool.read { db in
            try db.rows("SELECT * FROM events WHERE correlation_id = \(correlationID) ORDER BY seq LIMIT \(limit)").map(Self.cloudEvent)
        }
    }

    public func search(_ key: String, partner: String?, limit: Int) async throws -> [SearchMatch] {
        let number = SearchMatch.controlNumber(key)
        return try await pool.read { db in
            let rows = try db.rows(
                """
                SELECT h.kind, h.id, h.order_id, h.field, h.detail FROM (
                    SELECT 1 AS rank, 'order' AS kind, id, id AS order_id, 'id' AS field, status AS detail, pos, partner AS owner
                    FROM orders WHERE id = \(key)
                    UNION ALL SELECT 1, 'order', id, id, 'externalId', status, pos, partner FROM orders WHERE external_id = \(key)
                    UNION ALL SELECT 1, 'order', id, id, 'customerPo', status, pos, partner FROM orders WHERE customer_po = \(key)
                    UNION ALL SELECT 2, 'order', o.id, o.id, 'externalReference', r.partner || ' ' || r.document_type, o.pos, o.partner
                    FROM external_references r JOIN orders o ON o.id = r.order_id WHERE r.number = \(key)
                    UNION ALL SELECT 3, 'shipment', s.id, s.order_id, 'trackingNumber', NULL, 0, o.partner
                    FROM shipment_tracking_numbers t JOIN shipments s ON s.id = t.shipment_id JOIN orders o ON o.id = s.order_id
                    WHERE t.tracking_number = \(key)
                    UNION ALL SELECT 3, 'shipment', s.id, s.order_id, 'id', NULL, 0, o.partner
                    FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.id = \(key)
                    UNION ALL SELECT 3, 'fulfillment', f.id, f.order_id, 'id', f.status, 0, o.partner
                    FROM fulfillment_orders f JOIN orders o ON o.id = f.order_id WHERE f.id = \(key)
                    UNION ALL SELECT 4, 'invoice', i.id, i.order_id, CASE WHEN i.number = \(key) THEN 'number' ELSE 'id' END, i.number, 0, o.partner
                    FROM invoices i JOIN orders o ON o.id = i.order_id WHERE i.number = \(key) OR i.id = \(key)
                    UNION ALL SELECT 4, 'credit_memo', c.id, c.order_id, CASE WHEN c.number = \(key) THEN 'number' ELSE 'id' END, c.number, 0, o.partner
                    FROM credit_memos c JOIN orders o ON o.id = c.order_id WHERE c.number = \(key) OR c.id = \(key)
                    UNION ALL SELECT 4, 'return', r.id, r.order_id, CASE WHEN r.number = \(key) THEN 'number' ELSE 'id' END, r.number, 0, o.partner
                    FROM returns r JOIN orders o ON o.id = r.order_id WHERE r.number = \(key) OR r.id = \(key)
                    UNION ALL SELECT 5, 'edi_document', d.id, d.order_id, 'documentReference',
                        d.set_id || ' ' || d.direction || ' ' || d.partner_id || ' ' || d.status, 0, d.partner_id
                    FROM edi_documents d WHERE d.reference = \(key)
                    UNION ALL SELECT 5, 'edi_document', d.id, d.order_id, 'interchangeControl',
                        d.set_id || ' ' || d.direction || ' ' || d.partner_id || ' ' || d.status, 0, d.partner_id
                    FROM edi_interchanges x JOIN edi_documents d ON d.interchange_id = x.id WHERE x.control_number = \(number)
                    UNION ALL SELECT 5, 'edi_document', d.id, d.order_id, 'groupControl',
                        d.set_id || ' ' || d.direction || ' ' || d.partner_id || ' ' || d.status, 0, d.partner_id
                    FROM edi_documents d WHERE d.group_control = \(number)
                    UNION ALL SELECT 6, 'customer', id, NULL, 'customerId', NULL, 0, NULL FROM customers WHERE id = \(key)
                    UNION ALL SELECT 7, 'order', id, id, 'customerId', status, pos, partner FROM orders WHERE customer_id = \(key)
                    UNION ALL SELECT 8, 'product', sku, NULL, 'sku', NULL, 0, NULL FROM products WHERE sku = \(key)
                ) h
                WHERE \(partner) IS NULL OR h.owner = \(partner)
                ORDER BY h.rank, h.pos DESC, h.id LIMIT \(limit)
                """
            )
            return rows.compactMap { row in
                guard let kind = SearchMatch.Kind(rawValue: row["kind"]), let field = SearchMatch.Field(rawValue: row["field"]) else { return nil }
                return SearchMatch(kind: kind, id: row["id"], orderID: row["order_id"], field: field, detail: row["detail"])
            }
        }
    }

    public func eventMarks(types: Set<String>, from: Date, to: Date, limit: Int) async throws -> [EventMark] {
        guard !types.isEmpty else { return [] }
        return try await pool.read { db in
            try db.rows(
                """
                SELECT e.type, e.subject, e.correlation_id, e.time, s.fulfillment_order_id
                FROM events e LEFT JOIN shipments s ON s.id = e.subject AND e.type LIKE 'com.crossdock.shipment.%'
                WHERE e.type IN \(types.sorted()) AND e.time >= \(JSONCoding.format(from)) AND e.time < \(JSONCoding.format(to))
                ORDER BY e.time, e.seq LIMIT \(limit)
                """
            ).compactMap(Self.eventMark)
        }
    }

    public func attemptCounts(from: Date, to: Date) async throws -> AttemptCounts {
        try await pool.read { db in
            let row = try db.row(
                """
                SELECT COALESCE(SUM(attempts), 0) AS n, COALESCE(SUM(succeeded), 0) AS ok FROM delivery_attempt_minutes
                WHERE minute >= \(AttemptCounts.minute(from)) AND minute < \(AttemptCounts.minute(to, roundingUp: true))
                """
            )
            return AttemptCounts(attempts: row?["n"] ?? 0, succeeded: row?["ok"] ?? 0)
        }
    }

    public func operationsExceptions(ids: Set<String>) async throws -> [OperationsException] {
        guard !ids.isEmpty else { return [] }
        let list = try Self.json(ids.sorted())
        return try await pool.read { db in
            try db.rows(sql: "SELECT doc FROM operations_exceptions WHERE id IN (SELECT value FROM json_each(?))", [list]).map {
                try Self.decode(OperationsException.self, $0["doc"])
            }
        }
    }

    public func openExceptionCounts() async throws -> [String: Int] {
        try await pool.read { db in
            var counts: [String: Int] = [:]
            for row in try db.rows("SELECT kind, COUNT(*) AS n FROM operations_exceptions WHERE status = 'open' GROUP BY kind") {
                counts[row["kind"]] = row["n"]
            }
            return counts
        }
    }

    /// The mark in `row` (`type, subject, correlation_id, time, fulfillment_order_id`); nil when its time does not parse.
    static func eventMark(_ row: Row) -> EventMark? {
        guard let time = JSONCoding.parse(row["time"]) else { return nil }
        return EventMark(
            type: row["type"],
            subject: row["subject"],
            correlationID: row["correlation_id"],
            time: time,
            fulfillmentOrderID: row["fulfillment_order_id"]
        )
    }
}

import CrossdockDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    public func events(correlationID: String, limit: Int) async throws -> [CloudEvent] {
        guard Self.canBeStored(correlationID) else { return [] }
        return try await withConnection { connection in
            try await connection.rows(
                """
                SELECT seq, id, type, subject, time, correlation_id, causation_id, data, traceparent FROM events
                WHERE correlation_id = \(correlationID) ORDER BY seq LIMIT \(limit)
                """
            ).map { try EventEnvelope.cloudEvent(try Self.storedEvent($0)) }
        }
    }

    public func search(_ key: String, partner: String?, limit: Int) async throws -> [SearchMatch] {
        guard Self.canBeStored(key) else { return [] }
        let number = SearchMatch.controlNumber(key)
        return try await withConnection { connection in
            let rows = try await connection.rows(
                """
                SELECT h.kind, h.id, h.order_id, h.field, h.detail FROM (
                    SELECT 1 AS rank, 'order'::text AS kind, id, id AS order_id, 'id'::text AS field, status AS detail, pos, partner AS owner
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
                    FROM edi_interchanges x JOIN edi_documents d ON d.interchange_id = x.id WHERE x.control_number = \(number)::bigint
                    UNION ALL SELECT 5, 'edi_document', d.id, d.order_id, 'groupControl',
                        d.set_id || ' ' || d.direction || ' ' || d.partner_id || ' ' || d.status, 0, d.partner_id
                    FROM edi_documents d WHERE d.group_control = \(number)::bigint
                    UNION ALL SELECT 6, 'customer', id, NULL, 'customerId', NULL, 0, NULL FROM customers WHERE id = \(key)
                    UNION ALL SELECT 7, 'order', id, id, 'customerId', status, pos, partner FROM orders WHERE customer_id = \(key)
                    UNION ALL SELECT 8, 'product', sku, NULL, 'sku', NULL, 0, NULL FROM products WHERE sku = \(key)
                ) h
                WHERE \(partner)::text IS NULL OR h.owner = \(partner)::text
                ORDER BY h.rank, h.pos DESC, h.id LIMIT \(limit)
                """
            )
            return try rows.compactMap { row in
                let (kind, id, orderID, field, detail) = try row.decode((String, String, String?, String, String?).self)
                guard let kind = SearchMatch.Kind(rawValue: kind), let field = SearchMatch.Field(rawValue: field) else { return nil }
                return SearchMatch(kind: kind, id: id, orderID: orderID, field: field, detail: detail)
            }
        }
    }

    public func eventMarks(types: Set<String>, from: Date, to: Date, limit: Int) async throws -> [EventMark] {
        guard !types.isEmpty else { return [] }
        return try await withConnection { connection in
            try await connection.rows(
                """
                SELECT e.type, e.subject, e.correlation_id, e.time, s.fulfillment_order_id
                FROM events e LEFT JOIN shipments s ON s.id = e.subject AND e.type LIKE 'com.crossdock.shipment.%'
                WHERE e.type = ANY(\(types.sorted())::text[]) AND e.time >= \(JSONCoding.format(from)) AND e.time < \(JSONCoding.format(to))
                ORDER BY e.time, e.seq LIMIT \(limit)
                """
            ).compactMap(Self.eventMark)
        }
    }

    public func attemptCounts(from: Date, to: Date) async throws -> AttemptCounts {
        try await withConnection { connection in
            let rows = try await connection.rows(
                """
                SELECT COALESCE(SUM(attempts), 0)::bigint, COALESCE(SUM(succeeded), 0)::bigint FROM delivery_attempt_minutes
                WHERE minute >= \(AttemptCounts.minute(from)) AND minute < \(AttemptCounts.minute(to, roundingUp: true))
                """
            )
            guard let row = rows.first else { return AttemptCounts(attempts: 0, succeeded: 0) }
            let (attempts, succeeded) = try row.decode((Int, Int).self)
            return AttemptCounts(attempts: attempts, succeeded: succeeded)
        }
    }

    public func operationsExceptions(ids: Set<String>) async throws -> [OperationsException] {
        guard !ids.isEmpty else { return [] }
        return try await documents(OperationsException.self, "SELECT doc FROM operations_exceptions WHERE id = ANY(\(ids.sorted())::text[])")
    }

    public func openExceptionCounts() async throws -> [String: Int] {
        try await withConnection { connection in
            var counts: [String: Int] = [:]
            for row in try await connection.rows("SELECT kind, COUNT(*)::bigint FROM operations_exceptions WHERE status = 'open' GROUP BY kind") {
                let (kind, count) = try row.decode((String, Int).self)
                counts[kind] = count
            }
            return counts
        }
    }

    /// The mark in `row` (`type, subject, correlation_id, time, fulfillment_order_id`); nil when its time does not parse.
    static func eventMark(_ row: PostgresRow) throws -> EventMark? {
        let (type, subject, correlation, time, fulfillment) = try row.decode((String, String, String, String, String?).self)
        guard let parsed = JSONCoding.parse(time) else { return nil }
        return EventMark(type: type, subject: subject, correlationID: correlation, time: parsed, fulfillmentOrderID: fulfillment)
    }
}

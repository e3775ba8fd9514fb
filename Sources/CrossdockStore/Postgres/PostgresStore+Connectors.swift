import CrossdockDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    public func putPartner(_ record: PartnerRecord) async throws {
        let document = secrets.sealedDocument(record)
        try await withConnection { connection in
            try await connection.run(
                """
                INSERT INTO partners(id, kind, doc, updated_at) VALUES (\(record.id), \(record.kind), \(document), \(record.updatedAt.timeIntervalSince1970))
                ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, doc = excluded.doc, updated_at = excluded.updated_at
                """
            )
        }
    }

    public func partner(_ id: String) async throws -> PartnerRecord? {
        try await withConnection { connection in
            try await connection.rows("SELECT id, kind, doc, updated_at FROM partners WHERE id = \(id)").first.map(Self.partnerRecord)
        }.map(secrets.opening)
    }

    public func partners(kind: String?) async throws -> [PartnerRecord] {
        try await withConnection { connection in
            try await connection.rows(
                "SELECT id, kind, doc, updated_at FROM partners WHERE (\(kind)::text IS NULL OR kind = \(kind)) ORDER BY id"
            ).map(Self.partnerRecord)
        }.map(secrets.opening)
    }

    public func deletePartner(_ id: String) async throws -> Bool {
        try await withConnection { try await $0.count("DELETE FROM partners WHERE id = \(id) RETURNING 1") == 1 }
    }

    public func nextControlNumber(partner: String, kind: String) async throws -> Int {
        try await withConnection { connection in
            try await connection.one(
                Int.self,
                """
                INSERT INTO control_numbers(partner, kind, last) VALUES (\(partner), \(kind), 1)
                ON CONFLICT(partner, kind) DO UPDATE SET last = CASE WHEN control_numbers.last >= 999999999 THEN 1 ELSE control_numbers.last + 1 END
                RETURNING last
                """
            ) ?? 1
        }
    }

    public func reserveControlNumbers(partner: String, kind: String, count: Int) async throws -> ClosedRange<Int> {
        // Under the row lock: two nodes reserving at once get disjoint blocks.
        try await transaction { connection in
            try await connection.run("INSERT INTO control_numbers(partner, kind, last) VALUES (\(partner), \(kind), 0) ON CONFLICT DO NOTHING")
            let last =
                try await connection.one(Int.self, "SELECT last FROM control_numbers WHERE partner = \(partner) AND kind = \(kind) FOR UPDATE") ?? 0
            let first = last >= 999_999_999 ? 1 : last + 1
            let end = min(999_999_999, first + max(1, count) - 1)
            try await connection.run("UPDATE control_numbers SET last = \(end) WHERE partner = \(partner) AND kind = \(kind)")
            return first...end
        }
    }

    public func inboundInterchange(partnerID: String, controlNumber: Int) async throws -> EDIInterchangeRecord? {
        try await withConnection { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.interchangeColumns) FROM edi_interchanges
                WHERE partner_id = \(partnerID) AND direction = 'in' AND control_number = \(controlNumber)
                """
            ).first.map(Self.interchangeRecord)
        }
    }

    public func ediInterchange(_ id: String) async throws -> EDIInterchangeRecord? {
        try await withConnection { connection in
            try await connection.rows("SELECT \(unescaped: Self.interchangeColumns) FROM edi_interchanges WHERE id = \(id)").first.map(
                Self.interchangeRecord
            )
        }
    }

    public func recordInbound(_ interchange: EDIInterchangeRecord, documents: [EDIDocumentRecord]) async throws -> Bool {
        try await transaction { connection in
            guard try await Self.insert(interchange, connection, orIgnore: true) else { return false }
            for document in documents { _ = try await Self.insert(document, connection) }
            return true
        }
    }

    public func ediDocuments(orderID: String) async throws -> [EDIDocumentRecord] {
        try await withConnection { connection in
            try await connection.rows(
                "SELECT \(unescaped: Self.documentColumns) FROM edi_documents WHERE order_id = \(orderID) ORDER BY created_at, pos"
            ).map(Self.documentRecord)
        }
    }

    public func inboundMessages(orderID: String) async throws -> [InboundMessage] {
        try await withConnection { connection in
            try await connection.all(Data.self, "SELECT doc FROM inbound_messages WHERE order_id = \(orderID)")
                .map { try JSONCoding.decoder().decode(InboundMessage.self, from: $0) }
        }
    }

    public func ediDocuments(partnerID: String?, limit: Int) async throws -> [EDIDocumentRecord] {
        try await withConnection { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.documentColumns) FROM edi_documents WHERE (\(partnerID)::text IS NULL OR partner_id = \(partnerID))
                ORDER BY created_at DESC, pos DESC LIMIT \(limit)
                """
            ).map(Self.documentRecord)
        }
    }

    public func recordAcknowledgment(
        partnerID: String,
        groupControl: Int,
        statuses: [String: (status: String, detail: String?)],
        at: Date
    ) async throws -> Int {
        try await transaction { connection in
            var changed = 0
            for (setControl, outcome) in statuses.sorted(by: { $0.key < $1.key }) {
                changed += try await connection.count(
                    """
                    UPDATE edi_documents SET status = \(outcome.status), detail = \(outcome.detail), acknowledged_at = \(at.timeIntervalSince1970)
                    WHERE partner_id = \(partnerID) AND direction = 'out' AND group_control = \(groupControl)
                    AND set_control ~ '^[0-9]+$' AND set_control::bigint = \(Int(setControl) ?? -1)
                    RETURNING 1
                    """
                )
            }
            return changed
        }
    }

    public func recordExternalReference(_ reference: ExternalReference) async throws {
        try await withConnection { connection in
            try await connection.run(
                """
                INSERT INTO external_references(order_id, partner, document_type, number, event_id, recorded_at)
                VALUES (\(reference.orderID), \(reference.partner), \(reference.documentType), \(reference.number), \(reference.eventID),
                \(reference.recordedAt.timeIntervalSince1970)) ON CONFLICT DO NOTHING
                """
            )
        }
    }

    public func externalReferences(orderID: String) async throws -> [ExternalReference] {
        try await withConnection { connection in
            try await connection.rows(
                """
                SELECT order_id, partner, document_type, number, event_id, recorded_at FROM external_references
                WHERE order_id = \(orderID) ORDER BY recorded_at
                """
            ).map { row in
                let (order, partner, type, number, event, recorded) = try row.decode((String, String, String, String, String, Double).self)
                return ExternalReference(
                    orderID: order,
                    partner: partner,
                    documentType: type,
                    number: number,
                    eventID: event,
                    recordedAt: Date(timeIntervalSince1970: recorded)
                )
            }
        }
    }

    public func connectorCursor(_ name: String) async throws -> Int64 {
        try await withConnection { try await $0.one(Int64.self, "SELECT seq FROM connector_cursors WHERE name = \(name)") ?? 0 }
    }

    public func productSKU(gtin: String) async throws -> String? {
        try await withConnection { try await $0.one(String.self, "SELECT sku FROM product_gtins WHERE gtin = \(gtin)") }
    }

    public func shipmentID(trackingNumber: String) async throws -> String? {
        // Carriers reuse tracking numbers after a while: the newest shipment (ids are time-ordered) is the live one.
        try await withConnection { connection in
            try await connection.one(
                String.self,
                "SELECT shipment_id FROM shipment_tracking_numbers WHERE tracking_number = \(trackingNumber) ORDER BY shipment_id DESC LIMIT 1"
            )
        }
    }

    /// Inserts an interchange; false when `orIgnore` and it was already recorded.
    static func insert(_ record: EDIInterchangeRecord, _ connection: PostgresConnection, orIgnore: Bool) async throws -> Bool {
        let query: PostgresQuery = """
            INSERT INTO edi_interchanges(id, partner_id, direction, control_number, created_at, text, reply)
            VALUES (\(record.id), \(record.partnerID), \(record.direction.rawValue), \(record.controlNumber),
            \(record.createdAt.timeIntervalSince1970), \(record.text), \(record.reply))
            """
        guard orIgnore else {
            try await connection.run(query)
            return true
        }
        var ignoring = query
        ignoring.sql += " ON CONFLICT DO NOTHING RETURNING 1"
        return try await connection.count(ignoring) == 1
    }

    /// Inserts a document; false when an outbound document of the same partner, set and reference exists.
    static func insert(_ document: EDIDocumentRecord, _ connection: PostgresConnection) async throws -> Bool {
        try await connection.count(
            """
            INSERT INTO edi_documents(id, interchange_id, partner_id, direction, set_id, group_control, set_control, order_id,
            reference, status, detail, created_at, acknowledged_at)
            VALUES (\(document.id), \(document.interchangeID), \(document.partnerID), \(document.direction.rawValue),
            \(document.transactionSet), \(document.groupControl), \(document.setControl), \(document.orderID), \(document.reference),
            \(document.status), \(document.detail), \(document.createdAt.timeIntervalSince1970), \(document.acknowledgedAt?.timeIntervalSince1970))
            ON CONFLICT DO NOTHING RETURNING 1
            """
        ) == 1
    }

    static func partnerRecord(_ row: PostgresRow) throws -> PartnerRecord {
        let (id, kind, doc, updated) = try row.decode((String, String, Data, Double).self)
        return PartnerRecord(id: id, kind: kind, document: doc, updatedAt: Date(timeIntervalSince1970: updated))
    }

    static let interchangeColumns = "id, partner_id, direction, control_number, created_at, text, reply"

    static func interchangeRecord(_ row: PostgresRow) throws -> EDIInterchangeRecord {
        let (id, partner, direction, control, created, text, reply) = try row.decode((String, String, String, Int, Double, String, String?).self)
        return EDIInterchangeRecord(
            id: id,
            partnerID: partner,
            direction: EDIInterchangeRecord.Direction(rawValue: direction) ?? .inbound,
            controlNumber: control,
            createdAt: Date(timeIntervalSince1970: created),
            text: text,
            reply: reply
        )
    }

    static let documentColumns =
        "id, interchange_id, partner_id, direction, set_id, group_control, set_control, order_id, reference, status, detail, created_at, acknowledged_at"

    static func documentRecord(_ row: PostgresRow) throws -> EDIDocumentRecord {
        let columns = row.columns
        return EDIDocumentRecord(
            id: try columns.get(0),
            interchangeID: try columns.get(1),
            partnerID: try columns.get(2),
            direction: EDIInterchangeRecord.Direction(rawValue: try columns.get(3)) ?? .inbound,
            transactionSet: try columns.get(4),
            groupControl: try columns.get(5),
            setControl: try columns.get(6),
            orderID: try columns.get(7),
            reference: try columns.get(8),
            status: try columns.get(9),
            detail: try columns.get(10),
            createdAt: Date(timeIntervalSince1970: try columns.get(11)),
            acknowledgedAt: (try columns.get(12, Double?.self)).map(Date.init(timeIntervalSince1970:))
        )
    }
}

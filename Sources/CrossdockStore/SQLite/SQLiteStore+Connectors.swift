import CrossdockDomain
import Foundation
import GRDB

extension SQLiteStore {
    public func putPartner(_ record: PartnerRecord) async throws {
        let document = secrets.sealedDocument(record)
        try await pool.write { db in
            try db.run(
                """
                INSERT INTO partners(id, kind, doc, updated_at) VALUES (\(record.id), \(record.kind), \(document), \(record.updatedAt.timeIntervalSince1970))
                ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, doc = excluded.doc, updated_at = excluded.updated_at
                """
            )
        }
    }

    public func partner(_ id: String) async throws -> PartnerRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, kind, doc, updated_at FROM partners WHERE id = ?", arguments: [id]).map(Self.partnerRecord)
        }.map(secrets.opening)
    }

    public func partners(kind: String?) async throws -> [PartnerRecord] {
        try await pool.read { db in
            let rows =
                if let kind {
                    try Row.fetchAll(db, sql: "SELECT id, kind, doc, updated_at FROM partners WHERE kind = ? ORDER BY id", arguments: [kind])
                } else {
                    try Row.fetchAll(db, sql: "SELECT id, kind, doc, updated_at FROM partners ORDER BY id")
                }
            return rows.map(Self.partnerRecord)
        }.map(secrets.opening)
    }

    public func deletePartner(_ id: String) async throws -> Bool {
        try await pool.write { db in
            try db.run("DELETE FROM partners WHERE id = \(id)")
            return db.changesCount == 1
        }
    }

    public func nextControlNumber(partner: String, kind: String) async throws -> Int {
        try await pool.write { db in
            try db.run(
                """
                INSERT INTO control_numbers(partner, kind, last) VALUES (\(partner), \(kind), 1)
                ON CONFLICT(partner, kind) DO UPDATE SET last = CASE WHEN last >= 999999999 THEN 1 ELSE last + 1 END
                """
            )
            return try db.one(Int.self, "SELECT last FROM control_numbers WHERE partner = \(partner) AND kind = \(kind)") ?? 1
        }
    }

    public func reserveControlNumbers(partner: String, kind: String, count: Int) async throws -> ClosedRange<Int> {
        try await pool.write { db in
            let last = try db.one(Int.self, "SELECT last FROM control_numbers WHERE partner = \(partner) AND kind = \(kind)") ?? 0
            let first = last >= 999_999_999 ? 1 : last + 1
            let end = min(999_999_999, first + max(1, count) - 1)
            try db.run(
                """
                INSERT INTO control_numbers(partner, kind, last) VALUES (\(partner), \(kind), \(end))
                ON CONFLICT(partner, kind) DO UPDATE SET last = excluded.last
                """
            )
            return first...end
        }
    }

    public func inboundInterchange(partnerID: String, controlNumber: Int) async throws -> EDIInterchangeRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT * FROM edi_interchanges WHERE partner_id = ? AND direction = 'in' AND control_number = ?",
                arguments: [partnerID, controlNumber]
            ).map(Self.interchangeRecord)
        }
    }

    public func ediInterchange(_ id: String) async throws -> EDIInterchangeRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM edi_interchanges WHERE id = ?", arguments: [id]).map(Self.interchangeRecord)
        }
    }

    public func recordInbound(_ interchange: EDIInterchangeRecord, documents: [EDIDocumentRecord]) async throws -> Bool {
        try await pool.write { db in
            try Self.insert(interchange, db, orIgnore: true)
            guard db.changesCount == 1 else { return false }
            for document in documents { try Self.insert(document, db) }
            return true
        }
    }

    public func ediDocuments(orderID: String) async throws -> [EDIDocumentRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM edi_documents WHERE order_id = ? ORDER BY created_at, rowid", arguments: [orderID])
                .map(Self.documentRecord)
        }
    }

    public func inboundMessages(orderID: String) async throws -> [InboundMessage] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT doc FROM inbound_messages WHERE order_id = ?", arguments: [orderID])
                .map { try JSONCoding.decoder().decode(InboundMessage.self, from: $0) }
        }
    }

    public func ediDocuments(partnerID: String?, limit: Int) async throws -> [EDIDocumentRecord] {
        try await pool.read { db in
            let rows =
                if let partnerID {
                    try Row.fetchAll(
                        db,
                        sql: "SELECT * FROM edi_documents WHERE partner_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?",
                        arguments: [partnerID, limit]
                    )
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM edi_documents ORDER BY created_at DESC, rowid DESC LIMIT ?", arguments: [limit])
                }
            return rows.map(Self.documentRecord)
        }
    }

    public func recordAcknowledgment(
        partnerID: String,
        groupControl: Int,
        statuses: [String: (status: String, detail: String?)],
        at: Date
    ) async throws -> Int {
        try await pool.write { db in
            var changed = 0
            for (setControl, outcome) in statuses.sorted(by: { $0.key < $1.key }) {
                try db.run(
                    """
                    UPDATE edi_documents SET status = \(outcome.status), detail = \(outcome.detail), acknowledged_at = \(at.timeIntervalSince1970)
                    WHERE partner_id = \(partnerID) AND direction = 'out' AND group_control = \(groupControl)
                    AND CAST(set_control AS INTEGER) = \(Int(setControl) ?? -1)
                    """
                )
                changed += db.changesCount
            }
            return changed
        }
    }

    public func recordExternalReference(_ reference: ExternalReference) async throws {
        try await pool.write { db in
            try db.run(
                """
                INSERT OR IGNORE INTO external_references(order_id, partner, document_type, number, event_id, recorded_at)
                VALUES (\(reference.orderID), \(reference.partner), \(reference.documentType), \(reference.number), \(reference.eventID),
                \(reference.recordedAt.timeIntervalSince1970))
                """
            )
        }
    }

    public func externalReferences(orderID: String) async throws -> [ExternalReference] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM external_references WHERE order_id = ? ORDER BY recorded_at", arguments: [orderID]).map {
                ExternalReference(
                    orderID: $0["order_id"],
                    partner: $0["partner"],
                    documentType: $0["document_type"],
                    number: $0["number"],
                    eventID: $0["event_id"],
                    recordedAt: Date(timeIntervalSince1970: $0["recorded_at"])
                )
            }
        }
    }

    public func connectorCursor(_ name: String) async throws -> Int64 {
        try await pool.read { db in try db.one(Int64.self, "SELECT seq FROM connector_cursors WHERE name = \(name)") ?? 0 }
    }

    public func productSKU(gtin: String) async throws -> String? {
        try await pool.read { db in try db.one(String.self, "SELECT sku FROM product_gtins WHERE gtin = \(gtin)") }
    }

    public func shipmentID(trackingNumber: String) async throws -> String? {
        try await pool.read { db in
            // Carriers reuse tracking numbers after a while: the newest shipment (ids are time-ordered) is the live one.
            try db.one(
                String.self,
                "SELECT shipment_id FROM shipment_tracking_numbers WHERE tracking_number = \(trackingNumber) ORDER BY shipment_id DESC LIMIT 1"
            )
        }
    }

    /// Writes a unit's outbound EDI and moves its connector cursor (inside the unit's transaction).
    static func applyConnectorWrites(_ unit: UnitOfWork, _ db: Database) throws {
        if let cursor = unit.cursor {
            try db.run("INSERT OR IGNORE INTO connector_cursors(name, seq) VALUES (\(cursor.name), 0)")
            try db.run("UPDATE connector_cursors SET seq = \(cursor.to) WHERE name = \(cursor.name) AND seq = \(cursor.from)")
            if db.changesCount != 1 { throw ConflictError(conflict: .cursorMoved(cursor.name)) }
        }
        for write in unit.ediOutbound {
            try insert(write.interchange, db, orIgnore: false)
            for document in write.documents {
                let key = "\(document.partnerID)/\(document.transactionSet)/\(document.reference)"
                try guarded(.duplicateDocument(key)) { try insert(document, db) }
            }
        }
    }

    static func insert(_ record: EDIInterchangeRecord, _ db: Database, orIgnore: Bool) throws {
        let verb: SQL = orIgnore ? "INSERT OR IGNORE" : "INSERT"
        try db.run(
            """
            \(verb) INTO edi_interchanges(id, partner_id, direction, control_number, created_at, text, reply)
            VALUES (\(record.id), \(record.partnerID), \(record.direction.rawValue), \(record.controlNumber),
            \(record.createdAt.timeIntervalSince1970), \(record.text), \(record.reply))
            """
        )
    }

    static func insert(_ document: EDIDocumentRecord, _ db: Database) throws {
        try db.run(
            """
            INSERT INTO edi_documents(id, interchange_id, partner_id, direction, set_id, group_control, set_control, order_id,
            reference, status, detail, created_at, acknowledged_at)
            VALUES (\(document.id), \(document.interchangeID), \(document.partnerID), \(document.direction.rawValue),
            \(document.transactionSet), \(document.groupControl), \(document.setControl), \(document.orderID), \(document.reference),
            \(document.status), \(document.detail), \(document.createdAt.timeIntervalSince1970), \(document.acknowledgedAt?.timeIntervalSince1970))
            """
        )
    }

    static func partnerRecord(_ row: Row) -> PartnerRecord {
        PartnerRecord(id: row["id"], kind: row["kind"], document: row["doc"], updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
    }

    static func interchangeRecord(_ row: Row) -> EDIInterchangeRecord {
        EDIInterchangeRecord(
            id: row["id"],
            partnerID: row["partner_id"],
            direction: EDIInterchangeRecord.Direction(rawValue: row["direction"]) ?? .inbound,
            controlNumber: row["control_number"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            text: row["text"],
            reply: row["reply"]
        )
    }

    static func documentRecord(_ row: Row) -> EDIDocumentRecord {
        EDIDocumentRecord(
            id: row["id"],
            interchangeID: row["interchange_id"],
            partnerID: row["partner_id"],
            direction: EDIInterchangeRecord.Direction(rawValue: row["direction"]) ?? .inbound,
            transactionSet: row["set_id"],
            groupControl: row["group_control"],
            setControl: row["set_control"],
            orderID: row["order_id"],
            reference: row["reference"],
            status: row["status"],
            detail: row["detail"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            acknowledgedAt: (row["acknowledged_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        )
    }
}

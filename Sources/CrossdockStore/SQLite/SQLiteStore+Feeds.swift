import CrossdockDomain
import Foundation
import GRDB

/// Master-data feeds on SQLite: batch summaries and the quarantine.
extension SQLiteStore {
    public func customers() async throws -> [Customer] {
        try await pool.read { db in
            try db.rows("SELECT doc, open_balance FROM customers ORDER BY id").map { row in
                var customer = try Self.decode(Customer.self, row["doc"])
                customer.openBalance = Money(row["open_balance"], customer.creditLimit.currency)
                return customer
            }
        }
    }

    public func customers(ids: [String]) async throws -> [Customer] {
        let list = String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
        return try await pool.read { db in
            try db.rows(sql: "SELECT doc, open_balance FROM customers WHERE id IN (SELECT value FROM json_each(?))", [list]).map { row in
                var customer = try Self.decode(Customer.self, row["doc"])
                customer.openBalance = Money(row["open_balance"], customer.creditLimit.currency)
                return customer
            }
        }
    }

    public func products(skus: [String]) async throws -> [Product] {
        let list = String(decoding: try JSONEncoder().encode(skus), as: UTF8.self)
        return try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT doc FROM products WHERE sku IN (SELECT value FROM json_each(?))", arguments: [list]).map {
                try Self.decode(Product.self, $0)
            }
        }
    }

    public func feedBatch(_ id: String) async throws -> FeedBatchRow? {
        try await pool.read { db in
            try db.rows("SELECT id, received_at, doc FROM master_data_batches WHERE id = \(id)").first.map(Self.batch)
        }
    }

    public func feedBatches(limit: Int) async throws -> [FeedBatchRow] {
        try await pool.read { db in
            try db.rows("SELECT id, received_at, doc FROM master_data_batches ORDER BY received_at DESC, id DESC LIMIT \(limit)").map(Self.batch)
        }
    }

    public func quarantinedRecord(_ id: String) async throws -> QuarantinedRecord? {
        try await pool.read { db in
            try db.one(Data.self, "SELECT doc FROM master_data_quarantine WHERE id = \(id)").map { try Self.decode(QuarantinedRecord.self, $0) }
        }
    }

    public func quarantinedRecords(status: QuarantinedRecord.Status?, kind: String?, batchID: String?, limit: Int) async throws -> [QuarantinedRecord]
    {
        try await pool.read { db in
            try Data.fetchAll(
                db,
                sql: """
                    SELECT doc FROM master_data_quarantine
                    WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR batch_id = ?3)
                    ORDER BY pos LIMIT ?4
                    """,
                arguments: [status?.rawValue, kind, batchID, limit]
            ).map { try Self.decode(QuarantinedRecord.self, $0) }
        }
    }

    /// Writes a unit's feed batch and quarantined records (inside the unit's transaction).
    static func applyFeedWrites(_ encoded: EncodedUnit, _ db: Database) throws {
        if let batch = encoded.unit.feedBatch {
            try db.exec(
                "INSERT INTO master_data_batches(id, received_at, doc) VALUES (?, ?, ?)",
                [batch.id, batch.receivedAt.timeIntervalSince1970, batch.document]
            )
        }
        for (record, doc) in encoded.quarantine {
            try db.exec(
                """
                INSERT INTO master_data_quarantine(id, batch_id, kind, status, doc) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET status = excluded.status, doc = excluded.doc
                """,
                [record.id, record.batchId, record.kind, record.status.rawValue, doc]
            )
        }
    }

    private static func batch(_ row: Row) -> FeedBatchRow {
        FeedBatchRow(id: row["id"], receivedAt: Date(timeIntervalSince1970: row["received_at"]), document: row["doc"])
    }
}

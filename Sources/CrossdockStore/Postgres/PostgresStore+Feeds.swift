import CrossdockDomain
import Foundation
import PostgresNIO

/// Master-data feeds on PostgreSQL: batch summaries and the quarantine.
extension PostgresStore {
    public func customers() async throws -> [Customer] {
        try await withConnection { connection in
            try await connection.rows("SELECT doc, open_balance FROM customers ORDER BY id").map { row in
                let (doc, balance) = try row.decode((Data, Int64).self)
                var customer = try Self.decode(Customer.self, doc)
                customer.openBalance = Money(balance, customer.creditLimit.currency)
                return customer
            }
        }
    }

    public func customers(ids: [String]) async throws -> [Customer] {
        try await withConnection { connection in
            try await connection.rows("SELECT doc, open_balance FROM customers WHERE id = ANY(\(ids)::text[])").map { row in
                let (doc, balance) = try row.decode((Data, Int64).self)
                var customer = try Self.decode(Customer.self, doc)
                customer.openBalance = Money(balance, customer.creditLimit.currency)
                return customer
            }
        }
    }

    public func products(skus: [String]) async throws -> [Product] {
        try await withConnection { connection in
            try await connection.all(Data.self, "SELECT doc FROM products WHERE sku = ANY(\(skus)::text[])").map { try Self.decode(Product.self, $0) }
        }
    }

    public func feedBatch(_ id: String) async throws -> FeedBatchRow? {
        try await withConnection { connection in
            try await connection.rows("SELECT id, received_at, doc FROM master_data_batches WHERE id = \(id)").first.map(Self.batch)
        }
    }

    public func feedBatches(limit: Int) async throws -> [FeedBatchRow] {
        try await withConnection { connection in
            try await connection.rows("SELECT id, received_at, doc FROM master_data_batches ORDER BY received_at DESC, id DESC LIMIT \(limit)")
                .map(Self.batch)
        }
    }

    public func quarantinedRecord(_ id: String) async throws -> QuarantinedRecord? {
        try await withConnection { connection in
            try await connection.one(Data.self, "SELECT doc FROM master_data_quarantine WHERE id = \(id)").map {
                try Self.decode(QuarantinedRecord.self, $0)
            }
        }
    }

    public func quarantinedRecords(status: QuarantinedRecord.Status?, kind: String?, batchID: String?, limit: Int) async throws -> [QuarantinedRecord]
    {
        try await withConnection { connection in
            try await connection.all(
                Data.self,
                """
                SELECT doc FROM master_data_quarantine
                WHERE (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
                AND (\(kind)::text IS NULL OR kind = \(kind)) AND (\(batchID)::text IS NULL OR batch_id = \(batchID))
                ORDER BY pos LIMIT \(limit)
                """
            ).map { try Self.decode(QuarantinedRecord.self, $0) }
        }
    }

    /// Writes a unit's feed batch and quarantined records (inside the unit's transaction).
    static func applyFeedWrites(_ encoded: EncodedUnit, _ connection: PostgresConnection) async throws {
        if let batch = encoded.unit.feedBatch {
            try await connection.run(
                "INSERT INTO master_data_batches(id, received_at, doc) VALUES (\(batch.id), \(batch.receivedAt.timeIntervalSince1970), \(batch.document))"
            )
        }
        for (record, doc) in encoded.quarantine {
            try await connection.run(
                """
                INSERT INTO master_data_quarantine(id, batch_id, kind, status, doc)
                VALUES (\(record.id), \(record.batchId), \(record.kind), \(record.status.rawValue), \(doc))
                ON CONFLICT(id) DO UPDATE SET status = excluded.status, doc = excluded.doc
                """
            )
        }
    }

    private static func batch(_ row: PostgresRow) throws -> FeedBatchRow {
        let (id, receivedAt, doc) = try row.decode((String, Double, Data).self)
        return FeedBatchRow(id: id, receivedAt: Date(timeIntervalSince1970: receivedAt), document: doc)
    }
}

import CrossdockDomain
import Foundation
import GRDB

extension SQLiteStore {
    public func regionPreferences() async throws -> [String: [String]] {
        // Read on every intake: served from the master-data cache, which region-preference writes empty.
        let cache = self.cache
        if let cached = cache.regionPreferences { return cached }
        let generation = cache.generation
        let preferences = try await pool.read { db in
            var result: [String: [String]] = [:]
            for row in try db.rows("SELECT region, warehouse_ids FROM region_preferences") {
                result[row["region"]] = try Self.decode([String].self, Data((row["warehouse_ids"] as String).utf8))
            }
            return result
        }
        cache.store(regionPreferences: preferences, generation: generation)
        return preferences
    }

    public func receipts(sku: String) async throws -> [ScheduledReceipt] {
        try await pool.read { db in
            try db.all(Data.self, "SELECT doc FROM scheduled_receipts WHERE sku = \(sku) AND status = 'open' ORDER BY expected_date, id").map {
                try Self.decode(ScheduledReceipt.self, $0)
            }
        }
    }

    public func receipt(_ id: String) async throws -> ScheduledReceipt? {
        try await pool.read { db in
            try db.one(Data.self, "SELECT doc FROM scheduled_receipts WHERE id = \(id)").map { try Self.decode(ScheduledReceipt.self, $0) }
        }
    }

    public func backorderedOrders(skus: [String]) async throws -> [SalesOrder] {
        try await pool.read { db in
            var ids: [String] = []
            for sku in Set(skus).sorted() {
                ids += try db.all(String.self, "SELECT DISTINCT order_id FROM backorders WHERE sku = \(sku)")
            }
            return try Set(ids).sorted().compactMap { id in
                try db.one(Data.self, "SELECT doc FROM orders WHERE id = \(id)").map { try Self.decode(SalesOrder.self, $0) }
            }
        }
    }

    public func backorderDemand(sku: String) async throws -> [(date: String?, quantity: Int)] {
        try await pool.read { db in
            try db.rows("SELECT promised_date, quantity FROM backorders WHERE sku = \(sku)").map { ($0["promised_date"], $0["quantity"]) }
        }
    }

    public func invoices(orderID: String) async throws -> [Invoice] {
        try await pool.read { db in
            try db.all(Data.self, "SELECT doc FROM invoices WHERE order_id = \(orderID) ORDER BY rowid").map { try Self.decode(Invoice.self, $0) }
        }
    }

    public func invoice(_ id: String) async throws -> Invoice? {
        try await pool.read { db in
            try db.one(Data.self, "SELECT doc FROM invoices WHERE id = \(id)").map { try Self.decode(Invoice.self, $0) }
        }
    }

    public func creditMemos(orderID: String) async throws -> [CreditMemo] {
        try await pool.read { db in
            try db.all(Data.self, "SELECT doc FROM credit_memos WHERE order_id = \(orderID) ORDER BY rowid").map {
                try Self.decode(CreditMemo.self, $0)
            }
        }
    }

    public func returnAuthorization(_ id: String) async throws -> ReturnAuthorization? {
        try await pool.read { db in
            try db.one(Data.self, "SELECT doc FROM returns WHERE id = \(id)").map { try Self.decode(ReturnAuthorization.self, $0) }
        }
    }

    public func returns(orderID: String) async throws -> [ReturnAuthorization] {
        try await pool.read { db in
            try db.all(Data.self, "SELECT doc FROM returns WHERE order_id = \(orderID) ORDER BY rowid").map {
                try Self.decode(ReturnAuthorization.self, $0)
            }
        }
    }

    public func operationsException(_ id: String) async throws -> OperationsException? {
        try await pool.read { db in
            try db.one(Data.self, "SELECT doc FROM operations_exceptions WHERE id = \(id)").map { try Self.decode(OperationsException.self, $0) }
        }
    }

    public func operationsExceptions(status: OperationsException.Status?, orderID: String?, limit: Int) async throws -> [OperationsException] {
        try await pool.read { db in
            var sql: SQL = "SELECT doc FROM operations_exceptions WHERE 1"
            if let status { sql += " AND status = \(status.rawValue)" }
            if let orderID { sql += " AND order_id = \(orderID)" }
            sql += " ORDER BY pos LIMIT \(limit)"
            return try db.rows(sql).map { try Self.decode(OperationsException.self, $0["doc"]) }
        }
    }

    public func orderIDs(after cursor: Int64, limit: Int) async throws -> (ids: [String], last: Int64?) {
        try await pool.read { db in
            let rows = try db.rows("SELECT pos, id FROM orders WHERE pos > \(cursor) ORDER BY pos LIMIT \(limit)")
            return (rows.map { $0["id"] }, rows.last?["pos"])
        }
    }
}

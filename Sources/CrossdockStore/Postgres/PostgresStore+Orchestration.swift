import CrossdockDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    public func regionPreferences() async throws -> [String: [String]] {
        // Read on every intake: served from the master-data cache, which region-preference writes empty on every node.
        let cache = self.cache
        if let cached = cache.regionPreferences { return cached }
        let generation = cache.generation
        let preferences = try await withConnection { connection in
            var result: [String: [String]] = [:]
            for row in try await connection.rows("SELECT region, warehouse_ids FROM region_preferences") {
                let (region, ids) = try row.decode((String, String).self)
                result[region] = try Self.decode([String].self, Data(ids.utf8))
            }
            return result
        }
        cache.store(regionPreferences: preferences, generation: generation)
        return preferences
    }

    public func receipts(sku: String) async throws -> [ScheduledReceipt] {
        try await documents(
            ScheduledReceipt.self,
            "SELECT doc FROM scheduled_receipts WHERE sku = \(sku) AND status = 'open' ORDER BY expected_date, id"
        )
    }

    public func receipt(_ id: String) async throws -> ScheduledReceipt? {
        try await document(ScheduledReceipt.self, "SELECT doc FROM scheduled_receipts WHERE id = \(id)")
    }

    public func backorderedOrders(skus: [String]) async throws -> [SalesOrder] {
        try await documents(
            SalesOrder.self,
            """
            SELECT doc FROM orders WHERE id IN (SELECT DISTINCT order_id FROM backorders WHERE sku = ANY(\(Array(Set(skus)))::text[]))
            ORDER BY id
            """
        )
    }

    public func backorderDemand(sku: String) async throws -> [(date: String?, quantity: Int)] {
        try await withConnection { connection in
            try await connection.rows("SELECT promised_date, quantity FROM backorders WHERE sku = \(sku)").map { row in
                let (date, quantity) = try row.decode((String?, Int).self)
                return (date, quantity)
            }
        }
    }

    public func invoices(orderID: String) async throws -> [Invoice] {
        try await documents(Invoice.self, "SELECT doc FROM invoices WHERE order_id = \(orderID) ORDER BY pos")
    }

    public func invoice(_ id: String) async throws -> Invoice? {
        try await document(Invoice.self, "SELECT doc FROM invoices WHERE id = \(id)")
    }

    public func creditMemos(orderID: String) async throws -> [CreditMemo] {
        try await documents(CreditMemo.self, "SELECT doc FROM credit_memos WHERE order_id = \(orderID) ORDER BY pos")
    }

    public func returnAuthorization(_ id: String) async throws -> ReturnAuthorization? {
        try await document(ReturnAuthorization.self, "SELECT doc FROM returns WHERE id = \(id)")
    }

    public func returns(orderID: String) async throws -> [ReturnAuthorization] {
        try await documents(ReturnAuthorization.self, "SELECT doc FROM returns WHERE order_id = \(orderID) ORDER BY pos")
    }

    public func operationsException(_ id: String) async throws -> OperationsException? {
        try await document(OperationsException.self, "SELECT doc FROM operations_exceptions WHERE id = \(id)")
    }

    public func operationsExceptions(status: OperationsException.Status?, orderID: String?, limit: Int) async throws -> [OperationsException] {
        try await documents(
            OperationsException.self,
            """
            SELECT doc FROM operations_exceptions
            WHERE (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue)) AND (\(orderID)::text IS NULL OR order_id = \(orderID))
            ORDER BY pos LIMIT \(limit)
            """
        )
    }

    public func orderIDs(after cursor: Int64, limit: Int) async throws -> (ids: [String], last: Int64?) {
        try await withConnection { connection in
            var ids: [String] = []
            var last: Int64?
            for row in try await connection.rows("SELECT pos, id FROM orders WHERE pos > \(cursor) ORDER BY pos LIMIT \(limit)") {
                let (pos, id) = try row.decode((Int64, String).self)
                ids.append(id)
                last = pos
            }
            return (ids, last)
        }
    }
}

import CrossdockDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    public func watchdogDeadlines() async throws -> WatchdogDeadlines? {
        try await document(WatchdogDeadlines.self, "SELECT doc FROM watchdog_deadlines WHERE id = 1")
    }

    public func putWatchdogDeadlines(_ deadlines: WatchdogDeadlines, at time: Date) async throws {
        let doc = try JSONCoding.encode(deadlines)
        try await withConnection { connection in
            try await connection.run(
                """
                INSERT INTO watchdog_deadlines(id, doc, updated_at) VALUES (1, \(doc), \(time.timeIntervalSince1970))
                ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at
                """
            )
        }
    }

    public func releasedFulfillments(limit: Int) async throws -> [FulfillmentOrder] {
        try await documents(FulfillmentOrder.self, "SELECT doc FROM fulfillment_orders WHERE status = 'released' ORDER BY pos LIMIT \(limit)")
    }

    public func unacknowledgedDocuments(limit: Int) async throws -> [EDIDocumentRecord] {
        try await withConnection { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.documentColumns) FROM edi_documents WHERE direction = 'out' AND status IN ('sent', 'rejected')
                ORDER BY created_at, pos LIMIT \(limit)
                """
            ).map(Self.documentRecord)
        }
    }

    public func ediDocument(_ id: String) async throws -> EDIDocumentRecord? {
        try await withConnection { connection in
            try await connection.rows("SELECT \(unescaped: Self.documentColumns) FROM edi_documents WHERE id = \(id)").first.map(Self.documentRecord)
        }
    }

    public func backorderedOrderIDs(promisedBefore date: String, limit: Int) async throws -> [String] {
        try await withConnection { connection in
            try await connection.all(
                String.self,
                "SELECT DISTINCT order_id FROM backorders WHERE promised_date IS NOT NULL AND promised_date < \(date) ORDER BY order_id LIMIT \(limit)"
            )
        }
    }

    public func channelArrivals(perChannel: Int) async throws -> [String: [Date]] {
        try await withConnection { connection in
            var result: [String: [Date]] = [:]
            for channel in try await connection.all(String.self, "SELECT DISTINCT channel FROM orders") {
                result[channel] = try await connection.all(
                    Data.self,
                    "SELECT doc FROM orders WHERE channel = \(channel) ORDER BY pos DESC LIMIT \(perChannel)"
                )
                .map { try Self.decode(SalesOrder.self, $0).receivedAt }
            }
            return result
        }
    }

    public func usedWatchdogKeys(_ keys: [String]) async throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return try await withConnection { connection in
            Set(try await connection.all(String.self, "SELECT watchdog_key FROM operations_exceptions WHERE watchdog_key = ANY(\(keys))"))
        }
    }

    public func openWatchdogExceptions() async throws -> [OperationsException] {
        try await documents(
            OperationsException.self,
            "SELECT doc FROM operations_exceptions WHERE status = 'open' AND watchdog_key IS NOT NULL ORDER BY pos"
        )
    }

    public func exceptionsAwaitingResolvedAlert(limit: Int) async throws -> [OperationsException] {
        try await documents(OperationsException.self, "SELECT doc FROM operations_exceptions WHERE alert_pending ORDER BY pos LIMIT \(limit)")
    }
}

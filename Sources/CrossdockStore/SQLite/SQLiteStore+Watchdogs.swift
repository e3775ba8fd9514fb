import CrossdockDomain
import Foundation
import GRDB

extension SQLiteStore {
    public func watchdogDeadlines() async throws -> WatchdogDeadlines? {
        try await pool.read { db in
            try db.one(Data.self, "SELECT doc FROM watchdog_deadlines WHERE id = 1").map { try Self.decode(WatchdogDeadlines.self, $0) }
        }
    }

    public func putWatchdogDeadlines(_ deadlines: WatchdogDeadlines, at time: Date) async throws {
        let doc = try Self.encode(deadlines)
        try await pool.write { db in
            try db.run(
                """
                INSERT INTO watchdog_deadlines(id, doc, updated_at) VALUES (1, \(doc), \(time.timeIntervalSince1970))
                ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at
                """
            )
        }
    }

    public func releasedFulfillments(limit: Int) async throws -> [FulfillmentOrder] {
        try await pool.read { db in
            try db.all(Data.self, "SELECT doc FROM fulfillment_orders WHERE status = 'released' ORDER BY rowid LIMIT \(limit)").map {
                try Self.decode(FulfillmentOrder.self, $0)
            }
        }
    }

    public func unacknowledgedDocuments(limit: Int) async throws -> [EDIDocumentRecord] {
        try await pool.read { db in
            try db.rows(
                """
                SELECT * FROM edi_documents WHERE direction = 'out' AND status IN ('sent', 'rejected')
                ORDER BY created_at, rowid LIMIT \(limit)
                """
            ).map(Self.documentRecord)
        }
    }

    public func ediDocument(_ id: String) async throws -> EDIDocumentRecord? {
        try await pool.read { db in try db.row("SELECT * FROM edi_documents WHERE id = \(id)").map(Self.documentRecord) }
    }

    public func backorderedOrderIDs(promisedBefore date: String, limit: Int) async throws -> [String] {
        try await pool.read { db in
            try db.all(
                String.self,
                "SELECT DISTINCT order_id FROM backorders WHERE promised_date IS NOT NULL AND promised_date < \(date) ORDER BY order_id LIMIT \(limit)"
            )
        }
    }

    public func channelArrivals(perChannel: Int) async throws -> [String: [Date]] {
        try await pool.read { db in
            var result: [String: [Date]] = [:]
            for channel in try db.all(String.self, "SELECT DISTINCT channel FROM orders") {
                result[channel] = try db.all(Data.self, "SELECT doc FROM orders WHERE channel = \(channel) ORDER BY pos DESC LIMIT \(perChannel)")
                    .map { try Self.decode(SalesOrder.self, $0).receivedAt }
            }
            return result
        }
    }

    public func usedWatchdogKeys(_ keys: [String]) async throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return try await pool.read { db in
            var used: Set<String> = []
            // In chunks: SQLite limits the number of bound parameters.
            for start in stride(from: 0, to: keys.count, by: 500) {
                let chunk = Array(keys[start..<min(start + 500, keys.count)])
                used.formUnion(try db.all(String.self, "SELECT watchdog_key FROM operations_exceptions WHERE watchdog_key IN \(chunk)"))
            }
            return used
        }
    }

    public func openWatchdogExceptions() async throws -> [OperationsException] {
        try await pool.read { db in
            try db.all(Data.self, "SELECT doc FROM operations_exceptions WHERE status = 'open' AND watchdog_key IS NOT NULL ORDER BY pos").map {
                try Self.decode(OperationsException.self, $0)
            }
        }
    }

    public func exceptionsAwaitingResolvedAlert(limit: Int) async throws -> [OperationsException] {
        try await pool.read { db in
            try db.all(Data.self, "SELECT doc FROM operations_exceptions WHERE alert_pending = 1 ORDER BY pos LIMIT \(limit)").map {
                try Self.decode(OperationsException.self, $0)
            }
        }
    }
}

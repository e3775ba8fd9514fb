import CrossdockDomain
import Foundation
import GRDB

extension SQLiteStore {
    public func publishAvailability(
        changedBefore: Date,
        now: Date,
        limit: Int,
        makeID: @escaping @Sendable () -> String
    ) async throws -> [AvailabilityPublication] {
        let cutoff = changedBefore.timeIntervalSince1970
        let published = try await writer.write { db -> (publications: [AvailabilityPublication], last: Int64?) in
            var publications: [AvailabilityPublication] = []
            var last: Int64?
            let dirty = try db.rows(
                "SELECT sku, first_changed_at FROM availability_dirty WHERE first_changed_at <= \(cutoff) ORDER BY first_changed_at LIMIT \(limit)"
            )
            for row in dirty {
                let sku: String = row["sku"]
                try db.run("DELETE FROM availability_dirty WHERE sku = \(sku)")
                var previous: [String: Int] = [:]
                var previousAsOf: Double?
                for published in try db.rows("SELECT warehouse_id, available, published_at FROM availability_published WHERE sku = \(sku)") {
                    previous[published["warehouse_id"]] = published["available"]
                    previousAsOf = max(previousAsOf ?? 0, published["published_at"])
                }
                guard
                    let change = AvailabilityChange(
                        sku: sku,
                        balances: try Self.balances(db, skus: [sku]),
                        previous: previous,
                        previousAsOf: previousAsOf,
                        changedAt: row["first_changed_at"],
                        now: now,
                        makeID: makeID
                    )
                else { continue }
                for figure in change.figures {
                    try db.run(
                        """
                        INSERT INTO availability_published(sku, warehouse_id, available, published_at) VALUES (\(sku), \(figure.warehouseId), \(figure.availableNow), \(change.asOf.timeIntervalSince1970))
                        ON CONFLICT(sku, warehouse_id) DO UPDATE SET available = excluded.available, published_at = excluded.published_at
                        """
                    )
                }
                let draft = change.event
                try db.exec(
                    "INSERT INTO events(id, type, subject, time, correlation_id, causation_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        draft.id, draft.type.qualifiedName, draft.subject, JSONCoding.format(draft.time), draft.correlationID, draft.causationID,
                        draft.data,
                    ]
                )
                last = db.lastInsertedRowID
                publications.append(change.publication)
            }
            return (publications, last)
        }
        if let last = published.last { signal.publish(last) }
        return published.publications
    }
}

import CrossdockDomain
import Foundation
import GRDB

extension SQLiteStore {
    /// The `data` of `inventory.availability_changed`.
    struct AvailabilityChangedData: Codable {
        struct WarehouseFigure: Codable {
            var warehouseId: String
            var availableNow: Int
            var onHand: Int
        }
        var sku: String
        var availableNow: Int
        var warehouses: [WarehouseFigure]
        var asOf: Date
        var sourceOccurredAt: Date
        var syncLagMs: Int
    }

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
                let changedAt: Double = row["first_changed_at"]
                try db.run("DELETE FROM availability_dirty WHERE sku = \(sku)")
                let balances = try Self.balances(db, skus: [sku])
                var previous: [String: Int] = [:]
                for published in try db.rows("SELECT warehouse_id, available FROM availability_published WHERE sku = \(sku)") {
                    previous[published["warehouse_id"]] = published["available"]
                }
                let figures = balances.sorted { $0.warehouseID < $1.warehouseID }.map {
                    AvailabilityChangedData.WarehouseFigure(warehouseId: $0.warehouseID, availableNow: $0.availableToPromise, onHand: $0.onHand)
                }
                guard figures.contains(where: { previous[$0.warehouseId] != $0.availableNow }) else { continue }
                for figure in figures {
                    try db.run(
                        """
                        INSERT INTO availability_published(sku, warehouse_id, available, published_at) VALUES (\(sku), \(figure.warehouseId), \(figure.availableNow), \(now.timeIntervalSince1970))
                        ON CONFLICT(sku, warehouse_id) DO UPDATE SET available = excluded.available, published_at = excluded.published_at
                        """
                    )
                }
                let lag = max(0, now.timeIntervalSince1970 - changedAt)
                let data = AvailabilityChangedData(
                    sku: sku,
                    availableNow: figures.reduce(0) { $0 + $1.availableNow },
                    warehouses: figures,
                    asOf: now,
                    sourceOccurredAt: Date(timeIntervalSince1970: changedAt),
                    syncLagMs: Int((lag * 1000).rounded())
                )
                let draft = EventDraft(
                    id: makeID(),
                    type: .inventoryAvailabilityChanged,
                    subject: sku,
                    time: now,
                    correlationID: sku,
                    causationID: nil,
                    payload: data
                )
                try db.exec(
                    "INSERT INTO events(id, type, subject, time, correlation_id, causation_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        draft.id, draft.type.qualifiedName, draft.subject, JSONCoding.format(draft.time), draft.correlationID, draft.causationID,
                        draft.data,
                    ]
                )
                last = db.lastInsertedRowID
                publications.append(AvailabilityPublication(sku: sku, lagSeconds: lag))
            }
            return (publications, last)
        }
        if let last = published.last { signal.publish(last) }
        return published.publications
    }
}

import CrossdockDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    public func publishAvailability(
        changedBefore: Date,
        now: Date,
        limit: Int,
        makeID: @escaping @Sendable () -> String
    ) async throws -> [AvailabilityPublication] {
        let cutoff = changedBefore.timeIntervalSince1970
        let published = try await transaction { connection -> (publications: [AvailabilityPublication], sequences: [Int64]) in
            // SKIP LOCKED: a second node publishing at the same moment takes other SKUs, never the same one twice.
            let dirty = try await connection.rows(
                """
                SELECT sku, first_changed_at FROM availability_dirty WHERE first_changed_at <= \(cutoff)
                ORDER BY first_changed_at LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """
            )
            var publications: [AvailabilityPublication] = []
            var events: [EventDraft] = []
            for row in dirty {
                let (sku, changedAt) = try row.decode((String, Double).self)
                try await connection.run("DELETE FROM availability_dirty WHERE sku = \(sku)")
                var previous: [String: Int] = [:]
                var previousAsOf: Double?
                for published in try await connection.rows(
                    "SELECT warehouse_id, available, published_at FROM availability_published WHERE sku = \(sku)"
                ) {
                    let (warehouse, available, at) = try published.decode((String, Int, Double).self)
                    previous[warehouse] = available
                    previousAsOf = max(previousAsOf ?? 0, at)
                }
                guard
                    let change = AvailabilityChange(
                        sku: sku,
                        balances: try await Self.balances(connection, skus: [sku]),
                        previous: previous,
                        previousAsOf: previousAsOf,
                        changedAt: changedAt,
                        now: now,
                        makeID: makeID
                    )
                else { continue }
                let figures = change.figures
                try await connection.run(
                    """
                    INSERT INTO availability_published(sku, warehouse_id, available, published_at)
                    SELECT \(sku), w, a, \(change.asOf.timeIntervalSince1970) FROM unnest(\(figures.map(\.warehouseId))::text[], \(figures.map(\.availableNow))::bigint[]) AS t(w, a)
                    ON CONFLICT(sku, warehouse_id) DO UPDATE SET available = excluded.available, published_at = excluded.published_at
                    """
                )
                events.append(change.event)
                publications.append(change.publication)
            }
            let sequences = try await Self.appendEvents(events, times: events.map { JSONCoding.format($0.time) }, connection)
            return (publications, sequences)
        }
        if let last = published.sequences.max() { signal.publish(last) }
        return published.publications
    }
}

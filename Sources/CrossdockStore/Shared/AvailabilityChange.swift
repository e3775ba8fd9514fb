import CrossdockDomain
import Foundation

/// The rule for `inventory.availability_changed`, the same on every backend: one event per SKU, published only when
/// some warehouse's available-to-promise differs from what was last published, with the sync lag since the first
/// unpublished change.
///
/// `asOf` (when the figures were computed) never goes backwards for one SKU, so a channel may refuse a figure older
/// than the one it holds: it is the later of the publisher's clock and the SKU's previous publication. The first
/// change's time (`sourceOccurredAt`) carries no such promise: a change stamped before the previous publication can
/// commit after it (it waited for a lock, or lost a race and was retried), and it is then the next event's first
/// change.
struct AvailabilityChange {
    /// The `data` of `inventory.availability_changed`.
    struct Data: Codable {
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

    /// The figures to remember as published.
    var figures: [Data.WarehouseFigure]
    /// When the figures were computed: the `published_at` to remember.
    var asOf: Date
    /// The event to append.
    var event: EventDraft
    /// What the publisher reports.
    var publication: AvailabilityPublication

    /// The change for `sku`, or nil when no warehouse's figure moved since `previous` (warehouse → published figure).
    /// `previousAsOf` is when the SKU was last published (seconds since 1970), if it was.
    init?(
        sku: String,
        balances: [InventoryBalance],
        previous: [String: Int],
        previousAsOf: Double?,
        changedAt: Double,
        now: Date,
        makeID: () -> String
    ) {
        let figures = balances.sorted { $0.warehouseID < $1.warehouseID }.map {
            Data.WarehouseFigure(warehouseId: $0.warehouseID, availableNow: $0.availableToPromise, onHand: $0.onHand)
        }
        guard figures.contains(where: { previous[$0.warehouseId] != $0.availableNow }) else { return nil }
        let asOf = Date(timeIntervalSince1970: max(now.timeIntervalSince1970, previousAsOf ?? 0))
        let lag = max(0, now.timeIntervalSince1970 - changedAt)
        let data = Data(
            sku: sku,
            availableNow: figures.reduce(0) { $0 + $1.availableNow },
            warehouses: figures,
            asOf: asOf,
            sourceOccurredAt: Date(timeIntervalSince1970: changedAt),
            syncLagMs: Int((lag * 1000).rounded())
        )
        self.figures = figures
        self.asOf = asOf
        self.event = EventDraft(
            id: makeID(),
            type: .inventoryAvailabilityChanged,
            subject: sku,
            time: now,
            correlationID: sku,
            causationID: nil,
            payload: data
        )
        self.publication = AvailabilityPublication(sku: sku, lagSeconds: lag)
    }
}

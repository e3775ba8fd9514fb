import CrossdockDomain
import CrossdockStore
import Foundation

/// Reads what allocation needs (balances, warehouses, region preferences, substitutes, projected ATP for promise
/// dates) and fills backorders when stock arrives. Shared by every command that allocates.
struct AllocationReader: Sendable {
    let store: any Store
    let now: @Sendable () -> Date

    /// The allocation context for `skus` (and their substitutes), with `pending` balance changes of the same unit
    /// already applied so stock arriving in this command counts.
    func context(
        skus: [String],
        allowSubstitution: Bool,
        pending: [InventoryChange] = [],
        safetyStock: [InventorySetting] = []
    ) async throws -> AllocationContext {
        var products: [String: Product] = [:]
        var all = Set(skus)
        for sku in skus {
            guard let product = try await store.product(sku) else { continue }
            products[sku] = product
            if allowSubstitution {
                for substitute in product.substitutes {
                    all.insert(substitute.sku)
                    if products[substitute.sku] == nil, let found = try await store.product(substitute.sku) { products[substitute.sku] = found }
                }
            }
        }
        var balances: [InventoryBalance] = []
        for sku in all.sorted() { balances += try await store.balances(sku: sku) }
        // The store applies a unit's safety-stock settings before its balance changes.
        for setting in safetyStock {
            if let index = balances.firstIndex(where: { $0.sku == setting.sku && $0.warehouseID == setting.warehouseID }) {
                balances[index].safetyStock = setting.safetyStock
            }
        }
        for change in pending {
            if let index = balances.firstIndex(where: { $0.sku == change.sku && $0.warehouseID == change.warehouseID }) {
                balances[index].onHand += change.onHandDelta
                balances[index].reserved += change.reservedDelta
            } else if change.onHandDelta > 0 {
                balances.append(
                    InventoryBalance(warehouseID: change.warehouseID, sku: change.sku, onHand: change.onHandDelta, reserved: change.reservedDelta)
                )
            }
        }
        let today = BusinessDay(containing: now())
        var schedules: [String: ATPSchedule] = [:]
        for sku in Set(skus) {
            schedules[sku] = try await schedule(sku: sku, balances: balances.filter { $0.sku == sku }, today: today)
        }
        return AllocationContext(
            warehouses: try await store.warehouses(),
            balances: balances,
            regionPreferences: try await store.regionPreferences(),
            products: products,
            allowSubstitution: allowSubstitution,
            today: today.description,
            promise: Self.promise(from: schedules)
        )
    }

    /// The network ATP schedule of `sku`: available now, open receipts, and backorders already promised.
    func schedule(sku: String, balances: [InventoryBalance]? = nil, today: BusinessDay) async throws -> ATPSchedule {
        var balances = balances ?? []
        if balances.isEmpty { balances = try await store.balances(sku: sku) }
        let receipts = try await store.receipts(sku: sku)
        let demand = try await store.backorderDemand(sku: sku).map { (date: $0.date.flatMap(BusinessDay.init) ?? today, quantity: $0.quantity) }
        var inputs = Self.supply(sku: sku, balances: balances, receipts: receipts).map(\.input)
        if inputs.isEmpty { inputs = [ATPSchedule.Input(availableNow: 0)] }
        inputs[0].demands = demand.map { ATPSchedule.DatedQuantity(date: $0.date, quantity: $0.quantity) }
        return ATPSchedule.network(inputs, today: today)
    }

    /// The promise-date function over per-SKU schedules: the first date cumulative ATP covers the quantity.
    static func promise(from schedules: [String: ATPSchedule]) -> @Sendable (String, Int, String?) -> String? {
        { sku, quantity, requested in
            schedules[sku]?.promiseDate(for: quantity, requested: requested.flatMap(BusinessDay.init))?.description
        }
    }

    /// Projected supply of `sku` per warehouse that has stock or open receipts: available now and its receipts.
    static func supply(sku: String, balances: [InventoryBalance], receipts: [ScheduledReceipt]) -> [(warehouse: String, input: ATPSchedule.Input)] {
        Set(balances.map(\.warehouseID)).union(receipts.map(\.warehouseID)).sorted().map { warehouse in
            let balance = balances.first { $0.warehouseID == warehouse } ?? InventoryBalance(warehouseID: warehouse, sku: sku, onHand: 0)
            return (warehouse, ATPSchedule.Input(balance: balance, receipts: receipts))
        }
    }

    /// Adds to `unit` the re-allocation of backordered units of `skus`, against stock including `unit`'s own
    /// balance changes (oldest promise first). Returns how many orders it touched.
    @discardableResult
    func fillBackorders(skus: [String], into unit: inout UnitOfWork, commandID: String) async throws -> Int {
        let waiting = try await store.backorderedOrders(skus: skus).filter { order in
            !unit.orders.contains { $0.value.id == order.id }
        }
        guard !waiting.isEmpty else { return 0 }
        let involved = Set(waiting.flatMap { $0.lines.filter { $0.backordered > 0 }.map(\.sku) })
        let context = try await context(skus: Array(involved), allowSubstitution: false, pending: unit.inventory, safetyStock: unit.safetyStock)
        let changes = BackorderFill.run(waiting, context: context, commandID: commandID, now: now(), makeID: IDs.make)
        for change in changes {
            unit.orders.append(.init(change.order, expectedVersion: change.before.version))
            unit.inventory += change.inventory
            unit.fulfillments += change.fulfillmentOrders.map { .init($0, expectedVersion: nil) }
            unit.events += change.events
        }
        return changes.count
    }
}

/// Allocates order lines to warehouses. Pure.
///
/// Rules, in order:
/// 1. If one warehouse can fill the whole order, the highest-priority such warehouse takes it all
///    (no split freight).
/// 2. Otherwise each line, in line order, goes to the highest-priority warehouse that can fill it alone;
///    failing that it is split across warehouses in priority order.
/// 3. What no warehouse can cover is the line's shortfall (backordered).
/// 4. `ship_complete` orders are all-or-nothing: with any shortfall nothing is allocated.
public enum Allocator {
    /// One line to allocate.
    public struct Demand: Hashable, Sendable {
        /// The line number.
        public var lineNo: Int
        /// The SKU.
        public var sku: String
        /// Units wanted.
        public var quantity: Int

        /// Creates a demand.
        public init(lineNo: Int, sku: String, quantity: Int) {
            self.lineNo = lineNo
            self.sku = sku
            self.quantity = quantity
        }
    }

    /// One reservation the plan makes.
    public struct Allocation: Hashable, Sendable, Codable {
        /// The line.
        public var lineNo: Int
        /// The SKU.
        public var sku: String
        /// The warehouse.
        public var warehouseID: String
        /// Units.
        public var quantity: Int

        enum CodingKeys: String, CodingKey { case lineNo, sku, warehouseID = "warehouseId", quantity }

        /// Creates an allocation.
        public init(lineNo: Int, sku: String, warehouseID: String, quantity: Int) {
            self.lineNo = lineNo
            self.sku = sku
            self.warehouseID = warehouseID
            self.quantity = quantity
        }
    }

    /// The outcome.
    public struct Plan: Hashable, Sendable {
        /// Reservations, in allocation order.
        public var allocations: [Allocation]
        /// Units not covered, by line number (only lines with a shortfall).
        public var shortfalls: [Int: Int]

        /// Whether every unit is allocated.
        public var isComplete: Bool { shortfalls.isEmpty }
    }

    /// Allocates `demands` against `balances`.
    /// - Parameters:
    ///   - demands: the lines.
    ///   - warehouses: candidate warehouses; tried by ascending priority, then id.
    ///   - balances: current balances; their available-to-promise is what may be taken.
    ///   - policy: ship complete or partial.
    public static func allocate(
        _ demands: [Demand],
        warehouses: [Warehouse],
        balances: [InventoryBalance],
        policy: ShipPolicy
    ) -> Plan {
        let ordered = warehouses.sorted { ($0.priority, $0.id) < ($1.priority, $1.id) }
        var atp: [Key: Int] = [:]
        for balance in balances {
            atp[Key(warehouse: balance.warehouseID, sku: balance.sku), default: 0] += balance.availableToPromise
        }
        var totals: [String: Int] = [:]
        for demand in demands { totals[demand.sku, default: 0] += demand.quantity }

        if let single = ordered.first(where: { warehouse in
            totals.allSatisfy { atp[Key(warehouse: warehouse.id, sku: $0.key), default: 0] >= $0.value }
        }) {
            let allocations = demands.filter { $0.quantity > 0 }.map {
                Allocation(lineNo: $0.lineNo, sku: $0.sku, warehouseID: single.id, quantity: $0.quantity)
            }
            return Plan(allocations: allocations, shortfalls: [:])
        }

        var allocations: [Allocation] = []
        var shortfalls: [Int: Int] = [:]
        for demand in demands where demand.quantity > 0 {
            if let whole = ordered.first(where: { atp[Key(warehouse: $0.id, sku: demand.sku), default: 0] >= demand.quantity }) {
                atp[Key(warehouse: whole.id, sku: demand.sku), default: 0] -= demand.quantity
                allocations.append(Allocation(lineNo: demand.lineNo, sku: demand.sku, warehouseID: whole.id, quantity: demand.quantity))
                continue
            }
            var remaining = demand.quantity
            for warehouse in ordered where remaining > 0 {
                let key = Key(warehouse: warehouse.id, sku: demand.sku)
                let take = min(remaining, atp[key, default: 0])
                guard take > 0 else { continue }
                atp[key, default: 0] -= take
                remaining -= take
                allocations.append(Allocation(lineNo: demand.lineNo, sku: demand.sku, warehouseID: warehouse.id, quantity: take))
            }
            if remaining > 0 { shortfalls[demand.lineNo] = remaining }
        }
        if policy == .shipComplete, !shortfalls.isEmpty {
            var all: [Int: Int] = [:]
            for demand in demands where demand.quantity > 0 { all[demand.lineNo, default: 0] += demand.quantity }
            return Plan(allocations: [], shortfalls: all)
        }
        return Plan(allocations: allocations, shortfalls: shortfalls)
    }

    private struct Key: Hashable {
        var warehouse: String
        var sku: String
    }
}

/// Allocates order lines to warehouses. Pure.
///
/// Warehouses are tried in preference order: first those the ship-to region prefers (in the order configured
/// for the region), then the rest by ascending priority, then id. Rules, in order:
/// 1. If one warehouse can fill the whole order, the most preferred such warehouse takes it all
///    (no split freight).
/// 2. Otherwise each line, in line order, goes to the most preferred warehouse that can fill it alone;
///    failing that it is split across warehouses in preference order (one fulfilment order per warehouse).
/// 3. Substitution: a line the network cannot fill whose customer allows substitutes is filled, whole, by the
///    first listed substitute (by priority) that the network can cover after the other lines; the line's
///    partial reservations of the ordered SKU are given back.
/// 4. What no warehouse can cover is the line's shortfall (backordered).
/// 5. `ship_complete` orders are all-or-nothing: with any shortfall nothing is allocated.
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
        /// Lines filled with a substitute: line number → the substitute SKU.
        public var substitutions: [Int: String] = [:]

        /// Whether every unit is allocated.
        public var isComplete: Bool { shortfalls.isEmpty }
    }

    /// Allocates `demands` against `balances`.
    /// - Parameters:
    ///   - demands: the lines.
    ///   - warehouses: candidate warehouses; tried by ascending priority, then id.
    ///   - balances: current balances; their available-to-promise is what may be taken.
    ///   - policy: ship complete or partial.
    ///   - preferred: warehouse ids the ship-to region prefers, most preferred first.
    ///   - substitutes: for SKUs that may be substituted, the substitute SKUs in priority order.
    public static func allocate(
        _ demands: [Demand],
        warehouses: [Warehouse],
        balances: [InventoryBalance],
        policy: ShipPolicy,
        preferred: [String] = [],
        substitutes: [String: [String]] = [:]
    ) -> Plan {
        let rank = Dictionary(preferred.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let ordered = warehouses.sorted {
            (rank[$0.id] ?? Int.max, $0.priority, $0.id) < (rank[$1.id] ?? Int.max, $1.priority, $1.id)
        }
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
        var substitutions: [Int: String] = [:]
        for demand in demands where shortfalls[demand.lineNo] != nil {
            guard let candidates = substitutes[demand.sku], !candidates.isEmpty else { continue }
            // Give back the line's partial reservations, then look for a substitute that covers it whole.
            var released = atp
            for allocation in allocations where allocation.lineNo == demand.lineNo {
                released[Key(warehouse: allocation.warehouseID, sku: allocation.sku), default: 0] += allocation.quantity
            }
            for candidate in candidates {
                let total = ordered.reduce(0) { $0 + released[Key(warehouse: $1.id, sku: candidate), default: 0] }
                guard total >= demand.quantity else { continue }
                atp = released
                allocations.removeAll { $0.lineNo == demand.lineNo }
                var remaining = demand.quantity
                if let whole = ordered.first(where: { atp[Key(warehouse: $0.id, sku: candidate), default: 0] >= remaining }) {
                    atp[Key(warehouse: whole.id, sku: candidate), default: 0] -= remaining
                    allocations.append(Allocation(lineNo: demand.lineNo, sku: candidate, warehouseID: whole.id, quantity: remaining))
                    remaining = 0
                }
                for warehouse in ordered where remaining > 0 {
                    let key = Key(warehouse: warehouse.id, sku: candidate)
                    let take = min(remaining, atp[key, default: 0])
                    guard take > 0 else { continue }
                    atp[key, default: 0] -= take
                    remaining -= take
                    allocations.append(Allocation(lineNo: demand.lineNo, sku: candidate, warehouseID: warehouse.id, quantity: take))
                }
                shortfalls[demand.lineNo] = nil
                substitutions[demand.lineNo] = candidate
                break
            }
        }
        if policy == .shipComplete, !shortfalls.isEmpty {
            var all: [Int: Int] = [:]
            for demand in demands where demand.quantity > 0 { all[demand.lineNo, default: 0] += demand.quantity }
            return Plan(allocations: [], shortfalls: all)
        }
        return Plan(allocations: allocations, shortfalls: shortfalls, substitutions: substitutions)
    }

    private struct Key: Hashable {
        var warehouse: String
        var sku: String
    }
}

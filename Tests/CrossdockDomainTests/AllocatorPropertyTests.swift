import CrossdockDomain
import Testing

/// Randomised invariant checks over seeded inputs.
@Suite("Allocator invariants")
struct AllocatorPropertyTests {
    struct Scenario {
        var demands: [Allocator.Demand]
        var warehouses: [Warehouse]
        var balances: [InventoryBalance]
    }

    static func scenario(_ rng: inout SplitMix64) -> Scenario {
        let skus = ["A", "B", "C"]
        let warehouses = (0..<Int.random(in: 0...4, using: &rng)).map {
            Warehouse(id: "W\($0)", name: "W\($0)", region: "R", priority: Int.random(in: 0...2, using: &rng))
        }
        var balances: [InventoryBalance] = []
        // Include one warehouse id that is not offered.
        for warehouse in warehouses.map(\.id) + ["WX"] {
            for sku in skus where Int.random(in: 0..<4, using: &rng) > 0 {
                for _ in 0..<Int.random(in: 1...2, using: &rng) {
                    let onHand = Int.random(in: 0...15, using: &rng)
                    balances.append(
                        InventoryBalance(
                            warehouseID: warehouse,
                            sku: sku,
                            onHand: onHand,
                            reserved: Int.random(in: 0...(onHand + 2), using: &rng),
                            safetyStock: Int.random(in: 0...4, using: &rng)
                        )
                    )
                }
            }
        }
        let demands = (0..<Int.random(in: 1...5, using: &rng)).map {
            Allocator.Demand(lineNo: $0 + 1, sku: skus.randomElement(using: &rng)!, quantity: Int.random(in: 1...12, using: &rng))
        }
        return Scenario(demands: demands.shuffled(using: &rng), warehouses: warehouses.shuffled(using: &rng), balances: balances)
    }

    struct Key: Hashable { var warehouse: String, sku: String }

    static func atp(_ s: Scenario) -> [Key: Int] {
        var atp: [Key: Int] = [:]
        for b in s.balances { atp[Key(warehouse: b.warehouseID, sku: b.sku), default: 0] += b.availableToPromise }
        return atp
    }

    static func allocatedByLine(_ plan: Allocator.Plan) -> [Int: Int] {
        var result: [Int: Int] = [:]
        for allocation in plan.allocations { result[allocation.lineNo, default: 0] += allocation.quantity }
        return result
    }

    @Test(arguments: [UInt64(1), 42, 0xDEAD_BEEF])
    func invariantsHoldForRandomInputs(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for round in 0..<700 {
            let s = Self.scenario(&rng)
            let atp = Self.atp(s)
            let demanded = Dictionary(uniqueKeysWithValues: s.demands.map { ($0.lineNo, $0.quantity) })
            let skuOf = Dictionary(uniqueKeysWithValues: s.demands.map { ($0.lineNo, $0.sku) })
            let offered = Set(s.warehouses.map(\.id))

            let partial = Allocator.allocate(s.demands, warehouses: s.warehouses, balances: s.balances, policy: .shipPartial)
            let complete = Allocator.allocate(s.demands, warehouses: s.warehouses, balances: s.balances, policy: .shipComplete)
            let context = Comment(rawValue: "seed \(seed) round \(round)")

            for plan in [partial, complete] {
                var used: [Key: Int] = [:]
                for allocation in plan.allocations {
                    #expect(allocation.quantity > 0, context)
                    #expect(offered.contains(allocation.warehouseID), context)
                    #expect(skuOf[allocation.lineNo] == allocation.sku, context)
                    used[Key(warehouse: allocation.warehouseID, sku: allocation.sku), default: 0] += allocation.quantity
                }
                for (key, quantity) in used { #expect(quantity <= atp[key, default: 0], context) }
                for (lineNo, quantity) in Self.allocatedByLine(plan) { #expect(quantity <= demanded[lineNo]!, context) }
                #expect(plan.shortfalls.values.allSatisfy { $0 > 0 }, context)
                #expect(plan.isComplete == plan.shortfalls.isEmpty, context)
            }

            // ship_partial: allocated + shortfall == demanded, and stock of a short SKU is exhausted.
            let allocated = Self.allocatedByLine(partial)
            for (lineNo, quantity) in demanded {
                #expect(allocated[lineNo, default: 0] + partial.shortfalls[lineNo, default: 0] == quantity, context)
            }
            for lineNo in partial.shortfalls.keys {
                let sku = skuOf[lineNo]!
                let available = atp.filter { offered.contains($0.key.warehouse) && $0.key.sku == sku }.values.reduce(0, +)
                let taken = partial.allocations.filter { $0.sku == sku }.map(\.quantity).reduce(0, +)
                #expect(taken == available, context)
            }

            // ship_complete: everything (same as partial) or nothing.
            if partial.isComplete {
                #expect(complete == partial, context)
            } else {
                #expect(complete.allocations.isEmpty, context)
                #expect(complete.shortfalls == demanded, context)
            }

            // Single-warehouse rule, computed independently.
            var totals: [String: Int] = [:]
            for d in s.demands { totals[d.sku, default: 0] += d.quantity }
            let single = s.warehouses.sorted { ($0.priority, $0.id) < ($1.priority, $1.id) }.first { w in
                totals.allSatisfy { atp[Key(warehouse: w.id, sku: $0.key), default: 0] >= $0.value }
            }
            if let single {
                #expect(partial.isComplete, context)
                #expect(partial.allocations.allSatisfy { $0.warehouseID == single.id }, context)
                #expect(partial.allocations.map(\.lineNo) == s.demands.map(\.lineNo), context)
            }

            // Deterministic.
            #expect(Allocator.allocate(s.demands, warehouses: s.warehouses, balances: s.balances, policy: .shipPartial) == partial, context)
        }
    }
}

import CrossdockDomain
import Testing

@Suite("Allocator")
struct AllocatorTests {
    typealias Demand = Allocator.Demand
    typealias Allocation = Allocator.Allocation

    static let w1 = Warehouse(id: "W1", name: "East", region: "US-NY", priority: 1)
    static let w2 = Warehouse(id: "W2", name: "West", region: "US-CA", priority: 2)
    static let w3 = Warehouse(id: "W3", name: "South", region: "US-TX", priority: 3)

    static func balance(_ warehouse: String, _ sku: String, _ onHand: Int, reserved: Int = 0, safety: Int = 0) -> InventoryBalance {
        InventoryBalance(warehouseID: warehouse, sku: sku, onHand: onHand, reserved: reserved, safetyStock: safety)
    }

    func allocate(
        _ demands: [Demand],
        _ balances: [InventoryBalance],
        warehouses: [Warehouse] = [w2, w1, w3],
        policy: ShipPolicy = .shipPartial
    ) -> Allocator.Plan {
        Allocator.allocate(demands, warehouses: warehouses, balances: balances, policy: policy)
    }

    @Test func oneWarehouseThatCanFillEverythingTakesTheWholeOrder() {
        // W1 has more priority and more A, but only W2 can fill A and B together.
        let plan = allocate(
            [Demand(lineNo: 1, sku: "A", quantity: 3), Demand(lineNo: 2, sku: "B", quantity: 2)],
            [Self.balance("W1", "A", 50), Self.balance("W2", "A", 3), Self.balance("W2", "B", 2)]
        )
        #expect(
            plan.allocations == [
                Allocation(lineNo: 1, sku: "A", warehouseID: "W2", quantity: 3),
                Allocation(lineNo: 2, sku: "B", warehouseID: "W2", quantity: 2),
            ]
        )
        #expect(plan.shortfalls.isEmpty)
        #expect(plan.isComplete)
    }

    @Test func lowerPriorityNumberWinsWhateverTheListOrder() {
        let balances = [Self.balance("W1", "A", 10), Self.balance("W2", "A", 10), Self.balance("W3", "A", 10)]
        for warehouses in [[Self.w3, Self.w2, Self.w1], [Self.w1, Self.w3, Self.w2]] {
            let plan = allocate([Demand(lineNo: 1, sku: "A", quantity: 5)], balances, warehouses: warehouses)
            #expect(plan.allocations.map(\.warehouseID) == ["W1"])
        }
    }

    @Test func equalPriorityBreaksTiesByID() {
        let b = Warehouse(id: "WB", name: "B", region: "R", priority: 1)
        let a = Warehouse(id: "WA", name: "A", region: "R", priority: 1)
        let balances = [Self.balance("WA", "A", 10), Self.balance("WB", "A", 10)]
        #expect(allocate([Demand(lineNo: 1, sku: "A", quantity: 5)], balances, warehouses: [b, a]).allocations.map(\.warehouseID) == ["WA"])
        // Splitting follows the same order.
        let split = allocate([Demand(lineNo: 1, sku: "A", quantity: 15)], balances, warehouses: [b, a])
        #expect(split.allocations.map(\.warehouseID) == ["WA", "WB"])
        #expect(split.allocations.map(\.quantity) == [10, 5])
    }

    @Test func eachLinePrefersOneWarehouseThatCanFillIt() {
        // No single warehouse has both; line 1 goes whole to W2 rather than being split W1 3 + W2 2.
        let plan = allocate(
            [Demand(lineNo: 1, sku: "A", quantity: 5), Demand(lineNo: 2, sku: "B", quantity: 2)],
            [Self.balance("W1", "A", 3), Self.balance("W1", "B", 2), Self.balance("W2", "A", 5)]
        )
        #expect(
            plan.allocations == [
                Allocation(lineNo: 1, sku: "A", warehouseID: "W2", quantity: 5),
                Allocation(lineNo: 2, sku: "B", warehouseID: "W1", quantity: 2),
            ]
        )
        #expect(plan.isComplete)
    }

    @Test func splitsAcrossWarehousesInPriorityOrder() {
        let plan = allocate(
            [Demand(lineNo: 1, sku: "A", quantity: 12)],
            [Self.balance("W3", "A", 5), Self.balance("W2", "A", 4), Self.balance("W1", "A", 5)]
        )
        #expect(
            plan.allocations == [
                Allocation(lineNo: 1, sku: "A", warehouseID: "W1", quantity: 5),
                Allocation(lineNo: 1, sku: "A", warehouseID: "W2", quantity: 4),
                Allocation(lineNo: 1, sku: "A", warehouseID: "W3", quantity: 3),
            ]
        )
        #expect(plan.isComplete)
    }

    @Test func whatNoWarehouseCoversIsTheShortfall() {
        let plan = allocate(
            [Demand(lineNo: 1, sku: "A", quantity: 12), Demand(lineNo: 2, sku: "B", quantity: 1)],
            [Self.balance("W1", "A", 5), Self.balance("W2", "A", 5), Self.balance("W1", "B", 1)]
        )
        #expect(
            plan.allocations == [
                Allocation(lineNo: 1, sku: "A", warehouseID: "W1", quantity: 5),
                Allocation(lineNo: 1, sku: "A", warehouseID: "W2", quantity: 5),
                Allocation(lineNo: 2, sku: "B", warehouseID: "W1", quantity: 1),
            ]
        )
        #expect(plan.shortfalls == [1: 2])
        #expect(!plan.isComplete)
    }

    @Test func shipCompleteIsAllOrNothing() {
        let demands = [Demand(lineNo: 1, sku: "A", quantity: 12), Demand(lineNo: 2, sku: "B", quantity: 1)]
        let balances = [Self.balance("W1", "A", 5), Self.balance("W2", "A", 5), Self.balance("W1", "B", 1)]
        let plan = allocate(demands, balances, policy: .shipComplete)
        #expect(plan.allocations.isEmpty)
        #expect(plan.shortfalls == [1: 12, 2: 1])
        #expect(!plan.isComplete)
    }

    @Test func shipCompleteMaySplitWhenEverythingIsCovered() {
        let plan = allocate(
            [Demand(lineNo: 1, sku: "A", quantity: 8)],
            [Self.balance("W1", "A", 5), Self.balance("W2", "A", 5)],
            policy: .shipComplete
        )
        #expect(plan.allocations.map(\.quantity) == [5, 3])
        #expect(plan.isComplete)
    }

    @Test func sameSKUOnTwoLinesCountsTheTotalForTheSingleWarehouseRule() {
        // Each line alone fits in W1 (5), together (8) they do not: line 1 → W1, line 2 → W2.
        let plan = allocate(
            [Demand(lineNo: 1, sku: "A", quantity: 4), Demand(lineNo: 2, sku: "A", quantity: 4)],
            [Self.balance("W1", "A", 5), Self.balance("W2", "A", 5)]
        )
        #expect(
            plan.allocations == [
                Allocation(lineNo: 1, sku: "A", warehouseID: "W1", quantity: 4),
                Allocation(lineNo: 2, sku: "A", warehouseID: "W2", quantity: 4),
            ]
        )
    }

    @Test func sameSKUOnTwoLinesNeverDoubleSpendsStock() {
        let plan = allocate(
            [Demand(lineNo: 1, sku: "A", quantity: 4), Demand(lineNo: 2, sku: "A", quantity: 4)],
            [Self.balance("W1", "A", 6)]
        )
        #expect(
            plan.allocations == [
                Allocation(lineNo: 1, sku: "A", warehouseID: "W1", quantity: 4),
                Allocation(lineNo: 2, sku: "A", warehouseID: "W1", quantity: 2),
            ]
        )
        #expect(plan.shortfalls == [2: 2])
    }

    @Test func zeroATPAllocatesNothingAndNoZeroAllocations() {
        let plan = allocate(
            [Demand(lineNo: 1, sku: "A", quantity: 3)],
            [Self.balance("W1", "A", 5, reserved: 5), Self.balance("W2", "A", 2, reserved: 4), Self.balance("W3", "A", 0)]
        )
        #expect(plan.allocations.isEmpty)
        #expect(plan.shortfalls == [1: 3])
    }

    @Test func safetyStockIsNotPromised() {
        // W1: 10 on hand − 2 reserved − 5 safety = 3.
        let plan = allocate([Demand(lineNo: 1, sku: "A", quantity: 4)], [Self.balance("W1", "A", 10, reserved: 2, safety: 5)])
        #expect(plan.allocations == [Allocation(lineNo: 1, sku: "A", warehouseID: "W1", quantity: 3)])
        #expect(plan.shortfalls == [1: 1])
    }

    @Test func stockInAWarehouseNotOfferedIsIgnored() {
        let plan = allocate([Demand(lineNo: 1, sku: "A", quantity: 2)], [Self.balance("W9", "A", 100)])
        #expect(plan.allocations.isEmpty)
        #expect(plan.shortfalls == [1: 2])
    }

    @Test func noWarehousesMeansEverythingIsShort() {
        let plan = allocate([Demand(lineNo: 1, sku: "A", quantity: 2)], [Self.balance("W1", "A", 100)], warehouses: [])
        #expect(plan.shortfalls == [1: 2])
    }

    @Test func duplicateBalanceRowsAddUp() {
        let plan = allocate([Demand(lineNo: 1, sku: "A", quantity: 5)], [Self.balance("W2", "A", 3), Self.balance("W2", "A", 2)])
        #expect(plan.allocations == [Allocation(lineNo: 1, sku: "A", warehouseID: "W2", quantity: 5)])
    }

    @Test func emptyAndZeroQuantityDemands() {
        #expect(allocate([], []).allocations.isEmpty)
        #expect(allocate([], []).isComplete)
        let plan = allocate([Demand(lineNo: 1, sku: "A", quantity: 0), Demand(lineNo: 2, sku: "A", quantity: 1)], [Self.balance("W1", "A", 1)])
        #expect(plan.allocations == [Allocation(lineNo: 2, sku: "A", warehouseID: "W1", quantity: 1)])
        #expect(plan.isComplete)
    }

    /// Every combination of two warehouses' ATP (0…4 each) and a demand of 1…9 units of one SKU.
    @Test func exhaustiveOneSKUTwoWarehouses() {
        for a1 in 0...4 {
            for a2 in 0...4 {
                for quantity in 1...9 {
                    let plan = allocate(
                        [Demand(lineNo: 1, sku: "A", quantity: quantity)],
                        [Self.balance("W1", "A", a1), Self.balance("W2", "A", a2)]
                    )
                    let expected: [(String, Int)] =
                        if a1 >= quantity { [("W1", quantity)] } else if a2 >= quantity { [("W2", quantity)] } else {
                            [("W1", a1), ("W2", min(a2, quantity - a1))].filter { $0.1 > 0 }
                        }
                    #expect(plan.allocations.map(\.warehouseID) == expected.map(\.0), "atp \(a1)/\(a2) q \(quantity)")
                    #expect(plan.allocations.map(\.quantity) == expected.map(\.1), "atp \(a1)/\(a2) q \(quantity)")
                    let short = max(0, quantity - a1 - a2)
                    #expect(plan.shortfalls == (short > 0 ? [1: short] : [:]), "atp \(a1)/\(a2) q \(quantity)")
                }
            }
        }
    }
}

import CrossdockDomain
import Testing

@Suite("InventoryBalance")
struct InventoryBalanceTests {
    @Test(arguments: [
        // onHand, reserved, safetyStock, ATP
        (10, 0, 0, 10),
        (10, 3, 0, 7),
        (10, 3, 2, 5),
        (10, 10, 0, 0),
        (10, 8, 2, 0),
        (10, 9, 5, 0),  // would be -4: floored
        (0, 0, 5, 0),
        (3, 5, 0, 0),  // over-reserved
        (0, 0, 0, 0),
        (-2, 0, 0, 0),
    ])
    func availableToPromiseIsOnHandLessReservedLessSafetyFlooredAtZero(onHand: Int, reserved: Int, safety: Int, atp: Int) {
        let balance = InventoryBalance(warehouseID: "W1", sku: "A", onHand: onHand, reserved: reserved, safetyStock: safety)
        #expect(balance.availableToPromise == atp)
    }

    @Test func reservedAndSafetyStockDefaultToZero() {
        let balance = InventoryBalance(warehouseID: "W1", sku: "A", onHand: 4)
        #expect(balance.reserved == 0)
        #expect(balance.safetyStock == 0)
        #expect(balance.availableToPromise == 4)
    }

    @Test func inventoryChangeHelpers() {
        #expect(InventoryChange.reserve(3, of: "A", in: "W1") == InventoryChange(warehouseID: "W1", sku: "A", onHandDelta: 0, reservedDelta: 3))
        #expect(InventoryChange.issue(3, of: "A", from: "W1") == InventoryChange(warehouseID: "W1", sku: "A", onHandDelta: -3, reservedDelta: -3))
    }
}

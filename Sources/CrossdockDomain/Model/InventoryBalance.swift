/// Stock of one SKU in one warehouse, in the product's unit.
public struct InventoryBalance: Hashable, Sendable, Codable {
    /// The warehouse.
    public var warehouseID: String
    /// The SKU.
    public var sku: String
    /// Physically in the building.
    public var onHand: Int
    /// Hard-allocated to order lines and not yet shipped.
    public var reserved: Int
    /// Held back from sale.
    public var safetyStock: Int

    /// Creates a balance.
    public init(warehouseID: String, sku: String, onHand: Int, reserved: Int = 0, safetyStock: Int = 0) {
        self.warehouseID = warehouseID
        self.sku = sku
        self.onHand = onHand
        self.reserved = reserved
        self.safetyStock = safetyStock
    }

    /// Available to promise now: `on hand − reserved − safety stock`, never below zero.
    public var availableToPromise: Int {
        max(0, onHand - reserved - safetyStock)
    }
}

/// Where an inventory adjustment comes from.
public enum AdjustmentReason: String, Hashable, Sendable, Codable, CaseIterable {
    case receipt
    case cycleCount = "cycle_count"
    case damage
    case correction
    case shortPick = "short_pick"
    /// Returned goods put back into stock.
    case returnRestock = "return_restock"
}

/// A change to one balance, applied atomically by the store with its guard.
///
/// The store applies a change only if afterwards `onHand ≥ 0`, `reserved ≥ 0` and `reserved ≤ onHand`; a change
/// that raises `reserved` applies only if available-to-promise covers it. A change that cannot apply fails the
/// whole command, which is then re-planned against fresh balances.
public struct InventoryChange: Hashable, Sendable, Codable {
    /// The warehouse.
    public var warehouseID: String
    /// The SKU.
    public var sku: String
    /// Change to on hand.
    public var onHandDelta: Int
    /// Change to reserved.
    public var reservedDelta: Int

    enum CodingKeys: String, CodingKey {
        case warehouseID = "warehouseId"
        case sku, onHandDelta, reservedDelta
    }

    /// Creates a change.
    public init(warehouseID: String, sku: String, onHandDelta: Int, reservedDelta: Int) {
        self.warehouseID = warehouseID
        self.sku = sku
        self.onHandDelta = onHandDelta
        self.reservedDelta = reservedDelta
    }

    /// A reservation of `quantity` units.
    public static func reserve(_ quantity: Int, of sku: String, in warehouseID: String) -> InventoryChange {
        InventoryChange(warehouseID: warehouseID, sku: sku, onHandDelta: 0, reservedDelta: quantity)
    }

    /// Units leaving the building against their reservation (shipped, or found missing when picking).
    public static func issue(_ quantity: Int, of sku: String, from warehouseID: String) -> InventoryChange {
        InventoryChange(warehouseID: warehouseID, sku: sku, onHandDelta: -quantity, reservedDelta: -quantity)
    }
}

import CrossdockDomain

/// A third-party warehouse in the catalog, for the sandbox 3PL.
extension Catalog {
    /// The 3PL's warehouse: Allentown, PA (`US-PA`), priority 4, with its address, operated by the sandbox 3PL (so only
    /// that partner's keys reach its fulfilment work).
    /// - Parameters:
    ///   - id: the warehouse id, `WH-3PL` by default.
    ///   - partner: the operating partner, `allentown-3pl` by default.
    public static func thirdPartyWarehouse(id: String = "WH-3PL", partner: String? = "allentown-3pl") -> Warehouse {
        Warehouse(
            id: id,
            name: "Allentown PA 3PL",
            region: "US-PA",
            priority: 4,
            address: Address(
                name: "Allentown PA 3PL",
                lines: ["7500 Industrial Blvd", "Dock 12"],
                city: "Allentown",
                region: "US-PA",
                postalCode: "18106",
                country: "US"
            ),
            partner: partner
        )
    }

    /// Adds `warehouse` with `units` on hand of every SKU but the scarce ones, and a tax rate for its region (when it
    /// has none yet).
    /// - Parameters:
    ///   - warehouse: the warehouse.
    ///   - units: on-hand units per SKU.
    ///   - taxRatePPM: the region's tax rate in parts per million; 6% by default.
    public mutating func addWarehouse(_ warehouse: Warehouse, units: Int = 300, taxRatePPM: Int64 = 60_000) {
        warehouses.append(warehouse)
        if taxRates[warehouse.region] == nil { taxRates[warehouse.region] = taxRatePPM }
        for product in products where !scarceSKUs.contains(product.sku) {
            stock.append(InventoryBalance(warehouseID: warehouse.id, sku: product.sku, onHand: units, safetyStock: 5))
        }
    }
}

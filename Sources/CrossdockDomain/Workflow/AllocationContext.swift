/// What allocating an order's open units reads: stock, warehouses and the rules that order them.
public struct AllocationContext: Sendable {
    /// Candidate warehouses.
    public var warehouses: [Warehouse]
    /// Current balances of the SKUs involved (ordered SKUs and their substitutes).
    public var balances: [InventoryBalance]
    /// Region code → warehouse ids that serve it, most preferred first.
    public var regionPreferences: [String: [String]]
    /// Products by SKU (their substitutes are read from here).
    public var products: [String: Product]
    /// Whether the account accepts substitutes.
    public var allowSubstitution: Bool
    /// Today, `YYYY-MM-DD` (UTC): the promise date of units allocated now.
    public var today: String
    /// The promise date for `quantity` backordered units of `sku` wanted on `requested`, from projected
    /// available-to-promise; `nil` when nothing within the horizon covers them.
    public var promise: @Sendable (_ sku: String, _ quantity: Int, _ requested: String?) -> String?

    /// Creates a context.
    /// - Parameters:
    ///   - warehouses: candidate warehouses.
    ///   - balances: balances of the SKUs involved.
    ///   - regionPreferences: region → preferred warehouse ids (default none).
    ///   - products: products by SKU (default none: no substitutes).
    ///   - allowSubstitution: whether substitutes may be used (default false).
    ///   - today: today's date, `YYYY-MM-DD`.
    ///   - promise: the backorder promise-date function (default: no promise).
    public init(
        warehouses: [Warehouse],
        balances: [InventoryBalance],
        regionPreferences: [String: [String]] = [:],
        products: [String: Product] = [:],
        allowSubstitution: Bool = false,
        today: String,
        promise: @escaping @Sendable (_ sku: String, _ quantity: Int, _ requested: String?) -> String? = { _, _, _ in nil }
    ) {
        self.warehouses = warehouses
        self.balances = balances
        self.regionPreferences = regionPreferences
        self.products = products
        self.allowSubstitution = allowSubstitution
        self.today = today
        self.promise = promise
    }
}

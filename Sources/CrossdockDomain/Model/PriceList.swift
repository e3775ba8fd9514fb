/// A price list: unit prices per SKU, with optional quantity breaks.
public struct PriceList: Hashable, Sendable, Codable {
    /// One price entry.
    public struct Entry: Hashable, Sendable, Codable {
        /// The SKU priced.
        public var sku: String
        /// The smallest quantity the price applies to (a price break); 1 when absent.
        public var minQuantity: Int
        /// Unit price in minor units of the list's currency.
        public var unitPrice: Int64

        /// Creates an entry.
        public init(sku: String, minQuantity: Int = 1, unitPrice: Int64) {
            self.sku = sku
            self.minQuantity = minQuantity
            self.unitPrice = unitPrice
        }
    }

    /// The list id.
    public var id: String
    /// The currency every price is in.
    public var currency: Currency
    /// The entries.
    public var entries: [Entry]

    /// Creates a price list.
    public init(id: String, currency: Currency, entries: [Entry]) {
        self.id = id
        self.currency = currency
        self.entries = entries
    }

    /// The unit price for `quantity` of `sku`: the entry with the largest break not above `quantity`.
    /// - Returns: `nil` when the list does not price the SKU at that quantity.
    public func unitPrice(sku: String, quantity: Int) -> Money? {
        var best: Entry?
        for entry in entries where entry.sku == sku && entry.minQuantity <= quantity {
            if best == nil || entry.minQuantity > best!.minQuantity { best = entry }
        }
        return best.map { Money($0.unitPrice, currency) }
    }
}

/// A price list: unit prices per SKU, with optional quantity breaks, units and dates of validity.
public struct PriceList: Hashable, Sendable, Codable {
    /// One price entry.
    public struct Entry: Hashable, Sendable, Codable {
        /// The SKU priced.
        public var sku: String
        /// The smallest quantity the price applies to (a price break), counted in the entry's unit; 1 when absent.
        public var minQuantity: Int
        /// Unit price in minor units of the list's currency, per the entry's unit.
        public var unitPrice: Int64
        /// The unit the price is per (`CA` for a case price); nil for the product's base unit.
        public var unitOfMeasure: String?
        /// The first day the price applies (`YYYY-MM-DD`, inclusive); nil for no start.
        public var validFrom: String?
        /// The last day the price applies (`YYYY-MM-DD`, inclusive); nil for no end.
        public var validTo: String?

        /// Creates an entry.
        /// - Parameters:
        ///   - sku: the SKU priced.
        ///   - minQuantity: the break quantity, in the entry's unit.
        ///   - unitPrice: minor units per unit.
        ///   - unitOfMeasure: the unit priced; nil for the base unit.
        ///   - validFrom: first day, inclusive.
        ///   - validTo: last day, inclusive.
        public init(
            sku: String,
            minQuantity: Int = 1,
            unitPrice: Int64,
            unitOfMeasure: String? = nil,
            validFrom: String? = nil,
            validTo: String? = nil
        ) {
            self.sku = sku
            self.minQuantity = minQuantity
            self.unitPrice = unitPrice
            self.unitOfMeasure = unitOfMeasure
            self.validFrom = validFrom
            self.validTo = validTo
        }

        enum CodingKeys: String, CodingKey { case sku, minQuantity, unitPrice, unitOfMeasure, validFrom, validTo }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            sku = try c.decode(String.self, forKey: .sku)
            minQuantity = try c.decodeIfPresent(Int.self, forKey: .minQuantity) ?? 1
            unitPrice = try c.decode(Int64.self, forKey: .unitPrice)
            // Added after the first schema: older entries are per base unit and always valid.
            unitOfMeasure = try c.decodeIfPresent(String.self, forKey: .unitOfMeasure)
            validFrom = try c.decodeIfPresent(String.self, forKey: .validFrom)
            validTo = try c.decodeIfPresent(String.self, forKey: .validTo)
        }

        /// Whether the entry has a window of validity.
        public var isDated: Bool { validFrom != nil || validTo != nil }

        /// Whether `day` (`YYYY-MM-DD`) falls inside the entry's window.
        public func isValid(on day: String) -> Bool {
            (validFrom.map { $0 <= day } ?? true) && (validTo.map { day <= $0 } ?? true)
        }
    }

    /// The list id.
    public var id: String
    /// The currency every price is in.
    public var currency: Currency
    /// The entries.
    public var entries: [Entry]
    /// The master-data version that last changed this record (set by the hub; see docs/master-data.md); nil for a
    /// record written before versions were kept.
    public var version: Int?
    /// The system that masters this record (the `source` of the feed batch that created or claimed it); a batch from
    /// another source cannot change it. Nil for records only ever written through the API.
    public var masteredBy: String?

    /// Creates a price list.
    public init(id: String, currency: Currency, entries: [Entry]) {
        self.id = id
        self.currency = currency
        self.entries = entries
    }

    /// The base-unit price for `quantity` of `sku`: the base-unit entry with the largest break not above `quantity`,
    /// among those valid on `day` (without a day, among the undated entries), as ``Pricing`` chooses.
    /// - Returns: `nil` when the list does not price the SKU at that quantity.
    public func unitPrice(sku: String, quantity: Int, on day: String? = nil) -> Money? {
        var best: Entry?
        for entry in entries where entry.sku == sku && entry.unitOfMeasure == nil && entry.minQuantity <= quantity {
            guard day.map({ entry.isValid(on: $0) }) ?? !entry.isDated else { continue }
            if let current = best, !Pricing.precedes(entry, current) { continue }
            best = entry
        }
        return best.map { Money($0.unitPrice, currency) }
    }
}

/// A sellable item.
public struct Product: Hashable, Sendable, Codable {
    /// Lifecycle of an item.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case active
        case discontinued
    }

    /// A substitute candidate, tried in ascending `priority`.
    public struct Substitute: Hashable, Sendable, Codable {
        /// The substitute's SKU.
        public var sku: String
        /// Lower is tried first.
        public var priority: Int

        /// Creates a substitute entry.
        public init(sku: String, priority: Int) {
            self.sku = sku
            self.priority = priority
        }
    }

    /// A unit the item is also sold in, as a whole number of base units (a case of 12 is `{"code": "CA", "quantity": 12}`).
    public struct Unit: Hashable, Sendable, Codable {
        /// The unit code, as partners write it (X12 element 355: `CA`, `BX`, `PK`…).
        public var code: String
        /// Base units in one of this unit; at least 2.
        public var quantity: Int
        /// The GTIN of this pack level (a case's ITF-14 or GTIN-14), if any.
        public var gtin: String?

        /// Creates a unit.
        /// - Parameters:
        ///   - code: the unit code.
        ///   - quantity: base units per unit.
        ///   - gtin: the pack's GTIN.
        public init(code: String, quantity: Int, gtin: String? = nil) {
            self.code = code
            self.quantity = quantity
            self.gtin = gtin
        }
    }

    /// The hub SKU.
    public var sku: String
    /// Description.
    public var description: String
    /// The unit of measure all quantities of this item are in (base UoM), e.g. `EA`.
    public var unitOfMeasure: String
    /// GTIN/UPC, if any.
    public var gtin: String?
    /// Substitutes.
    public var substitutes: [Substitute]
    /// Lifecycle status.
    public var status: Status
    /// Other units the item is sold in, each a whole number of base units (``unitOfMeasure``).
    public var units: [Unit]
    /// The master-data version that last changed this record (set by the hub; see docs/master-data.md); nil for a
    /// record written before versions were kept.
    public var version: Int?
    /// The system that masters this record (the `source` of the feed batch that created or claimed it); a batch from
    /// another source cannot change it. Nil for records only ever written through the API.
    public var masteredBy: String?

    /// Creates a product.
    public init(
        sku: String,
        description: String,
        unitOfMeasure: String = "EA",
        gtin: String? = nil,
        substitutes: [Substitute] = [],
        status: Status = .active,
        units: [Unit] = []
    ) {
        self.sku = sku
        self.description = description
        self.unitOfMeasure = unitOfMeasure
        self.gtin = gtin
        self.substitutes = substitutes
        self.status = status
        self.units = units
    }

    enum CodingKeys: String, CodingKey { case sku, description, unitOfMeasure, gtin, substitutes, status, units, version, masteredBy }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sku = try c.decode(String.self, forKey: .sku)
        description = try c.decode(String.self, forKey: .description)
        unitOfMeasure = try c.decode(String.self, forKey: .unitOfMeasure)
        gtin = try c.decodeIfPresent(String.self, forKey: .gtin)
        substitutes = try c.decodeIfPresent([Substitute].self, forKey: .substitutes) ?? []
        status = try c.decodeIfPresent(Status.self, forKey: .status) ?? .active
        // Added after the first schema: older documents have no units.
        units = try c.decodeIfPresent([Unit].self, forKey: .units) ?? []
        version = try c.decodeIfPresent(Int.self, forKey: .version)
        masteredBy = try c.decodeIfPresent(String.self, forKey: .masteredBy)
    }

    /// Base units in one `unit`: 1 for the base unit (or no unit), the unit's quantity for a listed unit, nil for a
    /// unit the product is not sold in. Codes compare case-insensitively.
    public func baseUnits(per unit: String?) -> Int? {
        guard let unit, !unit.isEmpty, unit.uppercased() != unitOfMeasure.uppercased() else { return 1 }
        return units.first { $0.code.uppercased() == unit.uppercased() }?.quantity
    }

    /// The unit whose GTIN is `gtin` (the base unit's code for the item's own GTIN), if any.
    public func unit(forGTIN gtin: String) -> String? {
        if self.gtin == gtin { return unitOfMeasure }
        return units.first { $0.gtin == gtin }?.code
    }
}

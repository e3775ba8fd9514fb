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

    /// Creates a product.
    public init(
        sku: String,
        description: String,
        unitOfMeasure: String = "EA",
        gtin: String? = nil,
        substitutes: [Substitute] = [],
        status: Status = .active
    ) {
        self.sku = sku
        self.description = description
        self.unitOfMeasure = unitOfMeasure
        self.gtin = gtin
        self.substitutes = substitutes
        self.status = status
    }
}

/// A postal address with the tax and routing region it belongs to.
public struct Address: Hashable, Sendable, Codable {
    /// Recipient or company name.
    public var name: String
    /// Street lines.
    public var lines: [String]
    /// City.
    public var city: String
    /// Region code used for tax and warehouse preference, e.g. `US-CA`.
    public var region: String
    /// Postal code.
    public var postalCode: String
    /// ISO 3166-1 alpha-2 country.
    public var country: String

    /// Creates an address.
    public init(name: String, lines: [String], city: String, region: String, postalCode: String, country: String) {
        self.name = name
        self.lines = lines
        self.city = city
        self.region = region
        self.postalCode = postalCode
        self.country = country
    }
}

/// A customer's ship-to location, identified by a code (the EDI N1 "ST" location code).
public struct ShipTo: Hashable, Sendable, Codable {
    /// The location code, unique per customer.
    public var code: String
    /// The address.
    public var address: Address

    /// Creates a ship-to location.
    public init(code: String, address: Address) {
        self.code = code
        self.address = address
    }
}

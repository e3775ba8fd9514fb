/// A fulfilment node: own distribution centre or 3PL.
public struct Warehouse: Hashable, Sendable, Codable {
    /// The warehouse id.
    public var id: String
    /// Display name.
    public var name: String
    /// The region it is in, e.g. `US-CA`.
    public var region: String
    /// Allocation priority: lower is tried first.
    public var priority: Int
    /// The street address (ship-from on ship notices and shipping orders), when known.
    public var address: Address?

    /// Creates a warehouse.
    public init(id: String, name: String, region: String, priority: Int, address: Address? = nil) {
        self.address = address
        self.id = id
        self.name = name
        self.region = region
        self.priority = priority
    }
}

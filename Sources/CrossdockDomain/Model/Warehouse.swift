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

    /// Creates a warehouse.
    public init(id: String, name: String, region: String, priority: Int) {
        self.id = id
        self.name = name
        self.region = region
        self.priority = priority
    }
}

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
    /// The partner that operates it (a 3PL, a WMS): only that partner's keys reach its fulfilment work. Nil for a
    /// warehouse any fulfilment-side key may work.
    public var partner: String?
    /// The master-data version that last changed this record (set by the hub; see docs/master-data.md); nil for a
    /// record written before versions were kept.
    public var version: Int?
    /// The system that masters this record (the `source` of the feed batch that created or claimed it); a batch from
    /// another source cannot change it. Nil for records only ever written through the API.
    public var masteredBy: String?

    /// Creates a warehouse.
    public init(id: String, name: String, region: String, priority: Int, address: Address? = nil, partner: String? = nil) {
        self.address = address
        self.partner = partner
        self.id = id
        self.name = name
        self.region = region
        self.priority = priority
    }
}

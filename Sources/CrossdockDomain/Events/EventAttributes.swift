/// The attributes subscriptions filter on, read from an event's `data`: `warehouse` (`warehouseId`), `channel`,
/// `customer` (`customerId`) and `partner`. An event without the member has no such attribute, so a filter on it
/// does not match.
public enum EventAttributes {
    /// The attribute names filters may use.
    public static let names: Set<String> = ["warehouse", "channel", "customer", "partner"]

    /// The attributes of an event whose `data` is `data`.
    public static func of(_ data: JSONValue) -> [String: String] {
        var result: [String: String] = [:]
        for (name, member) in [("warehouse", "warehouseId"), ("channel", "channel"), ("customer", "customerId"), ("partner", "partner")] {
            if case .string(let value)? = data[member] { result[name] = value }
        }
        return result
    }
}

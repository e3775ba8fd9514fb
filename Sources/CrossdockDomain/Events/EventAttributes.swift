/// The attributes subscriptions filter on, read from an event's `data`: `warehouse` (`warehouseId`), `channel`,
/// `customer` (`customerId`), `partner`, `priceList` (`priceListId`) and `entity` (`legalEntityId`: orders, invoices
/// and credit memos of a customer that names its legal entity). An event without the member has no such attribute,
/// so a filter on it does not match.
public enum EventAttributes {
    /// The attribute names filters may use.
    public static let names: Set<String> = ["warehouse", "channel", "customer", "partner", "priceList", "entity"]

    /// The attributes of an event whose `data` is `data`.
    public static func of(_ data: JSONValue) -> [String: String] {
        var result: [String: String] = [:]
        for (name, member) in [
            ("warehouse", "warehouseId"), ("channel", "channel"), ("customer", "customerId"), ("partner", "partner"), ("priceList", "priceListId"),
            ("entity", "legalEntityId"),
        ] {
            if case .string(let value)? = data[member] { result[name] = value }
        }
        return result
    }
}

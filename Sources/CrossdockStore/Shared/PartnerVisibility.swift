import CrossdockDomain

/// What a partner sees of the event log: the events of its own orders (correlated to an order whose channel reference
/// names the partner) and the shared catalogue a sales channel sells from (products and availability), nothing of
/// another partner's orders or of the hub's master data.
public enum PartnerVisibility {
    /// Qualified event types every partner sees.
    public static let sharedTypes: [String] = [EventType.productUpserted, .inventoryAvailabilityChanged].map(\.qualifiedName).sorted()

    /// An SQL boolean over `events` aliased `e`, true when the event is visible to the partner bound as the single
    /// parameter (`?` on SQLite, `$n` on PostgreSQL via `placeholder`).
    static func predicate(placeholder: String) -> String {
        let shared = sharedTypes.map { "'\($0)'" }.joined(separator: ", ")
        return "(e.type IN (\(shared)) OR EXISTS (SELECT 1 FROM orders o WHERE o.id = e.correlation_id AND o.partner = \(placeholder)))"
    }
}

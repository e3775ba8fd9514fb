/// What the sales channel itself charged for an order (a storefront's own totals), kept beside the hub's figures.
///
/// The hub prices and taxes every order from its price lists and tax table; a storefront has its own cart totals,
/// shipping charges and tax. Intake compares them with its own (``OrderIntake``): a tax or total that differs beyond
/// the tolerance becomes an operations exception with both figures, and the channel's shipping charge is invoiced.
public struct ChannelAmounts: Hashable, Sendable, Codable {
    /// Which figures the channel states.
    public enum Scope: String, Hashable, Sendable, Codable, CaseIterable {
        /// Subtotal, discounts, tax, shipping and the total the buyer paid (a storefront: Shopify).
        case order
        /// Only the value of the goods: `total` is Σ quantity × price, tax and shipping are not stated (a Salesforce
        /// Order's `TotalAmount`, an X12 850's `AMT*TT`).
        case goods
    }

    /// Σ line prices before discounts, as the channel computed it.
    public var subtotal: Money
    /// Order and line discounts.
    public var discounts: Money
    /// The channel's tax.
    public var tax: Money
    /// Shipping charged to the buyer.
    public var shipping: Money
    /// What the buyer paid.
    public var total: Money
    /// Whether the channel's prices include tax.
    public var taxesIncluded: Bool
    /// Which figures are stated.
    public var scope: Scope

    /// Creates the amounts.
    public init(
        subtotal: Money,
        discounts: Money,
        tax: Money,
        shipping: Money,
        total: Money,
        taxesIncluded: Bool = false,
        scope: Scope = .order
    ) {
        self.subtotal = subtotal
        self.discounts = discounts
        self.tax = tax
        self.shipping = shipping
        self.total = total
        self.taxesIncluded = taxesIncluded
        self.scope = scope
    }

    enum CodingKeys: String, CodingKey { case subtotal, discounts, tax, shipping, total, taxesIncluded, scope }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        subtotal = try c.decode(Money.self, forKey: .subtotal)
        discounts = try c.decode(Money.self, forKey: .discounts)
        tax = try c.decode(Money.self, forKey: .tax)
        shipping = try c.decode(Money.self, forKey: .shipping)
        total = try c.decode(Money.self, forKey: .total)
        taxesIncluded = try c.decodeIfPresent(Bool.self, forKey: .taxesIncluded) ?? false
        // Added after the first schema: older documents came from storefronts.
        scope = try c.decodeIfPresent(Scope.self, forKey: .scope) ?? .order
    }
}

extension ChannelAmounts: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("discounts", discounts)
            $0.field("scope", scope.rawValue)
            $0.field("shipping", shipping)
            $0.field("subtotal", subtotal)
            $0.field("tax", tax)
            $0.field("taxesIncluded", taxesIncluded)
            $0.field("total", total)
        }
    }
}

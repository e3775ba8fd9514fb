/// What the sales channel itself charged for an order (a storefront's own totals), kept beside the hub's figures.
///
/// The hub prices and taxes every order from its price lists and tax table; a storefront has its own cart totals,
/// shipping charges and tax. Keeping them on the order lets operations see where the two differ (a promotion, a tax
/// the storefront computed differently, shipping the hub does not invoice) without the channel's figures overriding
/// the hub's.
public struct ChannelAmounts: Hashable, Sendable, Codable {
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

    /// Creates the amounts.
    public init(subtotal: Money, discounts: Money, tax: Money, shipping: Money, total: Money, taxesIncluded: Bool = false) {
        self.subtotal = subtotal
        self.discounts = discounts
        self.tax = tax
        self.shipping = shipping
        self.total = total
        self.taxesIncluded = taxesIncluded
    }
}

extension ChannelAmounts: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object {
            $0.field("discounts", discounts)
            $0.field("shipping", shipping)
            $0.field("subtotal", subtotal)
            $0.field("tax", tax)
            $0.field("taxesIncluded", taxesIncluded)
            $0.field("total", total)
        }
    }
}

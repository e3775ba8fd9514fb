/// Compares a channel's own totals with the hub's. Pure.
///
/// - A storefront (``ChannelAmounts/Scope/order``) states tax and the total the buyer paid: the hub's tax (Σ line
///   taxes) is compared with the channel's tax, and the hub's total (goods + tax + the channel's shipping, which the
///   hub invoices) with the channel's total.
/// - A channel that states only the goods (``ChannelAmounts/Scope/goods``: a Salesforce Order, an 850's `AMT*TT`):
///   the hub's subtotal is compared with the channel's total.
///
/// A difference larger than `tolerance` minor units is returned with both figures; a channel in another currency
/// than the order is reported on every stated figure.
public enum ChannelTotalsCheck {
    /// The figures that differ beyond `tolerance`.
    /// - Parameters:
    ///   - order: the hub's order, priced and taxed.
    ///   - channel: the channel's totals.
    ///   - tolerance: the accepted difference per figure, in minor units.
    public static func differences(order: SalesOrder, channel: ChannelAmounts, tolerance: Int64) -> [OperationsException.Figure] {
        var figures: [OperationsException.Figure] = []
        func compare(_ name: String, hub: Money, channel: Money) {
            if hub.currency != channel.currency || abs(hub.minorUnits - channel.minorUnits) > tolerance {
                figures.append(.init(name: name, hub: hub, channel: channel))
            }
        }
        switch channel.scope {
        case .order:
            compare("tax", hub: order.tax, channel: channel.tax)
            let shipping = channel.shipping.currency == order.currency ? channel.shipping : .zero(order.currency)
            compare("total", hub: order.total + shipping, channel: channel.total)
        case .goods:
            compare("total", hub: order.subtotal, channel: channel.total)
        }
        return figures
    }
}

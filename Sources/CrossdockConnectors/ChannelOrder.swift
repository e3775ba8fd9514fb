import CrossdockDomain

/// An order from a sales channel, mapped to the hub's intake command plus what the channel said around it.
///
/// The HTTP layer submits ``request`` to order intake; the rest is kept with the inbound record for tracing and
/// reconciliation (the channel's own totals are what the customer was charged, the hub recomputes its own).
///
/// ```swift
/// try ShopifyWebhook.verify(body: body, hmacHeader: headers["X-Shopify-Hmac-Sha256"], secret: shop.webhookSecret)
/// let order = try ShopifyWebhook.order(body: body, shop: shop, webhookID: headers["X-Shopify-Webhook-Id"])
/// try await orders.submit(order.request)
/// ```
public struct ChannelOrder: Hashable, Sendable, Codable {
    /// The canonical intake command: channel, external id, customer, PO, currency, lines, ship-to code.
    public var request: OrderRequest
    /// The delivery address as the channel sent it; the ship-to code in ``request`` is set only when it matches a
    /// known ship-to of the customer.
    public var shipTo: Address?
    /// The billing address as the channel sent it.
    public var billTo: Address?
    /// The channel's own totals, in minor units of ``OrderRequest/currency``.
    public var totals: ChannelTotals
    /// The buyer's e-mail address.
    public var customerEmail: String?
    /// The delivery id of the webhook (`X-Shopify-Webhook-Id`), for de-duplicating re-sent deliveries.
    public var webhookID: String?
    /// The channel's order date, `YYYY-MM-DD` (Salesforce `EffectiveDate`).
    public var orderDate: String?
    /// The channel's order status as sent (Salesforce `Status`, Shopify `financial_status`).
    public var channelStatus: String?

    /// Creates a channel order.
    /// - Parameters:
    ///   - request: the intake command.
    ///   - shipTo: the delivery address.
    ///   - billTo: the billing address.
    ///   - totals: the channel's totals.
    ///   - customerEmail: the buyer's e-mail.
    ///   - webhookID: the webhook delivery id.
    ///   - orderDate: the channel's order date.
    ///   - channelStatus: the channel's status.
    public init(
        request: OrderRequest,
        shipTo: Address?,
        billTo: Address?,
        totals: ChannelTotals,
        customerEmail: String? = nil,
        webhookID: String? = nil,
        orderDate: String? = nil,
        channelStatus: String? = nil
    ) {
        self.request = request
        self.shipTo = shipTo
        self.billTo = billTo
        self.totals = totals
        self.customerEmail = customerEmail
        self.webhookID = webhookID
        self.orderDate = orderDate
        self.channelStatus = channelStatus
    }
}

/// The totals a channel computed for an order, each in minor units of the order's currency: the domain's
/// ``ChannelAmounts``, which the order keeps as `channelTotals` (Shopify `subtotal_price` is the lines after
/// discounts; Salesforce's subtotal is Σ quantity × unit price).
public typealias ChannelTotals = ChannelAmounts

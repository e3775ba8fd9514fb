import CrossdockDomain
import Foundation

/// The Shopify `orders/create` webhook: signature check and mapping of the order to a ``ChannelOrder``.
///
/// ```swift
/// try ShopifyWebhook.verify(body: body, hmacHeader: request.headers[ShopifyWebhook.hmacHeader], secret: shop.webhookSecret)
/// let order = try ShopifyWebhook.order(body: body, shop: shop, webhookID: request.headers[ShopifyWebhook.webhookIDHeader])
/// ```
///
/// Mapping rules (also in `docs/connectors.md`):
/// - The body is the order object; the REST resource form `{"order": {…}}` is accepted too.
/// - `externalID` is `<shop.id>:<order id>`; `customerPO` is `po_number`, else `name` (`#1001`).
/// - The customer is found by `customer.id`, then by e-mail (`email`, `contact_email`, `customer.email`), then the
///   shop's default; otherwise `unmapped_value`.
/// - Amounts are decimal strings in the order's `currency` (the shop currency), converted exactly to minor units; more
///   decimals than the currency has is an error.
/// - A line's unit price is net of its `discount_allocations`: `(price × quantity − Σ allocations) / quantity`, rounded
///   half away from zero to the minor unit. `unitPrice × quantity` can differ from the discounted line amount by less
///   than `quantity / 2` minor units; ``ChannelTotals`` keeps Shopify's exact figures.
/// - Totals: subtotal `subtotal_price`, discounts `total_discounts`, tax Σ `tax_lines[].price`, shipping
///   Σ `shipping_lines[].price`, total `total_price`.
public enum ShopifyWebhook {
    /// The signature header.
    public static let hmacHeader = "X-Shopify-Hmac-Sha256"
    /// The delivery id header; the same delivery re-sent keeps it.
    public static let webhookIDHeader = "X-Shopify-Webhook-Id"
    /// The shop header, used to find the ``ShopifyShop``.
    public static let shopDomainHeader = "X-Shopify-Shop-Domain"

    /// Checks `X-Shopify-Hmac-Sha256`: the base64 HMAC-SHA256 of the raw body under the app's webhook secret.
    /// - Parameters:
    ///   - body: the raw request body, exactly as received.
    ///   - hmacHeader: the header's value; nil when absent.
    ///   - secret: the shop's webhook secret.
    /// - Throws: `bad_signature` when the header is missing, not base64 of 32 bytes, or does not match.
    public static func verify(body: some Collection<UInt8>, hmacHeader: String?, secret: String) throws(ConnectorError) {
        guard let header = hmacHeader?.trimmingCharacters(in: .whitespaces), !header.isEmpty else {
            throw WebhookSignature.reject(Self.hmacHeader, "missing")
        }
        guard let mac = WebhookSignature.bytes(base64: header), mac.count == 32 else {
            throw WebhookSignature.reject(Self.hmacHeader, "must be the base64 of a 32-byte HMAC-SHA256")
        }
        guard WebhookSignature.isValid(mac, body: body, secret: secret) else {
            throw WebhookSignature.reject(Self.hmacHeader, "does not match the body")
        }
    }

    /// Maps an `orders/create` body to a channel order. Call ``verify(body:hmacHeader:secret:)`` first.
    /// - Parameters:
    ///   - body: the raw body.
    ///   - shop: the store's profile.
    ///   - webhookID: the `X-Shopify-Webhook-Id` header.
    /// - Throws: `malformed_payload` listing every bad field; `unmapped_value` for a customer the profile does not map.
    public static func order(body: some Collection<UInt8>, shop: ShopifyShop, webhookID: String?) throws(ConnectorError) -> ChannelOrder {
        var root = try ConnectorError.parseJSON(body)
        if case .object(let members) = root, members.count == 1, members[0].key == "order", case .object = members[0].value {
            root = members[0].value
        }
        guard case .object = root else { throw ConnectorError.malformed(field: "body", "must be a JSON object (the order)") }
        return try ShopifyOrderMapper(shop: shop, webhookID: webhookID).map(PayloadField(root: root))
    }

    /// Verifies and maps in one call.
    /// - Parameters:
    ///   - body: the raw body.
    ///   - hmacHeader: `X-Shopify-Hmac-Sha256`.
    ///   - webhookID: `X-Shopify-Webhook-Id`.
    ///   - shop: the store's profile.
    public static func receive(
        body: some Collection<UInt8>,
        hmacHeader: String?,
        webhookID: String?,
        shop: ShopifyShop
    ) throws(ConnectorError) -> ChannelOrder {
        try verify(body: body, hmacHeader: hmacHeader, secret: shop.webhookSecret)
        return try order(body: body, shop: shop, webhookID: webhookID)
    }
}

import CrossdockConnectors
import CrossdockDomain
import CrossdockStore
import Crypto
import Foundation
import Tracing

/// Orders and tracking from partners in their own formats: Shopify `orders/create` webhooks, Salesforce Orders and
/// carrier tracking webhooks. Each payload is authenticated (the partner's HMAC, or the caller's API key bound to the
/// partner), mapped by its connector to the canonical command, and handed to the same services as the API, so it
/// meets the same validation and the same idempotency.
///
/// Deduplication: a Shopify webhook id is an idempotency key (a redelivery answers the first reply); an order the
/// channel already sent under another webhook id answers 200 with the existing order instead of a 409, because
/// webhook senders retry anything that is not 2xx.
public struct ChannelIntake: Sendable {
    /// Who is calling: the API key's partner binding when the request carried a key.
    public struct Caller: Sendable {
        /// Whether the request carried a valid API key.
        public var authenticated: Bool
        /// The partner the key is bound to, if any.
        public var partner: String?

        /// Creates a caller.
        public init(authenticated: Bool, partner: String?) {
            self.authenticated = authenticated
            self.partner = partner
        }
    }

    let store: any Store
    let orders: OrderService
    let directory: PartnerDirectory

    /// Creates the intake.
    public init(store: any Store, orders: OrderService) {
        self.store = store
        self.orders = orders
        self.directory = PartnerDirectory(store: store)
    }

    /// Takes a Shopify `orders/create` webhook.
    /// - Parameters:
    ///   - body: the raw body (the HMAC covers these bytes).
    ///   - shopDomain: `X-Shopify-Shop-Domain`.
    ///   - hmac: `X-Shopify-Hmac-Sha256`.
    ///   - webhookID: `X-Shopify-Webhook-Id`.
    /// - Throws: ``ConnectorError`` (`unknown_partner`, `bad_signature`, `malformed_payload`, `unmapped_value`) or
    ///   ``EngineError`` from intake.
    public func shopify(body: [UInt8], shopDomain: String?, hmac: String?, webhookID: String?) async throws -> Reply {
        try await withSpan("channel.shopify.order") { span in
            span.attributes["crossdock.bytes"] = body.count
            if let shopDomain { span.attributes["crossdock.partner"] = shopDomain }
            return try await shopifyUntraced(body: body, shopDomain: shopDomain, hmac: hmac, webhookID: webhookID)
        }
    }

    private func shopifyUntraced(body: [UInt8], shopDomain: String?, hmac: String?, webhookID: String?) async throws -> Reply {
        guard let shopDomain, !shopDomain.isEmpty else {
            throw ConnectorError(
                code: "unknown_partner",
                message: "send the shop in X-Shopify-Shop-Domain",
                errors: [.init(field: "X-Shopify-Shop-Domain", reason: "is required")]
            )
        }
        let shops = try await directory.profiles(kind: .shopify, as: ShopifyShop.self)
        guard let shop = shops.first(where: { $0.shopDomain.lowercased() == shopDomain.lowercased() }) else {
            throw ConnectorError(
                code: "unknown_partner",
                message: "no Shopify shop is registered for \(shopDomain)",
                errors: [.init(field: "X-Shopify-Shop-Domain", reason: "unknown shop")]
            )
        }
        let order = try ShopifyWebhook.receive(body: body, hmacHeader: hmac, webhookID: webhookID, shop: shop)
        let idempotency = webhookID.map { IdempotencyContext(scope: "shopify:\(shop.id)", key: $0, requestHash: Self.hash(body)) }
        let inbound = InboundMessage(
            channel: order.request.channel,
            partner: shop.id,
            receivedAt: Date(),
            authentication: "X-Shopify-Hmac-Sha256 verified with the shop's webhook secret",
            messageID: webhookID,
            body: body
        )
        return try await submit(order, idempotency: idempotency, inbound: inbound)
    }

    /// Takes a Salesforce Order with its OrderItems.
    /// - Parameters:
    ///   - body: the raw body.
    ///   - orgID: the org: the API key's partner, else `X-Crossdock-Partner`.
    ///   - signature: `X-Crossdock-Signature`.
    ///   - caller: who called.
    ///   - idempotencyKey: the caller's `Idempotency-Key`, if any.
    public func salesforce(body: [UInt8], orgID: String?, signature: String?, caller: Caller, idempotencyKey: String?) async throws -> Reply {
        try await withSpan("channel.salesforce.order") { span in
            span.attributes["crossdock.bytes"] = body.count
            if let orgID { span.attributes["crossdock.partner"] = orgID }
            return try await salesforceUntraced(body: body, orgID: orgID, signature: signature, caller: caller, idempotencyKey: idempotencyKey)
        }
    }

    private func salesforceUntraced(body: [UInt8], orgID: String?, signature: String?, caller: Caller, idempotencyKey: String?) async throws -> Reply
    {
        let id = caller.partner ?? orgID
        guard let id, let org = try await directory.profile(id, kind: .salesforce, as: SalesforceOrg.self) else {
            throw ConnectorError(
                code: "unknown_partner",
                message: "no Salesforce org '\(id ?? "")' is registered; bind the API key to it or send X-Crossdock-Partner",
                errors: [.init(field: "X-Crossdock-Partner", reason: "unknown org")]
            )
        }
        if !caller.authenticated && org.sharedSecret == nil {
            throw ConnectorError(code: ConnectorError.badSignature, message: "the org does not sign its requests: send an API key")
        }
        // A request with the org's API key needs no signature; one without is accepted only with a valid one.
        let order =
            caller.authenticated
            ? try SalesforceOrders.order(body: body, org: org) : try SalesforceOrders.receive(body: body, signatureHeader: signature, org: org)
        let idempotency = idempotencyKey.map { IdempotencyContext(scope: "salesforce:\(org.id)", key: $0, requestHash: Self.hash(body)) }
        let inbound = InboundMessage(
            channel: order.request.channel,
            partner: org.id,
            receivedAt: Date(),
            authentication: caller.authenticated
                ? "API key \(caller.partner.map { "bound to \($0)" } ?? "of the hub")"
                : "X-Crossdock-Signature verified with the org's shared secret",
            messageID: idempotencyKey,
            body: body
        )
        return try await submit(order, idempotency: idempotency, inbound: inbound)
    }

    /// Submits a mapped channel order; a channel order already taken answers 200 with it.
    func submit(_ order: ChannelOrder, idempotency: IdempotencyContext?, inbound: InboundMessage? = nil) async throws -> Reply {
        var request = order.request
        if request.shipToCode == nil, request.shipToAddress == nil { request.shipToAddress = order.shipTo }
        request.channelTotals = order.totals
        do {
            return try await orders.submit(request, idempotency: idempotency, inbound: inbound)
        } catch let error as EngineError where error.code == "duplicate_order" {
            guard let existing = error.extra["existingOrderId"], let stored = try await store.order(existing) else { throw error }
            return Reply(status: 200, body: Array(try JSONCoding.encode(stored)), replayed: true, location: "/v1/orders/\(existing)")
        }
    }

    /// Lower-case hex SHA-256 of `body`.
    static func hash(_ body: [UInt8]) -> String {
        Hex.encode(SHA256.hash(data: body))
    }
}

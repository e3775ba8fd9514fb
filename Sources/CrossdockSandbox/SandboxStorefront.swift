import AsyncHTTPClient
import CrossdockConnectors
import CrossdockDomain
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A simulated Shopify store: it posts signed `orders/create` webhooks to `POST /v1/inbound/shopify/orders` for the
/// hub's customers (mapped by e-mail in the shop's profile), with line items from the catalog (decimal-string
/// prices, some with `discount_allocations`), `tax_lines`, `shipping_lines`, and shipping addresses that are either
/// the customer's known ship-to or a Pennsylvania address the 3PL serves. It redelivers a few webhook ids (the hub
/// must answer the first reply), re-sends one order under a new webhook id (the hub answers the existing order) and
/// sends one webhook whose body was altered after signing (the hub must answer 401 and create nothing).
///
/// As a `Service` it runs its Admin API on loopback (``run()``): the hub's signed calls (fulfillments with tracking,
/// fulfillment events, cancellations, refunds, order metafields, products, prices and inventory levels) change the
/// shop's own records (``records``), which the demo compares with the hub's.
public final class SandboxStorefront: Service, Sendable {
    /// Behaviour knobs.
    public struct Configuration: Sendable {
        /// The hub's id for the shop.
        public var id: String
        /// The `*.myshopify.com` domain.
        public var shopDomain: String
        /// Orders to place.
        public var orders: Int
        /// Webhooks to deliver twice under the same id.
        public var redeliveries: Int
        /// Seed of the orders.
        public var seed: UInt64
        /// Share of the hub's Admin API calls answered 503 (0…1), to exercise the hub's retries.
        public var failureRate: Double
        /// Where the Admin API listens; 0 picks a free port.
        public var port: Int

        /// Creates a configuration.
        public init(
            id: String = "northwind-shop",
            shopDomain: String = "northwind-outfitters.myshopify.com",
            orders: Int = 8,
            redeliveries: Int = 2,
            seed: UInt64 = 3,
            failureRate: Double = 0,
            port: Int = 0
        ) {
            self.id = id
            self.shopDomain = shopDomain
            self.orders = orders
            self.redeliveries = redeliveries
            self.seed = seed
            self.failureRate = failureRate
            self.port = port
        }
    }

    /// One order the shop placed.
    public struct PlacedOrder: Sendable {
        /// Shopify's order id.
        public var shopifyID: Int64
        /// The hub customer its e-mail maps to.
        public var customerID: String
        /// The lines: SKU, quantity and unit price net of discounts, in cents.
        public var lines: [OrderRequest.Line]
        /// Whether it ships to the Pennsylvania address.
        public var shipsToPennsylvania: Bool
        /// The hub's order id, once created.
        public var hubOrderID: String?
        /// The shop's record of it as placed.
        var record: ShopState.Order
    }

    /// What the shop sent and what the hub answered.
    public struct Stats: Sendable {
        /// Webhooks posted (first deliveries, redeliveries, the re-sent order and the tampered one).
        public var webhooksSent = 0
        /// Orders the hub created (201).
        public var created = 0
        /// Redeliveries answered with the first reply's order.
        public var redeliveriesDeduplicated = 0
        /// Re-sent orders answered 200 with the existing order.
        public var resentAnsweredExisting = 0
        /// Tampered webhooks refused with 401.
        public var tamperedRefused = 0
        /// Answers the shop did not expect, one line each.
        public var unexpected: [String] = []
    }

    let configuration: Configuration
    let secret = PartnerSignature.makeSecret()
    let hub: HubClient
    let logger: Logger
    let state = Mutex<(stats: Stats, orders: [PlacedOrder])>((Stats(), []))
    /// The shop's own records, changed by the hub's Admin API calls.
    let shop = Mutex(ShopState())
    /// The Admin API's server.
    let endpoint: WebhookEndpoint

    /// Creates the shop.
    /// - Parameters:
    ///   - hubURL: the hub's base URL.
    ///   - configuration: behaviour.
    ///   - client: HTTP client for webhooks (sent without an API key: the signature authenticates them).
    ///   - logger: the shop's logger.
    public init(
        hubURL: String,
        configuration: Configuration = .init(),
        client: HTTPClient = .shared,
        logger: Logger = Logger(label: "crossdock.sandbox.shop")
    ) {
        self.configuration = configuration
        hub = HubClient(baseURL: hubURL, apiKey: "", client: client)
        self.logger = logger
        endpoint = WebhookEndpoint(port: configuration.port, failureRate: configuration.failureRate, serverName: "sandbox-shop", logger: logger)
    }

    /// The shop's Shopify location ids by hub warehouse (the same as the `locations` table of the bundled
    /// `sandbox-shopify-catalog` mapping).
    public static let locations: [String: String] = [
        "WH-EAST": "gid://shopify/Location/7001", "WH-CENTRAL": "gid://shopify/Location/7002", "WH-WEST": "gid://shopify/Location/7003",
        "WH-3PL": "gid://shopify/Location/7004",
    ]

    /// Runs the Admin API until graceful shutdown.
    public func run() async throws {
        try await endpoint.runRaw { path, body in self.admin(path, body) }
    }

    /// The shop's own records.
    public var records: ShopState { shop.withLock { $0 } }

    /// What the Admin API's endpoint saw (signatures, redeliveries, refusals).
    public var webhooks: WebhookCounters { endpoint.counters }

    /// Takes the shop's Admin API down (every call answered 503) or brings it back.
    public func setDown(_ isDown: Bool) { endpoint.setDown(isDown) }

    /// When the Admin API handled its first call after it was last down (nil before).
    public var recoveredAt: Date? { endpoint.recoveredAt }

    /// Subscribes the shop's Admin API through `admin`: order updates of this shop (`channel.order_updated`, mapping
    /// `shopify-order-sync`), products and availability (`sandbox-shopify-catalog`), and the prices of `priceListID`.
    /// Returns the Admin API's base URL.
    @discardableResult
    public func subscribe(through admin: HubClient, priceListID: String) async throws -> String {
        let base = "/admin/api/2024-10"
        let url = try await endpoint.subscribe(
            through: admin,
            eventTypes: [EventType.channelOrderUpdated.name],
            path: base,
            mapping: "shopify-order-sync",
            attributes: ["partner": configuration.id]
        )
        _ = try await endpoint.subscribe(
            through: admin,
            eventTypes: [EventType.productUpserted.name, EventType.inventoryAvailabilityChanged.name],
            path: base,
            mapping: "sandbox-shopify-catalog"
        )
        _ = try await endpoint.subscribe(
            through: admin,
            eventTypes: [EventType.priceListPriceChanged.name],
            path: base,
            mapping: "sandbox-shopify-catalog",
            attributes: ["priceList": priceListID]
        )
        return url
    }

    /// The hub's id for the shop.
    public var id: String { configuration.id }

    /// A snapshot of the counters.
    public var stats: Stats { state.withLock { $0.stats } }

    /// The orders placed so far.
    public var orders: [PlacedOrder] { state.withLock { $0.orders } }

    /// The e-mail the shop knows `customer` by.
    static func email(_ customer: Customer) -> String { "purchasing@\(customer.id.lowercased()).example" }

    /// The customers the shop sells to: every account but those on hold or near their limit.
    static func customers(_ catalog: Catalog) -> [Customer] {
        catalog.customers.filter { $0.id != catalog.heldCustomerID && $0.id != catalog.nearLimitCustomerID }
    }

    /// Registers the shop through `admin` (`PUT /v1/partners/{id}`, kind `shopify`): its webhook secret, customers by
    /// e-mail and their known ship-tos.
    public func register(through admin: HubClient, catalog: Catalog) async throws {
        let customers = Self.customers(catalog)
        let profile = ShopifyShop(
            id: configuration.id,
            shopDomain: configuration.shopDomain,
            webhookSecret: secret,
            customers: .init(byEmail: Dictionary(uniqueKeysWithValues: customers.map { (Self.email($0), $0.id) })),
            shipTos: Dictionary(uniqueKeysWithValues: customers.map { ($0.id, $0.shipTo) })
        )
        try await admin.putPartner(configuration.id, kind: "shopify", profile: profile)
    }

    /// Posts one webhook (signed over `signed`, carrying `body`) and returns the answer and the order id in it.
    func deliver(_ body: [UInt8], signed: [UInt8]? = nil, webhookID: String) async -> (status: Int, orderID: String?) {
        let headers = [
            ("X-Shopify-Shop-Domain", configuration.shopDomain),
            ("X-Shopify-Hmac-Sha256", PartnerSignature.base64(signed ?? body, secret: secret)),
            ("X-Shopify-Webhook-Id", webhookID),
            ("X-Shopify-Topic", "orders/create"),
        ]
        state.withLock { $0.stats.webhooksSent += 1 }
        let answer = await hub.retrying(logger: logger) {
            try await hub.post("/v1/inbound/shopify/orders", body: body, contentType: "application/json", headers: headers, authorized: false)
        }
        guard let answer else { return (0, nil) }
        let object = (try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [String: Any]
        return (answer.status, object?["id"] as? String)
    }

    /// Notes an answer the shop did not expect.
    func unexpected(_ what: String, _ status: Int) {
        logger.warning("unexpected answer", metadata: [LogKey.sandboxStatus: "\(status)", LogKey.sandboxBody: "\(what)"])
        state.withLock { $0.stats.unexpected.append("\(what): \(status)") }
    }
}

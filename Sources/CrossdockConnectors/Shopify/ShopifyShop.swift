import CrossdockDomain

/// One Shopify store connected to the hub: its webhook secret and how its customers and SKUs map to ours.
///
/// Stored as JSON (keys as below); ``description`` never shows the secret.
///
/// ```json
/// {"id": "acme-store", "shopDomain": "acme.myshopify.com", "webhookSecret": "…",
///  "customers": {"byShopifyCustomerID": {"207119551": "CUST-ACME"}, "byEmail": {"ops@acme.test": "CUST-ACME"}},
///  "defaultCustomerID": "CUST-WEB", "skuMap": {"IPOD2008GREEN": "IPOD-8GB-GRN"}, "shipPolicy": "ship_partial",
///  "shipTos": {"CUST-ACME": [{"code": "ST-1", "address": {…}}]}}
/// ```
public struct ShopifyShop: Hashable, Sendable, Codable, CustomStringConvertible {
    /// How Shopify customers map to hub accounts. Checked in order: customer id, then e-mail (case-insensitive).
    public struct CustomerMapping: Hashable, Sendable, Codable {
        /// Shopify `customer.id` (decimal) → hub customer id.
        public var byShopifyCustomerID: [String: String]
        /// E-mail → hub customer id. Keys are compared case-insensitively.
        public var byEmail: [String: String]

        /// Creates a mapping.
        /// - Parameters:
        ///   - byShopifyCustomerID: Shopify customer id → hub customer id.
        ///   - byEmail: e-mail → hub customer id.
        enum CodingKeys: String, CodingKey {
            case byShopifyCustomerID = "byShopifyCustomerId"
            case byEmail
        }

        public init(byShopifyCustomerID: [String: String] = [:], byEmail: [String: String] = [:]) {
            self.byShopifyCustomerID = byShopifyCustomerID
            self.byEmail = byEmail
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            byShopifyCustomerID = try container.decodeIfPresent([String: String].self, forKey: .byShopifyCustomerID) ?? [:]
            byEmail = try container.decodeIfPresent([String: String].self, forKey: .byEmail) ?? [:]
        }
    }

    /// The hub's id for the store; prefixes every external order id (`<id>:<shopify order id>`).
    public var id: String
    /// The store's `*.myshopify.com` domain (`X-Shopify-Shop-Domain`), used to find the profile.
    public var shopDomain: String
    /// The app's webhook signing secret.
    public var webhookSecret: String
    /// Customer mapping.
    public var customers: CustomerMapping
    /// The account used when no mapping matches (a web-store catch-all); nil makes an unmapped customer an error.
    public var defaultCustomerID: String?
    /// Shopify SKU → hub SKU; SKUs not listed pass through unchanged.
    public var skuMap: [String: String]
    /// Shopify SKU → the hub unit its quantity is in (a variant sold by the case: `{"WIDGET-CASE": "CA"}`); SKUs
    /// not listed are sold in the product's base unit.
    public var units: [String: String]
    /// Ship policy for the store's orders; the account's default when nil.
    public var shipPolicy: ShipPolicy?
    /// Known ship-to locations per hub customer id, matched against the shipping address.
    public var shipTos: [String: [ShipTo]]

    /// Creates a profile.
    /// - Parameters:
    ///   - id: the hub's id for the store.
    ///   - shopDomain: the `*.myshopify.com` domain.
    ///   - webhookSecret: the webhook signing secret.
    ///   - customers: customer mapping.
    ///   - defaultCustomerID: the catch-all account, if any.
    ///   - skuMap: SKU translation.
    ///   - shipPolicy: ship policy for the store's orders.
    ///   - shipTos: known ship-tos per customer.
    ///   - units: Shopify SKU → unit code.
    public init(
        id: String,
        shopDomain: String,
        webhookSecret: String,
        customers: CustomerMapping = .init(),
        defaultCustomerID: String? = nil,
        skuMap: [String: String] = [:],
        shipPolicy: ShipPolicy? = nil,
        shipTos: [String: [ShipTo]] = [:],
        units: [String: String] = [:]
    ) {
        self.id = id
        self.shopDomain = shopDomain
        self.webhookSecret = webhookSecret
        self.customers = customers
        self.defaultCustomerID = defaultCustomerID
        self.skuMap = skuMap
        self.shipPolicy = shipPolicy
        self.shipTos = shipTos
        self.units = units
    }

    enum CodingKeys: String, CodingKey {
        case id, shopDomain, webhookSecret, customers
        case defaultCustomerID = "defaultCustomerId"
        case skuMap, shipPolicy, shipTos, units
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        shopDomain = try container.decode(String.self, forKey: .shopDomain)
        webhookSecret = try container.decode(String.self, forKey: .webhookSecret)
        customers = try container.decodeIfPresent(CustomerMapping.self, forKey: .customers) ?? .init()
        defaultCustomerID = try container.decodeIfPresent(String.self, forKey: .defaultCustomerID)
        skuMap = try container.decodeIfPresent([String: String].self, forKey: .skuMap) ?? [:]
        shipPolicy = try container.decodeIfPresent(ShipPolicy.self, forKey: .shipPolicy)
        shipTos = try container.decodeIfPresent([String: [ShipTo]].self, forKey: .shipTos) ?? [:]
        units = try container.decodeIfPresent([String: String].self, forKey: .units) ?? [:]
    }

    /// `ShopifyShop(acme-store, acme.myshopify.com)`; never the secret.
    public var description: String { "ShopifyShop(\(id), \(shopDomain))" }

    /// The hub customer for a Shopify customer id or e-mail, else the default; nil when nothing matches.
    func customerID(shopifyCustomerID: String?, email: String?) -> String? {
        if let shopifyCustomerID, let mapped = customers.byShopifyCustomerID[shopifyCustomerID] { return mapped }
        if let email {
            let folded = email.lowercased()
            if let mapped = customers.byEmail.first(where: { $0.key.lowercased() == folded })?.value { return mapped }
        }
        return defaultCustomerID
    }
}

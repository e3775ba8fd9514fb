import CrossdockDomain

/// One Salesforce org connected to the hub: how its accounts map to our customers and how its pushes are signed.
///
/// ```json
/// {"id": "acme-sf", "sharedSecret": "…", "accounts": {"001xx000003DGb2AAG": "CUST-ACME"},
///  "defaultCurrency": "USD", "skuMap": {}, "shipPolicy": "ship_complete", "shipTos": {"CUST-ACME": […]}}
/// ```
public struct SalesforceOrg: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The hub's id for the org; prefixes every external order id (`<id>:<Order.Id>`).
    public var id: String
    /// The secret of `X-Crossdock-Signature` (HMAC-SHA256 of the body, hex); nil when the org does not sign (the
    /// API key of the route then is the only check).
    public var sharedSecret: String?
    /// `AccountId` → hub customer id. 15- and 18-character forms of an id both match.
    public var accounts: [String: String]
    /// The currency of orgs without multi-currency, whose orders carry no `CurrencyIsoCode`.
    public var defaultCurrency: Currency?
    /// `Product2.ProductCode` → hub SKU; codes not listed pass through.
    public var skuMap: [String: String]
    /// Ship policy for the org's orders; the account's default when nil.
    public var shipPolicy: ShipPolicy?
    /// Known ship-to locations per hub customer id, matched against `ShippingAddress`.
    public var shipTos: [String: [ShipTo]]

    /// Creates a profile.
    /// - Parameters:
    ///   - id: the hub's id for the org.
    ///   - sharedSecret: the signing secret, if the org signs.
    ///   - accounts: account mapping.
    ///   - defaultCurrency: currency when an order carries none.
    ///   - skuMap: product code translation.
    ///   - shipPolicy: ship policy for the org's orders.
    ///   - shipTos: known ship-tos per customer.
    public init(
        id: String,
        sharedSecret: String? = nil,
        accounts: [String: String],
        defaultCurrency: Currency? = nil,
        skuMap: [String: String] = [:],
        shipPolicy: ShipPolicy? = nil,
        shipTos: [String: [ShipTo]] = [:]
    ) {
        self.id = id
        self.sharedSecret = sharedSecret
        self.accounts = accounts
        self.defaultCurrency = defaultCurrency
        self.skuMap = skuMap
        self.shipPolicy = shipPolicy
        self.shipTos = shipTos
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        sharedSecret = try container.decodeIfPresent(String.self, forKey: .sharedSecret)
        accounts = try container.decodeIfPresent([String: String].self, forKey: .accounts) ?? [:]
        defaultCurrency = try container.decodeIfPresent(Currency.self, forKey: .defaultCurrency)
        skuMap = try container.decodeIfPresent([String: String].self, forKey: .skuMap) ?? [:]
        shipPolicy = try container.decodeIfPresent(ShipPolicy.self, forKey: .shipPolicy)
        shipTos = try container.decodeIfPresent([String: [ShipTo]].self, forKey: .shipTos) ?? [:]
    }

    /// `SalesforceOrg(acme-sf)`; never the secret.
    public var description: String { "SalesforceOrg(\(id))" }

    /// The hub customer of `accountID`, matching 15- and 18-character ids by their case-sensitive 15-character stem.
    func customerID(account accountID: String) -> String? {
        if let exact = accounts[accountID] { return exact }
        let stem = accountID.prefix(15)
        return accounts.first { $0.key.count >= 15 && $0.key.prefix(15) == stem && (accountID.count == 15 || $0.key.count == 15) }?.value
    }
}

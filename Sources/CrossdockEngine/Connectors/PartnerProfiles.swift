import CrossdockConnectors
import Foundation

/// Checks the profiles of channel partners (Shopify shops, Salesforce orgs, carriers, CSV 3PLs) by decoding them as
/// their connector's profile type, then the rules decoding cannot express.
enum PartnerProfiles {
    static func problems(kind: PartnerDirectory.Kind, document: Data, id: String) throws -> [(field: String, reason: String)] {
        var problems: [(String, String)] = []
        func check(_ failed: Bool, _ field: String, _ reason: String) { if failed { problems.append((field, reason)) } }
        let decoder = JSONDecoder()
        switch kind {
        case .x12:
            return []
        case .shopify:
            let shop = try decoder.decode(ShopifyShop.self, from: document)
            check(shop.id != id, "id", "must match the path")
            check(!shop.shopDomain.contains("."), "shopDomain", "must be the shop's domain, e.g. acme.myshopify.com")
            check(shop.webhookSecret.count < 16, "webhookSecret", "must be at least 16 characters")
            check(
                shop.defaultCustomerID == nil && shop.customers.byEmail.isEmpty && shop.customers.byShopifyCustomerID.isEmpty,
                "customers",
                "map at least one customer or set defaultCustomerId"
            )
        case .salesforce:
            let org = try decoder.decode(SalesforceOrg.self, from: document)
            check(org.id != id, "id", "must match the path")
            check(org.accounts.isEmpty, "accounts", "map at least one AccountId to a customer")
            check((org.sharedSecret?.count ?? 16) < 16, "sharedSecret", "must be at least 16 characters")
        case .carrier:
            let carrier = try decoder.decode(CarrierProfile.self, from: document)
            check(carrier.id != id, "id", "must match the path")
            check((carrier.secret?.count ?? 16) < 8, "secret", "must be at least 8 characters")
        case .csv:
            let partner = try decoder.decode(CSVPartner.self, from: document)
            check(partner.id != id, "id", "must match the path")
            check(partner.warehouseID.isEmpty, "warehouseId", "must name the hub warehouse the 3PL operates")
        }
        return problems
    }
}

/// A 3PL that confirms shipments as CSV (`POST /v1/inbound/3pl/{partner}/shipments`).
public struct CSVPartner: Hashable, Sendable, Codable {
    /// The hub's partner id.
    public var id: String
    /// The hub warehouse the 3PL operates: a confirmation may only name its fulfilment orders.
    public var warehouseID: String

    enum CodingKeys: String, CodingKey {
        case id
        case warehouseID = "warehouseId"
    }

    /// Creates a profile.
    public init(id: String, warehouseID: String) {
        self.id = id
        self.warehouseID = warehouseID
    }
}

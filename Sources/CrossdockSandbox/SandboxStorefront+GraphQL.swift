import CrossdockDomain
import Foundation

/// The two GraphQL mutations the hub sends the shop: `metafieldsSet` (an order's crossdock status and fulfilment
/// picture) and `productSet` (title, status, price, inventory per location of the product whose `crossdock.sku`
/// custom id is given).
extension SandboxStorefront {
    static func graphQL(_ json: [String: Any], _ state: inout ShopState) throws -> [String: Any] {
        guard let query = json["query"] as? String, let variables = json["variables"] as? [String: Any] else {
            throw AdminError(status: 400, message: "a GraphQL request needs query and variables")
        }
        if query.contains("metafieldsSet(") { return try metafieldsSet(variables, &state) }
        if query.contains("productSet(") { return try productSet(variables, &state) }
        throw AdminError(status: 400, message: "the sandbox shop does not implement this operation")
    }

    private static func metafieldsSet(_ variables: [String: Any], _ state: inout ShopState) throws -> [String: Any] {
        guard let metafields = variables["metafields"] as? [[String: Any]] else { throw AdminError(status: 400, message: "metafields is required") }
        var written: [[String: Any]] = []
        for metafield in metafields {
            guard let owner = metafield["ownerId"] as? String, owner.hasPrefix("gid://shopify/Order/"),
                let orderID = Int64(owner.dropFirst("gid://shopify/Order/".count)), let namespace = metafield["namespace"] as? String,
                let key = metafield["key"] as? String, let value = metafield["value"] as? String
            else { throw AdminError(status: 422, message: "each metafield needs an order ownerId, namespace, key and value") }
            guard state.orders[orderID] != nil else { throw AdminError(status: 404, message: "order \(orderID) not found") }
            state.orders[orderID]?.metafields["\(namespace).\(key)"] = value
            written.append(["namespace": namespace, "key": key, "value": value])
        }
        state.counters.metafieldWrites += 1
        return ["data": ["metafieldsSet": ["metafields": written, "userErrors": [Any]()] as [String: Any]]]
    }

    private static func productSet(_ variables: [String: Any], _ state: inout ShopState) throws -> [String: Any] {
        guard let identifier = (variables["identifier"] as? [String: Any])?["customId"] as? [String: Any],
            let sku = identifier["value"] as? String, let input = variables["input"] as? [String: Any]
        else { throw AdminError(status: 422, message: "productSet needs identifier.customId and input") }
        var product = state.products[sku] ?? ShopState.Product(sku: sku)
        let metafields = input["metafields"] as? [[String: Any]] ?? []
        func date(_ key: String) -> Date? {
            metafields.first { $0["key"] as? String == key }.flatMap { ($0["value"] as? String).flatMap(JSONCoding.parse) }
        }
        // As of: when the hub computed the figures, the order to keep; changed at: the stock change, for the lag.
        let asOf = date("availability_as_of")
        let changedAt = date("availability_changed_at") ?? asOf
        if let asOf, let previous = product.availabilityAsOf, previous > asOf {
            throw AdminError(status: 409, message: "the shop has availability of \(sku) as of a later time")
        }
        if let title = input["title"] as? String {
            product.title = title
            state.counters.productWrites += 1
        }
        if let status = input["status"] as? String { product.status = status }
        for variant in input["variants"] as? [[String: Any]] ?? [] {
            if let barcode = variant["barcode"] as? String { product.barcode = barcode }
            if let price = cents(variant["price"]) {
                product.price = price
                state.counters.priceWrites += 1
            }
            if let quantities = variant["inventoryQuantities"] as? [[String: Any]] {
                for quantity in quantities {
                    guard let location = quantity["locationId"] as? String, let available = quantity["quantity"] as? Int else {
                        throw AdminError(status: 422, message: "inventoryQuantities need locationId and quantity")
                    }
                    product.available[location] = available
                }
                state.counters.inventoryWrites += 1
            }
        }
        if let asOf { product.availabilityAsOf = asOf }
        if let changedAt {
            state.counters.availabilityLagsMs.append(max(0, Date().timeIntervalSince(changedAt) * 1000))
            state.counters.availabilityChangedAt.append(changedAt)
        }
        state.products[sku] = product
        return ["data": ["productSet": ["product": ["id": "gid://shopify/Product/\(sku)"], "userErrors": [Any]()] as [String: Any]]]
    }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// The marketplace-style pull feed (`GET /v1/feeds/catalog`): a snapshot without `after`, deltas with it.
struct FeedRoutes {
    let feed: CatalogFeed

    func add(to router: RouteTable) {
        router.get("/v1/feeds/catalog") { request, context in
            _ = try context.require(.masterRead)
            let query = request.uri.queryParameters
            let priceList = query.get("priceList")
            let customer = query.get("customer")
            if priceList != nil && customer != nil {
                throw Problem.invalidQuery("customer", "cannot be combined with priceList (a customer's prices come from its own list)")
            }
            for (name, value) in [("priceList", priceList), ("customer", customer)] where value?.isEmpty == true {
                throw Problem.invalidQuery(name, "must not be empty")
            }
            let pricing: CatalogFeed.Pricing = priceList.map { .priceList($0) } ?? customer.map { .customer($0) } ?? .none
            let limit = try queryInt(request, "limit", default: 500, range: 1...5000)
            if let after = query.get("after") {
                guard let cursor = Int64(after), cursor >= 0 else { throw Problem.invalidQuery("after", "must be a cursor from an earlier answer") }
                if query.get("startAfter") != nil { throw Problem.invalidQuery("startAfter", "pages a snapshot; deltas page with after") }
                return try Response.json(try await feed.deltas(pricing: pricing, after: cursor, limit: limit))
            }
            return try Response.json(try await feed.snapshot(pricing: pricing, startAfter: query.get("startAfter"), limit: limit))
        }
    }
}

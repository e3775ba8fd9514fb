import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// What operations look at: an order's trace across every system (`GET /v1/orders/{id}/trace`), search by business
/// key (`GET /v1/search`) and the business KPIs (`GET /v1/kpis`). All need `orders:read`; the KPIs span every partner
/// and need a hub-wide key. The console renders the same answers as pages.
struct InsightRoutes {
    let store: any Store

    func add(to router: RouteTable) {
        router.get("/v1/orders/:id/trace") { _, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id")
            let order = try await context.visibleOrder(id, in: store)
            return try Response.json(try await OrderTrace.build(order, partner: context.boundPartner, store: store))
        }
        router.get("/v1/search") { request, context in
            _ = try context.require(.ordersRead)
            let key = try Self.searchKey(request.uri.queryParameters.get("q").map { String($0) })
            let limit = try queryInt(request, "limit", default: 50, range: 1...KeySearch.maxHits)
            let hits = try await KeySearch(store: store).run(key, partner: context.boundPartner, limit: limit)
            return try Response.json(Items(items: hits))
        }
        router.get("/v1/kpis") { request, context in
            _ = try context.require(.ordersRead)
            try context.requireHubWide("the KPIs")
            let window = try Self.window(
                from: try optionalTime(request, "from"),
                to: try optionalTime(request, "to"),
                bucket: request.uri.queryParameters.get("bucket").map { String($0) }
            )
            return try Response.json(try await KPIReport.compute(store: store, from: window.from, to: window.to, bucketSeconds: window.bucket))
        }
    }

    /// The search key `q`: trimmed, 1 to 128 printable ASCII characters.
    static func searchKey(_ raw: String?) throws(Problem) -> String {
        guard let raw else { throw Problem.invalidQuery("q", "is required: an order id, PO number, tracking number, invoice number, …") }
        let key = raw.trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, key.utf8.count <= 128, key.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw Problem.invalidQuery("q", "must be 1 to 128 printable ASCII characters")
        }
        return key
    }

    /// The KPI window: `to` defaults to now, `from` to 24 hours before `to`, `bucket` to `1h`.
    static func window(from: Date?, to: Date?, bucket: String?, now: Date = Date()) throws(Problem) -> (from: Date, to: Date, bucket: Int) {
        let to = to ?? now
        let from = from ?? to.addingTimeInterval(-86_400)
        guard from < to else { throw Problem.invalidQuery("from", "must be before to") }
        guard to.timeIntervalSince(from) <= 400 * 86_400 else { throw Problem.invalidQuery("from", "the window may span 400 days at most") }
        let seconds: Int
        if let bucket {
            guard let parsed = bucketSeconds(bucket) else {
                throw Problem.invalidQuery("bucket", "must be a number and a unit: 15m, 1h, 6h, 1d (or hour, day)")
            }
            seconds = parsed
        } else {
            seconds = 3600
        }
        guard to.timeIntervalSince(from) / Double(seconds) <= Double(KPIReport.maxBuckets) else {
            throw Problem.invalidQuery("bucket", "cuts the window into more than \(KPIReport.maxBuckets) buckets; choose a longer one")
        }
        return (from, to, seconds)
    }

    /// `15m`, `1h`, `1d`, `hour`, `day` in seconds (a minute at least, 31 days at most); nil for anything else.
    static func bucketSeconds(_ text: String) -> Int? {
        switch text {
        case "minute": return 60
        case "hour": return 3600
        case "day": return 86_400
        default: break
        }
        guard let unit = text.last, let number = Int(text.dropLast()), number > 0, text.count <= 6 else { return nil }
        let seconds: Int
        switch unit {
        case "m": seconds = number * 60
        case "h": seconds = number * 3600
        case "d": seconds = number * 86_400
        default: return nil
        }
        return (60...(31 * 86_400)).contains(seconds) ? seconds : nil
    }
}

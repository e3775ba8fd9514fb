import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// The audit log: `GET /v1/audit`, oldest first, filtered by key, resource and time. Needs `audit:read` (or `admin`).
/// There is no route that changes or removes an entry.
struct AuditRoutes {
    let store: any Store

    func add(to router: RouteTable) {
        router.get("/v1/audit") { request, context in
            _ = try context.require(.auditRead)
            var query = AuditQuery(limit: try queryInt(request, "limit", default: 100, range: 1...500))
            if request.uri.queryParameters.get("after") != nil {
                query.after = Int64(try queryInt(request, "after", default: 0, range: 0...Int.max))
            }
            query.keyID = try Self.token(request, "key")
            query.resource = try Self.token(request, "resource", maxLength: 300)
            query.since = try optionalTime(request, "since")
            query.until = try optionalTime(request, "until")
            if let since = query.since, let until = query.until, until < since {
                throw Problem.invalidQuery("until", "must not be before since")
            }
            let entries = try await store.auditEntries(query)
            struct Page: Encodable {
                var entries: [AuditEntry]
                var nextAfter: Int64
            }
            return try Response.json(Page(entries: entries, nextAfter: entries.last?.seq ?? query.after))
        }
    }

    /// An optional filter value: 1 to `maxLength` printable ASCII characters.
    static func token(_ request: Request, _ name: String, maxLength: Int = 128) throws -> String? {
        guard let raw = request.uri.queryParameters.get(name) else { return nil }
        let value = String(raw)
        guard !value.isEmpty, value.utf8.count <= maxLength, value.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw Problem.invalidQuery(name, "must be 1 to \(maxLength) printable ASCII characters")
        }
        return value
    }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// Rate-limit policies: `GET /v1/rate-limits`, `PUT` and `DELETE /v1/rate-limits/{subject}`. Hub-wide, `admin`
/// only. A change applies on every node within about a second, without a restart (see ``RateLimiter``).
struct RateLimitRoutes {
    let store: any Store
    let limiter: RateLimiter

    func add(to router: RouteTable) {
        router.get("/v1/rate-limits") { _, context in
            _ = try context.require(.admin)
            struct Listing: Encodable {
                struct Default: Encodable {
                    var requests: Int
                    var windowSeconds: Int
                }
                /// Stored policies, by subject.
                var policies: [RateLimitPolicy]
                /// The limits `crossdock serve` was started with, for keys and partners no stored policy names.
                var serveDefaults: [String: Default]
            }
            var defaults: [String: Listing.Default] = [:]
            if let limit = limiter.defaultKey { defaults["key"] = .init(requests: limit.requests, windowSeconds: limit.window) }
            if let limit = limiter.defaultPartner { defaults["partner"] = .init(requests: limit.requests, windowSeconds: limit.window) }
            return try Response.json(Listing(policies: try await store.rateLimitPolicies(), serveDefaults: defaults))
        }
        router.put("/v1/rate-limits/:subject") { request, context in
            _ = try context.require(.admin)
            let subject = try Self.subject(context)
            let body = try await JSONBody<Body>.read(request, schema: .object(["requests": .scalar, "windowSeconds": .scalar]))
            let before = try await store.rateLimitPolicies().first { $0.subject == subject }
            let policy = try await RateLimitPolicies.put(
                in: store,
                subject: subject,
                requests: body.value.requests,
                windowSeconds: body.value.windowSeconds
            )
            if AuditContext.current != nil {
                AuditContext.note(changes: try FieldChange.diff(before: before.map(Body.init), after: Body(policy)))
            }
            return try Response.json(policy)
        }
        router.delete("/v1/rate-limits/:subject") { _, context in
            _ = try context.require(.admin)
            let subject = try Self.subject(context)
            guard try await store.removeRateLimitPolicy(subject: subject) else { throw notFound("rate-limit policy", subject) }
            return Response(status: .noContent)
        }
    }

    /// The request body of `PUT`, and the audited view of a policy.
    struct Body: Codable {
        var requests: Int
        var windowSeconds: Int

        init(_ policy: RateLimitPolicy) {
            requests = policy.requests
            windowSeconds = policy.windowSeconds
        }
    }

    /// The `{subject}` path parameter, checked.
    static func subject(_ context: CrossdockContext) throws -> String {
        let subject = context.parameters.get("subject") ?? ""
        if let reason = RateLimitPolicies.subjectProblem(subject) { throw Problem.invalidPath("subject", reason) }
        return subject
    }
}

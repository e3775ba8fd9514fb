import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/console`: the operations console, server-rendered HTML written by the hub (no script, nothing fetched from
/// elsewhere). Pages: the overview (KPIs with charts), search, an order's trace, dead letters and the open exception
/// queue. They show what the JSON API answers (``InsightRoutes``, `/v1/deliveries`, `/v1/exceptions`) with the same
/// scopes and partner isolation.
///
/// Signing in: the operator enters an API key once; the hub checks it and keeps it in a cookie (`crossdock_console`,
/// HttpOnly, SameSite=Strict, Path=/console, 8 hours, Secure when the hub serves TLS). Every page checks the key again
/// (as `/v1` does, so a revoked or rotated key is refused within a second). Sign-in and sign-out are POSTs refused
/// from another site (`Origin`, `Sec-Fetch-Site`); the console has no other state-changing form. See docs/console.md.
struct ConsoleRoutes {
    let store: any Store
    /// Whether the hub serves HTTPS: the cookie is then `Secure`.
    let secureCookie: Bool
    let keys = KeyCache()

    /// The session cookie's name.
    static let cookieName = "crossdock_console"
    /// How long a sign-in lasts.
    static let sessionSeconds = 8 * 3600

    func add(to router: RouteTable) {
        router.get("/console/sign-in") { _, _ in
            ConsoleHTML.response(ConsolePages.signIn(message: nil))
        }
        router.post("/console/sign-in") { request, _ in
            try Self.requireSameSite(request)
            let form = try await Self.form(request)
            guard let token = form["key"], let key = try await authenticate(token) else {
                return ConsoleHTML.response(ConsolePages.signIn(message: "That key is unknown, revoked or expired."), status: .unauthorized)
            }
            guard APIKeys.grants(key, .ordersRead) else {
                return ConsoleHTML.response(ConsolePages.signIn(message: "That key lacks the scope orders:read."), status: .forbidden)
            }
            return ConsoleHTML.redirect("/console", headers: [.setCookie: cookie(token, maxAge: Self.sessionSeconds)])
        }
        router.post("/console/sign-out") { request, _ in
            try Self.requireSameSite(request)
            return ConsoleHTML.redirect("/console/sign-in", headers: [.setCookie: cookie("", maxAge: 0)])
        }
        router.get("/console") { request, context in
            try await page(request, context, .overview) { context in
                try context.requireHubWide("the overview")
                let window = try InsightRoutes.window(
                    from: try optionalTime(request, "from"),
                    to: try optionalTime(request, "to"),
                    bucket: request.uri.queryParameters.get("bucket").map { String($0) }
                )
                let report = try await KPIReport.compute(store: store, from: window.from, to: window.to, bucketSeconds: window.bucket)
                return ConsolePages.overview(report, signedInAs: context.principal?.name ?? "")
            }
        }
        router.get("/console/search") { request, context in
            try await page(request, context, .search) { context in
                let raw = request.uri.queryParameters.get("q").map { String($0) }
                guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else {
                    return ConsolePages.search(nil, hits: [], signedInAs: context.principal?.name ?? "")
                }
                let key = try InsightRoutes.searchKey(raw)
                let hits = try await KeySearch(store: store).run(key, partner: context.boundPartner)
                return ConsolePages.search(key, hits: hits, signedInAs: context.principal?.name ?? "")
            }
        }
        router.get("/console/orders/:id") { request, context in
            try await page(request, context, .search) { context in
                let id = try pathParameter(context, "id")
                let order = try await context.visibleOrder(id, in: store)
                let trace = try await OrderTrace.build(order, partner: context.boundPartner, store: store)
                return ConsolePages.trace(trace, signedInAs: context.principal?.name ?? "")
            }
        }
        router.get("/console/deliveries") { request, context in
            try await page(request, context, .deliveries) { context in
                _ = try context.require(.eventsRead)
                var query = DeliveryQuery(status: .dead, partner: context.boundPartner, limit: 500)
                let subscription = request.uri.queryParameters.get("subscription").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
                query.subscriptionID = subscription
                let dead = try await store.deliveryDetails(query)
                return ConsolePages.deliveries(dead, subscription: subscription, signedInAs: context.principal?.name ?? "")
            }
        }
        router.get("/console/exceptions") { request, context in
            try await page(request, context, .exceptions) { context in
                try context.requireHubWide("the exception queue")
                let open = try await store.operationsExceptions(status: .open, orderID: nil, limit: 1000)
                return ConsolePages.exceptions(open, signedInAs: context.principal?.name ?? "")
            }
        }
    }

    /// Runs `render` for a signed-in caller (its key as the context's principal, `orders:read` required), or sends the
    /// browser to the sign-in page; a refusal (404, 403, bad input) is a page with the problem's status.
    private func page(
        _ request: Request,
        _ context: CrossdockContext,
        _ section: ConsoleHTML.Section,
        render: (CrossdockContext) async throws -> String
    ) async throws -> Response {
        guard let token = Self.sessionToken(request), let key = try await authenticate(token) else {
            return ConsoleHTML.redirect("/console/sign-in")
        }
        var context = context
        context.principal = key
        do {
            _ = try context.require(.ordersRead)
            return ConsoleHTML.response(try await render(context))
        } catch let problem as Problem {
            return ConsoleHTML.response(
                ConsolePages.refusal(problem.title, problem.detail, section: section, signedInAs: key.name),
                status: problem.status
            )
        }
    }

    /// The key `token` names when it is valid now; nil when unknown, revoked or expired.
    private func authenticate(_ token: String) async throws -> APIKeyRecord? {
        guard !token.isEmpty, token.utf8.count <= 256 else { return nil }
        let now = Date()
        var key = keys.get(token, now: now)
        if key == nil {
            key = try await store.key(hash: APIKeys.hash(token))
            if let found = key { keys.put(found, token: token, now: now) }
        }
        guard let key, key.refusal(at: now) == nil else { return nil }
        return key
    }

    /// The `Set-Cookie` value of the session cookie holding `token`.
    private func cookie(_ token: String, maxAge: Int) -> String {
        "\(Self.cookieName)=\(token); Path=/console; Max-Age=\(maxAge); HttpOnly; SameSite=Strict\(secureCookie ? "; Secure" : "")"
    }

    /// The session cookie's value, if the request carries one.
    static func sessionToken(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == cookieName, !parts[1].isEmpty { return String(parts[1]) }
            }
        }
        return nil
    }

    /// Refuses a form post from another site: a browser says where a request comes from in `Sec-Fetch-Site` and
    /// `Origin`; either, when present, must name this hub.
    static func requireSameSite(_ request: Request) throws(Problem) {
        let refusal = Problem(
            status: .forbidden,
            code: "cross_site_request",
            title: "A console form was posted from another site",
            detail: "the console accepts its forms from its own pages only"
        )
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" { throw refusal }
        if let origin = request.headers[.origin] {
            guard let authority = request.head.authority, origin == "http://\(authority)" || origin == "https://\(authority)" else { throw refusal }
        }
    }

    /// An `application/x-www-form-urlencoded` body (8 KiB at most).
    static func form(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 8192)
        var fields: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }
}

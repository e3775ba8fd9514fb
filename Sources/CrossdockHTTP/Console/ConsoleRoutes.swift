import CrossdockConnectors
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
/// scopes and partner isolation; their actions (cancel, release a hold, replay, resolve) are forms that the
/// key's write scopes unlock (``ConsoleRoutes/addActions(to:)``).
///
/// Signing in (``ConsoleRoutes/addSessionRoutes(to:)``): the operator enters an API key once; the hub checks it and
/// starts a session stored on every node, whose random token is the cookie (`crossdock_console`, HttpOnly,
/// SameSite=Strict, Path=/console, 8 hours, Secure when the hub serves TLS). Every page checks the session and its key
/// again, so a revoked or rotated key ends it. Every form that changes something carries the session's CSRF token and
/// is refused from another site. See docs/console.md.
struct ConsoleRoutes {
    let store: any Store
    let service: OrderService
    /// This node's view of the delivery endpoints (circuit breakers).
    let health: DeliveryHealth
    /// Whether the hub serves HTTPS: the cookie is then `Secure`.
    let secureCookie: Bool
    /// The mappings a subscription may name.
    let mappings: MappingCatalog

    func add(to router: RouteTable) {
        addSessionRoutes(to: router)
        addPages(to: router)
        addOperationsPages(to: router)
        addActions(to: router)
        addAlertRouteActions(to: router)
        addMasterData(to: router)
    }

    private func addPages(to router: RouteTable) {
        router.get("/console") { request, context in
            try await page(request, context, .overview) { context, viewer in
                try context.requireHubWide("the overview")
                let window = try InsightRoutes.window(
                    from: try optionalTime(request, "from"),
                    to: try optionalTime(request, "to"),
                    bucket: request.uri.queryParameters.get("bucket").map { String($0) }
                )
                let report = try await KPIReport.compute(store: store, from: window.from, to: window.to, bucketSeconds: window.bucket)
                return ConsolePages.overview(report, viewer: viewer)
            }
        }
        router.get("/console/search") { request, context in
            try await page(request, context, .search) { context, viewer in
                let raw = request.uri.queryParameters.get("q").map { String($0) }
                guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else {
                    return ConsolePages.search(nil, hits: [], viewer: viewer)
                }
                let key = try InsightRoutes.searchKey(raw)
                let hits = try await KeySearch(store: store).run(key, partner: context.boundPartner)
                return ConsolePages.search(key, hits: hits, viewer: viewer)
            }
        }
        router.get("/console/orders/:id") { request, context in
            try await page(request, context, .search) { context, viewer in
                let id = try pathParameter(context, "id")
                let order = try await context.visibleOrder(id, in: store)
                let trace = try await OrderTrace.build(order, partner: context.boundPartner, store: store)
                return ConsolePages.trace(trace, notice: Self.notice(request), viewer: viewer)
            }
        }
        router.get("/console/deliveries") { request, context in
            try await page(request, context, .deliveries) { context, viewer in
                _ = try context.require(.eventsRead)
                var query = DeliveryQuery(status: .dead, partner: context.boundPartner, limit: 500)
                let subscription = request.uri.queryParameters.get("subscription").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
                query.subscriptionID = subscription
                let dead = try await store.deliveryDetails(query)
                return ConsolePages.deliveries(dead, subscription: subscription, notice: Self.notice(request), viewer: viewer)
            }
        }
        router.get("/console/exceptions") { request, context in
            try await page(request, context, .exceptions) { context, viewer in
                try context.requireHubWide("the exception queue")
                let open = try await store.operationsExceptions(status: .open, orderID: nil, limit: 1000)
                return ConsolePages.exceptions(open, notice: Self.notice(request), viewer: viewer)
            }
        }
    }

    /// Runs `render` for a signed-in caller (its key as the context's principal, `orders:read` required), or sends the
    /// browser to the sign-in page; a refusal (404, 403, bad input) is a page with the problem's status.
    func page(
        _ request: Request,
        _ context: CrossdockContext,
        _ section: ConsoleHTML.Section,
        render: (CrossdockContext, ConsoleViewer) async throws -> String
    ) async throws -> Response {
        guard let signedIn = try await signedIn(request) else { return ConsoleHTML.redirect("/console/sign-in") }
        var context = context
        context.principal = signedIn.key
        let viewer = ConsoleViewer(session: signedIn.session, key: signedIn.key)
        do {
            _ = try context.require(.ordersRead)
            return ConsoleHTML.response(try await render(context, viewer))
        } catch {
            guard let problem = Self.problem(error) else { throw error }
            return ConsoleHTML.response(ConsolePages.refusal(problem.title, problem.detail, section: section, viewer: viewer), status: problem.status)
        }
    }

    /// The message of a finished action, named by the `done` query parameter of the page it returned to (fixed texts,
    /// so a link cannot make the console say something else).
    static func notice(_ request: Request) -> String? {
        switch request.uri.queryParameters.get("done").map({ String($0) }) {
        case "cancel": "Cancelled: open units at once, released units when their warehouse confirms."
        case "release-hold": "The hold was released; the order was validated again."
        case "replay": "The deliveries were queued again."
        case "resolve": "The exception was resolved."
        case "assign": "The exception was assigned."
        case "comment": "The comment was recorded."
        case "pause": "The subscription is paused: its events queue until it is resumed."
        case "resume": "The subscription is active again; its queue drains in order."
        case "resubmit": "The record was applied; its quarantine entry is resolved."
        case "discard": "The record was discarded."
        default: nil
        }
    }
}

/// Who is looking at a console page, and what its forms need.
struct ConsoleViewer: Sendable {
    /// The key's name.
    var name: String
    /// The session's CSRF token, carried by every form that changes something.
    var csrfToken: String
    /// Whether the key may cancel orders, release holds and resolve exceptions (`orders:write`).
    var mayChangeOrders: Bool
    /// Whether the key may replay deliveries (`subscriptions:write`).
    var mayReplay: Bool
    /// Whether the key may create alert routes: `subscriptions:write` and bound to no partner.
    var mayRouteAlerts: Bool
    /// Whether the key may resubmit or discard quarantined master data: `master:write` and bound to no partner.
    var mayWriteMasterData: Bool

    init(session: ConsoleSession, key: APIKeyRecord) {
        name = key.name
        csrfToken = session.csrfToken
        mayChangeOrders = APIKeys.grants(key, .ordersWrite)
        mayReplay = APIKeys.grants(key, .subscriptionsWrite)
        mayRouteAlerts = mayReplay && key.partner == nil
        mayWriteMasterData = APIKeys.grants(key, .masterWrite) && key.partner == nil
    }
}

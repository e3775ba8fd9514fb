import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import HTTPTypes
import Hummingbird

/// The console's actions: forms posted from its pages, each with the session's CSRF token, refused from another site
/// and without the write scope the same `/v1` route needs, recorded in the audit log like the API's writes. Each
/// does what its `/v1` route does, then sends the browser back to the page with a notice (or shows why not).
extension ConsoleRoutes {
    func addActions(to router: RouteTable) {
        router.post("/console/orders/:id/cancel") { request, context in
            try await action(request, context, .search, scope: .ordersWrite, route: "/console/orders/{id}/cancel") { context, form, _ in
                let id = try pathParameter(context, "id")
                _ = try await context.visibleOrder(id, in: store)
                let reason = form["reason"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : String($0.prefix(500)) }
                try Self.check(try await service.cancel(orderID: id, lines: nil, reason: reason ?? "cancelled in the console", idempotency: nil))
                return ConsoleHTML.redirect("/console/orders/\(ConsoleHTML.component(id))?done=cancel")
            }
        }
        router.post("/console/orders/:id/release-hold") { request, context in
            try await action(request, context, .search, scope: .ordersWrite, route: "/console/orders/{id}/release-hold") { context, _, viewer in
                let id = try pathParameter(context, "id")
                _ = try await context.visibleOrder(id, in: store)
                try Self.check(try await service.releaseHold(orderID: id, actor: viewer.name, idempotency: nil))
                return ConsoleHTML.redirect("/console/orders/\(ConsoleHTML.component(id))?done=release-hold")
            }
        }
        router.post("/console/orders/:id/replay") { request, context in
            try await action(request, context, .search, scope: .subscriptionsWrite, route: "/console/orders/{id}/replay") { context, form, viewer in
                let id = try pathParameter(context, "id")
                _ = try await context.visibleOrder(id, in: store)
                let confirm = form["confirm"] == "1"
                guard let plan = try await store.replay(.order(id), confirm: confirm, now: Date(), partner: context.boundPartner) else {
                    throw notFound("order", id)
                }
                guard confirm else { return ConsoleHTML.response(ConsolePages.replayPlan(plan, orderID: id, viewer: viewer)) }
                return ConsoleHTML.redirect("/console/orders/\(ConsoleHTML.component(id))?done=replay")
            }
        }
        router.post("/console/deliveries/:id/replay") { request, context in
            try await action(request, context, .deliveries, scope: .subscriptionsWrite, route: "/console/deliveries/{id}/replay") { context, _, _ in
                _ = try await DeliveryRoutes.replayOne(try pathParameter(context, "id"), store: store, context)
                return ConsoleHTML.redirect("/console/deliveries?done=replay")
            }
        }
        router.post("/console/exceptions/:id/resolve") { request, context in
            try await action(request, context, .exceptions, scope: .ordersWrite, route: "/console/exceptions/{id}/resolve") { context, form, _ in
                let id = try pathParameter(context, "id")
                guard let exception = try await store.operationsException(id), try await context.canSee(orderID: exception.orderID, in: store) else {
                    throw notFound("exception", id)
                }
                let choices = OperationsException.Resolution.allCases.filter { $0 != .automatic }
                guard let resolution = form["resolution"].flatMap(OperationsException.Resolution.init(rawValue:)), choices.contains(resolution) else {
                    let reason = "must be one of \(choices.map(\.rawValue).joined(separator: ", "))"
                    throw Problem(
                        status: .badRequest,
                        code: "invalid_form",
                        title: "Invalid form field",
                        detail: "resolution \(reason)",
                        errors: [.init(field: "resolution", reason: reason)]
                    )
                }
                let note = form["note"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : String($0.prefix(500)) }
                let key = try context.require(.ordersWrite)
                let actor = OperationsException.Actor(keyId: key.id, name: key.name)
                try Self.check(try await service.resolveException(id: id, resolution: resolution, note: note, actor: actor, idempotency: nil))
                return ConsoleHTML.redirect("/console/exceptions?done=resolve")
            }
        }
        router.post("/console/exceptions/:id/assign") { request, context in
            try await action(request, context, .exceptions, scope: .ordersWrite, route: "/console/exceptions/{id}/assign") { context, form, _ in
                let (id, actor) = try await exceptionActor(context)
                try Self.check(try await service.assignException(id: id, assignee: form["assignee"] ?? "", actor: actor, idempotency: nil))
                return ConsoleHTML.redirect("/console/exceptions?done=assign")
            }
        }
        router.post("/console/exceptions/:id/comments") { request, context in
            try await action(request, context, .exceptions, scope: .ordersWrite, route: "/console/exceptions/{id}/comments") { context, form, _ in
                let (id, actor) = try await exceptionActor(context)
                try Self.check(try await service.commentException(id: id, text: form["text"] ?? "", actor: actor, idempotency: nil))
                return ConsoleHTML.redirect("/console/exceptions?done=comment")
            }
        }
    }

    /// The exception of a console action (404 unless the key may see it) and the key acting on it.
    private func exceptionActor(_ context: CrossdockContext) async throws -> (String, OperationsException.Actor) {
        let id = try pathParameter(context, "id")
        guard let exception = try await store.operationsException(id), try await context.canSee(orderID: exception.orderID, in: store) else {
            throw notFound("exception", id)
        }
        let key = try context.require(.ordersWrite)
        return (id, OperationsException.Actor(keyId: key.id, name: key.name))
    }

    /// Runs `perform` for a signed-in caller whose form carries the session's CSRF token, comes from the hub's own
    /// pages and whose key holds `scope`; records it in the audit log under `route`. A refusal is a page with the
    /// problem's status; without a session, the browser goes to the sign-in page and nothing is done.
    func action(
        _ request: Request,
        _ context: CrossdockContext,
        _ section: ConsoleHTML.Section,
        scope: Scope,
        route: String,
        perform: @escaping (CrossdockContext, [String: String], ConsoleViewer) async throws -> Response
    ) async throws -> Response {
        guard let signedIn = try await signedIn(request) else { return ConsoleHTML.redirect("/console/sign-in") }
        var context = context
        context.principal = signedIn.key
        let viewer = ConsoleViewer(session: signedIn.session, key: signedIn.key)
        do {
            try Self.requireSameSite(request)
            let form = try await Self.form(request)
            try Self.requireCSRF(form, signedIn.session)
            _ = try context.require(scope)
            let acting = context
            return try await AuditMiddleware.record(store: store, key: signedIn.key, request, acting, route: { route }) {
                try await perform(acting, form, viewer)
            }
        } catch {
            guard let problem = Self.problem(error) else { throw error }
            return ConsoleHTML.response(ConsolePages.refusal(problem.title, problem.detail, section: section, viewer: viewer), status: problem.status)
        }
    }

    /// The problem a page shows for `error`: a problem as it is, an engine refusal as the API would answer it; nil for
    /// anything else (which the problem middleware answers as a 500).
    static func problem(_ error: any Error) -> Problem? {
        switch error {
        case let problem as Problem: problem
        case let refusal as EngineError: Problem(refusal)
        default: nil
        }
    }

    /// Throws the problem a refused command answered (its problem+json body's title and detail).
    static func check(_ reply: Reply) throws(Problem) {
        guard reply.status >= 400 else { return }
        let body = (try? JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any] ?? [:]
        throw Problem(
            status: HTTPResponse.Status(code: reply.status),
            code: body["code"] as? String ?? "refused",
            title: body["title"] as? String ?? "The command was refused",
            detail: body["detail"] as? String ?? ""
        )
    }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// Operations exceptions: the queue, one exception with its activity, and the workflow (assign, comment, resolve).
/// Every action is recorded on the exception with the API key that did it.
struct ExceptionRoutes {
    let store: any Store
    let service: OrderService

    func add(to router: RouteTable) {
        router.get("/v1/exceptions") { request, context in
            _ = try context.require(.ordersRead)
            var status: OperationsException.Status?
            if let raw = request.uri.queryParameters.get("status") {
                guard let parsed = OperationsException.Status(rawValue: String(raw)) else {
                    throw Problem.invalidQuery("status", "must be one of open, resolved")
                }
                status = parsed
            }
            let order = request.uri.queryParameters.get("order").map { String($0) }
            if let order { _ = try await context.visibleOrder(order, in: store) } else { try context.requireHubWide("the exception queue") }
            let limit = try queryInt(request, "limit", default: 100, range: 1...1000)
            return try Response.json(Items(items: try await store.operationsExceptions(status: status, orderID: order, limit: limit)))
        }
        router.get("/v1/exceptions/:id") { _, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id")
            guard let exception = try await store.operationsException(id), try await context.canSee(orderID: exception.orderID, in: store) else {
                throw notFound("exception", id)
            }
            return try Response.json(exception)
        }
        router.post("/v1/exceptions/:id/assign") { request, context in
            let (id, actor) = try await authorize(context)
            let body = try await JSONBody<AssignBody>.read(request, schema: RequestSchemas.assign)
            let idempotency = try request.idempotency(context, body: body.bytes)
            return Response.reply(try await service.assignException(id: id, assignee: body.value.assignee, actor: actor, idempotency: idempotency))
        }
        router.post("/v1/exceptions/:id/comments") { request, context in
            let (id, actor) = try await authorize(context)
            let body = try await JSONBody<CommentBody>.read(request, schema: RequestSchemas.comment)
            let idempotency = try request.idempotency(context, body: body.bytes)
            return Response.reply(try await service.commentException(id: id, text: body.value.text, actor: actor, idempotency: idempotency))
        }
        router.post("/v1/exceptions/:id/resolve") { request, context in
            let (id, actor) = try await authorize(context)
            let body = try await JSONBody<ResolveBody>.read(request, schema: RequestSchemas.resolve)
            let idempotency = try request.idempotency(context, body: body.bytes)
            return Response.reply(
                try await service.resolveException(
                    id: id,
                    resolution: body.value.resolution,
                    note: body.value.note,
                    substituteSKU: body.value.substituteSku,
                    actor: actor,
                    idempotency: idempotency
                )
            )
        }
    }

    /// The exception id of a write, after the write scope and (for a partner-bound key) visibility are checked, and
    /// the actor the activity records: the API key's id and name.
    private func authorize(_ context: CrossdockContext) async throws -> (String, OperationsException.Actor) {
        let key = try context.require(.ordersWrite)
        let id = try pathParameter(context, "id")
        if context.boundPartner != nil {
            guard let exception = try await store.operationsException(id), try await context.canSee(orderID: exception.orderID, in: store) else {
                throw notFound("exception", id)
            }
        }
        return (id, OperationsException.Actor(keyId: key.id, name: key.name))
    }
}

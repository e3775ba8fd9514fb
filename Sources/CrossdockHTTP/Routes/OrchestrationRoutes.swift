import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// Order exceptions (cancel, hold release), carrier tracking, returns, invoices, credit memos, reconciliation
/// (operations exceptions are in ``ExceptionRoutes``).
struct OrchestrationRoutes {
    let store: any Store
    let service: OrderService

    func add(to router: RouteTable) {
        router.post("/v1/orders/:id/cancel") { request, context in
            _ = try context.require(.ordersWrite)
            let id = try pathParameter(context, "id")
            _ = try await context.visibleOrder(id, in: store)
            let body = try await JSONBody<CancelBody>.read(request, schema: RequestSchemas.cancel)
            let idempotency = try request.idempotency(context, body: body.bytes)
            return Response.reply(try await service.cancel(orderID: id, lines: body.value.lines, reason: body.value.reason, idempotency: idempotency))
        }
        router.post("/v1/orders/:id/release-hold") { request, context in
            _ = try context.require(.ordersWrite)
            let id = try pathParameter(context, "id")
            _ = try await context.visibleOrder(id, in: store)
            let body = try await JSONBody<ReleaseHoldBody>.read(request, schema: RequestSchemas.releaseHold)
            let idempotency = try request.idempotency(context, body: body.bytes)
            return Response.reply(try await service.releaseHold(orderID: id, actor: body.value.actor, idempotency: idempotency))
        }
        router.post("/v1/shipments/:id/tracking") { request, context in
            _ = try context.require(.fulfillmentWrite)
            let id = try pathParameter(context, "id")
            let body = try await JSONBody<TrackingMilestone>.read(request, schema: RequestSchemas.milestone)
            let idempotency = try request.idempotency(context, body: body.bytes)
            return Response.reply(try await service.recordTracking(shipmentID: id, milestone: body.value, idempotency: idempotency))
        }
        router.post("/v1/returns") { request, context in
            _ = try context.require(.ordersWrite)
            let body = try await JSONBody<ReturnBody>.read(request, schema: RequestSchemas.returnRequest)
            _ = try await context.visibleOrder(body.value.orderId, in: store)
            let idempotency = try request.idempotency(context, body: body.bytes)
            let lines = body.value.lines.map { (lineNo: $0.lineNo, quantity: $0.quantity, reason: $0.reason ?? "unspecified") }
            return Response.reply(
                try await service.authorizeReturn(
                    orderID: body.value.orderId,
                    lines: lines,
                    warehouseID: body.value.warehouseId,
                    idempotency: idempotency
                )
            )
        }
        router.get("/v1/returns/:id") { _, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id")
            guard let rma = try await store.returnAuthorization(id), try await context.canSee(orderID: rma.orderID, in: store) else {
                throw notFound("return", id)
            }
            return try Response.json(rma)
        }
        router.post("/v1/returns/:id/receipts") { request, context in
            _ = try context.require(.ordersWrite)
            let id = try pathParameter(context, "id")
            if context.boundPartner != nil {
                guard let rma = try await store.returnAuthorization(id), try await context.canSee(orderID: rma.orderID, in: store) else {
                    throw notFound("return", id)
                }
            }
            let body = try await JSONBody<ReturnReceiptBody>.read(request, schema: RequestSchemas.returnReceipt)
            let idempotency = try request.idempotency(context, body: body.bytes)
            let lines = body.value.lines.map { (lineNo: $0.lineNo, quantity: $0.quantity, condition: $0.condition) }
            return Response.reply(try await service.receiveReturn(returnID: id, lines: lines, idempotency: idempotency))
        }
        router.get("/v1/orders/:id/returns") { _, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id")
            _ = try await context.visibleOrder(id, in: store)
            return try Response.json(Items(items: try await store.returns(orderID: id)))
        }
        router.get("/v1/invoices") { request, context in
            _ = try context.require(.ordersRead)
            let order = try requiredQuery(request, "order")
            guard try await context.canSee(orderID: order, in: store) else { throw notFound("order", order) }
            return try Response.json(Items(items: try await store.invoices(orderID: order)))
        }
        router.get("/v1/credit-memos") { request, context in
            _ = try context.require(.ordersRead)
            let order = try requiredQuery(request, "order")
            guard try await context.canSee(orderID: order, in: store) else { throw notFound("order", order) }
            return try Response.json(Items(items: try await store.creditMemos(orderID: order)))
        }
        router.get("/v1/reconciliation") { request, context in
            _ = try context.require(.ordersRead)
            try context.requireHubWide("the reconciliation ledger")
            let from = try optionalTime(request, "from")
            let to = try optionalTime(request, "to")
            let summary = try await ReconciliationReport(store: store).summary(from: from, to: to)
            struct Body: Encodable {
                var orders: Int
                var closedOrders: Int
                var openOrders: Int
                var totals: Reconciliation.OrderFacts
                var currencies: [String: Reconciliation.Amounts]
                var entities: [Reconciliation.EntitySummary]
                var mismatches: [Reconciliation.Mismatch]
                var line: String
            }
            return try Response.json(
                Body(
                    orders: summary.orders,
                    closedOrders: summary.closedOrders,
                    openOrders: summary.openOrders,
                    totals: summary.totals,
                    currencies: summary.currencies,
                    entities: summary.entities,
                    mismatches: summary.mismatches,
                    line: summary.line
                )
            )
        }
    }
}

/// A list response.
struct Items<Item: Encodable>: Encodable {
    var items: [Item]
}

/// A required query parameter, or a problem naming it.
func requiredQuery(_ request: Request, _ name: String) throws -> String {
    guard let value = request.uri.queryParameters.get(name), !value.isEmpty else { throw Problem.invalidQuery(name, "is required") }
    return String(value)
}

/// An optional RFC 3339 time query parameter.
func optionalTime(_ request: Request, _ name: String) throws -> Date? {
    guard let raw = request.uri.queryParameters.get(name) else { return nil }
    guard let date = JSONCoding.parse(String(raw)) else { throw Problem.invalidQuery(name, "must be an RFC 3339 time, e.g. 2026-11-27T00:00:00Z") }
    return date
}

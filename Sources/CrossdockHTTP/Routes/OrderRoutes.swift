import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// Orders, fulfilment feedback and shipments.
struct OrderRoutes {
    let store: any Store
    let service: OrderService
    /// The delivery backlog: intake pushes back while it is over its bound.
    let health: DeliveryHealth
    /// Writes waiting for the disk above which intake answers 503.
    let maxPendingWrites: Int

    func add(to router: RouteTable) {
        router.post("/v1/orders") { request, context in
            _ = try context.require(.ordersWrite)
            try health.admitIntake(pendingWrites: store.pendingWrites, maxPendingWrites: maxPendingWrites)
            let body = try await JSONBody<OrderRequest>.read(request, schema: RequestSchemas.order)
            let order = try Self.owned(body.value, by: context.boundPartner)
            return Response.reply(try await service.submit(order, idempotency: try request.idempotency(context, body: body.bytes)))
        }
        router.get("/v1/orders") { request, context in
            _ = try context.require(.ordersRead)
            var query = OrderQuery(limit: try queryInt(request, "limit", default: 50, range: 1...500))
            if let status = request.uri.queryParameters.get("status") {
                guard let parsed = OrderStatus(rawValue: status) else {
                    throw Problem.invalidQuery("status", "must be one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                query.status = parsed
            }
            query.customerID = request.uri.queryParameters.get("customerId").map { String($0) }
            query.channel = request.uri.queryParameters.get("channel").map { String($0) }
            query.partner = context.boundPartner
            if request.uri.queryParameters.get("cursor") != nil {
                query.afterCursor = Int64(try queryInt(request, "cursor", default: 0, range: 0...Int.max))
            }
            let page = try await store.orders(query)
            struct Page: Encodable {
                var orders: [SalesOrder]
                var nextCursor: Int64?
            }
            return try Response.json(Page(orders: page.orders, nextCursor: page.next))
        }
        router.get("/v1/orders/:id") { _, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id")
            return try Response.json(try await context.visibleOrder(id, in: store))
        }
        router.get("/v1/orders/:id/shipments") { _, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id")
            _ = try await context.visibleOrder(id, in: store)
            return try Response.json(try await store.shipments(orderID: id))
        }
        router.get("/v1/orders/:id/fulfillments") { _, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id")
            _ = try await context.visibleOrder(id, in: store)
            return try Response.json(try await store.fulfillments(orderID: id))
        }
        router.get("/v1/fulfillments/:id") { _, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id")
            guard let fulfillment = try await store.fulfillment(id) else { throw notFound("fulfillment order", id) }
            try await context.requireAccess(to: fulfillment, kind: "fulfillment order", id: id, in: store)
            return try Response.json(fulfillment)
        }
        router.post("/v1/fulfillments/:id/events") { request, context in
            _ = try context.require(.fulfillmentWrite)
            let id = try pathParameter(context, "id")
            if context.boundPartner != nil, let fulfillment = try await store.fulfillment(id) {
                try await context.requireAccess(to: fulfillment, kind: "fulfillment order", id: id, in: store)
            }
            let body = try await JSONBody<FeedbackBody>.read(request, schema: RequestSchemas.feedback)
            let feedback = try Self.feedback(body.value)
            return Response.reply(
                try await service.applyFeedback(feedback, fulfillmentID: id, idempotency: try request.idempotency(context, body: body.bytes))
            )
        }
        router.get("/v1/shipments/:id") { _, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id")
            guard let shipment = try await store.shipment(id) else { throw notFound("shipment", id) }
            if context.boundPartner != nil {
                guard let fulfillment = try await store.fulfillment(shipment.fulfillmentOrderID) else { throw notFound("shipment", id) }
                try await context.requireAccess(to: fulfillment, kind: "shipment", id: id, in: store)
            }
            return try Response.json(shipment)
        }
    }

    /// The request as a key bound to `partner` may submit it: for its own channel only. The channel must be the
    /// partner's id, so (channel, external id) is unique per partner and one partner's ids never collide with (or reveal)
    /// another's; the order gets a channel reference naming the partner, so it belongs to it from its first event.
    static func owned(_ request: OrderRequest, by partner: String?) throws(Problem) -> OrderRequest {
        guard let partner else { return request }
        try throwIfAny(
            request.channel == partner
                ? []
                : [.init(field: "channel", reason: "this key is bound to partner '\(partner)': its orders come from channel '\(partner)'")]
        )
        var request = request
        request.channelRef = ChannelReference(partner: partner, orderId: request.externalID)
        return request
    }

    /// Maps the body to a domain report, checking the members each type needs.
    static func feedback(_ body: FeedbackBody) throws(Problem) -> FulfillmentFeedback {
        var errors: [IntakeError.FieldError] = []
        switch body.type {
        case .picked:
            errors.check(body.lines == nil, "lines", "is required for picked")
            errors.check(body.packages != nil, "packages", "only shipped takes packages")
            try throwIfAny(errors)
            return .picked(body.lines!)
        case .shortPicked:
            errors.check(body.lines == nil, "lines", "is required for short_picked")
            errors.check(body.packages != nil, "packages", "only shipped takes packages")
            try throwIfAny(errors)
            return .shortPicked(body.lines!, reason: body.reason ?? "not found at pick")
        case .shipped:
            errors.check(body.packages == nil, "packages", "is required for shipped")
            errors.check(body.carrier?.isEmpty ?? true, "carrier", "is required for shipped")
            errors.check(body.lines != nil, "lines", "shipped takes packages[].contents, not lines")
            try throwIfAny(errors)
            return .shipped(carrier: body.carrier!, service: body.service, packages: body.packages!, shippedAt: body.shippedAt ?? Date())
        case .cancelAccepted, .cancelRefused:
            errors.check(body.lines != nil, "lines", "a cancellation answer covers the whole pending request")
            errors.check(body.packages != nil, "packages", "only shipped takes packages")
            try throwIfAny(errors)
            return body.type == .cancelAccepted ? .cancelAccepted : .cancelRefused(reason: body.reason ?? "refused by the warehouse")
        }
    }
}

import CrossdockConnectors
import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// The event log and subscriptions (deliveries are in ``DeliveryRoutes``).
struct EventRoutes {
    let store: any Store
    /// The mappings a subscription may name.
    let mappings: MappingCatalog
    /// The hub's base URL, for the `dataschema` of each event.
    let publicURL: PublicURL

    func add(to router: RouteTable) {
        router.get("/v1/events") { request, context in
            _ = try context.require(.eventsRead)
            let after = try queryInt(request, "after", default: 0, range: 0...Int.max)
            let limit = try queryInt(request, "limit", default: 100, range: 1...1000)
            let base = publicURL.string
            var events: [CloudEvent]
            var nextAfter: Int64
            if let partner = context.boundPartner {
                // A partner's feed moves past other partners' events: `nextAfter` is the last position looked at.
                let scan = try await store.events(after: Int64(after), limit: limit, visibleTo: partner)
                (events, nextAfter) = (scan.events, scan.reached)
            } else {
                events = try await store.events(after: Int64(after), limit: limit)
                nextAfter = events.last.flatMap { Int64($0.sequence) } ?? Int64(after)
            }
            for index in events.indices {
                events[index].dataschema = EventCatalogue.schemaURL(events[index].type, baseURL: base)
            }
            struct Page: Encodable {
                var events: [CloudEvent]
                var nextAfter: Int64
            }
            return try Response.json(Page(events: events, nextAfter: nextAfter))
        }
        router.post("/v1/subscriptions") { request, context in
            _ = try context.require(.subscriptionsWrite)
            let body = try await JSONBody<SubscriptionBody>.read(request, schema: RequestSchemas.subscription).value
            let errors = SubscriptionRules.problems(
                url: body.url,
                eventTypes: body.eventTypes,
                secret: body.secret,
                settings: body.settings,
                partner: context.boundPartner,
                mappings: mappings
            )
            try throwIfAny(errors)
            let subscription = Subscription(
                id: IDs.make(),
                url: body.url,
                eventTypes: body.eventTypes,
                secret: body.secret ?? WebhookSigner.makeSecret(),
                createdAt: Date(),
                cursor: 0,
                settings: body.settings ?? .init(),
                partner: context.boundPartner
            )
            try await store.insertSubscription(subscription)
            struct Created: Encodable {
                var id: String
                var url: String
                var eventTypes: [String]
                var secret: String
                var createdAt: Date
                var settings: SubscriptionSettings
                var status: Subscription.Status
            }
            var response = try Response.json(
                Created(
                    id: subscription.id,
                    url: subscription.url,
                    eventTypes: subscription.eventTypes,
                    secret: subscription.secret,
                    createdAt: subscription.createdAt,
                    settings: subscription.settings,
                    status: subscription.status
                ),
                status: .created
            )
            response.headers[.location] = "/v1/subscriptions/\(subscription.id)"
            return response
        }
        router.get("/v1/subscriptions") { _, context in
            _ = try context.require(.subscriptionsWrite)
            return try Response.json(try await store.subscriptions().filter(context.canSee))
        }
        router.get("/v1/subscriptions/:id") { _, context in
            _ = try context.require(.subscriptionsWrite)
            let id = try pathParameter(context, "id")
            return try Response.json(try await context.visibleSubscription(id, in: store))
        }
        router.delete("/v1/subscriptions/:id") { _, context in
            _ = try context.require(.subscriptionsWrite)
            let id = try pathParameter(context, "id")
            _ = try await context.visibleSubscription(id, in: store)
            guard try await store.deleteSubscription(id) else { throw notFound("subscription", id) }
            return Response(status: .noContent)
        }
    }
}

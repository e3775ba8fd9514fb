import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// Deliveries, dead letters and replays. Reading needs `events:read`; replaying needs `subscriptions:write`.
///
/// A replay sets deliveries back to pending for a new round of retries and keeps the event (and so its id, the
/// `webhook-id`), so receivers that dedupe apply nothing twice. Bulk replays answer a dry-run plan unless the body
/// says `"confirm": true`.
struct DeliveryRoutes {
    let store: any Store

    func add(to router: RouteTable) {
        router.get("/v1/deliveries") { request, context in
            _ = try context.require(.eventsRead)
            var query = DeliveryQuery()
            if let text = request.uri.queryParameters.get("status") {
                guard let status = Delivery.Status(rawValue: String(text)) else {
                    throw Problem.invalidQuery("status", "must be pending, delivered or dead")
                }
                query.status = status
            }
            // `subscriptionId` names the filter after the member it filters; `subscription` is its deprecated alias
            // (see ``Deprecation/all``).
            let names = ["subscriptionId", "subscription"].filter { request.uri.queryParameters.get($0) != nil }
            if names.count > 1 { throw Problem.invalidQuery("subscription", "give subscriptionId (or its deprecated alias subscription), not both") }
            if let name = names.first, let subscription = request.uri.queryParameters.get(name) {
                guard !subscription.isEmpty else { throw Problem.invalidQuery(name, "must be a subscription id") }
                query.subscriptionID = String(subscription)
            }
            if request.uri.queryParameters.get("after") != nil {
                query.afterID = Int64(try queryInt(request, "after", default: 0, range: 0...Int.max))
            }
            query.limit = try queryInt(request, "limit", default: 100, range: 1...1000)
            query.partner = context.boundPartner
            return try Response.json(try await store.deliveryDetails(query))
        }
        router.get("/v1/deliveries/:id") { _, context in
            _ = try context.require(.eventsRead)
            let id = try pathParameter(context, "id")
            guard let number = Int64(id), let detail = try await store.deliveryDetail(id: number),
                try await canSee(subscriptionID: detail.delivery.subscriptionID, context)
            else { throw notFound("delivery", id) }
            return try Response.json(detail)
        }
        router.post("/v1/deliveries/replay") { request, context in
            _ = try context.require(.subscriptionsWrite)
            let body = try await JSONBody<BulkReplayBody>.read(request, schema: BulkReplayBody.schema).value
            var errors: [IntakeError.FieldError] = []
            var filter = DeliveryFilter()
            if let status = body.status {
                switch Delivery.Status(rawValue: status) {
                case .pending?: errors.check(true, "status", "pending deliveries are already queued; replay dead or delivered ones")
                case let parsed?: filter.status = parsed
                case nil: errors.check(true, "status", "must be dead or delivered")
                }
            }
            if let subscription = body.subscriptionId {
                if try await !canSee(subscriptionID: subscription, context) {
                    errors.check(true, "subscriptionId", "no subscription '\(subscription)'")
                }
                filter.subscriptionID = subscription
            }
            if let type = body.eventType {
                errors.check(!Self.isKnownType(type), "eventType", "unknown event type '\(type)'")
                filter.eventType = type
            }
            if let since = body.since {
                let parsed = JSONCoding.parse(since)
                errors.check(parsed == nil, "since", "must be an RFC 3339 time")
                filter.since = parsed
            }
            try throwIfAny(errors)
            return try await plan(.deliveries(filter), confirm: body.confirm ?? false, context)
        }
        router.post("/v1/deliveries/:id/replay") { request, context in
            _ = try context.require(.subscriptionsWrite)
            let id = try pathParameter(context, "id")
            if Self.hasBody(request) {
                _ = try await JSONBody<EmptyBody>.read(request, schema: .object([:]))
            }
            return try Response.json(try await Self.replayOne(id, store: store, context))
        }
        router.post("/v1/subscriptions/:id/replay") { request, context in
            _ = try context.require(.subscriptionsWrite)
            let id = try pathParameter(context, "id")
            let body = try await JSONBody<SubscriptionReplayBody>.read(request, schema: SubscriptionReplayBody.schema).value
            var errors: [IntakeError.FieldError] = []
            var point: ReplayPoint?
            switch (body.fromSequence, body.fromTime) {
            case (let sequence?, nil):
                errors.check(sequence < 0, "fromSequence", "must be 0 or more")
                point = .sequence(sequence)
            case (nil, let text?):
                let time = JSONCoding.parse(text)
                errors.check(time == nil, "fromTime", "must be an RFC 3339 time")
                point = time.map(ReplayPoint.time)
            case (nil, nil):
                errors.check(true, "fromSequence", "give fromSequence or fromTime")
                errors.check(true, "fromTime", "give fromSequence or fromTime")
            case (_?, _?):
                errors.check(true, "fromSequence", "give fromSequence or fromTime, not both")
                errors.check(true, "fromTime", "give fromSequence or fromTime, not both")
            }
            try throwIfAny(errors)
            guard let point else { throw notFound("subscription", id) }  // unreachable: the errors were thrown
            _ = try await context.visibleSubscription(id, in: store)
            return try await plan(.subscription(id, from: point), confirm: body.confirm ?? false, context, notFound: ("subscription", id))
        }
        router.post("/v1/orders/:id/replay") { request, context in
            _ = try context.require(.subscriptionsWrite)
            let id = try pathParameter(context, "id")
            _ = try await context.visibleOrder(id, in: store)
            var confirm = false
            if Self.hasBody(request) {
                confirm = try await JSONBody<ConfirmBody>.read(request, schema: .object(["confirm": .scalar])).value.confirm ?? false
            }
            return try await plan(.order(id), confirm: confirm, context, notFound: ("order", id))
        }
    }

    /// The replay plan (applied when `confirm`); a partner-bound key's names and touches only its own subscriptions.
    private func plan(
        _ selection: ReplaySelection,
        confirm: Bool,
        _ context: CrossdockContext,
        notFound missing: (String, String)? = nil
    ) async throws -> Response {
        guard let plan = try await store.replay(selection, confirm: confirm, now: Date(), partner: context.boundPartner) else {
            throw notFound(missing?.0 ?? "selection", missing?.1 ?? "")
        }
        return try Response.json(plan)
    }

    /// Replays delivery `id` (dead or delivered) to pending, for `POST /v1/deliveries/{id}/replay` and the console:
    /// 404 when it does not exist or belongs to a subscription the caller may not see, 409 when it is in flight.
    static func replayOne(_ id: String, store: any Store, _ context: CrossdockContext) async throws -> DeliveryDetail {
        guard let number = Int64(id), let detail = try await store.deliveryDetail(id: number),
            let subscription = try await store.subscription(detail.delivery.subscriptionID), context.canSee(subscription)
        else { throw notFound("delivery", id) }
        switch try await store.replayDelivery(id: number, now: Date()) {
        case .replayed(let detail):
            return detail
        case .notFound:
            throw notFound("delivery", id)
        case .notReplayable(let status):
            throw Problem(
                status: .conflict,
                code: "illegal_transition",
                title: "The request conflicts with the current state",
                detail: "delivery \(id) is \(status.rawValue); only dead or delivered deliveries can be replayed",
                extra: ["currentStatus": .string(status.rawValue), "action": .string("replay")]
            )
        }
    }

    /// Whether subscription `id` exists and the caller may see it.
    private func canSee(subscriptionID id: String, _ context: CrossdockContext) async throws -> Bool {
        try await store.subscription(id).map(context.canSee) ?? false
    }

    /// Whether the request carries a body (a `Content-Type`, or a non-zero `Content-Length`).
    private static func hasBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength] { return length != "0" }
        return request.headers[.contentType] != nil
    }

    /// A short event type name, a `prefix.*` pattern, `*`, or a CloudEvents type of the catalogue.
    static func isKnownType(_ type: String) -> Bool {
        let known = Set(EventType.catalogue.map(\.name))
        if type == "*" { return true }
        if type.hasSuffix(".*") { return known.contains { $0.hasPrefix(type.dropLast()) } }
        return known.contains(type) || EventType(qualifiedName: type).map { known.contains($0.name) } == true
    }
}

/// `POST /v1/deliveries/replay` body.
struct BulkReplayBody: Decodable {
    static let schema = FieldSchema.object([
        "status": .scalar, "subscriptionId": .scalar, "eventType": .scalar, "since": .scalar, "confirm": .scalar,
    ])
    var status: String?
    var subscriptionId: String?
    var eventType: String?
    var since: String?
    var confirm: Bool?
}

/// `POST /v1/subscriptions/{id}/replay` body.
struct SubscriptionReplayBody: Decodable {
    static let schema = FieldSchema.object(["fromSequence": .scalar, "fromTime": .scalar, "confirm": .scalar])
    var fromSequence: Int64?
    var fromTime: String?
    var confirm: Bool?
}

/// `POST /v1/orders/{id}/replay` body.
struct ConfirmBody: Decodable {
    var confirm: Bool?
}

/// A body with no members (`{}`).
struct EmptyBody: Decodable {}

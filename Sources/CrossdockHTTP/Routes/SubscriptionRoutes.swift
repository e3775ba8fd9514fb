import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// Pausing, resuming and rotating the secret of subscriptions.
struct SubscriptionRoutes {
    let store: any Store

    func add(to router: RouteTable) {
        router.post("/v1/subscriptions/:id/pause") { request, context in
            try await setStatus(request, context, .paused, reason: "paused by an operator")
        }
        router.post("/v1/subscriptions/:id/resume") { request, context in
            try await setStatus(request, context, .active, reason: nil)
        }
        router.post("/v1/subscriptions/:id/rotate-secret") { request, context in
            _ = try context.require(.subscriptionsWrite)
            let id = try pathParameter(context, "id")
            _ = try await context.visibleSubscription(id, in: store)
            let body = try await JSONBody<RotateSecretBody>.read(request, schema: RequestSchemas.rotateSecret).value
            var errors: [IntakeError.FieldError] = []
            if let secret = body.secret {
                errors.check(WebhookSigner.key(fromSecret: secret) == nil, "secret", "must be whsec_ + base64 of at least 16 bytes")
            }
            errors.check(!(0...2_592_000).contains(body.overlapSeconds ?? 0), "overlapSeconds", "must be 0…2592000 (30 days)")
            try throwIfAny(errors)
            let secret = body.secret ?? WebhookSigner.makeSecret()
            let until = Date().addingTimeInterval(Double(body.overlapSeconds ?? 86_400))
            guard try await store.rotateSubscriptionSecret(id, secret: secret, previousValidUntil: until) else { throw notFound("subscription", id) }
            struct Rotated: Encodable {
                var id: String
                var secret: String
                var previousSecretValidUntil: Date
            }
            return try Response.json(Rotated(id: id, secret: secret, previousSecretValidUntil: until))
        }
    }

    private func setStatus(_ request: Request, _ context: CrossdockContext, _ status: Subscription.Status, reason: String?) async throws -> Response {
        _ = try context.require(.subscriptionsWrite)
        let id = try pathParameter(context, "id")
        _ = try await context.visibleSubscription(id, in: store)
        guard try await store.setSubscriptionStatus(id, status: status, reason: reason) else { throw notFound("subscription", id) }
        guard let subscription = try await store.subscription(id) else { throw notFound("subscription", id) }
        return try Response.json(subscription)
    }
}

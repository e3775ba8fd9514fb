import CrossdockConnectors
import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// Changing, pausing, resuming and rotating the secret of subscriptions.
struct SubscriptionRoutes {
    let store: any Store
    /// The mappings a subscription may name.
    let mappings: MappingCatalog

    func add(to router: RouteTable) {
        router.patch("/v1/subscriptions/:id") { request, context in
            _ = try context.require(.subscriptionsWrite)
            let id = try pathParameter(context, "id")
            _ = try await context.visibleSubscription(id, in: store)
            let patch = try await JSONBody<JSONValue>.read(request, schema: RequestSchemas.subscriptionPatch).value
            let partner = context.boundPartner
            let mappings = mappings
            // Merged and checked under the row lock: two PATCHes at once both apply, neither overwrites the other.
            guard
                let changed = try await store.updateSubscription(
                    id,
                    { try SubscriptionPatch.apply(patch, to: $0, partner: partner, mappings: mappings) }
                )
            else { throw notFound("subscription", id) }
            return try Response.json(changed)
        }
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

/// `PATCH /v1/subscriptions/{id}`: a JSON merge patch (RFC 7396) of `url`, `eventTypes` and `settings`. A member
/// absent stays; under `settings`, a member set to null goes back to its default; the result must be a subscription
/// `POST /v1/subscriptions` would accept.
enum SubscriptionPatch {
    /// `subscription` with `patch` applied.
    /// - Throws: ``Problem`` 422 naming each field the result gets wrong.
    static func apply(_ patch: JSONValue, to subscription: Subscription, partner: String?, mappings: MappingCatalog) throws -> Subscription {
        guard case .object(let members) = patch else {
            throw invalidFields([.init(field: "body", reason: "must be an object (a JSON merge patch)")])
        }
        var errors: [IntakeError.FieldError] = []
        for name in ["url", "eventTypes"] where members[name] == .null {
            errors.check(true, name, "cannot be removed; send a new value")
        }
        if members["settings"] == .null { errors.check(true, "settings", "cannot be removed; set its members to null to restore defaults") }
        try throwIfAny(errors)
        let current = try JSONDecoder().decode(
            JSONValue.self,
            from: try JSONCoding.encoder().encode(
                Document(url: subscription.url, eventTypes: subscription.eventTypes, settings: subscription.settings)
            )
        )
        let merged = merge(current, patch)
        let document: Document
        do {
            document = try JSONCoding.decoder().decode(Document.self, from: try JSONEncoder().encode(merged))
        } catch let error as DecodingError {
            let (field, reason) = JSONBody<JSONValue>.field(of: error)
            throw invalidFields([.init(field: field, reason: reason)])
        }
        try throwIfAny(
            SubscriptionRules.problems(
                url: document.url,
                eventTypes: document.eventTypes,
                settings: document.settings,
                partner: partner,
                mappings: mappings
            )
        )
        var changed = subscription
        changed.url = document.url
        changed.eventTypes = document.eventTypes
        changed.settings = document.settings
        return changed
    }

    /// RFC 7396: members of `patch` replace those of `target`, objects merge member by member, null removes.
    static func merge(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var result: [String: JSONValue] = [:]
        if case .object(let members) = target { result = members }
        for (name, value) in changes {
            if value == .null {
                result[name] = nil
            } else {
                result[name] = merge(result[name] ?? .null, value)
            }
        }
        return .object(result)
    }

    /// The members a patch may change.
    private struct Document: Codable {
        var url: String
        var eventTypes: [String]
        var settings: SubscriptionSettings
    }
}

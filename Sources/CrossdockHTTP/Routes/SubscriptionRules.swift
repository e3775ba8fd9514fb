import CrossdockConnectors
import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation

/// What makes a subscription valid, the same when it is created (`POST /v1/subscriptions`) and when it is changed
/// (`PATCH /v1/subscriptions/{id}`).
enum SubscriptionRules {
    /// The problems of a subscription with these members, each naming its field.
    /// - Parameters:
    ///   - url: where it delivers.
    ///   - eventTypes: what it receives.
    ///   - secret: the signing secret given, if any.
    ///   - settings: its delivery settings.
    ///   - partner: the partner the caller's key is bound to, if any.
    ///   - mappings: the mappings it may name.
    static func problems(
        url: String,
        eventTypes: [String],
        secret: String? = nil,
        settings: SubscriptionSettings?,
        partner: String?,
        mappings: MappingCatalog
    ) -> [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        let parsed = URL(string: url)
        errors.check(parsed?.host == nil || !["http", "https"].contains(parsed?.scheme ?? ""), "url", "must be an absolute http(s) URL")
        errors.check(eventTypes.isEmpty, "eventTypes", "needs at least one type (or \"*\")")
        let known = Set(EventType.catalogue.map(\.name))
        for (index, type) in eventTypes.enumerated() where type != "*" && !type.hasSuffix(".*") {
            errors.check(!known.contains(type), "eventTypes[\(index)]", "unknown event type '\(type)'")
        }
        if let secret {
            errors.check(WebhookSigner.key(fromSecret: secret) == nil, "secret", "must be whsec_ + base64 of at least 16 bytes")
        }
        for (field, reason) in settings?.problems ?? [] { errors.check(true, "settings.\(field)", reason) }
        if settings?.alert != nil {
            // A route is hub-wide (operations exceptions are not a partner's events) and hears only its alerts.
            errors.check(partner != nil, "settings.alert", "alert routes are hub-wide: a partner's key cannot create one")
            for (index, type) in eventTypes.enumerated() where !type.hasPrefix(AlertData.typePrefix) {
                errors.check(true, "eventTypes[\(index)]", "an alert route receives alert.firing and alert.resolved only")
            }
        } else {
            for (index, type) in eventTypes.enumerated() where type.hasPrefix(AlertData.typePrefix) {
                errors.check(true, "eventTypes[\(index)]", "alerts go to alert routes only: add settings.alert (docs/alerts.md)")
            }
        }
        if let name = settings?.mapping {
            if let mapping = mappings[name] {
                for (index, type) in eventTypes.enumerated() where !mapping.handles(type) {
                    errors.check(
                        true,
                        "eventTypes[\(index)]",
                        "mapping \(name) does not render \(type) (it renders \(mapping.events.joined(separator: ", ")))"
                    )
                }
            } else {
                errors.check(true, "settings.mapping", "no mapping named '\(name)'; loaded: \(mappings.names.joined(separator: ", "))")
            }
        }
        return errors
    }
}

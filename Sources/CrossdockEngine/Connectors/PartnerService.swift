import CrossdockConnectors
import CrossdockDomain
import CrossdockEDI
import CrossdockStore
import Foundation

/// Creates, reads and deletes partner profiles. An X12 partner with an `endpoint` gets a subscription
/// (`partner-<id>`) to its own `edi.document_issued` events, rendered with the `x12-document` mapping, so its
/// documents travel with the dispatcher's retries, ordering, dead letters and replay.
public struct PartnerService: Sendable {
    /// A refused profile: each field and why.
    public struct Invalid: Error, Sendable {
        /// `(field, reason)` pairs.
        public var problems: [(field: String, reason: String)]
    }

    let store: any Store
    let now: @Sendable () -> Date

    /// Creates the service.
    public init(store: any Store, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.now = now
    }

    /// Validates and stores the profile `document` of `kind` under `id`.
    /// - Returns: the stored record.
    /// - Throws: ``Invalid`` naming every bad field, or the `DecodingError` of a document that is not the kind's
    ///   profile (the HTTP layer names its field).
    public func put(id: String, kind: PartnerDirectory.Kind, document: Data) async throws -> PartnerRecord {
        try check(id: id, kind: kind, document: document)
        let record = PartnerRecord(id: id, kind: kind.rawValue, document: document, updatedAt: now())
        try await store.putPartner(record)
        if kind == .x12 { try await syncSubscription(for: try JSONDecoder().decode(TradingPartner.self, from: document)) }
        return record
    }

    /// Deletes the profile and its document subscription; false when unknown.
    public func delete(id: String) async throws -> Bool {
        guard try await store.deletePartner(id) else { return false }
        _ = try await store.deleteSubscription(Self.subscriptionID(id))
        return true
    }

    /// The id of an X12 partner's document subscription.
    public static func subscriptionID(_ partnerID: String) -> String { "partner-\(partnerID)" }

    func check(id: String, kind: PartnerDirectory.Kind, document: Data) throws {
        let problems = try Self.problems(id: id, kind: kind, document: document)
        if !problems.isEmpty { throw Invalid(problems: problems) }
    }

    /// Every rule a profile must meet, checked without a store (`PUT /v1/partners/{id}` and
    /// `crossdock partners validate`): each bad field and why.
    /// - Throws: the `DecodingError` of a document that is not the kind's profile.
    public static func problems(id: String, kind: PartnerDirectory.Kind, document: Data) throws -> [(field: String, reason: String)] {
        var problems: [(field: String, reason: String)] = []
        switch kind {
        case .x12:
            let partner = try JSONDecoder().decode(TradingPartner.self, from: document)
            problems += partner.problems
            if partner.id != id { problems.append(("id", "must match the path")) }
            if let secret = partner.endpointSecret, WebhookSigner.key(fromSecret: secret) == nil {
                problems.append(("endpointSecret", "must be whsec_ + base64 of at least 16 bytes"))
            }
        case .shopify, .salesforce, .carrier, .csv:
            problems += try PartnerProfiles.problems(kind: kind, document: document, id: id)
        }
        return problems
    }

    func syncSubscription(for partner: TradingPartner) async throws {
        let id = Self.subscriptionID(partner.id)
        let existing = try await store.subscription(id)
        guard let endpoint = partner.endpoint else {
            if existing != nil { _ = try await store.deleteSubscription(id) }
            return
        }
        if let existing {
            if existing.url != endpoint { _ = try await store.setSubscriptionURL(id, url: endpoint) }
            if let secret = partner.endpointSecret, secret != existing.secret {
                _ = try await store.rotateSubscriptionSecret(id, secret: secret, previousValidUntil: now())
            }
            return
        }
        try await store.insertSubscription(
            Subscription(
                id: id,
                url: endpoint,
                eventTypes: [EventType.ediDocumentIssued.name],
                secret: partner.endpointSecret ?? WebhookSigner.makeSecret(),
                createdAt: now(),
                cursor: 0,
                settings: SubscriptionSettings(attributes: ["partner": partner.id], orderingKey: .subject, mapping: "x12-document")
            )
        )
    }
}

import CrossdockDomain
import Foundation
import Synchronization

/// A stored response to replay for a repeated `Idempotency-Key`.
public struct IdempotencyRecord: Hashable, Sendable {
    /// Who used the key (the API key id), so partners' keys never collide.
    public var scope: String
    /// The key.
    public var key: String
    /// SHA-256 of method, path and body of the first request.
    public var requestHash: String
    /// The first response's status code.
    public var status: Int
    /// The first response's body.
    public var body: Data
    /// When it was stored.
    public var createdAt: Date

    public init(scope: String, key: String, requestHash: String, status: Int, body: Data, createdAt: Date) {
        self.scope = scope
        self.key = key
        self.requestHash = requestHash
        self.status = status
        self.body = body
        self.createdAt = createdAt
    }
}

/// An API key. Only the SHA-256 of the secret is stored.
public struct APIKeyRecord: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    /// Hex SHA-256 of the secret.
    public var hash: String
    /// Granted scopes, e.g. `orders:write`; `admin` grants every scope.
    public var scopes: [String]
    /// The partner the key belongs to, for per-partner isolation and limits.
    public var partner: String?
    public var createdAt: Date
    /// After this instant the key is refused; nil for no expiry.
    public var expiresAt: Date?
    /// When the key was revoked; a revoked key is refused for good.
    public var revokedAt: Date?
    /// When the key was last presented (to the minute: recorded at most once a minute per node).
    public var lastUsedAt: Date?

    public init(
        id: String,
        name: String,
        hash: String,
        scopes: [String],
        partner: String?,
        createdAt: Date,
        expiresAt: Date? = nil,
        revokedAt: Date? = nil,
        lastUsedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.hash = hash
        self.scopes = scopes
        self.partner = partner
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }

    /// Whether the key is refused at `now`, and why.
    public func refusal(at now: Date) -> Refusal? {
        if revokedAt != nil { return .revoked }
        if let expiresAt, now >= expiresAt { return .expired }
        return nil
    }

    /// Why a known key is refused.
    public enum Refusal: String, Sendable {
        case revoked
        case expired
    }
}

/// A webhook subscription.
public struct Subscription: Hashable, Sendable, Codable {
    /// Whether deliveries flow.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case active
        /// Paused by an operator: events still fan out and queue; nothing is sent until resumed.
        case paused
        /// The endpoint answered 410 Gone: nothing is sent until an operator resumes it.
        case disabled
    }

    public var id: String
    /// Where events are posted.
    public var url: String { didSet { endpoint = Self.endpoint(of: url) } }
    /// The endpoint the circuit breaker tracks: scheme, host and port of `url` (parsed once, when the URL is set: the
    /// delivery worker asks for it several times per delivery).
    public private(set) var endpoint: String
    /// Short event type names; `*` matches all, `order.*` a prefix.
    public var eventTypes: [String]
    /// The Standard Webhooks secret, `whsec_` + base64.
    public var secret: String
    /// The secret before the last rotation, still signed with until `previousSecretExpiresAt`.
    public var previousSecret: String?
    /// When the previous secret stops being used.
    public var previousSecretExpiresAt: Date?
    /// Why the stored signing secrets could not be read (encrypted under a key this process was not given, or
    /// altered); nil when they were. While it is set `secret` is empty and nothing may be sent: a delivery that went
    /// out would be unsigned.
    public var secretUnavailable: String?
    public var createdAt: Date
    /// Highest log sequence already fanned out into deliveries.
    public var cursor: Int64
    /// Filters, ordering, limits and retries.
    public var settings: SubscriptionSettings
    /// Active, paused or disabled.
    public var status: Status
    /// Why it is disabled.
    public var statusReason: String?
    /// The partner whose key created it: it receives only that partner's events (and the shared catalogue ones), and
    /// only that partner's keys see and manage it. Nil for a hub-wide subscription.
    public var partner: String?

    enum CodingKeys: String, CodingKey {
        case id, url, eventTypes, createdAt, cursor, settings, status, statusReason, previousSecretExpiresAt, partner
    }

    public init(
        id: String,
        url: String,
        eventTypes: [String],
        secret: String,
        createdAt: Date,
        cursor: Int64,
        settings: SubscriptionSettings = .init(),
        status: Status = .active,
        statusReason: String? = nil,
        previousSecret: String? = nil,
        previousSecretExpiresAt: Date? = nil,
        partner: String? = nil
    ) {
        self.id = id
        self.url = url
        self.endpoint = Self.endpoint(of: url)
        self.eventTypes = eventTypes
        self.secret = secret
        self.createdAt = createdAt
        self.cursor = cursor
        self.settings = settings
        self.status = status
        self.statusReason = statusReason
        self.previousSecret = previousSecret
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.partner = partner
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        url = try container.decode(String.self, forKey: .url)
        endpoint = Self.endpoint(of: url)
        eventTypes = try container.decode([String].self, forKey: .eventTypes)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        cursor = try container.decode(Int64.self, forKey: .cursor)
        settings = try container.decodeIfPresent(SubscriptionSettings.self, forKey: .settings) ?? .init()
        status = try container.decodeIfPresent(Status.self, forKey: .status) ?? .active
        statusReason = try container.decodeIfPresent(String.self, forKey: .statusReason)
        previousSecretExpiresAt = try container.decodeIfPresent(Date.self, forKey: .previousSecretExpiresAt)
        partner = try container.decodeIfPresent(String.self, forKey: .partner)
        secret = ""
    }

    /// Whether the subscription wants events of `type` (short name).
    public func matches(_ type: String) -> Bool {
        eventTypes.contains { pattern in
            pattern == "*" || pattern == type || (pattern.hasSuffix(".*") && type.hasPrefix(pattern.dropLast()))
        }
    }

    /// Whether an event with these attributes passes the attribute filters.
    public func matches(attributes: [String: String]) -> Bool {
        settings.attributes.allSatisfy { attributes[$0.key] == $0.value }
    }

    /// The secrets to sign with at `now`: the current one, and the previous one during a rotation's overlap.
    public func signingSecrets(at now: Date) -> [String] {
        guard let previous = previousSecret, let until = previousSecretExpiresAt, now < until else { return [secret] }
        return [secret, previous]
    }

    /// Scheme, host and port of `url`; `url` itself when it has no host. Parsed once per distinct URL: subscriptions are
    /// read from their rows at every delivery scan.
    static func endpoint(of url: String) -> String {
        if let known = endpoints.withLock({ $0[url] }) { return known }
        let endpoint: String
        if let components = URLComponents(string: url), let host = components.host {
            let scheme = components.scheme ?? "http"
            endpoint = "\(scheme)://\(host):\(components.port ?? (scheme == "https" ? 443 : 80))"
        } else {
            endpoint = url
        }
        endpoints.withLock { endpoints in
            if endpoints.count >= 1024 { endpoints.removeAll(keepingCapacity: true) }
            endpoints[url] = endpoint
        }
        return endpoint
    }

    private static let endpoints = Mutex<[String: String]>([:])
}

/// The state of one event's delivery to one subscription.
public struct Delivery: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case pending
        case delivered
        case dead
    }

    public var id: Int64
    public var subscriptionID: String
    public var eventSequence: Int64
    public var eventID: String
    /// The ordering key: deliveries with the same key and subscription go one after the other.
    public var orderingKey: String
    public var status: Status
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastStatusCode: Int?
    public var lastError: String?
    public var deliveredAt: Date?

    enum CodingKeys: String, CodingKey {
        case id
        case subscriptionID = "subscriptionId"
        case eventSequence
        case eventID = "eventId"
        case orderingKey
        case status, attempts, nextAttemptAt,
            lastStatusCode, lastError, deliveredAt
    }

    public init(
        id: Int64,
        subscriptionID: String,
        eventSequence: Int64,
        eventID: String,
        orderingKey: String = "",
        status: Status,
        attempts: Int,
        nextAttemptAt: Date,
        lastStatusCode: Int?,
        lastError: String?,
        deliveredAt: Date?
    ) {
        self.id = id
        self.subscriptionID = subscriptionID
        self.eventSequence = eventSequence
        self.eventID = eventID
        self.orderingKey = orderingKey
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
        self.deliveredAt = deliveredAt
    }
}

/// A delivery ready to send: the delivery, its subscription and its event as the request body.
public struct DueDelivery: Sendable {
    public var delivery: Delivery
    public var subscription: Subscription
    /// The event id (`webhook-id`).
    public var eventID: String
    /// The qualified event type.
    public var eventType: String
    /// The CloudEvent as JSON, its stored payload spliced in unparsed.
    public var body: [UInt8]
    /// The W3C traceparent of the request that appended the event, if one was traced: the delivery attempt's span
    /// continues that trace.
    public var traceparent: String? = nil
}

/// What one attempt achieved.
public enum DeliveryAttemptResult: Sendable {
    case delivered(statusCode: Int, latency: Duration)
    /// Failed; retry at `retryAt`, or give up when it is `nil`.
    case failed(statusCode: Int?, error: String, latency: Duration, retryAt: Date?)
    /// The receiver refused the event as stale (409: it already has a later state). Final, like a delivery: the key
    /// is not parked and the event is not retried; `reason` is recorded as the delivery's last error.
    case superseded(statusCode: Int, reason: String, latency: Duration)

    /// The receiver's HTTP status, if it answered.
    public var statusCode: Int? {
        switch self {
        case .delivered(let status, _), .superseded(let status, _, _): status
        case .failed(let status, _, _, _): status
        }
    }
}

/// Counts by delivery status.
public struct DeliveryCounts: Hashable, Sendable, Codable {
    public var pending: Int
    public var delivered: Int
    public var dead: Int
    /// Attempts beyond the first, over all deliveries.
    public var retries: Int
}

/// Everything intake reads, in one consistent snapshot.
public struct IntakeSnapshot: Sendable {
    public var customer: Customer?
    public var openOrders: Money?
    public var products: [String: Product]
    public var priceList: PriceList?
    public var taxRates: TaxRateTable
    /// The customer's legal entity, when it names one that exists.
    public var legalEntity: LegalEntity?
    public var warehouses: [Warehouse]
    public var balances: [InventoryBalance]
    /// The order already recorded under the request's (channel, external id).
    public var existingOrderID: String?
    /// The answer already recorded under the request's idempotency key.
    public var idempotencyRecord: IdempotencyRecord?
}

/// A page of orders.
public struct OrderQuery: Hashable, Sendable {
    public var status: OrderStatus?
    public var customerID: String?
    public var channel: String?
    /// Only the orders that belong to this partner (their channel reference's partner): a partner-bound key's view.
    public var partner: String?
    /// Return orders received before this order id's position (keyset paging by receive order).
    public var afterCursor: Int64?
    public var limit: Int

    public init(
        status: OrderStatus? = nil,
        customerID: String? = nil,
        channel: String? = nil,
        partner: String? = nil,
        afterCursor: Int64? = nil,
        limit: Int = 50
    ) {
        self.status = status
        self.customerID = customerID
        self.channel = channel
        self.partner = partner
        self.afterCursor = afterCursor
        self.limit = limit
    }
}

/// One `inventory.availability_changed` the store published.
public struct AvailabilityPublication: Hashable, Sendable {
    /// The SKU.
    public var sku: String
    /// Stock change committed → event published, in seconds.
    public var lagSeconds: Double
}

/// One subscription's delivery figures, for metrics and back-pressure.
public struct SubscriptionDeliveryStatistics: Hashable, Sendable {
    public var subscriptionID: String
    /// Deliveries not yet delivered or dead.
    public var pending: Int
    /// Dead letters.
    public var dead: Int
    /// The time of the oldest pending delivery's event.
    public var oldestPendingEventTime: Date?

    public init(subscriptionID: String, pending: Int, dead: Int, oldestPendingEventTime: Date?) {
        self.subscriptionID = subscriptionID
        self.pending = pending
        self.dead = dead
        self.oldestPendingEventTime = oldestPendingEventTime
    }
}

import CrossdockDomain
import Foundation

/// Dead letters and replays: what operators do with deliveries. Part of ``Store``.
///
/// Replaying a delivery sets it back to `pending` with a new round of retries (`attempts` 0, due now), keeping
/// `lastError` and every row of its attempt history. The event is the same, so its id (the `webhook-id`) is the
/// same and receivers that dedupe apply it once. Only `dead` and `delivered` deliveries are replayed; a `pending`
/// one is already on its way.
public protocol DeliveryAdminStore: Sendable {
    /// Deliveries with their event type, attempt history and, for pending ones, whether they are parked.
    func deliveryDetails(_ query: DeliveryQuery) async throws -> [DeliveryDetail]
    /// One delivery with its history; nil when unknown.
    func deliveryDetail(id: Int64) async throws -> DeliveryDetail?
    /// Replays one delivery (see the protocol's discussion).
    func replayDelivery(id: Int64, now: Date) async throws -> DeliveryReplayOutcome
    /// What replaying `selection` resets; with `confirm`, resets it all in one transaction and answers the plan
    /// it carried out. Nil when the selection's subscription or order does not exist.
    func replay(_ selection: ReplaySelection, confirm: Bool, now: Date) async throws -> ReplayPlan?
    /// ``replay(_:confirm:now:)`` limited to the subscriptions of `partner` (a partner-bound key's replay): the plan
    /// names and touches no other subscription.
    func replay(_ selection: ReplaySelection, confirm: Bool, now: Date, partner: String?) async throws -> ReplayPlan?
}

/// Which deliveries to list.
public struct DeliveryQuery: Hashable, Sendable {
    /// Only this status.
    public var status: Delivery.Status?
    /// Only this subscription's.
    public var subscriptionID: String?
    /// Only deliveries with a greater id (keyset paging).
    public var afterID: Int64?
    /// At most this many, by id.
    public var limit: Int
    /// Only deliveries of events whose correlation id is this order id (an order's trace).
    public var orderID: String?

    /// Creates a query.
    /// Only deliveries to this partner's subscriptions: a partner-bound key's view.
    public var partner: String?

    public init(status: Delivery.Status? = nil, subscriptionID: String? = nil, partner: String? = nil, afterID: Int64? = nil, limit: Int = 100) {
        self.status = status
        self.subscriptionID = subscriptionID
        self.partner = partner
        self.afterID = afterID
        self.limit = limit
    }
}

/// One attempt to deliver: when, what the receiver answered, how long it took.
public struct DeliveryAttempt: Hashable, Sendable, Codable {
    /// 1, 2, … over the delivery's whole life (replays continue the numbering).
    public var attempt: Int
    public var at: Date
    /// The HTTP status, nil when no response came (refused, timed out).
    public var statusCode: Int?
    public var latencyMs: Double
    /// The error and an excerpt of the response; nil for a success.
    public var error: String?

    public init(attempt: Int, at: Date, statusCode: Int?, latencyMs: Double, error: String?) {
        self.attempt = attempt
        self.at = at
        self.statusCode = statusCode
        self.latencyMs = latencyMs
        self.error = error
    }
}

/// A delivery as operators see it: encoded as the ``Delivery`` fields plus `type` (the event's CloudEvents type),
/// `history` (every ``DeliveryAttempt``) and, for pending deliveries, `parked` and `parkedBy`.
public struct DeliveryDetail: Hashable, Sendable, Codable {
    public var delivery: Delivery
    /// The event's CloudEvents `type`, e.g. `com.crossdock.order.received.v1`.
    public var eventType: String
    /// Every attempt, oldest first.
    public var history: [DeliveryAttempt]
    /// For a pending delivery: whether an earlier delivery of its ordering key (same subscription) is pending or
    /// dead, so it waits. Nil for other statuses.
    public var parked: Bool?
    /// The earliest delivery it waits behind, when parked.
    public var parkedBy: Int64?

    public init(delivery: Delivery, eventType: String, history: [DeliveryAttempt], parked: Bool?, parkedBy: Int64?) {
        self.delivery = delivery
        self.eventType = eventType
        self.history = history
        self.parked = parked
        self.parkedBy = parkedBy
    }

    enum CodingKeys: String, CodingKey {
        case eventType = "type"
        case history, parked, parkedBy
    }

    public init(from decoder: any Decoder) throws {
        delivery = try Delivery(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        eventType = try container.decode(String.self, forKey: .eventType)
        history = try container.decode([DeliveryAttempt].self, forKey: .history)
        parked = try container.decodeIfPresent(Bool.self, forKey: .parked)
        parkedBy = try container.decodeIfPresent(Int64.self, forKey: .parkedBy)
    }

    public func encode(to encoder: any Encoder) throws {
        try delivery.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eventType, forKey: .eventType)
        try container.encode(history, forKey: .history)
        try container.encodeIfPresent(parked, forKey: .parked)
        try container.encodeIfPresent(parkedBy, forKey: .parkedBy)
    }
}

/// What replaying one delivery did.
public enum DeliveryReplayOutcome: Hashable, Sendable {
    /// Set back to pending; the delivery as it is now.
    case replayed(DeliveryDetail)
    /// No such delivery.
    case notFound
    /// The delivery is pending: nothing changed.
    case notReplayable(currentStatus: Delivery.Status)
}

/// Where a subscription replay starts.
public enum ReplayPoint: Hashable, Sendable {
    /// Events with this log sequence number or a later one.
    case sequence(Int64)
    /// Events whose time is at or after this instant.
    case time(Date)
}

/// Deliveries chosen by filter for a bulk replay.
public struct DeliveryFilter: Hashable, Sendable {
    /// `dead` (the default) or `delivered`.
    public var status: Delivery.Status
    /// Only this subscription's.
    public var subscriptionID: String?
    /// Only events of this type: a short name (`order.received`), a prefix pattern (`order.*`), `*`, or a
    /// CloudEvents type (`com.crossdock.order.received.v1`).
    public var eventType: String?
    /// Only events whose time is at or after this instant.
    public var since: Date?

    public init(status: Delivery.Status = .dead, subscriptionID: String? = nil, eventType: String? = nil, since: Date? = nil) {
        self.status = status
        self.subscriptionID = subscriptionID
        self.eventType = eventType
        self.since = since
    }

    /// Whether an event of CloudEvents type `type` passes ``eventType``.
    public func matches(type: String) -> Bool {
        guard let pattern = eventType else { return true }
        let short = EventType(qualifiedName: type)?.name ?? type
        return pattern == "*" || pattern == type || pattern == short || (pattern.hasSuffix(".*") && short.hasPrefix(pattern.dropLast()))
    }
}

/// What a replay covers.
public enum ReplaySelection: Hashable, Sendable {
    /// Deliveries matching a filter.
    case deliveries(DeliveryFilter)
    /// Every event of the log from a point on that the subscription wants, up to its cursor; later events are
    /// left to the normal fan-out.
    case subscription(String, from: ReplayPoint)
    /// Every delivery of every event whose correlation id is the order id, to every subscription that had one.
    case order(String)
}

/// How many deliveries a replay resets, to which endpoints; `confirmed` once it has been carried out.
public struct ReplayPlan: Hashable, Sendable, Codable {
    /// The deliveries of one subscription.
    public struct Endpoint: Hashable, Sendable, Codable {
        public var subscriptionID: String
        public var url: String
        public var deliveries: Int

        enum CodingKeys: String, CodingKey {
            case subscriptionID = "subscriptionId"
            case url, deliveries
        }

        public init(subscriptionID: String, url: String, deliveries: Int) {
            self.subscriptionID = subscriptionID
            self.url = url
            self.deliveries = deliveries
        }
    }

    /// Deliveries reset (or, for a subscription replay, created for events that have none) to pending.
    public var deliveries: Int
    /// By subscription, most deliveries first.
    public var endpoints: [Endpoint]
    /// Whether it was carried out; false for a dry run.
    public var confirmed: Bool

    public init(deliveries: Int, endpoints: [Endpoint], confirmed: Bool) {
        self.deliveries = deliveries
        self.endpoints = endpoints
        self.confirmed = confirmed
    }
}

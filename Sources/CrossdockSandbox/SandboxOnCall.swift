import CrossdockDomain
import Foundation
import Logging
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// The sandbox's on-call receiver: an alert route's endpoint (docs/alerts.md) that verifies each signed alert and
/// keeps what a pager would show: which exceptions it was told about, when, and which it heard were resolved.
public final class SandboxOnCall: Service, Sendable {
    /// What it has been told.
    public struct Log: Sendable {
        /// `alert.firing` messages with reason `new`.
        public var firing = 0
        /// `alert.firing` messages with reason `reminder`.
        public var reminders = 0
        /// `alert.resolved` messages.
        public var resolvedMessages = 0
        /// When each exception was first named in a firing message.
        public var alertedAt: [String: Date] = [:]
        /// Exceptions a resolved message named.
        public var resolved: Set<String> = []
        /// Messages by kind.
        public var byKind: [String: Int] = [:]
    }

    private let endpoint: WebhookEndpoint
    private let state = Mutex(Log())

    /// Creates the receiver on `port` (0 picks one).
    public init(port: Int = 0, logger: Logger = Logger(label: "crossdock.sandbox.oncall")) {
        endpoint = WebhookEndpoint(port: port, failureRate: 0, serverName: "sandbox-oncall", logger: logger)
    }

    /// What it has been told so far.
    public var log: Log { state.withLock { $0 } }

    /// Webhooks received and signatures that failed.
    public var counters: WebhookCounters { endpoint.counters }

    /// Whether a firing message named exception `id`.
    public func wasAlerted(_ id: String) -> Bool { state.withLock { $0.alertedAt[id] != nil } }

    /// Creates its alert route through `hub` (every kind, reminders after `renotifyMinutes`); returns the route's id.
    public func subscribe(through hub: HubClient, renotifyMinutes: Int = 240) async throws -> String {
        struct Route: Encodable {
            var renotifyMinutes: Int
        }
        struct Settings: Encodable { var alert: Route }
        struct NewRoute: Encodable {
            var url: String
            var eventTypes: [String]
            var secret: String
            var settings: Settings
        }
        struct Created: Decodable { var id: String }
        let url = await endpoint.waitUntilListening()
        let answer = try await hub.expectSuccess(
            .POST,
            "/v1/subscriptions",
            json: NewRoute(
                url: url,
                eventTypes: ["alert.*"],
                secret: endpoint.secret,
                settings: Settings(alert: Route(renotifyMinutes: renotifyMinutes))
            )
        )
        return try JSONDecoder().decode(Created.self, from: Data(answer.body)).id
    }

    public func run() async throws {
        try await endpoint.run { event in
            let data = try JSONCoding.decoder().decode(AlertData.self, from: try JSONCoding.encoder().encode(event.data))
            self.state.withLock { log in
                log.byKind[data.kind.rawValue, default: 0] += 1
                switch data.reason {
                case "reminder": log.reminders += 1
                case "resolved": log.resolvedMessages += 1
                default: log.firing += 1
                }
                // A firing message pages for its exceptions; a resolved one reports resolutions (its open ones are
                // context: how many of the kind are left).
                for item in data.exceptions {
                    if data.status == "firing", log.alertedAt[item.id] == nil { log.alertedAt[item.id] = Date() }
                    if data.status == "resolved", item.status == .resolved { log.resolved.insert(item.id) }
                }
            }
        }
    }
}

import AsyncHTTPClient
import CrossdockDomain
import CrossdockEDI
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A simulated third-party warehouse (an X12 trading partner with the `warehouse` role) that operates one hub
/// warehouse on loopback.
///
/// It receives the hub's 940 shipping orders at its endpoint (raw X12 signed with Standard Webhooks), answers each
/// group with a 997 and, after a delay, ships each fulfilment order and reports it with a 945 (one parcel with a
/// tracking number) to `POST /v1/inbound/edi`, reading the hub's 997 for it. It also answers
/// `fulfillment.cancel_requested` for its warehouse (a JSON subscription filtered on the warehouse) through
/// `POST /v1/fulfillments/{id}/events` as the WMS does: accepted while the order has not shipped, refused after.
///
/// ```swift
/// let threePL = Sandbox3PL(hubURL: hub, apiKey: keyBoundToPartner)
/// // run it in a ServiceGroup, then:
/// try await threePL.register(through: admin)
/// ```
public final class Sandbox3PL: Service {
    /// Behaviour knobs.
    public struct Configuration: Sendable {
        /// The hub's partner id.
        public var id: String
        /// A display name.
        public var name: String
        /// The 3PL's ISA06 and GS02.
        public var isaID: String
        /// The hub warehouse it operates.
        public var warehouseID: String
        /// Delay from a 940's receipt to its shipment.
        public var shipDelay: Duration
        /// The carrier's SCAC on 945s.
        public var carrier: String
        /// Share of the hub's deliveries answered 503 (0…1).
        public var failureRate: Double

        /// Creates a configuration.
        public init(
            id: String = "allentown-3pl",
            name: String = "Allentown PA 3PL",
            isaID: String = "ALLENTOWN3PL",
            warehouseID: String = "WH-3PL",
            shipDelay: Duration = .milliseconds(300),
            carrier: String = "FDEG",
            failureRate: Double = 0
        ) {
            self.id = id
            self.name = name
            self.isaID = isaID
            self.warehouseID = warehouseID
            self.shipDelay = shipDelay
            self.carrier = carrier
            self.failureRate = failureRate
        }
    }

    /// What the 3PL has seen and done.
    public struct Stats: Sendable {
        /// Deliveries from the hub at the endpoint.
        public var webhooks = WebhookCounters()
        /// Transaction sets received (`940`) and sent (`945`, `997`); failed posts include cancellation answers.
        public var x12 = X12Counters()
        /// 945s the hub accepted (997 `A`) and applied.
        public var advicesAccepted = 0
        /// 945s the hub rejected or did not apply.
        public var advicesRejected = 0
        /// Cancellation requests and answers.
        public var cancellations = CancellationCounters()
    }

    /// How far the 3PL got with one fulfilment order.
    enum Phase: Sendable {
        case queued
        case shipping
        case done
    }

    /// The 3PL's view of one fulfilment order.
    struct Job: Sendable {
        var phase = Phase.queued
        /// Units per line it agreed to cancel.
        var cancelled: [Int: Int] = [:]
        /// Cancellation answers on their way; the shipment waits for them so the hub hears them first.
        var answering = 0
    }

    enum Work: Sendable {
        case acknowledge(X12Mailbox.Received)
        case ship(FulfillmentOrder)
        case answer(fulfillmentID: String, accept: Bool, lines: [LineQuantity], key: String)
    }

    let configuration: Configuration
    let logger: Logger
    let endpoint: WebhookEndpoint
    let mailbox: X12Mailbox
    let hub: HubClient
    let state = Mutex<(stats: Stats, jobs: [String: Job], pending: Int)>((Stats(), [:], 0))
    /// Whether shipments wait (``holdShipments(_:)``).
    let shippingHeld = Mutex(false)
    private let work: AsyncStream<Work>
    private let workSink: AsyncStream<Work>.Continuation

    /// Creates the 3PL.
    /// - Parameters:
    ///   - hubURL: the hub's base URL.
    ///   - apiKey: a key with `fulfillment:write`, bound to the partner id.
    ///   - port: where the endpoint listens; 0 picks a free port.
    ///   - configuration: behaviour.
    ///   - client: HTTP client for posts.
    ///   - logger: the 3PL's logger.
    public init(
        hubURL: String,
        apiKey: String,
        port: Int = 0,
        configuration: Configuration = .init(),
        client: HTTPClient = .shared,
        logger: Logger = Logger(label: "crossdock.sandbox.3pl")
    ) {
        self.configuration = configuration
        self.logger = logger
        hub = HubClient(baseURL: hubURL, apiKey: apiKey, client: client)
        endpoint = WebhookEndpoint(port: port, failureRate: configuration.failureRate, serverName: "sandbox-3pl", logger: logger)
        mailbox = X12Mailbox(partner: Self.profile(configuration, endpoint: nil, secret: nil), hub: hub, firstControlNumber: 7001, logger: logger)
        (work, workSink) = AsyncStream.makeStream(of: Work.self)
    }

    /// The hub's partner id.
    public var id: String { configuration.id }

    /// A snapshot of the counters.
    public var stats: Stats {
        let webhooks = endpoint.counters
        var stats = state.withLock { $0.stats }
        stats.webhooks = webhooks
        return stats
    }

    /// Whether nothing is waiting: no 997, shipment or cancellation answer queued or under way.
    public var isIdle: Bool { state.withLock { $0.pending == 0 } }

    /// The profile the hub keeps for the 3PL.
    static func profile(_ configuration: Configuration, endpoint: String?, secret: String?) -> TradingPartner {
        TradingPartner(
            id: configuration.id,
            name: configuration.name,
            role: .warehouse,
            warehouseID: configuration.warehouseID,
            isaID: configuration.isaID,
            gsCode: configuration.isaID,
            ourISAID: SandboxEDIPartner.hubISAID,
            ourGSCode: SandboxEDIPartner.hubISAID,
            inbound: ["945", "997"],
            outbound: ["940"],
            endpoint: endpoint,
            endpointSecret: secret
        )
    }

    /// Waits until the endpoint listens, then registers the 3PL through `admin` (`PUT /v1/partners/{id}`, kind
    /// `x12`, with its endpoint and signing secret) and subscribes it to `fulfillment.cancel_requested` for its
    /// warehouse. Returns the X12 endpoint URL.
    @discardableResult
    public func register(through admin: HubClient) async throws -> String {
        let url = await endpoint.waitUntilListening() + "/x12"
        try await admin.putPartner(configuration.id, kind: "x12", profile: Self.profile(configuration, endpoint: url, secret: endpoint.secret))
        _ = try await endpoint.subscribe(
            through: admin,
            eventTypes: [EventType.fulfillmentCancelRequested.name],
            path: "/events",
            attributes: ["warehouse": configuration.warehouseID]
        )
        return url
    }

    /// Runs the endpoint and the partner's outgoing work until graceful shutdown.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                try await self.endpoint.runRaw { path, body in
                    if path.hasPrefix("/events") {
                        try self.handle(try JSONCoding.decoder().decode(CloudEvent.self, from: Data(body)))
                        return .init(status: 200)
                    }
                    return self.receive(body)
                }
            }
            group.addTask {
                await runBounded(self.work, concurrency: 64) { work in
                    await self.perform(work)
                    self.state.withLock { $0.pending -= 1 }
                }
            }
            try await gracefulShutdown()
            self.workSink.finish()
        }
    }

    /// Holds every shipment until called again with false: a 3PL whose dock is closed, so that what the hub sends
    /// meanwhile (a cancellation) reaches it before anything ships, however slow the machine.
    public func holdShipments(_ held: Bool) {
        shippingHeld.withLock { $0 = held }
    }

    /// Queues `work`, counting it as pending until done.
    func enqueue(_ work: Work) {
        state.withLock { $0.pending += 1 }
        workSink.yield(work)
    }

    /// Reads one interchange from the hub: queues its 997 and a shipment per 940.
    private func receive(_ body: [UInt8]) -> WebhookEndpoint.Reply {
        let received = mailbox.receive(String(decoding: body, as: UTF8.self))
        var orders: [FulfillmentOrder] = []
        for document in received.documents {
            if case .warehouseShippingOrder(let shippingOrder) = document { orders.append(fulfillmentOrder(shippingOrder)) }
        }
        state.withLock { state in
            state.stats.x12.count(received)
            for order in orders where state.jobs[order.id] == nil { state.jobs[order.id] = Job() }
        }
        if !received.reading.groups.isEmpty { enqueue(.acknowledge(received)) }
        for order in orders { enqueue(.ship(order)) }
        return .init(status: 200)
    }

    private func perform(_ work: Work) async {
        switch work {
        case .acknowledge(let received):
            let ok = await mailbox.acknowledge(received)
            state.withLock { $0.stats.x12.countAcknowledgment(of: received, posted: ok) }
        case .ship(let order): await ship(order)
        case .answer(let id, let accept, let lines, let key): await answer(id, accept: accept, lines: lines, key: key)
        }
    }
}

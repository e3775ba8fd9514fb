import AsyncHTTPClient
import CrossdockDomain
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A simulated parcel carrier on loopback: a real HTTP server that receives the hub's `shipment.shipped` webhooks
/// and, over time, reports each package's milestones through `POST /v1/shipments/{id}/tracking`: label created,
/// in transit (with an ETA), out for delivery, delivered. A seeded share of packages ends instead in an exception
/// (lost, damaged) or goes back to the shipper. It can refuse a share of webhooks with 503 to exercise retries. With
/// ``Feed/easyPost(carrierID:secret:)`` it reports like EasyPost instead: signed `tracker.updated` events to
/// `POST /v1/inbound/carriers/{carrier}`.
public final class SandboxCarrier: Service {
    /// Behaviour knobs.
    public struct Configuration: Sendable {
        /// Delay between two milestones of a package (simulated hours pass in milliseconds).
        public var stepDelay: Duration
        /// Share of packages lost in transit (0…1): `exception` with `exceptionKind: lost`.
        public var lossRate: Double
        /// Share of packages damaged (0…1): `exception` with `exceptionKind: damaged`.
        public var damageRate: Double
        /// Share of packages returned to sender (0…1): `returned_to_sender`.
        public var returnRate: Double
        /// Share of webhooks answered 503 (0…1).
        public var failureRate: Double
        /// Packages tracked at once.
        public var concurrency: Int
        /// Seed of the outcomes; the n-th shipment received always draws the same outcome.
        public var seed: UInt64
        /// When true, the 5th, 10th and 15th shipment received end in an exception kind not raised yet (of those with a
        /// rate above 0) unless they drew one not raised yet, so a short run still shows each kind at least once.
        public var ensureEachOutcome: Bool
        /// How milestones reach the hub: the tracking API (the default) or signed EasyPost webhooks.
        public var feed: Feed

        /// Creates a configuration.
        public init(
            stepDelay: Duration = .milliseconds(20),
            lossRate: Double = 0.04,
            damageRate: Double = 0.03,
            returnRate: Double = 0.02,
            failureRate: Double = 0,
            concurrency: Int = 256,
            seed: UInt64 = 1,
            ensureEachOutcome: Bool = false,
            feed: Feed = .trackingAPI
        ) {
            self.stepDelay = stepDelay
            self.lossRate = lossRate
            self.damageRate = damageRate
            self.returnRate = returnRate
            self.failureRate = failureRate
            self.concurrency = concurrency
            self.seed = seed
            self.ensureEachOutcome = ensureEachOutcome
            self.feed = feed
        }
    }

    /// How a package's journey ends.
    public enum Outcome: String, Sendable, CaseIterable {
        case delivered
        case lost
        case damaged
        case returnedToSender = "returned_to_sender"
        /// Scanned at the origin and in transit, then never again (``silenceNextParcel()``).
        case silent
    }

    /// What the sandbox has seen and done.
    public struct Stats: Sendable {
        /// Deliveries from the hub at the webhook endpoint.
        public var webhooks = WebhookCounters()
        /// `shipment.shipped` webhooks handled.
        public var shipmentsReceived = 0
        /// Packages tracked.
        public var packages = 0
        /// Milestones the hub accepted.
        public var milestonesSent = 0
        /// Packages by the outcome drawn for them (each is reported to the hub as its journey ends).
        public var outcomes: [Outcome: Int] = [:]
        /// Milestones the hub refused (4xx) or that never got through.
        public var reportFailures = 0

        /// Exceptions raised, by kind (`lost`, `damaged`, `returned_to_sender`).
        public var exceptions: [Outcome: Int] { outcomes.filter { $0.key != .delivered } }
    }

    /// The part of the `shipment.shipped` data the carrier needs.
    private struct ShippedData: Decodable {
        struct Package: Decodable { var trackingNumber: String }
        var id: String
        var warehouseId: String?
        var packages: [Package]
    }

    /// One milestone to report.
    struct Milestone: Encodable {
        var trackingNumber: String
        var status: String
        var occurredAt: Date
        var estimatedDeliveryAt: Date?
        var rawCode: String?
        var location: String?
        var message: String?
        var exceptionKind: String?
    }

    struct Job: Sendable {
        var shipmentID: String
        var trackingNumber: String
        var origin: String
        var outcome: Outcome
    }

    /// The secret the hub signs with; give it to `POST /v1/subscriptions`.
    public var secret: String { endpoint.secret }
    let hub: HubClient
    let configuration: Configuration
    let logger: Logger
    private let endpoint: WebhookEndpoint
    let state: Mutex<(random: SplitMix64, shipments: Int, stats: Stats)>
    private let jobs: AsyncStream<Job>
    private let jobSink: AsyncStream<Job>.Continuation
    let stopping = Atomic<Bool>(false)
    /// Whether the next parcel goes silent.
    private let silenceNext = Atomic<Bool>(false)

    /// Creates the sandbox.
    /// - Parameters:
    ///   - hubURL: the hub's base URL, e.g. `http://127.0.0.1:8080`.
    ///   - apiKey: a key allowed to post tracking milestones.
    ///   - port: where to listen; 0 picks a free port (see ``waitUntilListening()``).
    ///   - configuration: behaviour.
    ///   - client: HTTP client for reports.
    public init(
        hubURL: String,
        apiKey: String,
        port: Int = 0,
        configuration: Configuration = .init(),
        client: HTTPClient = .shared,
        logger: Logger = Logger(label: "crossdock.sandbox.carrier")
    ) {
        hub = HubClient(baseURL: hubURL, apiKey: apiKey, client: client)
        self.configuration = configuration
        self.logger = logger
        endpoint = WebhookEndpoint(port: port, failureRate: configuration.failureRate, serverName: "sandbox-carrier", logger: logger)
        state = Mutex((SplitMix64(seed: configuration.seed), 0, Stats()))
        (jobs, jobSink) = AsyncStream.makeStream(of: Job.self)
    }

    /// A snapshot of the counters.
    public var stats: Stats {
        let webhooks = endpoint.counters
        var stats = state.withLock { $0.stats }
        stats.webhooks = webhooks
        return stats
    }

    /// The webhook URL once the server listens.
    public func waitUntilListening() async -> String { await endpoint.waitUntilListening() }

    /// Waits until the sandbox listens, then subscribes it to `shipment.shipped` through `hub` (a key with
    /// `subscriptions:write`). Returns the webhook URL.
    @discardableResult
    public func subscribe(through hub: HubClient) async throws -> String {
        try await endpoint.subscribe(through: hub, eventTypes: [EventType.shipmentShipped.name])
    }

    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.endpoint.run { try self.handle($0) } }
            group.addTask { await runBounded(self.jobs, concurrency: self.configuration.concurrency) { await self.track($0) } }
            try await gracefulShutdown()
            // Packages under way stop at their next milestone; nothing new starts.
            self.stopping.store(true, ordering: .relaxed)
            self.jobSink.finish()
        }
    }

    /// Makes the next parcel go silent: its label and in-transit scans are reported as a week old (the sandbox's way
    /// to compress the days a real parcel stays silent), then nothing more, so the hub's "lost by silence" watchdog
    /// (`shipment_silent`) finds it at its next run.
    public func silenceNextParcel() { silenceNext.store(true, ordering: .relaxed) }

    /// How long before the report a silent parcel's scans are dated.
    static let silentScanAge: TimeInterval = 8 * 86_400

    private func handle(_ event: CloudEvent) throws {
        guard event.shortType == EventType.shipmentShipped.name else { return }
        let shipment = try decodeData(ShippedData.self, of: event)
        let silent = silenceNext.compareExchange(expected: true, desired: false, ordering: .relaxed).exchanged
        let outcomes = state.withLock { state in
            state.shipments += 1
            state.stats.shipmentsReceived += 1
            state.stats.packages += shipment.packages.count
            return shipment.packages.enumerated().map { index, _ -> Outcome in
                guard silent, index == 0 else { return Self.draw(&state, configuration) }
                state.stats.outcomes[.silent, default: 0] += 1
                return .silent
            }
        }
        for (package, outcome) in zip(shipment.packages, outcomes) {
            jobSink.yield(
                Job(shipmentID: shipment.id, trackingNumber: package.trackingNumber, origin: shipment.warehouseId ?? "origin", outcome: outcome)
            )
        }
    }

    /// The outcome of the next package: seeded draws, with the 5th, 10th and 15th shipment forced to an exception kind
    /// not raised yet (unless they drew one) when ``Configuration/ensureEachOutcome`` is set.
    private static func draw(_ state: inout (random: SplitMix64, shipments: Int, stats: Stats), _ configuration: Configuration) -> Outcome {
        let roll = Double(state.random.next() % 1_000_000) / 1_000_000
        var outcome = Outcome.delivered
        if roll < configuration.lossRate {
            outcome = .lost
        } else if roll < configuration.lossRate + configuration.damageRate {
            outcome = .damaged
        } else if roll < configuration.lossRate + configuration.damageRate + configuration.returnRate {
            outcome = .returnedToSender
        }
        if configuration.ensureEachOutcome, outcome == .delivered || state.stats.outcomes[outcome, default: 0] > 0,
            [5, 10, 15].contains(state.shipments),
            let missing = [
                (Outcome.lost, configuration.lossRate), (.damaged, configuration.damageRate), (.returnedToSender, configuration.returnRate),
            ]
            .first(where: { $0.1 > 0 && state.stats.outcomes[$0.0, default: 0] == 0 })?.0
        {
            outcome = missing
        }
        // Counted when drawn, so a forced kind is not forced twice.
        state.stats.outcomes[outcome, default: 0] += 1
        return outcome
    }

    /// One step of a package's journey.
    private struct Step {
        var status: String
        var rawCode: String
        var location: String
        var message: String
        var exceptionKind: String? = nil
    }

    /// The steps of a journey ending in `outcome`.
    private static func journey(from origin: String, ending outcome: Outcome) -> [Step] {
        let label = Step(status: "label_created", rawCode: "pre_transit", location: origin, message: "Shipping label created")
        let transit = Step(status: "in_transit", rawCode: "in_transit", location: "Regional sort facility", message: "Departed facility")
        let vehicle = Step(status: "out_for_delivery", rawCode: "out_for_delivery", location: "Local delivery station", message: "Out for delivery")
        switch outcome {
        case .delivered:
            return [label, transit, vehicle, Step(status: "delivered", rawCode: "delivered", location: "Receiving dock", message: "Delivered")]
        case .lost:
            let lost = Step(
                status: "exception",
                rawCode: "failure",
                location: "Regional sort facility",
                message: "Package could not be located",
                exceptionKind: "lost"
            )
            return [label, transit, lost]
        case .damaged:
            let damaged = Step(
                status: "exception",
                rawCode: "failure",
                location: "Local delivery station",
                message: "Package damaged in transit",
                exceptionKind: "damaged"
            )
            return [label, transit, vehicle, damaged]
        case .silent:
            return [label, transit]
        case .returnedToSender:
            let returned = Step(
                status: "returned_to_sender",
                rawCode: "return_to_sender",
                location: "Local delivery station",
                message: "Refused by consignee; returning to shipper"
            )
            return [label, transit, vehicle, returned]
        }
    }

    private func track(_ job: Job) async {
        var history: [Milestone] = []
        for (index, step) in Self.journey(from: job.origin, ending: job.outcome).enumerated() {
            if index > 0 { try? await Task.sleep(for: configuration.stepDelay) }
            if stopping.load(ordering: .relaxed) { return }
            let now = Date().addingTimeInterval(job.outcome == .silent ? -Self.silentScanAge : 0)
            let milestone = Milestone(
                trackingNumber: job.trackingNumber,
                status: step.status,
                occurredAt: now,
                // A silent parcel's promise is still ahead: it is silence the watchdog finds, not lateness.
                estimatedDeliveryAt: step.status == "in_transit" ? Date().addingTimeInterval(2 * 86_400) : nil,
                rawCode: step.rawCode,
                location: step.location,
                message: step.message,
                exceptionKind: step.exceptionKind
            )
            history.append(milestone)
            let reported =
                switch configuration.feed {
                case .trackingAPI: await post(job, milestone, step: index)
                case .easyPost(let carrierID, let secret): await postEasyPost(job, history, carrierID: carrierID, secret: secret)
                }
            guard reported else { return }
        }
    }

    /// Posts one milestone under a key of its own, retrying like the WMS's reports. False when the hub refused it or
    /// it never got through (the package is then left where it is).
    private func post(_ job: Job, _ milestone: Milestone, step: Int) async -> Bool {
        let body = String(decoding: (try? JSONCoding.encoder().encode(milestone)) ?? Data(), as: UTF8.self)
        let answer = await hub.postRetrying(
            "/v1/shipments/\(job.shipmentID)/tracking",
            body: body,
            idempotencyKey: "trk-\(job.shipmentID)-\(job.trackingNumber)-\(step)",
            logger: logger,
            giveUp: { self.stopping.load(ordering: .relaxed) }
        )
        guard let answer, (200..<300).contains(answer.status) else {
            if let answer {
                logger.warning(
                    "tracking refused",
                    metadata: [LogKey.sandboxStatus: "\(answer.status)", LogKey.sandboxBody: "\(answer.text.prefix(300))"]
                )
            }
            state.withLock { $0.stats.reportFailures += 1 }
            return false
        }
        state.withLock { $0.stats.milestonesSent += 1 }
        return true
    }
}

import AsyncHTTPClient
import CrossdockDomain
import Foundation
import Logging
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// A simulated warehouse management system on loopback: a real HTTP server that receives the hub's
/// `fulfillment.released` webhooks and, after a delay, reports picked and shipped (sometimes short-picked)
/// back through the hub's public API. It answers `fulfillment.cancel_requested`: work not started is always
/// cancelled, work under way is cancelled with a configurable probability and otherwise refused ("already
/// picked"). It can refuse a share of webhooks with 503 to exercise retries.
public final class SandboxWMS: Service {
    /// Behaviour knobs.
    public struct Configuration: Sendable {
        /// Delay from receipt to the pick report.
        public var pickDelay: Duration
        /// Delay from pick to ship.
        public var shipDelay: Duration
        /// Share of webhooks answered 503 (0…1).
        public var failureRate: Double
        /// Share of fulfilment orders with one line short-picked by one unit (0…1).
        public var shortPickRate: Double
        /// Share of cancellation requests accepted once picking has started (0…1); requests for work not started are
        /// always accepted.
        public var cancelAcceptRate: Double
        /// Reports in progress at once.
        public var concurrency: Int
        /// Seed of the short-pick and cancellation decisions; random when nil.
        public var seed: UInt64?

        /// Creates a configuration.
        public init(
            pickDelay: Duration = .milliseconds(200),
            shipDelay: Duration = .milliseconds(200),
            failureRate: Double = 0,
            shortPickRate: Double = 0,
            cancelAcceptRate: Double = 0.7,
            concurrency: Int = 64,
            seed: UInt64? = nil
        ) {
            self.pickDelay = pickDelay
            self.shipDelay = shipDelay
            self.failureRate = failureRate
            self.shortPickRate = shortPickRate
            self.cancelAcceptRate = cancelAcceptRate
            self.concurrency = concurrency
            self.seed = seed
        }
    }

    /// What the sandbox has seen and done.
    public struct Stats: Sendable {
        /// Deliveries from the hub at the webhook endpoint.
        public var webhooks = WebhookCounters()
        /// `fulfillment.released` webhooks handled: fulfilment orders in.
        public var fulfillmentsReceived = 0
        public var picked = 0
        public var shortPicked = 0
        public var shipped = 0
        /// Cancellation requests and answers.
        public var cancellations = CancellationCounters()
        /// Reports the hub refused with 4xx other than stale cancellation answers, or that never got through.
        public var reportFailures = 0
        /// The fulfilment order it sat on (``sitOnNextFulfillment()``): received, never picked, only a cancellation
        /// answered.
        public var satOn: (id: String, warehouseID: String)?
    }

    /// How far the warehouse got with one fulfilment order.
    private enum Phase {
        /// Received (or only heard of through a cancellation request); nothing reported yet.
        case queued
        /// Picking reported; not shipped yet.
        case picked
        /// Shipped, or dropped because every unit was cancelled.
        case done
    }

    /// The warehouse's view of one fulfilment order.
    private struct Job {
        var phase = Phase.queued
        /// Units per line the warehouse agreed to cancel.
        var cancelled: [Int: Int] = [:]
        /// Units per line reported short.
        var short: [Int: Int] = [:]
        /// Cancellation answers on their way to the hub; reports wait for them so the hub hears the answer first.
        var answering = 0
    }

    private enum Work: Sendable {
        case fulfil(FulfillmentOrder)
        case answer(fulfillmentID: String, accept: Bool, lines: [LineQuantity], key: String)
        case answerIfStillRequested(fulfillmentID: String, key: String)
    }

    /// The `data` of `fulfillment.cancel_requested`.
    private struct CancelRequest: Decodable {
        var fulfillmentOrderId: String
        var orderId: String?
        var lines: [LineQuantity]
    }

    /// The secret the hub signs with; give it to `POST /v1/subscriptions`.
    public var secret: String { endpoint.secret }
    private let hub: HubClient
    private let configuration: Configuration
    private let logger: Logger
    private let endpoint: WebhookEndpoint
    private let state = Mutex<(jobs: [String: Job], stats: Stats, random: SplitMix64)>(([:], Stats(), SplitMix64(seed: 0)))
    /// Whether the next fulfilment order received is sat on.
    private let sitOnNext = Atomic<Bool>(false)
    private let work: AsyncStream<Work>
    private let workSink: AsyncStream<Work>.Continuation
    /// Cancellation answers: not queued behind fulfilment work, which may be waiting for them.
    private let answers: AsyncStream<Work>
    private let answerSink: AsyncStream<Work>.Continuation
    private let stopping = Atomic<Bool>(false)

    /// Creates the sandbox.
    /// - Parameters:
    ///   - hubURL: the hub's base URL, e.g. `http://127.0.0.1:8080`.
    ///   - apiKey: a key with `fulfillment:write` (and `orders:read`, to check a late cancellation request).
    ///   - port: where to listen; 0 picks a free port (see ``waitUntilListening()``).
    ///   - configuration: behaviour.
    ///   - client: HTTP client for reports.
    public init(
        hubURL: String,
        apiKey: String,
        port: Int = 0,
        configuration: Configuration = .init(),
        client: HTTPClient = .shared,
        logger: Logger = Logger(label: "crossdock.sandbox.wms")
    ) {
        hub = HubClient(baseURL: hubURL, apiKey: apiKey, client: client)
        self.configuration = configuration
        self.logger = logger
        endpoint = WebhookEndpoint(port: port, failureRate: configuration.failureRate, serverName: "sandbox-wms", logger: logger)
        let seed = configuration.seed ?? UInt64.random(in: .min ... .max)
        state.withLock { $0.random = SplitMix64(seed: seed) }
        (work, workSink) = AsyncStream.makeStream(of: Work.self)
        (answers, answerSink) = AsyncStream.makeStream(of: Work.self)
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

    /// Waits until the sandbox listens, then subscribes it to `fulfillment.released` and
    /// `fulfillment.cancel_requested` through `hub` (a key with `subscriptions:write`). Returns the webhook URL.
    @discardableResult
    public func subscribe(through hub: HubClient) async throws -> String {
        try await endpoint.subscribe(
            through: hub,
            eventTypes: [EventType.fulfillmentReleased.name, EventType.fulfillmentCancelRequested.name]
        )
    }

    /// Like ``subscribe(through:)``, with one subscription per warehouse in `warehouses` filtered on it, so work for
    /// other warehouses (a 3PL's) never reaches this WMS. Returns the webhook URL.
    @discardableResult
    public func subscribe(through hub: HubClient, warehouses: [String]) async throws -> String {
        var url = await endpoint.waitUntilListening()
        for warehouse in warehouses {
            url = try await endpoint.subscribe(
                through: hub,
                eventTypes: [EventType.fulfillmentReleased.name, EventType.fulfillmentCancelRequested.name],
                attributes: ["warehouse": warehouse]
            )
        }
        return url
    }

    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.endpoint.run { try self.handle($0) } }
            group.addTask {
                await runBounded(self.work, concurrency: self.configuration.concurrency) { await self.perform($0) }
            }
            group.addTask { await runBounded(self.answers, concurrency: 1024) { await self.perform($0) } }
            try await gracefulShutdown()
            // Work in hand finishes (without long retries); nothing new starts.
            self.stopping.store(true, ordering: .relaxed)
            self.workSink.finish()
            self.answerSink.finish()
        }
    }

    /// Makes the warehouse sit on the next fulfilment order it receives: it never picks it (a watchdog's
    /// `fulfillment_unacknowledged`), and answers a cancellation request for it by accepting.
    public func sitOnNextFulfillment() { sitOnNext.store(true, ordering: .relaxed) }

    private func handle(_ event: CloudEvent) throws {
        switch event.shortType {
        case EventType.fulfillmentReleased.name:
            let fulfillment = try decodeData(FulfillmentOrder.self, of: event)
            state.withLock { $0.stats.fulfillmentsReceived += 1 }
            if sitOnNext.compareExchange(expected: true, desired: false, ordering: .relaxed).exchanged {
                state.withLock { $0.stats.satOn = (fulfillment.id, fulfillment.warehouseID) }
                return
            }
            workSink.yield(.fulfil(fulfillment))
        case EventType.fulfillmentCancelRequested.name:
            let request = try decodeData(CancelRequest.self, of: event)
            answerSink.yield(decide(request, key: "\(request.fulfillmentOrderId)-cancel-\(event.id)"))
        default:
            break
        }
    }

    /// Decides the answer at once, under the lock, so the pick and ship steps see it.
    private func decide(_ request: CancelRequest, key: String) -> Work {
        state.withLock { state in
            state.stats.cancellations.requests += 1
            var job = state.jobs[request.fulfillmentOrderId] ?? Job()
            defer { state.jobs[request.fulfillmentOrderId] = job }
            let accept: Bool
            switch job.phase {
            case .queued: accept = true
            case .picked: accept = Double(state.random.next() % 1_000_000) / 1_000_000 < configuration.cancelAcceptRate
            case .done: return .answerIfStillRequested(fulfillmentID: request.fulfillmentOrderId, key: key)
            }
            if accept {
                for line in request.lines { job.cancelled[line.lineNo, default: 0] += line.quantity }
            }
            job.answering += 1
            return .answer(fulfillmentID: request.fulfillmentOrderId, accept: accept, lines: request.lines, key: key)
        }
    }

    private func perform(_ work: Work) async {
        switch work {
        case .fulfil(let fulfillment): await fulfil(fulfillment)
        case .answer(let id, let accept, let lines, let key): await answer(id, accept: accept, lines: lines, key: key)
        case .answerIfStillRequested(let id, let key): await answerIfStillRequested(id, key: key)
        }
    }

    private func answer(_ id: String, accept: Bool, lines: [LineQuantity], key: String) async {
        let body = accept ? #"{"type":"cancel_accepted"}"# : #"{"type":"cancel_refused","reason":"already picked"}"#
        let status = await report(id, body, key: key, staleIsFine: true)
        state.withLock { state in
            var job = state.jobs[id] ?? Job()
            job.answering -= 1
            if status.map({ (200..<300).contains($0) }) == true {
                if accept { state.stats.cancellations.accepted += 1 } else { state.stats.cancellations.refused += 1 }
            } else if accept {
                // The hub did not take the cancellation: the units are still to ship.
                for line in lines { job.cancelled[line.lineNo, default: 0] -= line.quantity }
            }
            state.jobs[id] = job
        }
    }

    /// A request for work already shipped: answered (refused) only while the hub still shows it pending.
    private func answerIfStillRequested(_ id: String, key: String) async {
        guard let answer = try? await hub.send(.GET, "/v1/fulfillments/\(id)"), answer.status == 200,
            let fulfillment = try? JSONCoding.decoder().decode(FulfillmentOrder.self, from: Data(answer.body))
        else { return }
        guard fulfillment.status == .cancellationRequested else {
            state.withLock { $0.stats.cancellations.answersIgnored += 1 }
            return
        }
        let status = await report(id, #"{"type":"cancel_refused","reason":"already shipped"}"#, key: key, staleIsFine: true)
        if status.map({ (200..<300).contains($0) }) == true { state.withLock { $0.stats.cancellations.refused += 1 } }
    }

    /// Waits until no cancellation answer for `id` is on its way, then runs `body` under the lock.
    private func settled<T: Sendable>(_ id: String, _ body: (inout Job, inout SplitMix64) -> T) async -> T {
        for _ in 0..<2000 {
            let busy = state.withLock { ($0.jobs[id]?.answering ?? 0) > 0 }
            if !busy { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return state.withLock { state in
            var job = state.jobs[id] ?? Job()
            defer { state.jobs[id] = job }
            return body(&job, &state.random)
        }
    }

    private func fulfil(_ fulfillment: FulfillmentOrder) async {
        try? await Task.sleep(for: configuration.pickDelay)
        let id = fulfillment.id
        // Start picking: from here on a cancellation request is no longer certain to be accepted.
        let plan = await settled(id) { job, random -> (lines: [LineQuantity], short: LineQuantity?)? in
            var lines = fulfillment.lines.map {
                LineQuantity(lineNo: $0.lineNo, quantity: max(0, $0.quantity - job.cancelled[$0.lineNo, default: 0]))
            }
            lines.removeAll { $0.quantity == 0 }
            guard !lines.isEmpty else {
                job.phase = .done
                return nil
            }
            job.phase = .picked
            var short: LineQuantity?
            if Double(random.next() % 1_000_000) / 1_000_000 < configuration.shortPickRate {
                let index = Int(random.next() % UInt64(lines.count))
                short = LineQuantity(lineNo: lines[index].lineNo, quantity: 1)
                lines[index].quantity -= 1
                job.short[lines[index].lineNo] = 1
            }
            lines.removeAll { $0.quantity == 0 }
            return (lines, short)
        }
        guard let plan else {
            state.withLock { $0.stats.cancellations.fullyCancelled += 1 }
            return
        }
        if let short = plan.short {
            let body = #"{"type":"short_picked","lines":[\#(Self.json(short))],"reason":"bin empty at pick"}"#
            if await report(id, body, key: "\(id)-short").map({ (200..<300).contains($0) }) == true { state.withLock { $0.stats.shortPicked += 1 } }
        }
        guard !plan.lines.isEmpty else {
            _ = await settled(id) { job, _ in job.phase = .done }
            return
        }
        let picked = #"{"type":"picked","lines":[\#(plan.lines.map(Self.json).joined(separator: ","))]}"#
        if await report(id, picked, key: "\(id)-picked").map({ (200..<300).contains($0) }) == true {
            state.withLock { $0.stats.picked += 1 }
        }
        try? await Task.sleep(for: configuration.shipDelay)
        // Ship what is neither short nor cancelled; nothing when every unit was cancelled meanwhile.
        let lines = await settled(id) { job, _ -> [LineQuantity] in
            job.phase = .done
            return fulfillment.lines.compactMap { line in
                let quantity = line.quantity - job.cancelled[line.lineNo, default: 0] - job.short[line.lineNo, default: 0]
                return quantity > 0 ? LineQuantity(lineNo: line.lineNo, quantity: quantity) : nil
            }
        }
        guard !lines.isEmpty else {
            state.withLock { $0.stats.cancellations.fullyCancelled += 1 }
            return
        }
        // The random end of the id: fulfilment orders created in the same millisecond share their first digits.
        let tracking = "1Z" + String(id.filter(\.isHexDigit).suffix(16)).uppercased()
        let shipped =
            #"{"type":"shipped","carrier":"UPSN","service":"ground","packages":[{"trackingNumber":"\#(tracking)","weightGrams":1200,"contents":[\#(lines.map(Self.json).joined(separator: ","))]}]}"#
        if await report(id, shipped, key: "\(id)-shipped").map({ (200..<300).contains($0) }) == true {
            state.withLock { $0.stats.shipped += 1 }
        }
    }

    private static func json(_ line: LineQuantity) -> String { #"{"lineNo":\#(line.lineNo),"quantity":\#(line.quantity)}"# }

    /// Posts a report, retrying transport errors and 5xx with backoff under the same idempotency key. Returns the
    /// final status, nil when it never got through. A 409 with `staleIsFine` (a cancellation answer the hub no longer
    /// wants) is counted, not logged.
    private func report(_ fulfillmentID: String, _ body: String, key: String, staleIsFine: Bool = false) async -> Int? {
        let answer = await hub.postRetrying(
            "/v1/fulfillments/\(fulfillmentID)/events",
            body: body,
            idempotencyKey: key,
            logger: logger,
            giveUp: { self.stopping.load(ordering: .relaxed) }
        )
        guard let answer else {
            state.withLock { $0.stats.reportFailures += 1 }
            return nil
        }
        if answer.status == 409 && staleIsFine {
            state.withLock { $0.stats.cancellations.answersIgnored += 1 }
        } else if !(200..<300).contains(answer.status) {
            logger.warning(
                "report refused",
                metadata: [LogKey.sandboxStatus: "\(answer.status)", LogKey.sandboxBody: "\(answer.text.prefix(300))"]
            )
            state.withLock { $0.stats.reportFailures += 1 }
        }
        return answer.status
    }
}

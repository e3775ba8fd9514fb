import AsyncHTTPClient
import CrossdockConnectors
import CrossdockDomain
import CrossdockStore
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import Tracing

/// Posts each event to every subscription that wants it: signed, in order per key, retried with backoff, dead
/// after the subscription's last attempt.
///
/// - **Per-key FIFO.** Only the head delivery of each (subscription, ordering key) is sent; a later event of the
///   key waits while an earlier one is pending or dead (the key is *parked* until the dead one is replayed), and
///   every other key keeps flowing.
/// - **Isolation.** Each subscription has its own in-flight limit and rate; each endpoint its own circuit breaker
///   (open after consecutive failures, no attempt burned while open, one probe when half-open). A slow or dead
///   endpoint holds at most its subscription's in-flight slots.
/// - **Answers.** 2xx delivers; `Retry-After` on 429/503 schedules the next attempt; 410 disables the subscription;
///   409 means the receiver already has a later state: the event is settled as superseded (not retried, the key not
///   parked, the receiver's reason recorded); anything else retries with exponential backoff and full jitter.
///
/// At least once: a delivery is marked delivered only after a 2xx, so a crash or a restart re-sends what was in
/// flight; the `webhook-id` (the event id, kept by replays) lets receivers apply it once.
///
/// - **Many nodes.** A delivery is sent only under a lease (``Store/claimDeliveries(_:owner:lease:)``), and only the
///   head of a key can be leased, so no two nodes send events of one key at once or out of order. A node stops sending
///   before its lease's deadline (the request's timeout is cut to fit), and its attempt is recorded only while the lease
///   is still its own: a node that lost its database for longer than the lease cannot deliver over another node.
public final class DeliveryWorker: Service {
    /// Tunables.
    public struct Configuration: Sendable {
        /// Retry policy for subscriptions that set none.
        public var retry: RetryPolicy
        /// Deliveries in flight at once, over all subscriptions.
        public var concurrency: Int
        /// Per-request timeout for subscriptions that set none.
        public var requestTimeout: Duration
        /// The longest idle wait between scans.
        public var pollInterval: Duration
        /// How long a scan waits after being woken, so that a burst of commits is handled in one scan (default 1 ms: at
        /// a steady 250 events a second, 5 ms put the median append → receipt at 8 ms instead of 3.5 ms).
        public var coalescing: Duration
        /// Requests in flight at once to one endpoint (scheme, host, port) over all its subscriptions, to protect
        /// an ERP or a WMS during peaks.
        public var perEndpointConcurrency: Int
        /// The outbound mappings subscriptions name (`settings.mapping`); a mapping that is missing or fails to render
        /// dead-letters the delivery with the error's description, since a retry would render the same.
        public var mappings: MappingCatalog?
        /// How long a claimed delivery stays this node's; another node takes it over after that (default 30 s). It must
        /// exceed the longest request timeout: a request is cut short to end a second before its lease does.
        public var lease: Duration
        /// This node's name on its leases.
        public var owner: String
        /// The URL of the JSON Schema of an event type's `data` (from its qualified type), written into each
        /// CloudEvent body as `dataschema`; nil leaves it out.
        public var dataSchema: (@Sendable (_ eventType: String) -> String)?

        /// Creates a configuration.
        public init(
            retry: RetryPolicy = .init(),
            concurrency: Int = 256,
            requestTimeout: Duration = .seconds(10),
            pollInterval: Duration = .milliseconds(250),
            coalescing: Duration = .milliseconds(1),
            perEndpointConcurrency: Int = 32,
            mappings: MappingCatalog? = nil,
            lease: Duration = .seconds(30),
            owner: String = NodeIdentity.current
        ) {
            self.mappings = mappings
            self.lease = lease
            self.owner = owner
            self.retry = retry
            self.perEndpointConcurrency = perEndpointConcurrency
            self.concurrency = concurrency
            self.requestTimeout = requestTimeout
            self.pollInterval = pollInterval
            self.coalescing = coalescing
        }
    }

    struct Dispatch {
        /// Deliveries started and not yet recorded (bounded by ``Configuration/concurrency``).
        var inFlight: Set<Int64> = []
        /// Deliveries holding their subscription's and endpoint's slots: from the start until their request is answered
        /// (or abandoned), not while their attempt is being recorded.
        var holdingSlots: Set<Int64> = []
        var perSubscription: [String: Int] = [:]
        var perEndpoint: [String: Int] = [:]
        var buckets: [String: TokenBucket] = [:]
        /// Slots freed since the last scan began.
        var freedSinceScan = 0
    }

    let store: any Store
    private let client: HTTPClient

    /// The client deliveries use by default: the process-wide event loops, and redirects not followed. A webhook
    /// endpoint that answers 3xx has moved or is misconfigured: following it would send signed events to a host nobody
    /// subscribed, so the attempt fails like any 4xx and is retried, then dead-lettered (as Standard Webhooks senders do).
    public static let defaultClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
    let configuration: Configuration
    private let logger: Logger
    /// Circuit breakers and backlog, shared with the routes.
    public let health: DeliveryHealth
    private let dispatch = Mutex(Dispatch())
    /// Rung when a delivery finishes, so its key's next event and the freed slot are taken at once.
    private let doorbell = Doorbell()
    private let stopping = Atomic<Bool>(false)
    let metrics: DeliveryMetrics
    /// Writes the attempts of deliveries that finish together in one transaction.
    private let recorder: AttemptRecorder

    /// Creates the worker.
    /// - Parameters:
    ///   - store: deliveries and events.
    ///   - client: the HTTP client.
    ///   - configuration: tunables.
    ///   - health: breakers and backlog shared with the routes (default: its own).
    ///   - logger: where to log.
    public init(
        store: any Store,
        client: HTTPClient,
        configuration: Configuration = .init(),
        health: DeliveryHealth = .init(),
        logger: Logger = Logger(label: "crossdock.delivery")
    ) {
        self.store = store
        self.client = client
        self.configuration = configuration
        self.health = health
        self.logger = logger
        self.metrics = DeliveryMetrics()
        self.recorder = AttemptRecorder(store: store)
    }

    /// Runs until graceful shutdown; then stops starting deliveries and waits for those in flight to be recorded.
    ///
    /// The loop wakes for new events (a commit's signal), for a finished delivery (the doorbell), or when a retry or a
    /// rate allows one. A wake for new events fans them out, after a short pause that gathers a burst of commits. A wake
    /// for finished deliveries goes straight to starting the next ones: the log's head is read again only when events
    /// were signalled or 20 ms have passed, and the pause lasts only until a few slots are free
    /// (``Configuration/coalescing`` at most), so one scan starts several deliveries without holding freed slots idle.
    /// On PostgreSQL each of those reads was a round trip on the path from a finished delivery to the next one.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                var lastSeen: Int64 = 0
                var fannedOut: Int64 = -1
                var subscriptions: [Subscription] = []
                var lastStats = ContinuousClock.now - .seconds(10)
                var lastListed = ContinuousClock.now - .seconds(10)
                var lastRead = ContinuousClock.now - .seconds(10)
                var wake = Wake.events
                while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                    var wakeAt: Date?
                    do {
                        if ContinuousClock.now - lastStats > .seconds(1) {
                            lastStats = ContinuousClock.now
                            await refreshStatistics()
                        }
                        // While deliveries keep the loop busy it is not waiting for the commit signal, so the head is
                        // read at least every 20 ms: new events of an idle subscription do not wait for the busy one.
                        if wake != .doorbell || ContinuousClock.now - lastRead > .milliseconds(20) {
                            lastSeen = try await store.lastSequence()
                            lastRead = ContinuousClock.now
                        }
                        // Fan out only when the log grew (or once a second, for new subscriptions).
                        if lastSeen != fannedOut || ContinuousClock.now - lastListed > .seconds(1) {
                            subscriptions = try await store.subscriptions()
                            lastListed = ContinuousClock.now
                            for subscription in subscriptions where subscription.cursor < lastSeen {
                                while try await store.fanOut(subscriptionID: subscription.id, limit: 500, now: Date()) > 0 {}
                            }
                            fannedOut = lastSeen
                        }
                        if subscriptions.isEmpty {
                            try? await Task.sleep(for: configuration.pollInterval)
                            wake = .events
                            continue
                        }
                        let (started, wait) = try await startDue(in: &group, subscriptions: subscriptions)
                        wakeAt = wait
                        if started > 0 && dispatch.withLock({ $0.inFlight.count }) < configuration.concurrency {
                            wake = .doorbell
                            continue
                        }
                    } catch {
                        logger.error("delivery scan failed", metadata: [LogKey.error: "\(error)"])
                    }
                    let wait = await idleWait(until: wakeAt)
                    let seen = lastSeen
                    wake = await withTaskGroup(of: Wake.self) { waits in
                        waits.addTask {
                            await self.store.waitForEvents(after: seen, timeout: wait)
                            return .events
                        }
                        waits.addTask {
                            await self.doorbell.wait()
                            return .doorbell
                        }
                        let first = await waits.next() ?? .events
                        waits.cancelAll()
                        return first
                    }
                    if wake == .doorbell {
                        await gatherFinished()
                    } else {
                        // Coalesce a burst of commits into one scan.
                        try? await Task.sleep(for: configuration.coalescing)
                    }
                }
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
        }
    }

    private enum Wake { case events, doorbell }

    /// After a finished delivery woke the loop: waits, up to ``Configuration/coalescing``, until a quarter of what is in
    /// flight has finished (at least one), so that the next scan starts several.
    private func gatherFinished() async {
        let deadline = ContinuousClock.now + configuration.coalescing
        while ContinuousClock.now < deadline && !stopping.load(ordering: .relaxed) {
            let (freed, busy) = dispatch.withLock { state in (state.freedSinceScan, state.holdingSlots.count) }
            if freed >= max(1, (freed + busy) / 4) { return }
            try? await Task.sleep(for: .microseconds(500))
        }
    }

    /// Starts the due head deliveries the limits allow; returns how many started and when a skipped one could go.
    ///
    /// The scan asks only for what could start: it leaves out the subscriptions that are at their in-flight limit, whose
    /// endpoint is, whose circuit is open or whose rate is spent, and reads at most the slots the others have free (and
    /// a few more while a half-open circuit turns some away). When nothing could start, it does not scan. Reading a
    /// full backlog's worth of heads (and building each one's request body) to start the one delivery a finished one
    /// made room for cost more than the deliveries. The heads are read and leased in one step
    /// (``Store/claimDueDeliveries(now:limit:skipping:owner:lease:)``); one the limits then turn away is given back.
    private func startDue(in group: inout DiscardingTaskGroup, subscriptions: [Subscription]) async throws -> (started: Int, wakeAt: Date?) {
        let now = Date()
        var wakeAt: Date?
        if let probe = health.nextProbe(after: now) { wakeAt = probe }
        let (free, skipping, room): (Int, Set<String>, Int) = dispatch.withLock { state in
            state.freedSinceScan = 0
            var skipping = Set<String>()
            // Per endpoint, the slots its subscriptions have free, up to what the endpoint has free.
            var rooms: [String: (endpoint: Int, subscriptions: Int)] = [:]
            for subscription in subscriptions where subscription.status == .active {
                let own = subscription.settings.maxInFlight - state.perSubscription[subscription.id, default: 0]
                let endpoint = configuration.perEndpointConcurrency - state.perEndpoint[subscription.endpoint, default: 0]
                var spent = false
                if let rate = subscription.settings.ratePerSecond, let bucket = state.buckets[subscription.id], bucket.rate == rate {
                    let next = bucket.nextToken(after: now)
                    if next > now {
                        spent = true
                        wakeAt = min(wakeAt ?? next, next)
                    }
                }
                if own <= 0 || endpoint <= 0 || spent {
                    skipping.insert(subscription.id)
                } else {
                    rooms[subscription.endpoint, default: (endpoint, 0)].subscriptions += own
                }
            }
            let room = rooms.values.reduce(0) { $0 + min($1.endpoint, $1.subscriptions) }
            return (configuration.concurrency - state.inFlight.count, skipping, room)
        }
        var skipped = skipping
        var probing = false
        for subscription in subscriptions where subscription.status == .active && !skipped.contains(subscription.id) {
            switch health.circuit(subscription.endpoint, at: now) {
            case .open: skipped.insert(subscription.id)
            case .halfOpen: probing = true
            case .closed: break
            }
        }
        let wanted = min(free, room)
        guard wanted > 0 else { return (0, wakeAt) }
        // A half-open circuit lets one probe through and turns the rest of its endpoint's heads away: read a few more
        // then, so that the other endpoints' slots are filled. Otherwise every head read is one that can start (each row
        // read costs its key's probe, its event and its request body).
        let claimed = try await store.claimDueDeliveries(
            now: now,
            limit: probing ? wanted + min(wanted, 8) : wanted,
            skipping: skipped,
            owner: configuration.owner,
            lease: configuration.lease
        )
        var started = 0
        var refused: [DeliveryLease] = []
        for entry in claimed {
            let item = entry.item
            let subscription = item.subscription
            let endpoint = subscription.endpoint
            let allowed: Bool = dispatch.withLock { state in
                guard started < wanted, !state.inFlight.contains(item.delivery.id),
                    state.perSubscription[subscription.id, default: 0] < subscription.settings.maxInFlight,
                    state.perEndpoint[endpoint, default: 0] < configuration.perEndpointConcurrency
                else { return false }
                if let rate = subscription.settings.ratePerSecond {
                    var bucket = state.buckets[subscription.id] ?? TokenBucket(rate: rate, now: now)
                    if bucket.rate != rate { bucket = TokenBucket(rate: rate, now: now) }
                    defer { state.buckets[subscription.id] = bucket }
                    guard bucket.take(at: now) else {
                        let next = bucket.nextToken(after: now)
                        wakeAt = min(wakeAt ?? next, next)
                        return false
                    }
                }
                return true
            }
            // A circuit that is open (or half-open with its probe out) burns nothing: the lease is given back.
            guard allowed, health.begin(endpoint, at: now) else {
                refused.append(entry.lease)
                continue
            }
            dispatch.withLock { state in
                state.inFlight.insert(item.delivery.id)
                state.holdingSlots.insert(item.delivery.id)
                state.perSubscription[subscription.id, default: 0] += 1
                state.perEndpoint[endpoint, default: 0] += 1
            }
            started += 1
            group.addTask { await self.deliver(item, lease: entry.lease) }
        }
        if !refused.isEmpty {
            do {
                try await store.releaseDeliveries(refused)
            } catch {
                // They are due again when their leases expire.
                logger.warning("could not give back unused delivery leases", metadata: [LogKey.error: "\(error)"])
            }
        }
        return (started, wakeAt)
    }

    /// Frees everything an item held.
    private func settle(_ item: DueDelivery) {
        dispatch.withLock { state in
            state.inFlight.remove(item.delivery.id)
            Self.freeSlots(item, in: &state)
        }
    }

    /// Frees the subscription's and endpoint's slots an item held, once: a request answered leaves room for the next
    /// one while its attempt is recorded (the delivery stays leased, so neither it nor a later event of its key can go
    /// until the record is committed).
    private func requestDone(_ item: DueDelivery) {
        dispatch.withLock { Self.freeSlots(item, in: &$0) }
        doorbell.ring()
    }

    private static func freeSlots(_ item: DueDelivery, in state: inout Dispatch) {
        guard state.holdingSlots.remove(item.delivery.id) != nil else { return }
        state.freedSinceScan += 1
        state.perSubscription[item.subscription.id, default: 1] -= 1
        state.perEndpoint[item.subscription.endpoint, default: 1] -= 1
    }

    private func idleWait(until wakeAt: Date?) async -> Duration {
        var seconds = Double(configuration.pollInterval.components.seconds) + Double(configuration.pollInterval.components.attoseconds) / 1e18
        if let next = try? await store.nextDeliveryDue() { seconds = min(seconds, max(0.02, next.timeIntervalSinceNow)) }
        if let wakeAt { seconds = min(seconds, max(0.005, wakeAt.timeIntervalSinceNow)) }
        return .milliseconds(Int(seconds * 1000) + 1)
    }

    /// Counts the backlog for back-pressure and per-subscription metrics.
    private func refreshStatistics() async {
        guard let statistics = try? await store.deliveryStatistics(), let subscriptions = try? await store.subscriptions() else { return }
        health.setBacklog(statistics.reduce(0) { $0 + $1.pending })
        let now = Date()
        let endpoints = Dictionary(subscriptions.map { ($0.id, $0.endpoint) }, uniquingKeysWith: { first, _ in first })
        for item in statistics {
            metrics.gauges(item, circuit: endpoints[item.subscriptionID].map { health.circuit($0, at: now) } ?? .closed, now: now)
        }
    }

    private func deliver(_ item: DueDelivery, lease: DeliveryLease) async {
        defer {
            settle(item)
            doorbell.ring()
        }
        // The attempt continues the trace of the request that appended the event, when one was traced.
        var context = ServiceContext.current ?? .topLevel
        if let traceparent = item.traceparent {
            InstrumentationSystem.instrument.extract(["traceparent": traceparent], into: &context, using: TraceparentExtractor())
        }
        await withSpan("webhook.deliver", context: context, ofKind: .client) { span in
            span.attributes["crossdock.delivery.id"] = Int(item.delivery.id)
            span.attributes["crossdock.event.type"] = item.eventType
            span.attributes["crossdock.delivery.attempt"] = item.delivery.attempts + 1
            span.attributes["crossdock.subscription.id"] = item.subscription.id
            await attempt(item, lease: lease)
        }
    }

    /// The retry policy of `subscription`: its own settings over the hub's defaults.
    func policy(_ subscription: Subscription) -> RetryPolicy {
        let settings = subscription.settings
        return RetryPolicy(
            maxAttempts: settings.maxAttempts ?? configuration.retry.maxAttempts,
            base: settings.retryBaseMs.map { .milliseconds($0) } ?? configuration.retry.base,
            cap: settings.retryCapMs.map { .milliseconds($0) } ?? configuration.retry.cap
        )
    }

    private func attempt(_ item: DueDelivery, lease: DeliveryLease) async {
        let subscription = item.subscription
        let endpoint = subscription.endpoint
        let start = ContinuousClock.now
        let attempt = item.delivery.attempts + 1
        let policy = policy(subscription)
        // The request ends a second before the lease does, so this node never sends after another may have taken over.
        let remaining = lease.deadline - start - .seconds(1)
        guard remaining > .milliseconds(100) else {
            health.finish(endpoint, healthy: true, at: Date())
            await release(lease)
            return
        }
        let timeout = min(subscription.settings.timeoutMs.map { Duration.milliseconds($0) } ?? configuration.requestTimeout, remaining)
        if let reason = subscription.secretUnavailable {
            // Never unsigned: the attempt fails with the reason (retried on the policy, then dead-lettered) until the
            // key the secret needs is supplied. The endpoint is not at fault: the circuit breaker counts it healthy.
            logger.error(
                "delivery not sent: the subscription's signing secret cannot be read",
                metadata: [LogKey.delivery: "\(item.delivery.id)", LogKey.subscription: "\(subscription.id)", LogKey.error: "\(reason)"]
            )
            health.finish(endpoint, healthy: true, at: Date())
            let retryAt = policy.retryAt(after: attempt, now: Date())
            await record(
                DeliveryAttemptRecord(lease: lease, result: .failed(statusCode: nil, error: reason, latency: .zero, retryAt: retryAt), at: Date())
            )
            return
        }
        let result: DeliveryAttemptResult
        var outcome: DeliveryMetrics.Outcome
        var healthy: Bool
        do {
            var body = configuration.dataSchema.map { Self.withDataSchema(item.body, url: $0(item.eventType)) } ?? item.body
            var contentType = "application/cloudevents+json"
            var url = subscription.url
            if let mapping = subscription.settings.mapping {
                guard let rendered = await render(item, mapping: mapping, lease: lease, start: start) else { return }
                (body, contentType) = (rendered.body, rendered.contentType)
                if let path = rendered.path { url = Self.join(url, path) }
            }
            if subscription.settings.alert?.format == .slack, let slack = SlackAlertBody.render(event: item.body) {
                (body, contentType) = (slack, "application/json")
            }
            let timestamp = Int(Date().timeIntervalSince1970)
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "content-type", value: contentType)
            request.headers.add(name: "user-agent", value: "crossdock-webhooks/1")
            request.headers.add(name: "webhook-id", value: item.eventID)
            request.headers.add(name: "webhook-timestamp", value: String(timestamp))
            let signatures = subscription.signingSecrets(at: Date()).compactMap {
                WebhookSigner.signature(secret: $0, id: item.eventID, timestamp: timestamp, body: body)
            }
            if !signatures.isEmpty { request.headers.add(name: "webhook-signature", value: signatures.joined(separator: " ")) }
            request.body = .bytes(ByteBuffer(bytes: body))
            let response = try await client.execute(request, timeout: .init(timeout))
            let excerpt = try await response.body.collect(upTo: 4096)
            let elapsed = ContinuousClock.now - start
            let code = Int(response.status.code)
            let now = Date()
            let retryAfter = Self.retryAfter(response.headers.first(name: "retry-after"), now: now)
            switch code {
            case 200..<300:
                if let mapping = subscription.settings.mapping,
                    let reference = externalReference(mapping: mapping, reply: excerpt, item: item, at: now)
                {
                    try? await store.recordExternalReference(reference)
                }
                result = .delivered(statusCode: code, latency: elapsed)
                (outcome, healthy) = (.success, true)
            case 409:
                // The receiver already has a later state: a retry would be refused the same way, and later events of
                // the key must not wait behind this one.
                result = .superseded(statusCode: code, reason: "superseded: " + Self.describe(code, excerpt), latency: elapsed)
                (outcome, healthy) = (.superseded, true)
            case 410:
                // The endpoint says the subscription is gone: stop sending until an operator resumes it.
                _ = try? await store.setSubscriptionStatus(subscription.id, status: .disabled, reason: "endpoint answered 410 Gone")
                logger.warning("subscription disabled by 410", metadata: [LogKey.subscription: "\(subscription.id)"])
                result = .failed(statusCode: code, error: "HTTP 410: subscription disabled", latency: elapsed, retryAt: now)
                (outcome, healthy) = (.gone, true)
            case 429 where retryAfter != nil, 503 where retryAfter != nil:
                // Retry when the endpoint says, as long as attempts remain.
                let honoured = policy.retryAt(after: attempt, now: now).map { _ in max(retryAfter ?? now, now) }
                result = .failed(statusCode: code, error: Self.describe(code, excerpt), latency: elapsed, retryAt: honoured)
                (outcome, healthy) = (.rateLimited, code == 429)
            default:
                result = .failed(
                    statusCode: code,
                    error: Self.describe(code, excerpt),
                    latency: elapsed,
                    retryAt: policy.retryAt(after: attempt, now: now)
                )
                (outcome, healthy) = code >= 500 ? (.serverError, false) : (.clientError, true)
            }
        } catch {
            if stopping.load(ordering: .relaxed) && Task.isCancelled {
                health.finish(endpoint, healthy: true, at: Date())  // abandoned on forced shutdown: retried later
                await release(lease)
                return
            }
            let timedOut = "\(error)".lowercased().contains("timeout") || "\(error)".lowercased().contains("deadline")
            result = .failed(
                statusCode: nil,
                error: "\(error)",
                latency: ContinuousClock.now - start,
                retryAt: policy.retryAt(after: attempt, now: Date())
            )
            (outcome, healthy) = (timedOut ? .timeout : .transport, false)
        }
        health.finish(endpoint, healthy: healthy, at: Date())
        requestDone(item)
        metrics.record(outcome, subscription: subscription.id, latency: ContinuousClock.now - start)
        if case .failed(_, let error, _, nil) = result {
            logger.warning(
                "delivery dead",
                metadata: [LogKey.delivery: "\(item.delivery.id)", LogKey.subscription: "\(subscription.id)", LogKey.error: "\(error.prefix(200))"]
            )
        }
        await record(DeliveryAttemptRecord(lease: lease, result: result, at: Date()))
    }

    /// Records an attempt under its lease. A lost lease (another node took the delivery over) records nothing: that
    /// node's attempt counts, and the receiver sees this one as a repeat of the same event id.
    func record(_ attempt: DeliveryAttemptRecord) async {
        do {
            if try await !recorder.record(attempt) {
                logger.warning("delivery lease lost before its attempt was recorded", metadata: [LogKey.delivery: "\(attempt.lease.deliveryID)"])
            }
        } catch {
            logger.error("could not record a delivery attempt; it will be retried", metadata: [LogKey.error: "\(error)"])
        }
    }

    /// Gives a lease back unused, so the delivery goes out at the next scan instead of after the lease expires.
    func release(_ lease: DeliveryLease) async {
        _ = try? await store.releaseDeliveries([lease])
    }

    static func describe(_ code: Int, _ excerpt: ByteBuffer) -> String {
        "HTTP \(code): \(String(buffer: excerpt).prefix(300))"
    }

    /// `Retry-After` as a time: delay seconds or an HTTP date; nil when absent or unreadable. At most one day ahead.
    static func retryAfter(_ value: String?, now: Date) -> Date? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value), seconds >= 0 { return now.addingTimeInterval(Double(min(seconds, 86_400))) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return min(date, now.addingTimeInterval(86_400))
    }

    /// `event` (a CloudEvent JSON object) with the `dataschema` attribute set to `url`.
    static func withDataSchema(_ event: [UInt8], url: String) -> [UInt8] {
        guard event.first == UInt8(ascii: "{"), event.count > 2 else { return event }
        var result: [UInt8] = [UInt8(ascii: "{")]
        result.reserveCapacity(event.count + url.utf8.count + 16)
        result += Array("\"dataschema\":".utf8)
        JSONWriter.appendString(url, to: &result)
        result.append(UInt8(ascii: ","))
        result += event.dropFirst()
        return result
    }
}

/// Reads the stored trace context of an event.
private struct TraceparentExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

import AsyncHTTPClient
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

/// Posts each event to every subscription that wants it, signed, retried with backoff, dead after the
/// policy's last attempt. At least once: a delivery is marked delivered only after a 2xx, so a crash or a
/// restart re-sends what was in flight; the `webhook-id` (the event id) lets receivers apply it once.
public final class DeliveryWorker: Service {
    /// Tunables.
    public struct Configuration: Sendable {
        /// Retry policy.
        public var retry: RetryPolicy
        /// Deliveries in flight at once, over all subscriptions.
        public var concurrency: Int
        /// Per-request timeout.
        public var requestTimeout: Duration
        /// The longest idle wait between scans.
        public var pollInterval: Duration
        /// How long a scan waits after being woken, so that a burst of commits is handled in one scan.
        public var coalescing: Duration

        /// Creates a configuration.
        public init(
            retry: RetryPolicy = .init(),
            concurrency: Int = 32,
            requestTimeout: Duration = .seconds(10),
            pollInterval: Duration = .milliseconds(250),
            coalescing: Duration = .milliseconds(5)
        ) {
            self.retry = retry
            self.concurrency = concurrency
            self.requestTimeout = requestTimeout
            self.pollInterval = pollInterval
            self.coalescing = coalescing
        }
    }

    private let store: any Store
    private let client: HTTPClient
    private let configuration: Configuration
    private let logger: Logger
    private let inFlight = Mutex<Set<Int64>>([])
    private let stopping = Atomic<Bool>(false)
    private let delivered = Counter(label: "crossdock.delivery.delivered")
    private let failed = Counter(label: "crossdock.delivery.failed")
    private let dead = Counter(label: "crossdock.delivery.dead")
    private let latency = Timer(label: "crossdock.delivery.latency")

    /// Creates the worker.
    public init(store: any Store, client: HTTPClient, configuration: Configuration = .init(), logger: Logger = Logger(label: "crossdock.delivery")) {
        self.store = store
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until graceful shutdown; then stops starting deliveries and waits for those in flight to be recorded.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                var lastSeen: Int64 = 0
                while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                    do {
                        let subscriptions = try await store.subscriptions()
                        if subscriptions.isEmpty {
                            try? await Task.sleep(for: configuration.pollInterval)
                            continue
                        }
                        lastSeen = try await store.lastSequence()
                        for subscription in subscriptions where subscription.cursor < lastSeen {
                            while try await store.fanOut(subscriptionID: subscription.id, limit: 500, now: Date()) > 0 {}
                        }
                        let free = configuration.concurrency - inFlight.withLock { $0.count }
                        if free > 0 {
                            let excluded = inFlight.withLock { $0 }
                            let due = try await store.dueDeliveries(now: Date(), limit: free, excluding: excluded)
                            for item in due {
                                inFlight.withLock { _ = $0.insert(item.delivery.id) }
                                group.addTask { await self.deliver(item) }
                            }
                            if !due.isEmpty && due.count == free { continue }
                        }
                    } catch {
                        logger.error("delivery scan failed", metadata: [LogKey.error: "\(error)"])
                    }
                    await store.waitForEvents(after: lastSeen, timeout: await idleWait())
                    // Coalesce a burst of commits into one scan.
                    try? await Task.sleep(for: configuration.coalescing)
                }
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
        }
    }

    private func idleWait() async -> Duration {
        guard let next = try? await store.nextDeliveryDue() else { return configuration.pollInterval }
        let seconds = next.timeIntervalSinceNow
        if seconds <= 0 { return .milliseconds(20) }
        return min(configuration.pollInterval, .milliseconds(Int(seconds * 1000) + 1))
    }

    private func deliver(_ item: DueDelivery) async {
        defer { inFlight.withLock { _ = $0.remove(item.delivery.id) } }
        await withSpan("webhook.deliver", ofKind: .client) { span in
            span.attributes["crossdock.delivery.id"] = Int(item.delivery.id)
            span.attributes["crossdock.event.type"] = item.event.type
            span.attributes["crossdock.delivery.attempt"] = item.delivery.attempts + 1
            await attempt(item)
        }
    }

    private func attempt(_ item: DueDelivery) async {
        let start = ContinuousClock.now
        let result: DeliveryAttemptResult
        do {
            let body = try JSONCoding.encoder().encode(item.event)
            let timestamp = Int(Date().timeIntervalSince1970)
            var request = HTTPClientRequest(url: item.subscription.url)
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/cloudevents+json")
            request.headers.add(name: "user-agent", value: "crossdock-webhooks/1")
            request.headers.add(name: "webhook-id", value: item.event.id)
            request.headers.add(name: "webhook-timestamp", value: String(timestamp))
            if let signature = WebhookSigner.signature(secret: item.subscription.secret, id: item.event.id, timestamp: timestamp, body: body) {
                request.headers.add(name: "webhook-signature", value: signature)
            }
            request.body = .bytes(ByteBuffer(bytes: body))
            let response = try await client.execute(request, timeout: .init(configuration.requestTimeout))
            let excerpt = try await response.body.collect(upTo: 4096)
            let elapsed = ContinuousClock.now - start
            if (200..<300).contains(response.status.code) {
                result = .delivered(statusCode: Int(response.status.code), latency: elapsed)
            } else {
                let attempt = item.delivery.attempts + 1
                result = .failed(
                    statusCode: Int(response.status.code),
                    error: "HTTP \(response.status.code): \(String(buffer: excerpt).prefix(300))",
                    latency: elapsed,
                    retryAt: configuration.retry.retryAt(after: attempt, now: Date())
                )
            }
        } catch {
            if stopping.load(ordering: .relaxed) && Task.isCancelled { return }  // abandoned on forced shutdown: retried later
            let attempt = item.delivery.attempts + 1
            result = .failed(
                statusCode: nil,
                error: "\(error)",
                latency: ContinuousClock.now - start,
                retryAt: configuration.retry.retryAt(after: attempt, now: Date())
            )
        }
        switch result {
        case .delivered(_, let elapsed):
            delivered.increment()
            latency.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        case .failed(_, let error, _, let retryAt):
            failed.increment()
            if retryAt == nil {
                dead.increment()
                logger.warning("delivery dead", metadata: [LogKey.delivery: "\(item.delivery.id)", LogKey.error: "\(error.prefix(200))"])
            }
        }
        do {
            try await store.recordAttempt(deliveryID: item.delivery.id, result: result, at: Date())
        } catch {
            logger.error("could not record a delivery attempt; it will be retried", metadata: [LogKey.error: "\(error)"])
        }
    }
}

import AsyncHTTPClient
import CrossdockDomain
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// A simulated warehouse management system on loopback: a real HTTP server that receives the hub's
/// `fulfillment.released` webhooks and, after a delay, reports picked and shipped (sometimes short-picked)
/// back through the hub's public API. It can refuse a share of webhooks with 503 to exercise retries.
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
        /// Reports in progress at once.
        public var concurrency: Int

        /// Creates a configuration.
        public init(
            pickDelay: Duration = .milliseconds(200),
            shipDelay: Duration = .milliseconds(200),
            failureRate: Double = 0,
            shortPickRate: Double = 0,
            concurrency: Int = 64
        ) {
            self.pickDelay = pickDelay
            self.shipDelay = shipDelay
            self.failureRate = failureRate
            self.shortPickRate = shortPickRate
            self.concurrency = concurrency
        }
    }

    /// What the sandbox has seen and done.
    public struct Stats: Sendable {
        public var webhooksReceived = 0
        public var webhooksRefused = 0
        public var duplicates = 0
        public var badSignatures = 0
        public var picked = 0
        public var shortPicked = 0
        public var shipped = 0
        public var reportFailures = 0
    }

    /// The secret the hub signs with; give it to `POST /v1/subscriptions`.
    public let secret: String
    private let hubURL: String
    private let apiKey: String
    private let configuration: Configuration
    private let client: HTTPClient
    private let logger: Logger
    private let port: Int
    private let state = Mutex<(seen: Set<String>, stats: Stats)>(([], Stats()))
    private let jobs: AsyncStream<FulfillmentOrder>
    private let jobSink: AsyncStream<FulfillmentOrder>.Continuation
    private let boundPort = Mutex<Int?>(nil)
    private let ready = Mutex<[CheckedContinuation<Int, Never>]>([])

    /// Creates the sandbox.
    /// - Parameters:
    ///   - hubURL: the hub's base URL, e.g. `http://127.0.0.1:8080`.
    ///   - apiKey: a key with `fulfillment:write`.
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
        self.hubURL = hubURL
        self.apiKey = apiKey
        self.port = port
        self.configuration = configuration
        self.client = client
        self.logger = logger
        var bytes = [UInt8](repeating: 0, count: 24)
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max) }
        secret = "whsec_" + Data(bytes).base64EncodedString()
        (jobs, jobSink) = AsyncStream.makeStream(of: FulfillmentOrder.self)
    }

    /// A snapshot of the counters.
    public var stats: Stats { state.withLock { $0.stats } }

    /// The webhook URL once the server listens.
    public func waitUntilListening() async -> String {
        let port = await withCheckedContinuation { continuation in
            let known = boundPort.withLock { $0 }
            if let known { continuation.resume(returning: known) } else { ready.withLock { $0.append(continuation) } }
        }
        return "http://127.0.0.1:\(port)/webhooks"
    }

    /// Waits until the sandbox listens, then subscribes it to `fulfillment.released` through `hub` (a key with
    /// `subscriptions:write`). Returns the webhook URL.
    @discardableResult
    public func subscribe(through hub: HubClient) async throws -> String {
        struct NewSubscription: Encodable {
            var url: String
            var eventTypes: [String]
            var secret: String
        }
        let url = await waitUntilListening()
        try await hub.expectSuccess(.POST, "/v1/subscriptions", json: NewSubscription(url: url, eventTypes: ["fulfillment.released"], secret: secret))
        return url
    }

    public func run() async throws {
        let router = Router()
        router.post("/webhooks") { request, _ in try await self.receive(request) }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "sandbox-wms"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let waiting = self.boundPort.withLock { bound in
                    bound = port
                    return self.ready.withLock { list in
                        defer { list = [] }
                        return list
                    }
                }
                for continuation in waiting { continuation.resume(returning: port) }
            },
            logger: logger
        )
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await app.runService() }
            group.addTask { await self.work() }
            try await gracefulShutdown()
            self.jobSink.finish()
        }
    }

    private func receive(_ request: Request) async throws -> Response {
        let body = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
        if Double.random(in: 0..<1) < configuration.failureRate {
            state.withLock { $0.stats.webhooksRefused += 1 }
            return Response(status: .serviceUnavailable)
        }
        guard let id = request.headers[.init("webhook-id")!], let timestamp = request.headers[.init("webhook-timestamp")!],
            let signature = request.headers[.init("webhook-signature")!], let verifier = SignatureVerifier(secret: secret),
            verifier.isValid(id: id, timestamp: timestamp, signatureHeader: signature, body: body)
        else {
            state.withLock { $0.stats.badSignatures += 1 }
            return Response(status: .unauthorized)
        }
        let fresh = state.withLock { state -> Bool in
            state.stats.webhooksReceived += 1
            if !state.seen.insert(id).inserted {
                state.stats.duplicates += 1
                return false
            }
            return true
        }
        guard fresh else { return Response(status: .ok) }
        let event = try JSONCoding.decoder().decode(CloudEvent.self, from: Data(body))
        if event.shortType == EventType.fulfillmentReleased.name {
            let data = try JSONCoding.encoder().encode(event.data)
            jobSink.yield(try JSONCoding.decoder().decode(FulfillmentOrder.self, from: data))
        }
        return Response(status: .ok)
    }

    private func work() async {
        await withDiscardingTaskGroup { group in
            var running = 0
            for await fulfillment in jobs {
                if running >= configuration.concurrency {
                    // Bounded: wait for one report to finish before starting the next.
                    while running >= configuration.concurrency {
                        try? await Task.sleep(for: .milliseconds(10))
                        running = inProgress.withLock { $0 }
                    }
                }
                inProgress.withLock { $0 += 1 }
                running += 1
                group.addTask {
                    await self.fulfil(fulfillment)
                    self.inProgress.withLock { $0 -= 1 }
                }
            }
        }
    }

    private let inProgress = Mutex(0)

    private func fulfil(_ fulfillment: FulfillmentOrder) async {
        try? await Task.sleep(for: configuration.pickDelay)
        var lines = fulfillment.lines.map { LineQuantity(lineNo: $0.lineNo, quantity: $0.quantity) }
        var short: LineQuantity?
        if Double.random(in: 0..<1) < configuration.shortPickRate, let index = lines.indices.randomElement() {
            short = LineQuantity(lineNo: lines[index].lineNo, quantity: 1)
            lines[index].quantity -= 1
        }
        lines.removeAll { $0.quantity == 0 }
        if let short {
            let body = #"{"type":"short_picked","lines":[{"lineNo":\#(short.lineNo),"quantity":1}],"reason":"bin empty at pick"}"#
            if await report(fulfillment.id, body, key: "\(fulfillment.id)-short") { state.withLock { $0.stats.shortPicked += 1 } }
        }
        guard !lines.isEmpty else { return }
        let picked = #"{"type":"picked","lines":[\#(lines.map { #"{"lineNo":\#($0.lineNo),"quantity":\#($0.quantity)}"# }.joined(separator: ","))]}"#
        if await report(fulfillment.id, picked, key: "\(fulfillment.id)-picked") { state.withLock { $0.stats.picked += 1 } }
        try? await Task.sleep(for: configuration.shipDelay)
        let tracking = "1Z" + String(fulfillment.id.filter(\.isHexDigit).prefix(16)).uppercased()
        let contents = lines.map { #"{"lineNo":\#($0.lineNo),"quantity":\#($0.quantity)}"# }.joined(separator: ",")
        let shipped =
            #"{"type":"shipped","carrier":"UPSN","service":"ground","packages":[{"trackingNumber":"\#(tracking)","weightGrams":1200,"contents":[\#(contents)]}]}"#
        if await report(fulfillment.id, shipped, key: "\(fulfillment.id)-shipped") { state.withLock { $0.stats.shipped += 1 } }
    }

    /// Posts a report, retrying transport errors and 5xx with backoff under the same idempotency key.
    private func report(_ fulfillmentID: String, _ body: String, key: String) async -> Bool {
        for attempt in 0..<8 {
            do {
                var request = HTTPClientRequest(url: "\(hubURL)/v1/fulfillments/\(fulfillmentID)/events")
                request.method = .POST
                request.headers.add(name: "authorization", value: "Bearer \(apiKey)")
                request.headers.add(name: "content-type", value: "application/json")
                request.headers.add(name: "idempotency-key", value: key)
                request.body = .bytes(ByteBuffer(string: body))
                let response = try await client.execute(request, timeout: .seconds(10))
                let text = String(buffer: try await response.body.collect(upTo: 1 << 16))
                if (200..<300).contains(response.status.code) { return true }
                if response.status.code < 500 {
                    logger.warning(
                        "report refused",
                        metadata: [LogKey.sandboxStatus: "\(response.status.code)", LogKey.sandboxBody: "\(text.prefix(300))"]
                    )
                    state.withLock { $0.stats.reportFailures += 1 }
                    return false
                }
            } catch {
                logger.debug("report failed; retrying", metadata: [LogKey.sandboxError: "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(100 * (1 << attempt)))
        }
        state.withLock { $0.stats.reportFailures += 1 }
        return false
    }
}

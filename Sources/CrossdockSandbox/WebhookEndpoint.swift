import CrossdockDomain
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// What a sandbox partner's webhook endpoint has seen.
public struct WebhookCounters: Sendable {
    /// Webhooks with a valid signature (first deliveries and redeliveries).
    public var received = 0
    /// Webhooks answered 503 on purpose, to exercise the hub's retries.
    public var refused = 0
    /// Redeliveries of a `webhook-id` already handled; acknowledged and ignored.
    public var duplicates = 0
    /// Webhooks whose signature did not verify.
    public var badSignatures = 0
}

/// The receiving half every sandbox partner shares: a Hummingbird server on loopback that verifies Standard Webhooks
/// signatures with ``SignatureVerifier``, acknowledges redeliveries of a `webhook-id` without handling them again and
/// hands each new CloudEvent to the partner.
final class WebhookEndpoint: Sendable {
    /// The secret the hub signs with.
    let secret: String
    private let port: Int
    private let failureRate: Double
    private let serverName: String
    private let logger: Logger
    private let boundPort = Mutex<Int?>(nil)
    private let ready = Mutex<[CheckedContinuation<Int, Never>]>([])
    private let state = Mutex<(seen: Set<String>, counters: WebhookCounters)>(([], WebhookCounters()))
    /// Deliveries still to refuse regardless of `failureRate` (goes below zero once spent).
    private let forcedRefusals: Atomic<Int>

    /// Creates an endpoint.
    /// - Parameters:
    ///   - port: where to listen; 0 picks a free port.
    ///   - failureRate: share of webhooks answered 503 (0…1).
    ///   - serverName: the `Server` header.
    ///   - logger: the server's logger.
    ///   - refuseFirst: how many deliveries to answer 503 before the random share applies, so a run always sees
    ///     the hub retry (0 by default).
    init(port: Int, failureRate: Double, serverName: String, logger: Logger, refuseFirst: Int = 0) {
        self.port = port
        self.failureRate = failureRate
        forcedRefusals = Atomic(refuseFirst)
        self.serverName = serverName
        self.logger = logger
        var bytes = [UInt8](repeating: 0, count: 24)
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max) }
        secret = "whsec_" + Data(bytes).base64EncodedString()
    }

    /// A snapshot of the counters.
    var counters: WebhookCounters { state.withLock { $0.counters } }

    /// The webhook URL once the server listens.
    func waitUntilListening() async -> String {
        let port = await withCheckedContinuation { continuation in
            let known = boundPort.withLock { $0 }
            if let known { continuation.resume(returning: known) } else { ready.withLock { $0.append(continuation) } }
        }
        return "http://127.0.0.1:\(port)/webhooks"
    }

    /// Waits until the server listens, then subscribes it to `eventTypes` through `hub` (a key with
    /// `subscriptions:write`), at `/webhooks` plus `path`, rendered with `mapping` when given and only for events whose
    /// attributes match `attributes`. Returns the webhook URL.
    func subscribe(
        through hub: HubClient,
        eventTypes: [String],
        path: String = "",
        mapping: String? = nil,
        attributes: [String: String] = [:]
    ) async throws -> String {
        struct Settings: Encodable {
            var mapping: String?
            var attributes: [String: String]
        }
        struct NewSubscription: Encodable {
            var url: String
            var eventTypes: [String]
            var secret: String
            var settings: Settings
        }
        let url = await waitUntilListening() + path
        try await hub.expectSuccess(
            .POST,
            "/v1/subscriptions",
            json: NewSubscription(url: url, eventTypes: eventTypes, secret: secret, settings: Settings(mapping: mapping, attributes: attributes))
        )
        return url
    }

    /// Runs the server until graceful shutdown, handing each new, verified event to `handle`. An error thrown by
    /// `handle` answers 500, so the hub delivers the event again.
    func run(_ handle: @escaping @Sendable (CloudEvent) async throws -> Void) async throws {
        try await runRaw { _, body in
            try await handle(try JSONCoding.decoder().decode(CloudEvent.self, from: Data(body)))
            return Reply(status: 200)
        }
    }

    /// What a raw handler answers.
    struct Reply: Sendable {
        var status: Int
        var contentType = "application/json"
        var body: [UInt8] = []
    }

    /// Runs the server until graceful shutdown, handing the path (after `/webhooks`) and body of each new, verified
    /// delivery to `handle`, whatever its content type (mapped partner payloads, X12). An error answers 500.
    func runRaw(_ handle: @escaping @Sendable (_ path: String, _ body: [UInt8]) async throws -> Reply) async throws {
        let router = Router()
        router.post("/webhooks") { request, _ in try await self.receive(request, path: "", handle) }
        router.post("/webhooks/**") { request, _ in
            try await self.receive(request, path: String(request.uri.path.dropFirst("/webhooks".count)), handle)
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: serverName),
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
        try await app.runService()
    }

    private func receive(
        _ request: Request,
        path: String,
        _ handle: @Sendable (_ path: String, _ body: [UInt8]) async throws -> Reply
    ) async throws -> Response {
        let body = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
        if forcedRefusals.wrappingSubtract(1, ordering: .relaxed).oldValue > 0 || Double.random(in: 0..<1) < failureRate {
            state.withLock { $0.counters.refused += 1 }
            return Response(status: .serviceUnavailable)
        }
        guard let id = request.headers[.init("webhook-id")!], let timestamp = request.headers[.init("webhook-timestamp")!],
            let signature = request.headers[.init("webhook-signature")!], let verifier = SignatureVerifier(secret: secret),
            verifier.isValid(id: id, timestamp: timestamp, signatureHeader: signature, body: body)
        else {
            state.withLock { $0.counters.badSignatures += 1 }
            return Response(status: .unauthorized)
        }
        let fresh = state.withLock { state -> Bool in
            state.counters.received += 1
            if !state.seen.insert(id).inserted {
                state.counters.duplicates += 1
                return false
            }
            return true
        }
        guard fresh else { return Response(status: .ok) }
        do {
            let reply = try await handle(path, body)
            return Response(
                status: .init(code: reply.status),
                headers: [.contentType: reply.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: reply.body))
            )
        } catch {
            // Forgotten again, so the hub's redelivery is handled rather than dropped as a duplicate.
            state.withLock { _ = $0.seen.remove(id) }
            throw error
        }
    }
}

/// Runs `body` for each element of `jobs`, at most `concurrency` at once, until the stream ends and every job is done.
func runBounded<Element: Sendable>(
    _ jobs: AsyncStream<Element>,
    concurrency: Int,
    _ body: @escaping @Sendable (Element) async -> Void
) async {
    await withTaskGroup(of: Void.self) { group in
        var running = 0
        for await job in jobs {
            if running >= max(1, concurrency) {
                await group.next()
                running -= 1
            }
            running += 1
            group.addTask { await body(job) }
        }
    }
}

/// Decodes a CloudEvent's `data` as `T`.
func decodeData<T: Decodable>(_ type: T.Type, of event: CloudEvent) throws -> T {
    try JSONCoding.decoder().decode(T.self, from: try JSONCoding.encoder().encode(event.data))
}

extension HubClient {
    /// Posts `body` under `idempotencyKey`, retrying transport errors, 429 and 5xx with exponential backoff (100 ms,
    /// doubling) under the same key, at most `attempts` times. Returns the first other answer (2xx or 4xx), or nil
    /// when every attempt failed. Stops retrying early once `giveUp` returns true (the partner is shutting down).
    func postRetrying(
        _ path: String,
        body: String,
        idempotencyKey: String,
        attempts: Int = 8,
        logger: Logger,
        giveUp: @Sendable () -> Bool = { false }
    ) async -> Answer? {
        for attempt in 0..<attempts {
            do {
                let answer = try await send(.POST, path, body: Array(body.utf8), idempotencyKey: idempotencyKey, timeout: .seconds(10))
                if answer.status != 429 && answer.status < 500 { return answer }
                logger.debug("hub answered \(answer.status); retrying", metadata: [LogKey.sandboxStatus: "\(answer.status)"])
            } catch {
                logger.debug("report failed; retrying", metadata: [LogKey.sandboxError: "\(error)"])
            }
            if giveUp() || attempt == attempts - 1 { break }
            try? await Task.sleep(for: .milliseconds(100 * (1 << attempt)))
        }
        return nil
    }
}

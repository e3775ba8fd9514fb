import CrossdockDomain
import Crypto
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
    /// Redeliveries of a `webhook-id` whose body differed from the first delivery's (the hub must never send one).
    public var conflictingDuplicates = 0
    /// Deliveries answered 503 because the partner was down on purpose.
    public var refusedWhileDown = 0
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
    /// Per `webhook-id`: the SHA-256 of the first body and the reply given to it (replayed to redeliveries).
    private let state = Mutex<(seen: [String: (digest: [UInt8], reply: Reply?)], counters: WebhookCounters)>(([:], WebhookCounters()))
    /// Deliveries still to refuse regardless of `failureRate` (goes below zero once spent).
    private let forcedRefusals: Atomic<Int>
    /// Whether redeliveries of a `webhook-id` are acknowledged without being handled again (true), or handled like
    /// any request (false: a partner that applies changes by their own version, like a CRM's REST API).
    private let dedupe: Bool
    /// While true every delivery is answered 503 (the partner is down).
    private let down = Atomic<Bool>(false)
    /// Whether the endpoint was down and has not handled a delivery since, and when it last did after coming back.
    private let outage = Mutex<(pending: Bool, recoveredAt: Date?)>((false, nil))

    /// Creates an endpoint.
    /// - Parameters:
    ///   - port: where to listen; 0 picks a free port.
    ///   - failureRate: share of webhooks answered 503 (0…1).
    ///   - serverName: the `Server` header.
    ///   - logger: the server's logger.
    ///   - refuseFirst: how many deliveries to answer 503 before the random share applies, so a run always sees
    ///     the hub retry (0 by default).
    ///   - dedupe: whether redeliveries of a `webhook-id` are acknowledged with the first reply without being handled.
    init(port: Int, failureRate: Double, serverName: String, logger: Logger, refuseFirst: Int = 0, dedupe: Bool = true) {
        self.dedupe = dedupe
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

    /// Takes the partner down (every delivery answered 503) or brings it back.
    func setDown(_ isDown: Bool) {
        if isDown { outage.withLock { $0.pending = true } }
        down.store(isDown, ordering: .relaxed)
    }

    /// When the endpoint handled its first delivery after it was last down (nil before that, or if never down).
    var recoveredAt: Date? { outage.withLock { $0.recoveredAt } }

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
        try await subscription(through: hub, eventTypes: eventTypes, path: path, mapping: mapping, attributes: attributes).url
    }

    /// As ``subscribe(through:eventTypes:path:mapping:attributes:)``; returns the webhook URL and the subscription's id.
    func subscription(
        through hub: HubClient,
        eventTypes: [String],
        path: String = "",
        mapping: String? = nil,
        attributes: [String: String] = [:]
    ) async throws -> (url: String, id: String) {
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
        struct Created: Decodable { var id: String }
        let url = await waitUntilListening() + path
        let answer = try await hub.expectSuccess(
            .POST,
            "/v1/subscriptions",
            json: NewSubscription(url: url, eventTypes: eventTypes, secret: secret, settings: Settings(mapping: mapping, attributes: attributes))
        )
        let created = try JSONDecoder().decode(Created.self, from: Data(answer.body))
        return (url, created.id)
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
        if down.load(ordering: .relaxed) {
            state.withLock { $0.counters.refusedWhileDown += 1 }
            return Response(status: .serviceUnavailable)
        }
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
        outage.withLock { state in
            if state.pending {
                state.pending = false
                state.recoveredAt = Date()
            }
        }
        let digest = Array(SHA256.hash(data: body))
        let earlier = state.withLock { state -> (duplicate: Bool, reply: Reply?) in
            state.counters.received += 1
            guard let seen = state.seen[id] else {
                state.seen[id] = (digest, nil)
                return (false, nil)
            }
            state.counters.duplicates += 1
            if seen.digest != digest { state.counters.conflictingDuplicates += 1 }
            return (true, seen.reply)
        }
        if earlier.duplicate && dedupe { return Self.response(earlier.reply ?? Reply(status: 200)) }
        do {
            let reply = try await handle(path, body)
            state.withLock { $0.seen[id]?.reply = reply }
            return Self.response(reply)
        } catch {
            // Forgotten again, so the hub's redelivery is handled rather than dropped as a duplicate.
            if !earlier.duplicate { state.withLock { _ = $0.seen.removeValue(forKey: id) } }
            throw error
        }
    }

    private static func response(_ reply: Reply) -> Response {
        Response(
            status: .init(code: reply.status),
            headers: [.contentType: reply.contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: reply.body))
        )
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

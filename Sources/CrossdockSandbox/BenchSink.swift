import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A minimal loopback webhook receiver for benchmarks: answers `204` to every `POST /sink/<channel>` and records,
/// per channel and `webhook-id`, when the first copy arrived; later copies are counted as duplicates. Each
/// subscription of a benchmark gets its own channel, so the same event delivered to ten subscriptions counts as ten
/// first receipts. Signature checks are optional (off when measuring delivery rather than HMAC). No per-request
/// logging; the hot path is one header lookup, one clock read and one short critical section.
///
/// Run it as a ServiceLifecycle service, or call ``run()`` in a task and cancel it.
public final class BenchSink: Service, Sendable {
    /// What the sink has seen.
    public struct Counters: Sendable, Hashable {
        /// Every POST answered, first copies and duplicates.
        public var requests = 0
        /// First receipts of a (channel, `webhook-id`) pair.
        public var firstReceipts = 0
        /// Further copies of a pair already received.
        public var duplicates = 0
        /// Requests without a `webhook-id`, or whose signature did not verify (answered 400 / 401).
        public var rejected = 0
    }

    private struct State {
        var counters = Counters()
        var receipts: [String: [String: ContinuousClock.Instant]] = [:]
    }

    private let port: Int
    private let verifier: SignatureVerifier?
    private let logger: Logger
    private let boundPort = Mutex<Int?>(nil)
    private let ready = Mutex<[CheckedContinuation<Int, Never>]>([])
    private let state = Mutex(State())

    /// Creates a sink.
    /// - Parameters:
    ///   - port: where to listen on 127.0.0.1; 0 picks a free port.
    ///   - verifySecret: a `whsec_…` secret to verify Standard Webhooks signatures with; nil accepts unsigned posts.
    ///   - logger: the server's logger (give it a level above `.info`: requests are not logged either way).
    public init(port: Int = 0, verifySecret: String? = nil, logger: Logger = Logger(label: "crossdock.bench-sink")) {
        self.port = port
        self.verifier = verifySecret.flatMap(SignatureVerifier.init(secret:))
        self.logger = logger
    }

    /// The base URL (`http://127.0.0.1:<port>`) once the server listens.
    public func waitUntilListening() async -> String {
        let port = await withCheckedContinuation { continuation in
            let known = boundPort.withLock { $0 }
            if let known { continuation.resume(returning: known) } else { ready.withLock { $0.append(continuation) } }
        }
        return "http://127.0.0.1:\(port)"
    }

    /// The URL of one channel, once the server listens.
    public func url(channel: String) async -> String {
        await waitUntilListening() + "/sink/" + channel
    }

    /// A snapshot of the counters.
    public var counters: Counters { state.withLock { $0.counters } }

    /// When the first copy of `webhookID` arrived on `channel`.
    public func receipt(channel: String, webhookID: String) -> ContinuousClock.Instant? {
        state.withLock { $0.receipts[channel]?[webhookID] }
    }

    /// Every first receipt so far: channel → `webhook-id` → arrival.
    public func receipts() -> [String: [String: ContinuousClock.Instant]] {
        state.withLock { $0.receipts }
    }

    /// Forgets every receipt and zeroes the counters.
    public func reset() {
        state.withLock { $0 = State() }
    }

    /// Runs the server until graceful shutdown or cancellation.
    public func run() async throws {
        let router = Router()
        router.post("/sink/:channel") { request, context in
            try await self.receive(request, channel: context.parameters.get("channel") ?? "")
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bench-sink"),
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

    private func receive(_ request: Request, channel: String) async throws -> Response {
        let now = ContinuousClock.now
        guard let id = request.headers[.init("webhook-id")!] else {
            state.withLock { $0.counters.rejected += 1 }
            return Response(status: .badRequest)
        }
        if let verifier {
            let body = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            guard let timestamp = request.headers[.init("webhook-timestamp")!], let signature = request.headers[.init("webhook-signature")!],
                verifier.isValid(id: id, timestamp: timestamp, signatureHeader: signature, body: body)
            else {
                state.withLock { $0.counters.rejected += 1 }
                return Response(status: .unauthorized)
            }
        }
        state.withLock { state in
            state.counters.requests += 1
            if Self.insertFirst(id, at: now, into: &state.receipts[channel, default: [:]]) {
                state.counters.firstReceipts += 1
            } else {
                state.counters.duplicates += 1
            }
        }
        return Response(status: .noContent)
    }

    /// Records `now` under `id` unless `id` is already there; whether it was new.
    private static func insertFirst(_ id: String, at now: ContinuousClock.Instant, into received: inout [String: ContinuousClock.Instant]) -> Bool {
        guard received[id] == nil else { return false }
        received[id] = now
        return true
    }
}

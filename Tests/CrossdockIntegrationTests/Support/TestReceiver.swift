import CrossdockEngine
import CrossdockSandbox
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A webhook receiver on a loopback port that records every request and answers as its mode says.
final class TestReceiver: Sendable {
    enum Mode: Sendable {
        /// 200 after `delay`.
        case accept(delay: Duration)
        /// 503 at once.
        case refuse
        /// `status` at once, with `Retry-After` when given.
        case answer(status: Int, retryAfter: String?)
        /// 500 for events whose subject is in the set, 200 for the others.
        case refuseSubjects(Set<String>)
        /// Holds every request until the mode changes, then answers as the new mode says.
        case hold
        /// 307 Temporary Redirect to `location`.
        case redirect(to: String)
    }

    struct Receipt: Sendable {
        var webhookID: String
        var accepted: Bool
        var signatureValid: Bool
        var subject: String = ""
        var at: Date = Date()
        var timestamp: String = ""
        var signatureHeader: String = ""
        var body: [UInt8] = []
        /// The W3C `traceparent` header, if the request carried one.
        var traceparent: String?
    }

    private let state = Mutex<(mode: Mode, receipts: [Receipt])>((.accept(delay: .zero), []))
    /// Requests being handled per subject, requests started, and the most ever in flight for one subject.
    private let flight = Mutex<(current: [String: Int], started: Int, maxPerSubject: Int)>(([:], 0, 0))
    let secret: String

    init(mode: Mode, secret: String = "whsec_" + Data((0..<24).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()) {
        self.secret = secret
        state.withLock { $0.mode = mode }
    }

    var mode: Mode {
        get { state.withLock { $0.mode } }
        set { state.withLock { $0.mode = newValue } }
    }

    var receipts: [Receipt] { state.withLock { $0.receipts } }

    /// Requests that arrived, answered or not.
    var started: Int { flight.withLock { $0.started } }

    /// The most requests ever in flight at once for one key, the event's correlation id (1 when every key is sent one
    /// at a time).
    var maxConcurrentPerKey: Int { flight.withLock { $0.maxPerSubject } }

    /// Ids answered with 200, deduplicated: what a receiver that dedupes applies.
    var applied: Set<String> { Set(receipts.filter(\.accepted).map(\.webhookID)) }

    /// The receiver's HTTP application; it reports its port once listening.
    func application(onListening: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let router = Router()
        let verifier = SignatureVerifier(secret: secret)
        router.post("/hook") { request, _ -> Response in
            let body = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            let id = request.headers[.init("webhook-id")!] ?? ""
            let valid =
                verifier?.isValid(
                    id: id,
                    timestamp: request.headers[.init("webhook-timestamp")!] ?? "",
                    signatureHeader: request.headers[.init("webhook-signature")!] ?? "",
                    body: body
                ) ?? false
            let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
            let subject = object?["subject"] as? String ?? ""
            let key = object?["correlationid"] as? String ?? subject
            let timestamp = request.headers[.init("webhook-timestamp")!] ?? ""
            let signature = request.headers[.init("webhook-signature")!] ?? ""
            func receipt(_ accepted: Bool) -> Receipt {
                Receipt(
                    webhookID: id,
                    accepted: accepted,
                    signatureValid: valid,
                    subject: subject,
                    at: Date(),
                    timestamp: timestamp,
                    signatureHeader: signature,
                    body: body,
                    traceparent: request.headers[.init("traceparent")!]
                )
            }
            self.flight.withLock { flight in
                flight.started += 1
                flight.current[key, default: 0] += 1
                flight.maxPerSubject = max(flight.maxPerSubject, flight.current[key, default: 0])
            }
            defer { self.flight.withLock { $0.current[key, default: 1] -= 1 } }
            while case .hold = self.mode { try await Task.sleep(for: .milliseconds(20)) }
            switch self.mode {
            case .hold:
                return Response(status: .serviceUnavailable)
            case .refuse:
                self.state.withLock { $0.receipts.append(receipt(false)) }
                return Response(status: .serviceUnavailable)
            case .accept(let delay):
                if delay > .zero { try await Task.sleep(for: delay) }
                self.state.withLock { $0.receipts.append(receipt(true)) }
                return Response(status: .ok)
            case .answer(let status, let retryAfter):
                let ok = (200..<300).contains(status)
                self.state.withLock { $0.receipts.append(receipt(ok)) }
                var headers = HTTPFields()
                if let retryAfter { headers[.retryAfter] = retryAfter }
                return Response(status: .init(code: status), headers: headers)
            case .redirect(let location):
                self.state.withLock { $0.receipts.append(receipt(false)) }
                return Response(status: .temporaryRedirect, headers: [.location: location])
            case .refuseSubjects(let subjects):
                let refused = subjects.contains(subject)
                self.state.withLock { $0.receipts.append(receipt(!refused)) }
                return Response(status: refused ? .internalServerError : .ok)
            }
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { onListening($0.localAddress?.port ?? 0) },
            logger: Logger(label: "receiver")
        )
    }
}

/// Runs a receiver for the duration of `body`, then stops it gracefully.
func withReceiver<T: Sendable>(_ receiver: TestReceiver, _ body: @Sendable (String) async throws -> T) async throws -> T {
    let port = PortPromise()
    let app = receiver.application { port.fulfil($0) }
    return try await withRunningServices([app], logger: Logger(label: "receiver")) {
        guard let port = await port.value() else { throw TestFailure("receiver did not start") }
        // Held requests must end before the server can stop, also when the body failed while holding them.
        defer { if case .hold = receiver.mode { receiver.mode = .refuse } }
        return try await body("http://127.0.0.1:\(port)/hook")
    }
}

/// Polls `condition` every 100 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(60), _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}

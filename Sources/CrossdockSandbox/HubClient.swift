import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A small client of the hub's public API, as partners and the demo use it.
public struct HubClient: Sendable {
    /// A response: status and body.
    public struct Answer: Sendable {
        public var status: Int
        public var body: [UInt8]
        /// The response headers.
        public var headers = HTTPHeaders()
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// The hub's base URL (the first node's, when several are given).
    public let baseURL: String
    /// Every node's base URL: a request that cannot reach one node (refused, reset) goes to the next, as a load
    /// balancer in front of several hub nodes would send it.
    public let baseURLs: [String]
    /// The bearer key.
    public let apiKey: String
    let client: HTTPClient

    /// Creates a client.
    /// - Parameters:
    ///   - baseURL: the hub's base URL, or several hub nodes' base URLs separated by commas (tried in turn).
    ///   - apiKey: the bearer key.
    ///   - client: the HTTP client.
    public init(baseURL: String, apiKey: String, client: HTTPClient = .shared) {
        self.baseURLs = baseURL.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        self.baseURL = baseURLs.first ?? baseURL
        self.apiKey = apiKey
        self.client = client
    }

    /// Runs `request` against the first node that can be reached; an HTTP answer (any status) ends it. Nodes that
    /// could not be reached lately are tried last (``NodeHealth``), as a load balancer's health check would: the
    /// HTTP client keeps retrying a refused connection until the request's deadline, so without this every request
    /// whose first node is down would wait out its whole timeout before the next node got it.
    func execute(_ path: String, timeout: Duration, _ prepare: (inout HTTPClientRequest) -> Void) async throws -> Answer {
        var lastError: (any Error)?
        let bases = baseURLs.isEmpty ? [baseURL] : NodeHealth.shared.ordered(baseURLs)
        for base in bases {
            var request = HTTPClientRequest(url: base + path)
            prepare(&request)
            do {
                let response = try await client.execute(request, timeout: .init(timeout))
                let bytes = try await response.body.collect(upTo: 64 << 20)
                NodeHealth.shared.reached(base)
                return Answer(status: Int(response.status.code), body: Array(bytes.readableBytesView), headers: response.headers)
            } catch  where baseURLs.count > 1 && !(error is CancellationError) {
                // No HTTP answer (refused, reset, timed out): the next node may take it. Requests that change state
                // carry idempotency keys or natural ids, so a repeat on another node applies once.
                NodeHealth.shared.failed(base)
                lastError = error
            }
        }
        throw lastError ?? HTTPClientError.connectTimeout
    }

    /// Sends a request; `body` is JSON.
    public func send(
        _ method: HTTPMethod,
        _ path: String,
        body: [UInt8]? = nil,
        idempotencyKey: String? = nil,
        timeout: Duration = .seconds(30)
    ) async throws -> Answer {
        try await execute(path, timeout: timeout) { request in
            request.method = method
            request.headers.add(name: "authorization", value: "Bearer \(apiKey)")
            if let body {
                request.headers.add(name: "content-type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            if let idempotencyKey { request.headers.add(name: "idempotency-key", value: idempotencyKey) }
        }
    }

    /// Sends `body` as `contentType` (X12, CSV…).
    public func sendRaw(
        _ method: HTTPMethod,
        _ path: String,
        body: [UInt8],
        contentType: String,
        timeout: Duration = .seconds(30)
    ) async throws -> Answer {
        try await execute(path, timeout: timeout) { request in
            request.method = method
            request.headers.add(name: "authorization", value: "Bearer \(apiKey)")
            request.headers.add(name: "content-type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
    }

    /// Sends `value` encoded as JSON.
    public func send(_ method: HTTPMethod, _ path: String, json value: some Encodable, idempotencyKey: String? = nil) async throws -> Answer {
        try await send(method, path, body: Array(try JSONEncoder().encode(value)), idempotencyKey: idempotencyKey)
    }

    /// Sends and requires a 2xx answer.
    @discardableResult
    public func expectSuccess(_ method: HTTPMethod, _ path: String, json value: some Encodable, idempotencyKey: String? = nil) async throws -> Answer
    {
        let answer = try await send(method, path, json: value, idempotencyKey: idempotencyKey)
        guard (200..<300).contains(answer.status) else {
            throw HubClientError(status: answer.status, path: path, body: String(answer.text.prefix(500)))
        }
        return answer
    }
}

/// A non-2xx answer where one was required.
public struct HubClientError: Error, CustomStringConvertible {
    public var status: Int
    public var path: String
    public var body: String
    public var description: String { "\(path) answered \(status): \(body)" }

    /// Creates an error for `path`, which answered `status` with `body` (cut short by the caller).
    public init(status: Int, path: String, body: String) {
        self.status = status
        self.path = path
        self.body = body
    }
}

/// Which hub nodes could not be reached lately, shared by every ``HubClient`` of the process.
final class NodeHealth: Sendable {
    static let shared = NodeHealth()
    /// How long a node that could not be reached is tried last.
    static let quarantine: Duration = .seconds(10)

    private let failures = Mutex<[String: ContinuousClock.Instant]>([:])

    /// `bases` with the nodes that failed within the quarantine moved to the end (their order otherwise kept).
    func ordered(_ bases: [String]) -> [String] {
        let now = ContinuousClock.now
        let down = failures.withLock { failures in Set(bases.filter { failures[$0].map { now - $0 < Self.quarantine } ?? false }) }
        return bases.filter { !down.contains($0) } + bases.filter { down.contains($0) }
    }

    func failed(_ base: String) { failures.withLock { $0[base] = .now } }
    func reached(_ base: String) { failures.withLock { _ = $0.removeValue(forKey: base) } }
}

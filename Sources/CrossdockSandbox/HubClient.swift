import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

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

    /// Runs `request` against the first node that can be reached; an HTTP answer (any status) ends it.
    func execute(_ path: String, timeout: Duration, _ prepare: (inout HTTPClientRequest) -> Void) async throws -> Answer {
        var lastError: (any Error)?
        for base in baseURLs.isEmpty ? [baseURL] : baseURLs {
            var request = HTTPClientRequest(url: base + path)
            prepare(&request)
            do {
                let response = try await client.execute(request, timeout: .init(timeout))
                let bytes = try await response.body.collect(upTo: 64 << 20)
                return Answer(status: Int(response.status.code), body: Array(bytes.readableBytesView), headers: response.headers)
            } catch  where baseURLs.count > 1 && !(error is CancellationError) {
                // No HTTP answer (refused, reset, timed out): the next node may take it. Requests that change state
                // carry idempotency keys or natural ids, so a repeat on another node applies once.
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

import AsyncHTTPClient
import CrossdockDomain
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// What partners need beyond JSON calls: raw bodies in their own formats (X12, signed webhooks, CSV), with or without
/// the bearer key, and partner profiles.
extension HubClient {
    /// Posts `body` as `contentType` with extra `headers`.
    /// - Parameters:
    ///   - path: the path, e.g. `/v1/inbound/edi`.
    ///   - body: the raw body.
    ///   - contentType: the `Content-Type`.
    ///   - headers: extra headers, e.g. a webhook signature.
    ///   - authorized: whether to send the bearer key; channel webhooks authenticate by their signature alone.
    ///   - timeout: the request timeout.
    public func post(
        _ path: String,
        body: [UInt8],
        contentType: String,
        headers: [(String, String)] = [],
        authorized: Bool = true,
        timeout: Duration = .seconds(30)
    ) async throws -> Answer {
        try await execute(path, timeout: timeout) { request in
            request.method = .POST
            if authorized { request.headers.add(name: "authorization", value: "Bearer \(apiKey)") }
            request.headers.add(name: "content-type", value: contentType)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            request.body = .bytes(ByteBuffer(bytes: body))
        }
    }

    /// Runs `send` until it answers neither 429 nor 5xx, retrying transport errors with exponential backoff (100 ms,
    /// doubling), at most `attempts` times. Returns the first such answer, nil when every attempt failed.
    func retrying(attempts: Int = 8, logger: Logger, _ send: () async throws -> Answer) async -> Answer? {
        for attempt in 0..<attempts {
            do {
                let answer = try await send()
                if answer.status != 429 && answer.status < 500 { return answer }
                logger.debug("hub answered \(answer.status); retrying", metadata: [LogKey.sandboxStatus: "\(answer.status)"])
            } catch {
                logger.debug("post failed; retrying", metadata: [LogKey.sandboxError: "\(error)"])
            }
            if attempt < attempts - 1 { try? await Task.sleep(for: .milliseconds(100 * (1 << attempt))) }
        }
        return nil
    }

    /// `PUT /v1/partners/{id}` with `profile` (its JSON object) and `"kind": kind`; requires a 2xx answer.
    /// - Parameters:
    ///   - id: the partner id.
    ///   - kind: `x12`, `shopify`, `salesforce`, `carrier` or `csv`.
    ///   - profile: the profile, encoded with its own coding keys.
    public func putPartner(_ id: String, kind: String, profile: some Encodable) async throws {
        guard var object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(profile)) as? [String: Any] else {
            throw HubClientError(status: 0, path: "/v1/partners/\(id)", body: "the profile is not a JSON object")
        }
        object["kind"] = kind
        let body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let answer = try await send(.PUT, "/v1/partners/\(id)", body: Array(body))
        guard (200..<300).contains(answer.status) else {
            throw HubClientError(status: answer.status, path: "/v1/partners/\(id)", body: String(answer.text.prefix(500)))
        }
    }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Hummingbird
import Logging
import Synchronization

/// Authenticates `/v1` routes with `Authorization: Bearer <api key>`; other routes stay open.
///
/// Partner webhooks that cannot send our key (Shopify, carriers, Salesforce outbound messages) may instead come
/// without an `Authorization` header to the paths in ``signedPaths``: their routes then verify the partner's
/// HMAC signature over the raw body and refuse the request when it does not match.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = CrossdockContext
    let store: any Store
    let cache = KeyCache()

    /// Path prefixes whose routes authenticate by partner signature when no API key is sent.
    static let signedPaths = ["/v1/inbound/shopify/", "/v1/inbound/salesforce/", "/v1/inbound/carriers/"]

    /// `/v1` paths readable without a key: the event catalogue (`/v1/event-types`), part of the published contract.
    static func isOpen(_ path: String) -> Bool {
        path == "/v1/event-types" || path.hasPrefix("/v1/event-types/")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1"), !Self.isOpen(request.uri.path) else { return try await next(request, context) }
        if request.headers[.authorization] == nil, Self.signedPaths.contains(where: { request.uri.path.hasPrefix($0) }) {
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "), header.count > 7 else {
            throw Problem(
                status: .unauthorized,
                code: "unauthenticated",
                title: "Missing API key",
                detail: "send Authorization: Bearer <api key>",
                headers: [.wwwAuthenticate: "Bearer"]
            )
        }
        let token = String(header.dropFirst(7))
        var key = cache.get(token)
        if key == nil {
            key = try await store.key(hash: APIKeys.hash(token))
            if let key { cache.put(key, token: token) }
        }
        guard let key else {
            throw Problem(
                status: .unauthorized,
                code: "unauthenticated",
                title: "Unknown API key",
                detail: "the bearer token is not a valid API key",
                headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""]
            )
        }
        var context = context
        context.principal = key
        context.logger[metadataKey: LogKey.apiKey] = .string(key.id)
        return try await next(request, context)
    }
}

/// Keys already verified, by the presented token (kept in memory only), so a request costs no hashing and no
/// query; keys are immutable once created. Bounded: it is emptied when it reaches 10 000 entries.
final class KeyCache: Sendable {
    private let keys = Mutex<[String: APIKeyRecord]>([:])
    func get(_ token: String) -> APIKeyRecord? { keys.withLock { $0[token] } }
    func put(_ key: APIKeyRecord, token: String) {
        keys.withLock { keys in
            if keys.count >= 10_000 { keys.removeAll() }
            keys[token] = key
        }
    }
}

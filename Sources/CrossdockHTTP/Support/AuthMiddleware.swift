import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
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
        let now = Date()
        // Read before the key, so a change that lands while it is read makes the entry stale at once.
        let generation = store.keysGeneration
        var key = cache.get(token, now: now, generation: generation)
        if key == nil {
            key = try await store.key(hash: APIKeys.hash(token))
            if let found = key {
                cache.put(found, token: token, now: now, generation: generation)
                // Last use, to the minute: one write per key per minute at most on this node, on the path that re-reads
                // the key (the requests that miss the cache together, such as a client's many connections opening at
                // once, leave it to the first: one write, not one each, ahead of everybody's commits).
                if found.refusal(at: now) == nil, found.lastUsedAt.map({ now.timeIntervalSince($0) >= 60 }) ?? true,
                    cache.claimTouch(found.id, now: now)
                {
                    try await store.touchKey(found.id, at: now)
                }
            }
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
        if let refusal = key.refusal(at: now) {
            throw Problem(
                status: .unauthorized,
                code: "unauthenticated",
                title: refusal == .revoked ? "Revoked API key" : "Expired API key",
                detail: refusal == .revoked ? "the API key was revoked" : "the API key expired",
                headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""]
            )
        }
        var context = context
        context.principal = key
        context.logger[metadataKey: LogKey.apiKey] = .string(key.id)
        return try await next(request, context)
    }
}

/// Keys already verified, by the presented token (kept in memory only), so most requests cost no hashing and no
/// query. An entry is dropped as soon as the store's ``Store/keysGeneration`` moves (a revocation or rotation through
/// this node, or, on PostgreSQL, any node's notification), and in any case after ``ttl`` (1 s), the bound for a change
/// nobody announced (`crossdock keys` in another process on SQLite, a missed notification); expiry is checked on every
/// request. Bounded: it is emptied when it reaches 10 000 entries.
final class KeyCache: Sendable {
    /// How long a verified key is trusted without reading it again.
    static let ttl: TimeInterval = 1

    private let keys = Mutex<[String: (key: APIKeyRecord, read: Date, generation: Int)]>([:])
    /// When this node last recorded each key's use.
    private let touched = Mutex<[String: Date]>([:])

    func get(_ token: String, now: Date, generation: Int) -> APIKeyRecord? {
        keys.withLock { keys in
            guard let entry = keys[token] else { return nil }
            guard now.timeIntervalSince(entry.read) < Self.ttl, entry.generation == generation else {
                keys[token] = nil
                return nil
            }
            return entry.key
        }
    }

    /// Whether this request should record the key's last use: true for the first to ask in a minute.
    func claimTouch(_ keyID: String, now: Date) -> Bool {
        touched.withLock { touched in
            if let last = touched[keyID], now.timeIntervalSince(last) < 60 { return false }
            if touched.count >= 10_000 { touched.removeAll() }
            touched[keyID] = now
            return true
        }
    }

    func put(_ key: APIKeyRecord, token: String, now: Date, generation: Int) {
        keys.withLock { keys in
            if keys.count >= 10_000 { keys.removeAll() }
            keys[token] = (key, now, generation)
        }
    }
}

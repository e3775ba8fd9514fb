import CrossdockEngine
import CrossdockStore
import Hummingbird
import Logging
import Synchronization

/// Authenticates `/v1` routes with `Authorization: Bearer <api key>`; other routes stay open.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = CrossdockContext
    let store: any Store
    let cache = KeyCache()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1") else { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "), header.count > 7 else {
            throw Problem(status: .unauthorized, code: "unauthenticated", title: "Missing API key", detail: "send Authorization: Bearer <api key>",
                headers: [.wwwAuthenticate: "Bearer"])
        }
        let hash = APIKeys.hash(String(header.dropFirst(7)))
        var key = cache.get(hash)
        if key == nil {
            key = try await store.key(hash: hash)
            if let key { cache.put(key) }
        }
        guard let key else {
            throw Problem(status: .unauthorized, code: "unauthenticated", title: "Unknown API key", detail: "the bearer token is not a valid API key",
                headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
        }
        var context = context
        context.principal = key
        context.logger[metadataKey: "crossdock.key"] = .string(key.id)
        return try await next(request, context)
    }
}

/// Known keys by hash; keys are immutable once created.
final class KeyCache: Sendable {
    private let keys = Mutex<[String: APIKeyRecord]>([:])
    func get(_ hash: String) -> APIKeyRecord? { keys.withLock { $0[hash] } }
    func put(_ key: APIKeyRecord) { keys.withLock { $0[key.hash] = key } }
}

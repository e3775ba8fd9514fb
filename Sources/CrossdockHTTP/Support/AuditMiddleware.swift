import CrossdockDomain
import CrossdockStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Records every write made with an API key in the audit log (after ``AuthMiddleware``).
///
/// Around a `POST`, `PUT`, `PATCH` or `DELETE` on `/v1` by an authenticated key it sets ``AuditContext/current``, so a
/// unit of work the request commits carries its entry into the same transaction. A write that commits no unit
/// (subscriptions, partners, replays) is appended after its 2xx response. A refused request (an error status) and a
/// replayed idempotent answer changed nothing and are not recorded.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = CrossdockContext
    let store: any Store

    /// The methods that write.
    static let writes: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = context.principal, Self.writes.contains(request.method), request.uri.path.hasPrefix("/v1/") else {
            return try await next(request, context)
        }
        let endpoint = context.coreContext.endpointPath
        return try await Self.record(store: store, key: key, request, context, route: { endpoint.value }) {
            try await next(request, context)
        }
    }

    /// Runs `write`, a write by `key`, under ``AuditContext/current`` and records it when it answers 2xx (the console's
    /// actions use this too, with their own route template).
    static func record(
        store: any Store,
        key: APIKeyRecord,
        _ request: Request,
        _ context: Context,
        route: @escaping @Sendable () -> String?,
        _ write: () async throws -> Response
    ) async throws -> Response {
        let audit = AuditContext(
            keyID: key.id,
            keyName: key.name,
            partner: key.partner,
            method: request.method.rawValue,
            path: request.uri.path,
            requestID: context.requestID,
            source: context.peerAddress,
            route: route
        )
        let response = try await AuditContext.$current.withValue(audit) { try await write() }
        guard (200..<400).contains(response.status.code), response.headers[.idempotentReplayed] != "true",
            let entry = audit.claim(status: response.status.code, location: response.headers[.location])
        else { return response }
        do {
            try await store.appendAudit(entry)
            audit.settle(recorded: true)
        } catch {
            // The write is done; failing its response now would only make the caller retry it.
            audit.settle(recorded: false)
            context.logger.error("audit entry not recorded", metadata: [LogKey.error: "\(error)", LogKey.requestID: "\(audit.requestID)"])
        }
        return response
    }
}

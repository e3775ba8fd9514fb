import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Hummingbird
import NIOCore

/// The request context of every route: the caller's API key once authenticated.
public struct CrossdockContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated key, set by ``AuthMiddleware`` on `/v1` routes.
    public var principal: APIKeyRecord?
    /// The request id, set by ``RequestIDMiddleware`` (echoed in `X-Request-Id`).
    public var requestID = ""
    /// The client's address: the connection's peer (IP address, or a socket path), nil when unknown.
    public let peerAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        principal = nil
        peerAddress = source.channel.remoteAddress.flatMap { $0.ipAddress ?? $0.pathname }
    }

    /// Requests bodies above 1 MiB are refused.
    public var maxUploadSize: Int { Problem.maxBodyBytes }

    /// Throws 403 unless the caller's key grants `scope`.
    public func require(_ scope: Scope) throws(Problem) -> APIKeyRecord {
        guard let principal else {
            throw Problem(
                status: .unauthorized,
                code: "unauthenticated",
                title: "Missing or invalid API key",
                detail: "send Authorization: Bearer <api key>"
            )
        }
        if let partner = principal.partner, APIKeys.hubWide.contains(scope) {
            throw Problem(
                status: .forbidden,
                code: "partner_bound_key",
                title: "A partner-bound key cannot use a hub-wide route",
                detail:
                    "this route needs scope '\(scope.rawValue)', which changes data every partner shares; this key is bound to partner '\(partner)'",
                extra: ["requiredScope": .string(scope.rawValue), "partner": .string(partner)]
            )
        }
        guard APIKeys.grants(principal, scope) else {
            throw Problem(
                status: .forbidden,
                code: "insufficient_scope",
                title: "The API key lacks a scope",
                detail: "this route needs scope '\(scope.rawValue)'",
                extra: ["requiredScope": .string(scope.rawValue)]
            )
        }
        return principal
    }

    /// Throws 403 unless the caller's key grants `scope` or `alternative`.
    public func require(_ scope: Scope, or alternative: Scope) throws(Problem) -> APIKeyRecord {
        if let principal, APIKeys.grants(principal, alternative) { return principal }
        return try require(scope)
    }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Hummingbird
import Logging

/// Turns every error a route throws into a problem+json response; unexpected errors become a 500 that
/// reveals nothing of the cause (it is logged).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = CrossdockContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            throw problem
        } catch let error as EngineError {
            throw Problem(error)
        } catch let error as StoreError where error.code == .unavailable {
            // The database is down, restarting, or every connection is busy: nothing was written; retry shortly.
            context.logger.warning("database unavailable", metadata: [LogKey.error: "\(error)"])
            throw Problem(
                status: .serviceUnavailable,
                code: "database_unavailable",
                title: "Temporarily unavailable",
                detail: "the hub cannot reach its database right now; nothing was changed, retry shortly",
                headers: [.retryAfter: "2"]
            )
        } catch let error as HTTPError {
            throw Problem(
                status: error.status,
                code: error.status == .notFound ? "not_found" : "http_\(error.status.code)",
                title: error.status.reasonPhrase,
                detail: error.body ?? error.status.reasonPhrase
            )
        } catch let error as any HTTPResponseError {
            throw Problem(
                status: error.status,
                code: "http_\(error.status.code)",
                title: error.status.reasonPhrase,
                detail: error.status.reasonPhrase
            )
        } catch {
            context.logger.error("unhandled error", metadata: [LogKey.error: "\(error)"])
            throw Problem(
                status: .internalServerError,
                code: "internal_error",
                title: "Internal error",
                detail: "the hub failed to handle the request; it has been logged"
            )
        }
    }
}

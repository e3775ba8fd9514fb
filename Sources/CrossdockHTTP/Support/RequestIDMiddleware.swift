import CrossdockDomain
import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id and echoes it in `X-Request-Id` on every response, errors included: the caller's own
/// `X-Request-Id` when it is a printable token (visible ASCII, 1 to 128 characters; logged as `crossdock.request_id`),
/// else the id Hummingbird gave the request (logged as `hb.request.id`: a random per-process prefix and a counter, in
/// hex). The audit log names the request by it.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = CrossdockContext

    /// The longest request id accepted from a caller.
    static let maxLength = 128

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id: String
        if let given = request.headers[.requestID], Self.isAcceptable(given) {
            id = given
            context.logger[metadataKey: LogKey.requestID] = .string(id)
        } else {
            // Already in every log line of the request, so logs and the audit log meet without another metadata entry.
            id = context.id
        }
        context.requestID = id
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.requestID] = id
        return response
    }

    /// Whether a caller's id can be kept: 1 to ``maxLength`` visible ASCII characters (no spaces or controls).
    static func isAcceptable(_ id: String) -> Bool {
        let bytes = id.utf8
        return !bytes.isEmpty && bytes.count <= maxLength && bytes.allSatisfy { (0x21...0x7E).contains($0) }
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`.
    static let requestID = HTTPField.Name("X-Request-Id")!
    /// `Idempotent-Replayed`.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}

import CrossdockDomain
import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id and echoes it in `X-Request-Id` on every response, errors included: the caller's own
/// `X-Request-Id` when it is a printable token (visible ASCII, 1 to 128 characters), else a new one. Routes, logs
/// (`crossdock.request_id`) and the audit log name the request by it.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = CrossdockContext

    /// The longest request id accepted from a caller.
    static let maxLength = 128

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = request.headers[.requestID].flatMap { Self.isAcceptable($0) ? $0 : nil } ?? Self.generate()
        context.requestID = id
        context.logger[metadataKey: LogKey.requestID] = .string(id)
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

    /// A new id: `req_` and 24 random hex digits.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = String(generator.next() as UInt64, radix: 16)
        let low = String(generator.next() as UInt32, radix: 16)
        return "req_" + String(repeating: "0", count: 16 - high.count) + high + String(repeating: "0", count: 8 - low.count) + low
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`.
    static let requestID = HTTPField.Name("X-Request-Id")!
    /// `Idempotent-Replayed`.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}

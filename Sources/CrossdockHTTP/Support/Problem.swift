import CrossdockDomain
import CrossdockEngine
import Foundation
import Hummingbird

/// An RFC 9457 problem document, sent as `application/problem+json`.
public struct Problem: Error, HTTPResponseError, Sendable {
    /// Request bodies above this size are refused with 413.
    public static let maxBodyBytes = 1 << 20

    public var status: HTTPResponse.Status
    /// Stable code; the `type` URI ends with it.
    public var code: String
    public var title: String
    public var detail: String
    /// Offending fields.
    public var errors: [IntakeError.FieldError]
    /// Extension members.
    public var extra: [String: JSONValue]
    /// Extra response headers (e.g. `Retry-After`).
    public var headers: HTTPFields

    /// Creates a problem.
    public init(
        status: HTTPResponse.Status,
        code: String,
        title: String,
        detail: String,
        errors: [IntakeError.FieldError] = [],
        extra: [String: JSONValue] = [:],
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors
        self.extra = extra
        self.headers = headers
    }

    /// The problem for an engine refusal.
    public init(_ error: EngineError) {
        let status: HTTPResponse.Status =
            switch error.kind {
            case .invalid, .idempotencyMismatch: .unprocessableContent
            case .notFound: .notFound
            case .conflict: .conflict
            case .unavailable: .serviceUnavailable
            }
        self.init(
            status: status,
            code: error.code,
            title: Self.title(error.kind),
            detail: error.message,
            errors: error.errors,
            extra: error.extra.mapValues { .string($0) },
            headers: error.kind == .unavailable ? [.retryAfter: "1"] : [:]
        )
    }

    private static func title(_ kind: EngineError.Kind) -> String {
        switch kind {
        case .invalid: "The request is invalid"
        case .notFound: "Not found"
        case .conflict: "The request conflicts with the current state"
        case .idempotencyMismatch: "Idempotency-Key reused with a different request"
        case .unavailable: "Temporarily unavailable"
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var document: [String: JSONValue] = [
            "type": .string("https://crossdock.dev/problems/\(code.replacingOccurrences(of: "_", with: "-"))"),
            "title": .string(title),
            "status": .number(Double(status.code)),
            "detail": .string(detail),
            "code": .string(code),
            "instance": .string(request.uri.path),
        ]
        if !errors.isEmpty {
            document["errors"] = .array(errors.map { .object(["field": .string($0.field), "reason": .string($0.reason)]) })
        }
        for (key, value) in extra where document[key] == nil { document[key] = value }
        let body = try JSONCoding.encoder().encode(JSONValue.object(document))
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

import CrossdockDomain
import CrossdockEngine
import Foundation
import HTTPTypes
import Hummingbird

extension Response {
    /// A JSON response from an engine reply.
    static func reply(_ reply: Reply) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let location = reply.location { headers[.location] = location }
        if reply.replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return Response(status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }

    /// A JSON response of `value`.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let body = try JSONCoding.encoder().encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Parses a query integer, refusing junk with a problem.
func queryInt(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
    guard let text = request.uri.queryParameters.get(name) else { return value }
    guard let number = Int(text), range.contains(number) else {
        throw Problem.invalidQuery(name, "must be an integer in \(range.lowerBound)...\(range.upperBound)")
    }
    return number
}

/// A path parameter that the router guarantees, refused with a 400 `invalid_path` problem naming it unless it is a
/// valid identifier of `kind` (printable ASCII, no path delimiters or dot segments, within its length).
func pathParameter(_ context: CrossdockContext, _ name: String, _ kind: Identifier.Kind = .resourceID) throws -> String {
    guard let value = context.parameters.get(name), !value.isEmpty else {
        throw Problem(status: .badRequest, code: "invalid_path", title: "Missing path parameter", detail: "\(name) is required")
    }
    if let reason = Identifier.problem(value, kind) { throw Problem.invalidPath(name, reason) }
    return value
}

extension Problem {
    /// A 400 for a path parameter: `name` is the parameter, `reason` says what is wrong with it.
    static func invalidPath(_ name: String, _ reason: String) -> Problem {
        Problem(
            status: .badRequest,
            code: "invalid_path",
            title: "Invalid path parameter",
            detail: "the path parameter \(name) \(reason)",
            errors: [.init(field: name, reason: reason)]
        )
    }

    /// A 400 for a query parameter: `field` is the parameter, `reason` says what it must be.
    static func invalidQuery(_ field: String, _ reason: String) -> Problem {
        Problem(
            status: .badRequest,
            code: "invalid_query",
            title: "Invalid query parameter",
            detail: "\(field) \(reason)",
            errors: [.init(field: field, reason: reason)]
        )
    }
}

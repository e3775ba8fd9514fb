import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The fields a request body may have. Anything else is an unknown field and refused.
indirect enum FieldSchema: Sendable {
    /// A string, number, boolean or null.
    case scalar
    /// An object with exactly these optional members.
    case object([String: FieldSchema])
    /// An array of elements of one schema.
    case array(FieldSchema)
}

/// A request body read once: its bytes (for idempotency hashing) and its decoded value.
struct JSONBody<Value: Decodable> {
    let value: Value
    let bytes: [UInt8]

    /// Reads and strictly decodes the body: `application/json` only, at most 1 MiB, well-formed, no unknown
    /// fields, no missing or mistyped fields. Each failure is a problem naming the offending fields.
    static func read(_ request: Request, schema: FieldSchema) async throws -> JSONBody {
        try requireJSON(request)
        let bytes = try await RawBody.read(request)
        let data = Data(bytes)
        let findings: StrictJSON.Findings
        do {
            findings = try StrictJSON.scan(bytes, schema: schema)
        } catch {
            throw Problem(
                status: .badRequest,
                code: "malformed_json",
                title: "Malformed JSON",
                detail: "the body is not valid JSON at byte \(error.offset): \(error.reason)"
            )
        }
        let unknown = findings.unknown
        if !unknown.isEmpty {
            throw Problem(
                status: .unprocessableContent,
                code: "unknown_fields",
                title: "Unknown fields",
                detail: "the body has \(unknown.count) field(s) this route does not take",
                errors: unknown.map { .init(field: $0, reason: "unknown field") }
            )
        }
        let value: Value
        let huge = findings.huge
        if !huge.isEmpty {
            throw Problem(
                status: .unprocessableContent,
                code: "invalid_fields",
                title: "Invalid fields",
                detail: "\(huge.count) number(s) are beyond the 64-bit integer range: " + huge.joined(separator: ", "),
                errors: huge.map { .init(field: $0, reason: "is beyond the 64-bit integer range") }
            )
        }
        do {
            value = try JSONCoding.decoder().decode(Value.self, from: data)
        } catch let error as DecodingError {
            let (field, reason) = Self.field(of: error)
            throw Problem(
                status: .unprocessableContent,
                code: "invalid_fields",
                title: "Invalid fields",
                detail: "\(field): \(reason)",
                errors: [.init(field: field, reason: reason)]
            )
        }
        if let bearing = value as? any IdentifierBearing {
            let errors = bearing.identifierErrors
            if !errors.isEmpty {
                throw Problem(
                    status: .unprocessableContent,
                    code: "invalid_fields",
                    title: "Invalid fields",
                    detail: "\(errors.count) identifier(s) are not printable ASCII or are too long: "
                        + errors.map(\.field).joined(separator: ", "),
                    errors: errors
                )
            }
        }
        return JSONBody(value: value, bytes: bytes)
    }

    /// Throws 415 unless the request says its body is JSON (`application/json` or `application/…+json`).
    static func requireJSON(_ request: Request) throws {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") || (type.hasPrefix("application/") && type.contains("+json")) else {
            throw Problem(
                status: .unsupportedMediaType,
                code: "unsupported_media_type",
                title: "Unsupported content type",
                detail: "send the body as application/json (got '\(type.isEmpty ? "none" : type)')",
                errors: [.init(field: "Content-Type", reason: "must be application/json")]
            )
        }
    }

    static var tooLarge: Problem { tooLarge(limit: Problem.maxBodyBytes) }

    /// 413 for a body over `limit` bytes.
    static func tooLarge(limit: Int) -> Problem {
        Problem(
            status: .contentTooLarge,
            code: "body_too_large",
            title: "Body too large",
            detail: "request bodies are limited to \(limit) bytes here",
            errors: [.init(field: "body", reason: "larger than \(limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit) bytes")")]
        )
    }

    static func unknownFields(_ value: JSONValue, schema: FieldSchema, path: String) -> [String] {
        switch (value, schema) {
        case (.object(let members), .object(let allowed)):
            return members.keys.sorted().flatMap { key -> [String] in
                let child = path.isEmpty ? key : "\(path).\(key)"
                guard let sub = allowed[key] else { return [child] }
                return unknownFields(members[key]!, schema: sub, path: child)
            }
        case (.array(let elements), .array(let element)):
            return elements.enumerated().flatMap { unknownFields($1, schema: element, path: "\(path)[\($0)]") }
        default:
            return []  // type mismatches are reported by decoding
        }
    }

    /// The paths of numbers no member can hold: none of the hub's numbers reaches 2^63.
    static func hugeNumbers(_ value: JSONValue, path: String) -> [String] {
        switch value {
        case .number(let number):
            return abs(number) > 9.223_372_036_854_775_807e18 ? [path.isEmpty ? "body" : path] : []
        case .object(let members):
            return members.keys.sorted().flatMap { hugeNumbers(members[$0]!, path: path.isEmpty ? $0 : "\(path).\($0)") }
        case .array(let elements):
            return elements.enumerated().flatMap { hugeNumbers($1, path: "\(path)[\($0)]") }
        default:
            return []
        }
    }

    static func field(of error: DecodingError) -> (String, String) {
        func path(_ keys: [any CodingKey]) -> String {
            let path = keys.reduce("") { result, key in
                if let index = key.intValue { return "\(result)[\(index)]" }
                return result.isEmpty ? key.stringValue : "\(result).\(key.stringValue)"
            }
            return path.isEmpty ? "body" : path
        }
        switch error {
        case .keyNotFound(let key, let context):
            return (path(context.codingPath + [key]), "is required")
        case .typeMismatch(let type, let context):
            return (path(context.codingPath), "must be \(describe(type))")
        case .valueNotFound(let type, let context):
            return (path(context.codingPath), "must be \(describe(type)), not null")
        case .dataCorrupted(let context):
            return (path(context.codingPath), context.debugDescription)
        @unknown default:
            return ("body", "cannot be decoded")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "a boolean"
        case is Double.Type: "a number"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }

    static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "unreadable"
    }
}

extension Request {
    /// The idempotency context of a POST: the caller, the key and a hash of method, path and body.
    func idempotency(_ context: CrossdockContext, body: [UInt8]) throws -> IdempotencyContext? {
        guard let key = headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        if let reason = Identifier.problem(key, .idempotencyKey) {
            throw Problem(
                status: .badRequest,
                code: "invalid_idempotency_key",
                title: "Invalid Idempotency-Key",
                detail: "the key must be 1 to 255 printable ASCII characters: it \(reason)",
                errors: [.init(field: "Idempotency-Key", reason: reason)]
            )
        }
        var hasher = SHA256()
        hasher.update(data: Data("\(method.rawValue) \(uri.path)\n".utf8))
        hasher.update(data: body)
        let hash = Hex.encode(hasher.finalize())
        return IdempotencyContext(scope: context.principal?.id ?? "anonymous", key: key, requestHash: hash)
    }
}

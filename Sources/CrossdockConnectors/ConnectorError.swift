import CrossdockDomain

/// A partner payload the hub cannot take: which field, and why.
///
/// Connectors throw it before anything is written; the HTTP layer answers it as a 422 problem (401 for
/// `bad_signature`) whose `errors` list names each field.
public struct ConnectorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One field that failed, named by its JSON path or CSV row and column in the partner's payload (the same
    /// field error intake reports, so the HTTP layer answers both alike).
    public typealias FieldError = IntakeError.FieldError

    /// A stable code: `malformed_payload`, `bad_signature`, `unknown_partner`, `unmapped_value`, `invalid_mapping`.
    public var code: String
    /// A sentence for people; never holds a secret or the payload.
    public var message: String
    /// The fields at fault.
    public var errors: [FieldError]

    /// Creates an error.
    public init(code: String, message: String, errors: [FieldError] = []) {
        self.code = code
        self.message = message
        self.errors = errors
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}

import CrossdockDomain

/// Named codes and constructors, so every connector spells them the same way.
extension ConnectorError {
    /// The payload is not what the format requires.
    public static let malformedPayload = "malformed_payload"
    /// The signature header is missing or does not match the body.
    public static let badSignature = "bad_signature"
    /// The payload names something the partner profile does not map (a customer, an account).
    public static let unmappedValue = "unmapped_value"
    /// A mapping file is invalid (raised when it is loaded).
    public static let invalidMapping = "invalid_mapping"
    /// A valid mapping could not render an event (a path without `$default` is missing); the delivery is dead-lettered.
    public static let mappingFailed = "mapping_failed"

    static func malformed(_ message: String, _ errors: [FieldError]) -> ConnectorError {
        ConnectorError(code: malformedPayload, message: message, errors: errors)
    }

    static func malformed(field: String, _ reason: String) -> ConnectorError {
        ConnectorError(code: malformedPayload, message: "\(field): \(reason)", errors: [.init(field: field, reason: reason)])
    }

    /// Parses a partner body, answering bad JSON with `malformed_payload` on field `body`.
    static func parseJSON(_ body: some Collection<UInt8>) throws(ConnectorError) -> JSONNode {
        do {
            return try JSONParser.parse(body)
        } catch {
            throw malformed(field: "body", error.message)
        }
    }
}

/// A request that cannot be evaluated at all: the caller must fix it. Nothing is recorded.
public struct IntakeError: Error, Hashable, Sendable {
    /// One offending field.
    public struct FieldError: Hashable, Sendable, Codable {
        /// JSON path of the field, e.g. `lines[2].sku`.
        public var field: String
        /// What is wrong.
        public var reason: String

        /// Creates a field error.
        public init(field: String, reason: String) {
            self.field = field
            self.reason = reason
        }
    }

    /// Stable code, e.g. `unknown_reference`.
    public var code: String
    /// Summary.
    public var message: String
    /// The offending fields.
    public var errors: [FieldError]

    /// Creates an error.
    public init(code: String, message: String, errors: [FieldError]) {
        self.code = code
        self.message = message
        self.errors = errors
    }
}

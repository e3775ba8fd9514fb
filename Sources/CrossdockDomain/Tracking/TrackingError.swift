/// Why a tracking milestone cannot be applied. Nothing changes.
public struct TrackingError: Error, Hashable, Sendable, Codable {
    /// `invalid_milestone` (see ``TrackingMilestone/validate()``) or `unknown_tracking_number`
    /// (the number is not one of the shipment's packages).
    public var code: String
    /// Summary.
    public var message: String
    /// The offending fields.
    public var errors: [IntakeError.FieldError]

    /// Creates an error.
    public init(code: String, message: String, errors: [IntakeError.FieldError]) {
        self.code = code
        self.message = message
        self.errors = errors
    }
}

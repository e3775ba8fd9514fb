/// Why a billing or returns document cannot be built or changed. Nothing is recorded.
///
/// Codes: `invalid_invoice`, `invalid_credit`, `over_credit` (a line has fewer invoiced units left to credit than
/// requested), `invalid_quantities` (return authorisation or receipt) and `illegal_transition` (the return
/// authorisation's status forbids the action).
public struct BillingError: Error, Hashable, Sendable {
    /// Stable machine code, e.g. `over_credit`.
    public var code: String
    /// A sentence for people.
    public var message: String
    /// The offending fields, e.g. `lines[0].quantity`.
    public var errors: [IntakeError.FieldError]

    /// Creates an error.
    /// - Parameters:
    ///   - code: the stable machine code.
    ///   - message: a sentence for people.
    ///   - errors: the offending fields.
    public init(code: String, message: String, errors: [IntakeError.FieldError]) {
        self.code = code
        self.message = message
        self.errors = errors
    }
}

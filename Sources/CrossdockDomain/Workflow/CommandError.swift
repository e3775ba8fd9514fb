/// Why a command on an existing aggregate cannot be applied. Nothing changes.
public struct CommandError: Error, Hashable, Sendable {
    /// `illegal_transition` (the state forbids the action), `invalid_quantities`, `credit_refused`, …
    public var code: String
    /// A sentence naming the state and the action, or the quantities.
    public var message: String
    /// The offending fields.
    public var errors: [IntakeError.FieldError]
    /// The aggregate's current status.
    public var currentStatus: String
    /// The attempted action.
    public var action: String

    /// Creates an error.
    public init(code: String, message: String, errors: [IntakeError.FieldError] = [], currentStatus: String, action: String) {
        self.code = code
        self.message = message
        self.errors = errors
        self.currentStatus = currentStatus
        self.action = action
    }

    /// The error for an action the state machine refuses.
    public init(_ illegal: IllegalTransition) {
        self.init(
            code: illegal.code,
            message: illegal.message,
            currentStatus: illegal.currentStatus,
            action: illegal.action
        )
    }
}

/// The error warehouse feedback throws.
public typealias FeedbackError = CommandError

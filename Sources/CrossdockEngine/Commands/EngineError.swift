import CrossdockDomain

/// Why a command was refused. Nothing was written. The HTTP layer maps each kind to a problem+json.
public struct EngineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The error kinds, each with a fixed HTTP status.
    public enum Kind: String, Hashable, Sendable {
        /// The request is invalid (422).
        case invalid
        /// A referenced resource does not exist (404).
        case notFound = "not_found"
        /// The command conflicts with current state (409): duplicate order, illegal transition.
        case conflict
        /// The idempotency key was used with another request (422).
        case idempotencyMismatch = "idempotency_mismatch"
        /// The hub cannot take the command now; retry later (503).
        case unavailable
    }

    /// The kind.
    public var kind: Kind
    /// A stable machine code, e.g. `unknown_reference`.
    public var code: String
    /// A sentence for people; never holds secrets or payloads.
    public var message: String
    /// Offending fields.
    public var errors: [IntakeError.FieldError]
    /// Extra members for the problem document (e.g. `currentStatus`, `existingOrderId`).
    public var extra: [String: String]

    /// Creates an error.
    public init(_ kind: Kind, code: String, message: String, errors: [IntakeError.FieldError] = [], extra: [String: String] = [:]) {
        self.kind = kind
        self.code = code
        self.message = message
        self.errors = errors
        self.extra = extra
    }

    public var description: String { "\(kind.rawValue)/\(code): \(message)" }
}

/// A command's HTTP-level answer, kept verbatim for idempotent replay.
public struct Reply: Sendable {
    /// Status code.
    public var status: Int
    /// JSON body.
    public var body: [UInt8]
    /// Whether this is a replay of an earlier answer.
    public var replayed: Bool
    /// The created resource's path, for `Location`.
    public var location: String?

    /// Creates a reply.
    public init(status: Int, body: [UInt8], replayed: Bool = false, location: String? = nil) {
        self.status = status
        self.body = body
        self.replayed = replayed
        self.location = location
    }
}

/// The idempotency key of a command and what identifies its request.
public struct IdempotencyContext: Hashable, Sendable {
    /// The caller (API key id).
    public var scope: String
    /// The `Idempotency-Key` value.
    public var key: String
    /// SHA-256 of method, path and body.
    public var requestHash: String

    /// Creates a context.
    public init(scope: String, key: String, requestHash: String) {
        self.scope = scope
        self.key = key
        self.requestHash = requestHash
    }
}

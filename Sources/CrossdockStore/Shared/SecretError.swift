/// A secret-encryption failure: a malformed key in the environment, or a stored secret that the configured keys
/// cannot open. The message names the key variable, the owner (subscription or partner id) and key fingerprints;
/// never a key or a secret.
public struct SecretError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Extensible error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public var description: String { raw }
        /// `CROSSDOCK_SECRET_KEY` or `CROSSDOCK_SECRET_KEY_PREVIOUS` is not the base64 of 32 bytes.
        public static let invalidKey = Code(raw: "invalid_secret_key")
        /// A stored secret is encrypted under a key this process was not given.
        public static let keyMissing = Code(raw: "secret_key_missing")
        /// A stored secret does not open: altered, copied from another row, or not in a known format.
        public static let unreadable = Code(raw: "secret_unreadable")
    }

    /// The code.
    public var code: Code
    /// What happened; never holds a key or a secret.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: what kind of failure.
    ///   - message: what happened, without keys or secrets.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

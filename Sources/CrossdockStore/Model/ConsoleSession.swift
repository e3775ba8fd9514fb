import Foundation

/// A signed-in console browser: the cookie carries a random token, the store keeps only its hash, the key it signed
/// in with (by the key's hash, so rotating or revoking the key ends the session) and the token that the session's
/// forms must echo (CSRF).
public struct ConsoleSession: Hashable, Sendable {
    /// SHA-256 of the cookie's token, hex.
    public var tokenHash: String
    /// The hash of the API key the operator signed in with (``APIKeyRecord/hash``).
    public var keyHash: String
    /// What every state-changing form of this session must carry.
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(tokenHash: String, keyHash: String, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.keyHash = keyHash
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Console sign-ins, shared by every node.
public protocol ConsoleSessionStore: Sendable {
    /// Stores `session` and forgets the sessions that expired before `session.createdAt`.
    func createConsoleSession(_ session: ConsoleSession) async throws
    /// The session whose token hashes to `tokenHash`, if it has not expired at `now`.
    func consoleSession(tokenHash: String, now: Date) async throws -> ConsoleSession?
    /// Ends a session (sign-out); false when there was none.
    @discardableResult func deleteConsoleSession(tokenHash: String) async throws -> Bool
}

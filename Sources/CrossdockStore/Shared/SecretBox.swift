import Crypto
import Foundation

/// Encrypts the secrets a store keeps (subscription signing secrets, partner profile secrets) with AES-256-GCM under a
/// key the environment supplies, and opens them again.
///
/// A sealed value reads `enc:v1:<key id>:<base64 of nonce | ciphertext | tag>`, where the key id is the hex of the first
/// 4 bytes of SHA-256 of the key, so a reader knows which key it needs. The ciphertext is bound to its row (see
/// ``Binding``): copied to another row it does not open. A value without the `enc:` prefix is a legacy plaintext and
/// reads as it is, so databases written before a key was configured keep working.
///
/// Keys: `CROSSDOCK_SECRET_KEY` (config `crossdock.secret.key`), the base64 of 32 random bytes
/// (`openssl rand -base64 32`), encrypts and decrypts; `CROSSDOCK_SECRET_KEY_PREVIOUS`
/// (`crossdock.secret.key.previous`), optional, only decrypts, while `crossdock secrets rotate` re-encrypts what it
/// sealed. Without a key (``plaintext``) secrets are written as they are.
///
/// ```swift
/// let box = try SecretBox(key: environment["CROSSDOCK_SECRET_KEY"], previousKey: environment["CROSSDOCK_SECRET_KEY_PREVIOUS"])
/// let store = try SQLiteStore(path: "hub.sqlite", secrets: box)
/// ```
public struct SecretBox: Sendable {
    /// One key and its id.
    struct Key: Sendable {
        /// The 32 key bytes (`SymmetricKey` is not `Sendable` on every platform).
        let bytes: Data
        /// Hex of the first 4 bytes of SHA-256 of the key.
        let id: String

        init(_ bytes: Data) {
            self.bytes = bytes
            id = SHA256.hash(data: bytes).prefix(4).map { String(format: "%02x", $0) }.joined()
        }

        var key: SymmetricKey { SymmetricKey(data: bytes) }
    }

    /// What a sealed value is bound to: its owner, named in errors, and the associated data the cipher authenticates.
    public struct Binding: Hashable, Sendable {
        /// Who the secret belongs to, for errors: `subscription sub_…`, `partner acme (member webhookSecret)`.
        public var owner: String
        /// The AES-GCM associated data.
        var associatedData: Data

        /// A subscription's secrets. Bound to the table and row but not the column: rotating a subscription's secret
        /// moves the current value into `previous_secret` in SQL (`previous_secret = secret`), copying the
        /// ciphertext, which must still open there.
        public static func subscription(_ id: String) -> Binding {
            Binding(owner: "subscription \(id)", associatedData: Data("crossdock:subscriptions:\(id)".utf8))
        }

        /// The member `member` of partner `id`'s profile.
        public static func partner(_ id: String, member: String) -> Binding {
            Binding(owner: "partner \(id) (member \(member))", associatedData: Data("crossdock:partners:\(id):\(member)".utf8))
        }
    }

    static let prefix = "enc:v1:"

    /// The key that seals, and opens what it sealed; nil writes plaintext.
    let current: Key?
    /// A key that only opens, during a rotation.
    let previous: Key?

    /// No key: secrets are written in plain text (the sandbox and demo default).
    public static let plaintext = SecretBox(current: nil, previous: nil)

    private init(current: Key?, previous: Key?) {
        self.current = current
        self.previous = previous
    }

    /// Reads the keys, each the base64 of exactly 32 bytes (surrounding white space is ignored).
    /// - Parameters:
    ///   - key: `CROSSDOCK_SECRET_KEY`; nil or empty gives ``plaintext``.
    ///   - previousKey: `CROSSDOCK_SECRET_KEY_PREVIOUS`, used only to open; nil or empty when not rotating.
    /// - Throws: ``SecretError`` `invalid_secret_key` naming the variable and what is wrong, never its value.
    public init(key: String?, previousKey: String? = nil) throws(SecretError) {
        let current = try Self.parse(key, name: "CROSSDOCK_SECRET_KEY")
        let previous = try Self.parse(previousKey, name: "CROSSDOCK_SECRET_KEY_PREVIOUS")
        if previous != nil && current == nil {
            throw SecretError(
                code: .invalidKey,
                message: "CROSSDOCK_SECRET_KEY_PREVIOUS is set but CROSSDOCK_SECRET_KEY is not: set the new key as CROSSDOCK_SECRET_KEY"
            )
        }
        self.init(current: current, previous: previous?.id == current?.id ? nil : previous)
    }

    private static func parse(_ text: String?, name: String) throws(SecretError) -> Key? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        guard let bytes = Data(base64Encoded: text) else {
            throw SecretError(code: .invalidKey, message: "\(name) is not valid base64; generate one with `openssl rand -base64 32`")
        }
        guard bytes.count == 32 else {
            throw SecretError(
                code: .invalidKey,
                message: "\(name) must be the base64 of exactly 32 bytes, not \(bytes.count); generate one with `openssl rand -base64 32`"
            )
        }
        return Key(bytes)
    }

    /// Whether secrets are encrypted when written.
    public var encrypts: Bool { current != nil }

    /// The id of the key that seals (hex of the first 4 bytes of its SHA-256); nil without a key.
    public var keyID: String? { current?.id }

    /// The id of the previous key, when one is configured.
    public var previousKeyID: String? { previous?.id }

    /// `secret` as it is stored: sealed under the current key, or unchanged without one.
    public func seal(_ secret: String, for binding: Binding) -> String {
        guard let current else { return secret }
        // A 12-byte random nonce: `combined` is always present.
        guard let sealed = try? AES.GCM.seal(Data(secret.utf8), using: current.key, authenticating: binding.associatedData).combined else {
            preconditionFailure("AES-GCM sealing with a 256-bit key and a random nonce cannot fail")
        }
        return Self.prefix + current.id + ":" + sealed.base64EncodedString()
    }

    /// The secret a stored value holds: opened with the key it names, or the value itself when it is plaintext.
    /// - Throws: ``SecretError`` naming the owner and the key id the value needs (`secret_key_missing`), or saying it
    ///   does not open (`secret_unreadable`); never the value.
    public func open(_ stored: String, for binding: Binding) throws(SecretError) -> String {
        guard stored.hasPrefix("enc:") else { return stored }
        guard stored.hasPrefix(Self.prefix) else {
            throw SecretError(code: .unreadable, message: "\(binding.owner): the stored secret is in an unknown format (\(stored.prefix(7)))")
        }
        let rest = stored.dropFirst(Self.prefix.count)
        guard let colon = rest.firstIndex(of: ":"), rest.distance(from: rest.startIndex, to: colon) == 8 else {
            throw SecretError(code: .unreadable, message: "\(binding.owner): the stored secret names no key id")
        }
        let id = String(rest[..<colon])
        guard let key = [current, previous].compactMap({ $0 }).first(where: { $0.id == id }) else {
            let configured = [current.map { "CROSSDOCK_SECRET_KEY is \($0.id)" }, previous.map { "CROSSDOCK_SECRET_KEY_PREVIOUS is \($0.id)" }]
                .compactMap { $0 }
            throw SecretError(
                code: .keyMissing,
                message: "\(binding.owner): the stored secret is encrypted with key \(id), which is not configured ("
                    + (configured.isEmpty ? "no CROSSDOCK_SECRET_KEY is set" : configured.joined(separator: ", ")) + ")"
            )
        }
        guard let combined = Data(base64Encoded: String(rest[rest.index(after: colon)...])),
            let box = try? AES.GCM.SealedBox(combined: combined),
            let plain = try? AES.GCM.open(box, using: key.key, authenticating: binding.associatedData)
        else {
            throw SecretError(
                code: .unreadable,
                message: "\(binding.owner): the stored secret does not open with key \(id) (altered, or copied from another row)"
            )
        }
        return String(decoding: plain, as: UTF8.self)
    }

    /// Whether `stored` is already as ``seal(_:for:)`` would write it now: sealed under the current key, or plaintext
    /// when there is no key.
    public func isCurrent(_ stored: String) -> Bool {
        guard let current else { return !stored.hasPrefix("enc:") }
        return stored.hasPrefix(Self.prefix + current.id + ":")
    }

    /// `stored` rewritten under the current key (opened with whichever key it names, or read as plaintext); nil when
    /// it already is.
    /// - Throws: ``SecretError`` when it does not open.
    public func resealed(_ stored: String, for binding: Binding) throws(SecretError) -> String? {
        guard !isCurrent(stored) else { return nil }
        return seal(try open(stored, for: binding), for: binding)
    }
}

import Crypto
import Foundation

/// Standard Webhooks signing (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
/// `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the base64 part of a
/// `whsec_…` secret.
public enum WebhookSigner {
    /// A new random secret, `whsec_` + base64 of 24 random bytes.
    public static func makeSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "whsec_" + Data(bytes).base64EncodedString()
    }

    /// The key bytes of a `whsec_` secret, or nil when it is malformed.
    public static func key(fromSecret secret: String) -> SymmetricKey? {
        guard secret.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.dropFirst(6))), bytes.count >= 16 else { return nil }
        return SymmetricKey(data: bytes)
    }

    /// The `webhook-signature` value for a message.
    public static func signature(secret: String, id: String, timestamp: Int, body: some DataProtocol) -> String? {
        guard let key = key(fromSecret: secret) else { return nil }
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: Data("\(id).\(timestamp).".utf8))
        hmac.update(data: body)
        return "v1," + Data(hmac.finalize()).base64EncodedString()
    }

    /// Verifies a signature header (which may hold several space-separated signatures) within a 5-minute window.
    public static func verify(secret: String, id: String, timestamp: Int, body: some DataProtocol, header: String, now: Date = Date()) -> Bool {
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= 300,
            let expected = signature(secret: secret, id: id, timestamp: timestamp, body: body)
        else { return false }
        return header.split(separator: " ").contains { candidate in
            candidate.utf8.count == expected.utf8.count && zip(candidate.utf8, expected.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }
}

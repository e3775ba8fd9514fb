import Crypto
import Foundation

/// Verifies Standard Webhooks signatures the way a partner would, written from the specification and
/// independent of the hub's signer.
public struct SignatureVerifier: Sendable {
    let keyBytes: Data

    /// Creates a verifier for a `whsec_…` secret; nil when the secret is malformed.
    public init?(secret: String) {
        guard secret.hasPrefix("whsec_"), let raw = Data(base64Encoded: String(secret.dropFirst("whsec_".count))) else { return nil }
        keyBytes = raw
    }

    /// Whether `signatureHeader` holds a valid `v1,` signature of `id.timestamp.body` and the timestamp is recent.
    public func isValid(id: String, timestamp: String, signatureHeader: String, body: [UInt8], now: Date = Date()) -> Bool {
        guard let seconds = Double(timestamp), abs(now.timeIntervalSince1970 - seconds) < 300 else { return false }
        let key = SymmetricKey(data: keyBytes)
        let signed = Data("\(id).\(timestamp).".utf8) + Data(body)
        let mac = Data(HMAC<SHA256>.authenticationCode(for: signed, using: key))
        for candidate in signatureHeader.split(separator: " ") {
            let parts = candidate.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1", let given = Data(base64Encoded: String(parts[1])) else { continue }
            if HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: signed, using: key) && given == mac { return true }
        }
        return false
    }
}

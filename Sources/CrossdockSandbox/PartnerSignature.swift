import Crypto
import Foundation

/// How the sandbox channel partners sign what they send: HMAC-SHA256 of the raw body under a shared secret (the
/// secret's UTF-8 bytes), written as each partner's header wants it.
enum PartnerSignature {
    /// The MAC of `body` under `secret`.
    static func mac(_ body: [UInt8], secret: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8))))
    }

    /// Lower-case hex of the MAC (Salesforce-style `sha256=…`, EasyPost `hmac-sha256-hex=…`).
    static func hex(_ body: [UInt8], secret: String) -> String {
        mac(body, secret: secret).map { String(format: "%02x", $0) }.joined()
    }

    /// Base64 of the MAC (Shopify's `X-Shopify-Hmac-Sha256`).
    static func base64(_ body: [UInt8], secret: String) -> String {
        Data(mac(body, secret: secret)).base64EncodedString()
    }

    /// A random secret of 32 hex digits.
    static func makeSecret() -> String {
        (0..<16).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max)) }.joined()
    }

    /// `cents` as a decimal string with two places, e.g. `1234` → `12.34`.
    static func decimal(_ cents: Int64) -> String {
        "\(cents < 0 ? "-" : "")\(abs(cents) / 100).\(String(format: "%02d", abs(cents) % 100))"
    }
}

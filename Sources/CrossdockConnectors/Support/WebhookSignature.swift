import CrossdockDomain
import Crypto
import Foundation

/// HMAC-SHA256 webhook signatures: computing them, decoding the header forms partners use, and comparing in
/// constant time (``Crypto/HMAC/isValidAuthenticationCode(_:authenticating:using:)``).
enum WebhookSignature {
    /// The HMAC-SHA256 of `body` under `secret` (UTF-8).
    static func mac(_ body: some Collection<UInt8>, secret: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(body), using: SymmetricKey(data: Array(secret.utf8))))
    }

    /// Whether `signature` (raw MAC bytes) is the HMAC-SHA256 of `body` under `secret`; compared in constant time.
    static func isValid(_ signature: [UInt8], body: some Collection<UInt8>, secret: String) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Array(body), using: SymmetricKey(data: Array(secret.utf8)))
    }

    /// Lower-case hex of `bytes`.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of a hex string (either case); nil when it is not hex of whole bytes.
    static func bytes(hex: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count.isMultiple(of: 2) else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(utf8.count / 2)
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 48...57: byte - 48
            case 65...70: byte - 55
            case 97...102: byte - 87
            default: nil
            }
        }
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        return result
    }

    /// The bytes of standard base64; nil when it is not base64.
    static func bytes(base64: some StringProtocol) -> [UInt8]? {
        Data(base64Encoded: String(base64)).map { Array($0) }
    }

    /// Throws `bad_signature` naming `header`. The message never holds the secret, the expected MAC or the body.
    static func reject(_ header: String, _ reason: String) -> ConnectorError {
        ConnectorError(code: ConnectorError.badSignature, message: "\(header): \(reason)", errors: [.init(field: header, reason: reason)])
    }

    /// Verifies `X-Crossdock-Signature: sha256=<hex>`: the HMAC-SHA256 of the raw body under the shared secret.
    ///
    /// Used by the Salesforce connector and the generic carrier format (our own conventions, documented in
    /// `docs/connectors.md`).
    static func verifyCrossdock(body: some Collection<UInt8>, header: String?, secret: String) throws(ConnectorError) {
        let name = "X-Crossdock-Signature"
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { throw reject(name, "missing") }
        guard header.hasPrefix("sha256="), let mac = bytes(hex: header.dropFirst(7)), mac.count == 32 else {
            throw reject(name, "must be sha256=<64 hex digits>")
        }
        guard isValid(mac, body: body, secret: secret) else { throw reject(name, "does not match the body") }
    }
}

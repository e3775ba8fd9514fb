import CrossdockStore
import Crypto
import Foundation

/// API key scopes. `admin` grants all of them.
public enum Scope: String, CaseIterable, Sendable {
    case admin
    case ordersRead = "orders:read"
    case ordersWrite = "orders:write"
    case masterRead = "master:read"
    case masterWrite = "master:write"
    case inventoryWrite = "inventory:write"
    case fulfillmentWrite = "fulfillment:write"
    case eventsRead = "events:read"
    case subscriptionsWrite = "subscriptions:write"
    /// Reading the audit log (`GET /v1/audit`).
    case auditRead = "audit:read"
}

/// Creating and checking API keys. A key is `cdk_` + 43 base64url characters; only its SHA-256 is stored.
public enum APIKeys {
    /// Creates a key and stores its hash.
    /// - Parameters:
    ///   - store: where the hash goes.
    ///   - name: a label for people.
    ///   - scopes: granted scopes; each must be a ``Scope``.
    ///   - partner: the partner the key acts for, if any.
    ///   - expiresAt: when the key stops working, if ever.
    /// - Returns: the record and the secret, which is shown once and never stored.
    public static func create(
        in store: any Store,
        name: String,
        scopes: [String],
        partner: String? = nil,
        expiresAt: Date? = nil
    ) async throws -> (APIKeyRecord, String) {
        let unknown = scopes.filter { Scope(rawValue: $0) == nil }
        guard !scopes.isEmpty else {
            throw EngineError(.invalid, code: "invalid_scopes", message: "at least one scope is required")
        }
        guard unknown.isEmpty else {
            throw EngineError(
                .invalid,
                code: "invalid_scopes",
                message: "unknown scope(s): \(unknown.joined(separator: ", ")); known: \(Scope.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if let partner, case let shared = scopes.compactMap(Scope.init(rawValue:)).filter(hubWide.contains), !shared.isEmpty {
            throw EngineError(
                .invalid,
                code: "invalid_scopes",
                message:
                    "a key bound to partner '\(partner)' cannot hold \(shared.map(\.rawValue).joined(separator: ", ")): they change data every partner shares"
            )
        }
        if let expiresAt, expiresAt <= Date() {
            throw EngineError(.invalid, code: "invalid_expiry", message: "the expiry must be in the future")
        }
        let secret = newSecret()
        let record = APIKeyRecord(
            id: IDs.make(),
            name: name,
            hash: hash(secret),
            scopes: scopes,
            partner: partner,
            createdAt: Date(),
            expiresAt: expiresAt
        )
        try await store.insertKey(record)
        return (record, secret)
    }

    /// Gives the key `id` a new secret; the old one is refused from then on (within the key cache's bound on a
    /// running hub). Its id, scopes, partner and expiry stay.
    /// - Returns: the new secret, shown once; nil when no usable key has that id.
    public static func rotate(in store: any Store, id: String) async throws -> String? {
        let secret = newSecret()
        return try await store.rotateKey(id, hash: hash(secret)) ? secret : nil
    }

    /// A new secret: `cdk_` and 32 random bytes in base64url.
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "cdk_"
            + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of a secret: lower-case hex SHA-256.
    public static func hash(_ secret: String) -> String {
        Hex.encode(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Whether `record` grants `scope`.
    /// Scopes over data every partner shares (master data, stock, administration): a key bound to a partner can hold
    /// none of them.
    public static let hubWide: Set<Scope> = [.admin, .masterWrite, .inventoryWrite]

    public static func grants(_ record: APIKeyRecord, _ scope: Scope) -> Bool {
        record.scopes.contains(Scope.admin.rawValue) || record.scopes.contains(scope.rawValue)
    }
}

/// Lower-case hexadecimal.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as lower-case hex.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

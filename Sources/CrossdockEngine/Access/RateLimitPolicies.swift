import CrossdockDomain
import CrossdockStore
import Foundation

/// Setting and checking rate-limit policies, for the admin route and `crossdock limits` alike.
public enum RateLimitPolicies {
    /// The most requests a policy may allow in one window.
    public static let maxRequests = 1_000_000
    /// The longest window, in seconds (one day).
    public static let maxWindowSeconds = 86_400

    /// What is wrong with a policy, field by field (`subject`, `requests`, `windowSeconds`); empty when it is valid.
    public static func problems(subject: String, requests: Int, windowSeconds: Int) -> [IntakeError.FieldError] {
        var problems: [IntakeError.FieldError] = []
        if let reason = subjectProblem(subject) { problems.append(.init(field: "subject", reason: reason)) }
        if !(1...maxRequests).contains(requests) { problems.append(.init(field: "requests", reason: "must be 1 to \(maxRequests)")) }
        if !(1...maxWindowSeconds).contains(windowSeconds) {
            problems.append(.init(field: "windowSeconds", reason: "must be 1 to \(maxWindowSeconds) seconds"))
        }
        return problems
    }

    /// Why `subject` is not one: `key:<key id>`, `partner:<partner>`, `key:*` or `partner:*`.
    public static func subjectProblem(_ subject: String) -> String? {
        let parts = subject.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, ["key", "partner"].contains(parts[0]) else {
            return "must be key:<key id>, partner:<partner>, key:* or partner:*"
        }
        let name = parts[1]
        guard name == "*" || (1...128).contains(name.utf8.count) && name.utf8.allSatisfy(isNameByte) else {
            return "the name after '\(parts[0]):' must be * or 1 to 128 letters, digits, '.', '_' or '-'"
        }
        return nil
    }

    /// Validates and stores a policy; a `key:` subject must name an existing key.
    /// - Throws: ``EngineError`` (`invalid_fields`) naming each bad field.
    @discardableResult
    public static func put(
        in store: any Store,
        subject: String,
        requests: Int,
        windowSeconds: Int,
        now: Date = Date()
    ) async throws -> RateLimitPolicy {
        var problems = problems(subject: subject, requests: requests, windowSeconds: windowSeconds)
        if problems.isEmpty, subject.hasPrefix("key:"), subject != "key:*" {
            let id = String(subject.dropFirst(4))
            let keys = try await store.keys()
            if !keys.contains(where: { $0.id == id }) {
                problems.append(.init(field: "subject", reason: "no API key has the id '\(id)'"))
            }
        }
        guard problems.isEmpty else {
            throw EngineError(.invalid, code: "invalid_fields", message: "the policy has \(problems.count) invalid field(s)", errors: problems)
        }
        let policy = RateLimitPolicy(subject: subject, requests: requests, windowSeconds: windowSeconds, updatedAt: now)
        try await store.putRateLimitPolicy(policy)
        return policy
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2E || byte == 0x5F
            || byte == 0x2D
    }
}

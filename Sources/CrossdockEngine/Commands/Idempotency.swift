import CrossdockDomain
import CrossdockStore
import Foundation

/// The replay rule of the IETF `Idempotency-Key` header: the same key with the same request replays the first
/// answer; the same key with a different request is refused.
enum Idempotency {
    static func replay(_ record: IdempotencyRecord, for context: IdempotencyContext) throws(EngineError) -> Reply {
        guard record.requestHash == context.requestHash else {
            throw EngineError(
                .idempotencyMismatch, code: "idempotency_key_reused",
                message: "Idempotency-Key '\(context.key)' was used with a different request",
                errors: [.init(field: "Idempotency-Key", reason: "already used for another request body or path")])
        }
        return Reply(status: record.status, body: Array(record.body), replayed: true)
    }

    static func record(_ context: IdempotencyContext?, reply: Reply, now: Date) -> IdempotencyRecord? {
        context.map {
            IdempotencyRecord(scope: $0.scope, key: $0.key, requestHash: $0.requestHash, status: reply.status, body: Data(reply.body), createdAt: now)
        }
    }
}

/// Unique ids: lower-case UUIDs.
public enum IDs {
    /// A new id.
    @Sendable public static func make() -> String { UUID().uuidString.lowercased() }
}

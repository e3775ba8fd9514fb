import CrossdockDomain
import CrossdockStore
import Foundation
import Metrics
import Tracing

/// Runs a read–decide–commit command with idempotency: optimistic first, then serialized.
///
/// The decision is re-made from fresh state whenever a guard (stock, credit, version) fails at commit. After
/// ``optimisticAttempts`` lost races the command is decided again while the store holds the keys it competes for
/// (``Store/commitSerialized(_:_:)``: advisory locks on PostgreSQL, the writer itself on SQLite), where no concurrent
/// writer can change them, so contention always ends in progress instead of an error.
struct CommandRunner: Sendable {
    let store: any Store
    let maxAttempts: Int
    let now: @Sendable () -> Date
    /// Lost races before the command is serialized.
    var optimisticAttempts = 3
    private static let conflicts = Counter(label: "crossdock.engine.conflicts")
    private static let serialized = Counter(label: "crossdock.engine.serialized_commits")

    /// Runs `attempt` until its unit commits.
    /// - Parameters:
    ///   - idempotency: the request's key, if any; a committed request with the same key is replayed.
    ///   - attemptReadsKey: `attempt` reads the key itself, in the snapshot it decides from, and throws
    ///     ``RecordedReply`` when it was answered, so the runner does not read it first (one read less per command).
    ///   - attempt: reads, decides and returns the unit and the reply.
    func run(
        idempotency: IdempotencyContext?,
        attemptReadsKey: Bool = false,
        _ attempt: @escaping @Sendable () async throws -> (UnitOfWork, Reply)
    ) async throws -> Reply {
        if !attemptReadsKey, let replay = try await recorded(idempotency) { return replay }
        var keys = ContentionKeys()
        for round in 0..<max(maxAttempts, optimisticAttempts + 3) {
            let outcome: CommitOutcome
            let reply: Reply
            let touched: ContentionKeys
            do {
                if round < optimisticAttempts || keys.isEmpty {
                    var unit: UnitOfWork
                    (unit, reply) = try await attempt()
                    unit.idempotency = Idempotency.record(idempotency, reply: reply, now: now())
                    touched = ContentionKeys(unit)
                    AuditContext.note(status: reply.status, location: reply.location)
                    let decided = unit
                    outcome = try await withSpan("store.commit") { span in
                        span.attributes["crossdock.commit.round"] = round
                        span.attributes["crossdock.commit.events"] = decided.events.count
                        let outcome = try await store.commit(decided)
                        if case .conflict = outcome { span.attributes["crossdock.commit.conflict"] = true }
                        return outcome
                    }
                } else {
                    Self.serialized.increment()
                    let now = self.now
                    (outcome, (reply, touched)) = try await withSpan("store.commit_serialized") { span in
                        span.attributes["crossdock.commit.round"] = round
                        return try await store.commitSerialized(keys) {
                            var (unit, reply) = try await attempt()
                            unit.idempotency = Idempotency.record(idempotency, reply: reply, now: now())
                            AuditContext.note(status: reply.status, location: reply.location)
                            return (unit, (reply, ContentionKeys(unit)))
                        }
                    }
                }
            } catch let recorded as RecordedReply {
                return recorded.reply
            }
            switch outcome {
            case .committed:
                return reply
            case .conflict(.missing(let kind, let id)):
                throw EngineError(.notFound, code: "not_found", message: "\(kind) \(id) does not exist")
            case .conflict:
                Self.conflicts.increment()
                if let replay = try await recorded(idempotency) { return replay }
                keys.formUnion(touched)
                continue
            }
        }
        throw EngineError(.unavailable, code: "contention", message: "the command could not be committed after \(maxAttempts) attempts; retry")
    }

    /// The stored answer for `idempotency`, if a request with that key has committed.
    func recorded(_ idempotency: IdempotencyContext?) async throws -> Reply? {
        guard let idempotency, let record = try await store.idempotencyRecord(scope: idempotency.scope, key: idempotency.key) else { return nil }
        return try Idempotency.replay(record, for: idempotency)
    }
}

/// Thrown by an attempt that found its request already committed under the same idempotency key (a concurrent
/// retry won): the runner answers with the recorded reply.
struct RecordedReply: Error {
    let reply: Reply
}

extension EngineError {
    /// The HTTP-facing error for a domain command error: 409 for state conflicts, 422 for bad quantities.
    init(_ error: CommandError) {
        let kind: Kind = error.code == "invalid_quantities" || error.code.hasPrefix("invalid") ? .invalid : .conflict
        self.init(
            kind,
            code: error.code,
            message: error.message,
            errors: error.errors,
            extra: ["currentStatus": error.currentStatus, "action": error.action]
        )
    }

    /// The HTTP-facing error for a billing error.
    init(_ error: BillingError, status: String, action: String) {
        self.init(CommandError(code: error.code, message: error.message, errors: error.errors, currentStatus: status, action: action))
    }
}

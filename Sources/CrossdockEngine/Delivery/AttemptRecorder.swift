import CrossdockStore
import Synchronization

/// Records delivery attempts in batches: while one batch is being written, the attempts that finish meanwhile wait
/// and go together in the next, in one transaction.
///
/// One transaction per attempt made concurrent deliveries queue for the database one by one: on PostgreSQL each held a
/// counter row and a connection through its commit, on SQLite each was its own write in the commit queue. The first
/// attempt to arrive when nothing is being written writes (it leads); those that arrive meanwhile wait, and when the
/// write is done the first of them leads the next batch, so no caller keeps writing for others indefinitely.
final class AttemptRecorder: Sendable {
    private enum Outcome: Sendable {
        /// Written: the delivery ids whose attempt was recorded (a lost lease records nothing).
        case done(Set<Int64>)
        case failed(any Error)
        /// Write the batch waiting now (this attempt's included).
        case lead
    }

    private struct Entry {
        var record: DeliveryAttemptRecord
        /// Nil for the entry of the caller that leads its batch (it is told nothing: it writes).
        var continuation: CheckedContinuation<Outcome, Never>?
    }

    private struct State {
        var pending: [Entry] = []
        var writing = false
    }

    let store: any Store
    /// The most attempts written in one transaction.
    let maxBatch: Int
    private let state = Mutex(State())

    init(store: any Store, maxBatch: Int = 256) {
        self.store = store
        self.maxBatch = max(1, maxBatch)
    }

    /// Records `attempt` (with whatever others are waiting); true when it was recorded, false when its lease was lost.
    func record(_ attempt: DeliveryAttemptRecord) async throws -> Bool {
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let leads = state.withLock { state -> Bool in
                state.pending.append(Entry(record: attempt, continuation: continuation))
                guard !state.writing else { return false }
                state.writing = true
                state.pending[state.pending.count - 1].continuation = nil
                return true
            }
            if leads { continuation.resume(returning: .lead) }
        }
        switch outcome {
        case .done(let recorded): return recorded.contains(attempt.lease.deliveryID)
        case .failed(let error): throw error
        case .lead: return try await lead(attempt)
        }
    }

    /// Writes the waiting batch, answers its other attempts, and hands the writing on to the first that arrived since.
    private func lead(_ attempt: DeliveryAttemptRecord) async throws -> Bool {
        let batch: [Entry] = state.withLock { state in
            let batch = Array(state.pending.prefix(maxBatch))
            state.pending.removeFirst(batch.count)
            return batch
        }
        let outcome: Outcome
        do {
            outcome = .done(try await store.recordAttempts(batch.map(\.record)))
        } catch {
            outcome = .failed(error)
        }
        for entry in batch { entry.continuation?.resume(returning: outcome) }
        let next: CheckedContinuation<Outcome, Never>? = state.withLock { state in
            guard !state.pending.isEmpty else {
                state.writing = false
                return nil
            }
            defer { state.pending[0].continuation = nil }
            return state.pending[0].continuation
        }
        next?.resume(returning: .lead)
        switch outcome {
        case .done(let recorded): return recorded.contains(attempt.lease.deliveryID)
        case .failed(let error): throw error
        case .lead: return false
        }
    }
}

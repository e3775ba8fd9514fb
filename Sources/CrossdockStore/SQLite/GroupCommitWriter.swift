import CrossdockDomain
import GRDB
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Commits the writes of many concurrent callers in one SQLite transaction (group commit).
///
/// Callers enqueue a closure and suspend. One loop takes everything queued, runs each closure in its own
/// savepoint inside one `BEGIN IMMEDIATE … COMMIT`, and resumes every caller after the commit is durable
/// (`synchronous=FULL`). A closure that throws rolls back only its savepoint and gets its error; a failed
/// COMMIT fails the whole batch. While one batch is on its way to disk the next one fills up, so the fsync
/// cost is shared by every request in a batch.
final class GroupCommitWriter: Sendable {
    private struct Pending: Sendable {
        let apply: @Sendable (Database) throws -> Void
        let complete: @Sendable ((any Error)?) -> Void
        /// Touches more pages than the savepoint journal should hold in memory (see ``commitOne(_:_:)``).
        let large: Bool
    }

    private struct State {
        var queue: [Pending] = []
        /// Writes of the exclusive holder: taken even while ``exclusive`` holds the normal queue back.
        var privileged: [Pending] = []
        var waiter: CheckedContinuation<Void, Never>?
        var running = false
        var stopping = false
        /// A batch is being applied on the database thread.
        var committing = false
        /// A holder has the writer to itself (see ``GroupCommitWriter/withExclusive(_:)``).
        var exclusive = false
        /// The holder waiting for the batch in progress to finish.
        var idleWaiter: CheckedContinuation<Void, Never>?
        /// Holders waiting for their turn.
        var holders: [CheckedContinuation<Void, Never>] = []

        /// Stopping, and nothing is left to commit or held back.
        var drained: Bool { stopping && queue.isEmpty && privileged.isEmpty && !exclusive }

        /// The next batch: the holder's writes first; the queue only while nobody holds the writer.
        mutating func take(_ maxBatch: Int) -> [Pending] {
            if !privileged.isEmpty {
                defer { privileged.removeAll() }
                return privileged
            }
            guard !exclusive else { return [] }
            let count = min(queue.count, maxBatch)
            let batch = Array(queue.prefix(count))
            queue.removeFirst(count)
            return batch
        }
    }

    private let pool: DatabasePool
    private let state = Mutex(State())
    private let maxBatch: Int
    private let batchSize = Recorder(label: "crossdock.store.commit.batch_size")
    private let totals = Mutex((transactions: 0, writes: 0, nanoseconds: Int64(0)))
    private let commitTimer = Timer(label: "crossdock.store.commit.duration")

    private let logger: Logger
    /// The checkpointer asked for the log to be restarted (see ``requestRestart()``).
    private let restartWanted = Atomic<Bool>(false)
    private let restarts = Counter(label: "crossdock.store.wal_restarts")
    /// The writer connection keeps its savepoint journal in memory (`temp_store = MEMORY`).
    private let journalInMemory = Atomic<Bool>(false)
    /// A transaction slower than this is logged (a warning), with how long its writes and its COMMIT took.
    static let slow: Duration = .milliseconds(250)

    init(pool: DatabasePool, maxBatch: Int = 512, logger: Logger = Logger(label: "crossdock.store")) {
        self.pool = pool
        self.maxBatch = maxBatch
        self.logger = logger
    }

    /// Writes queued and not yet taken into a batch.
    var queueDepth: Int { state.withLock { $0.queue.count } }

    /// Runs `body` in the next batch and returns its value once the batch is durable.
    /// - Parameters:
    ///   - privileged: the write of the exclusive holder (see ``withExclusive(_:)``); it passes the held-back queue.
    ///   - large: the write may change thousands of existing pages (a master-data feed): its batch journals them to a
    ///     temporary file instead of memory.
    ///   - body: the write, run inside its own savepoint.
    func write<T: Sendable>(
        privileged: Bool = false,
        large: Bool = false,
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        let box = ResultBox<T>()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let pending = Pending(
                apply: { db in box.set(try body(db)) },
                complete: { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume() }
                },
                large: large
            )
            let rejected = state.withLock { state -> Bool in
                if state.stopping && !state.running { return true }
                if privileged { state.privileged.append(pending) } else { state.queue.append(pending) }
                if let waiter = state.waiter {
                    state.waiter = nil
                    waiter.resume()
                }
                return false
            }
            if rejected {
                continuation.resume(throwing: StoreError(code: .notRunning, message: "the store's writer is not running"))
            }
        }
        return box.take()
    }

    /// The loop. Returns after graceful shutdown once the queue is empty.
    func run() async throws {
        state.withLock { $0.running = true }
        defer { state.withLock { $0.running = false } }
        await withGracefulShutdownHandler {
            while true {
                let batch = await nextBatch()
                guard let batch else { return }
                await commit(batch)
            }
        } onGracefulShutdown: {
            self.stop()
        }
    }

    /// Transactions committed, writes they carried, and time spent inside them, since start.
    var statistics: WriterStatistics {
        totals.withLock { WriterStatistics(transactions: $0.transactions, writes: $0.writes, busy: .nanoseconds($0.nanoseconds)) }
    }

    /// Allows the loop to run again after a stop (for a store used by a command and then by a server).
    func reset() {
        state.withLock { $0.stopping = false }
    }

    /// Stops the loop once the queue is drained; a loop that starts after this returns at once.
    func stop() {
        state.withLock { state in
            state.stopping = true
            if let waiter = state.waiter {
                state.waiter = nil
                waiter.resume()
            }
        }
    }

    /// Holds the writer for `body`: queued writes wait until it returns, while the holder's own writes (``write(privileged:_:)``)
    /// commit at once. Reads made inside `body` see everything committed before it, and nothing else commits until it
    /// returns, so a decision made there cannot lose a race. Holders take turns.
    func withExclusive<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                if state.exclusive {
                    state.holders.append(continuation)
                    return false
                }
                state.exclusive = true
                return true
            }
            if granted { continuation.resume() }
        }
        // The batch being applied (taken before the hold) finishes first.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                guard state.committing else { return true }
                state.idleWaiter = continuation
                return false
            }
            if idle { continuation.resume() }
        }
        defer {
            state.withLock { state in
                if state.holders.isEmpty {
                    state.exclusive = false
                    if let waiter = state.waiter {
                        state.waiter = nil
                        waiter.resume()
                    }
                } else {
                    state.holders.removeFirst().resume()
                }
            }
        }
        return try await body()
    }

    private func nextBatch() async -> [Pending]? {
        while true {
            let taken = state.withLock { state -> [Pending]? in
                let batch = state.take(maxBatch)
                if batch.isEmpty { return state.drained ? nil : [] }
                state.committing = true
                return batch
            }
            guard let taken else { return nil }
            if !taken.isEmpty { return taken }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state -> Bool in
                        if !state.privileged.isEmpty || (!state.queue.isEmpty && !state.exclusive) || state.drained { return true }
                        state.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                self.stop()
            }
        }
    }

    /// Commits `first`, then, without leaving the database's writer thread, every batch that queued up meanwhile:
    /// under load the writer goes from one fsync to the next without a thread hop in between.
    private func commit(_ first: [Pending]) async {
        do {
            try await pool.writeWithoutTransaction { db in
                var batch = first
                while true {
                    self.commitOne(batch, db)
                    if self.restartWanted.load(ordering: .relaxed) { self.restartLog(db) }
                    let next = self.state.withLock { state -> [Pending] in
                        let taken = state.take(self.maxBatch)
                        if taken.isEmpty { self.becomeIdle(&state) }
                        return taken
                    }
                    if next.isEmpty { return }
                    batch = next
                }
            }
        } catch {
            // Only a failure to reach the writer connection lands here; commitOne answers every other failure.
            state.withLock { becomeIdle(&$0) }
            for pending in first { pending.complete(error) }
        }
    }

    /// Asks the writer to restart the write-ahead log after its next batch (``restartLog(_:)``).
    func requestRestart() { restartWanted.store(true, ordering: .relaxed) }

    /// A RESTART checkpoint on the writer's own connection, between two batches: copies what the passive checkpoints
    /// have not, waits (the connection's 10 ms busy timeout at most) for readers of older snapshots to finish, and makes
    /// the next commit write the log from its start.
    ///
    /// Passive checkpoints copy the log into the database but never restart it, and under a steady load some reader
    /// always holds a snapshot, so the log only grew (2.2 GB after a minute of intake at 600 orders/s), and when a quiet
    /// moment finally let a commit restart it, that commit truncated it back to `journal_size_limit` and waited half a
    /// second. Here nothing else waits on the writer but the queued batch, for the wait and the copy of the last few
    /// frames; when readers do not finish in time the checkpoint gives up (SQLITE_BUSY) and is tried after the next
    /// batch.
    private func restartLog(_ db: Database) {
        let start = ContinuousClock.now
        do {
            let result = try db.checkpoint(.restart)
            restartWanted.store(false, ordering: .relaxed)
            restarts.increment()
            if ContinuousClock.now - start > Self.slow {
                logger.warning(
                    "slow SQLite log restart",
                    metadata: ["crossdock.frames": "\(result.walFrameCount)", "crossdock.ms": "\((ContinuousClock.now - start).milliseconds)"]
                )
            }
        } catch {
            // Busy (a reader or the passive checkpointer): after the next batch.
        }
    }

    /// Sets where the writer connection's savepoint journal lives, between transactions.
    private func keepJournalInMemory(_ inMemory: Bool, _ db: Database) {
        guard journalInMemory.load(ordering: .relaxed) != inMemory else { return }
        do {
            try db.execute(sql: inMemory ? "PRAGMA temp_store = MEMORY" : "PRAGMA temp_store = FILE")
            journalInMemory.store(inMemory, ordering: .relaxed)
        } catch {
            logger.warning("could not set the savepoint journal's place", metadata: ["crossdock.error": "\(error)"])
        }
    }

    /// Marks the writer idle and lets a waiting exclusive holder in.
    private func becomeIdle(_ state: inout State) {
        guard state.committing else { return }
        state.committing = false
        if let waiter = state.idleWaiter {
            state.idleWaiter = nil
            waiter.resume()
        }
    }

    /// One transaction: each write in its own savepoint, then COMMIT; answers every caller.
    ///
    /// A savepoint copies each page it changes into the connection's savepoint journal first, so that it can roll
    /// back alone. SQLite keeps that journal in memory up to 64 KiB and then moves it to a temporary file; an order's
    /// journal passed that, so every order wrote it through `pwrite`: about 160 KB of the 223 KB the hub wrote per
    /// order under intake load, more than the log itself. With `temp_store = MEMORY` the journal stays in memory
    /// and is emptied when the savepoint ends. A batch holding a ``Pending/large`` write goes back to the file, so a
    /// feed that rewrites 100 000 products does not hold their old pages in memory.
    private func commitOne(_ batch: [Pending], _ db: Database) {
        batchSize.record(batch.count)
        keepJournalInMemory(!batch.contains(where: \.large), db)
        let start = ContinuousClock.now
        var errors: [(any Error)?] = []
        errors.reserveCapacity(batch.count)
        var applied = start
        do {
            try db.inTransaction(.immediate) {
                defer { applied = ContinuousClock.now }
                for pending in batch {
                    do {
                        try db.inSavepoint {
                            try pending.apply(db)
                            return .commit
                        }
                        errors.append(nil)
                    } catch {
                        errors.append(error)
                    }
                }
                return .commit
            }
        } catch {
            for pending in batch { pending.complete(error) }
            return
        }
        let end = ContinuousClock.now
        let elapsed = (end - start).nanoseconds
        commitTimer.recordNanoseconds(elapsed)
        if end - start > Self.slow {
            logger.warning(
                "slow SQLite commit",
                metadata: [
                    "crossdock.writes": "\(batch.count)",
                    "crossdock.apply_ms": "\((applied - start).milliseconds)",
                    "crossdock.commit_ms": "\((end - applied).milliseconds)",
                ]
            )
        }
        totals.withLock {
            $0.transactions += 1
            $0.writes += batch.count
            $0.nanoseconds += elapsed
        }
        for (pending, error) in zip(batch, errors) { pending.complete(error) }
    }
}

/// Carries a closure's result from the writer's thread to the caller.
private final class ResultBox<T: Sendable>: Sendable {
    private let value = Mutex<T?>(nil)
    func set(_ newValue: T) { value.withLock { $0 = newValue } }
    func take() -> T { value.withLock { $0! } }
}

/// What the group-commit writer has done.
public struct WriterStatistics: Sendable {
    /// Transactions (fsyncs) committed.
    public var transactions: Int
    /// Writes (commands) they carried.
    public var writes: Int
    /// Time spent executing and committing them.
    public var busy: Duration

    /// Creates statistics.
    public init(transactions: Int, writes: Int, busy: Duration) {
        self.transactions = transactions
        self.writes = writes
        self.busy = busy
    }

    /// Writes per transaction.
    public var writesPerTransaction: Double { transactions == 0 ? 0 : Double(writes) / Double(transactions) }
}

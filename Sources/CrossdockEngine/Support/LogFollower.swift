import CrossdockDomain
import CrossdockStore
import Logging
import ServiceLifecycle
import Synchronization

/// A follower's place in the event log, for a connector that acts on a few event types (the EDI documents, the
/// channel updates) and passes over the rest.
///
/// Two positions are kept. `reached` is how far the follower has looked; it lives in memory. `persisted` is its
/// connector cursor in the store. A unit that acts on an event carries the cursor to that event (so the action and
/// the cursor commit together, and a restart neither loses nor repeats it); the events passed over in between only
/// move `reached`, and the cursor catches up with it alone at most once per `flushInterval`, on shutdown, or never
/// when nothing moved. A restart therefore reads again at most that interval's events, which call for nothing, instead
/// of the follower adding a durable (fsync'd) write to the store per batch of events it ignores.
///
/// The store decodes only the wanted types; when `relevant` says the follower has nobody to act for (no X12 partner,
/// no Shopify shop), it decodes none.
final class LogFollower: Sendable {
    struct Position {
        var persisted: Int64
        var reached: Int64
        var flushed: ContinuousClock.Instant
    }

    /// What a step found.
    struct Batch {
        /// The wanted events, in order.
        var events: [CloudEvent]
        /// How many events of any type were looked at (0 when caught up).
        var scanned: Int
        /// Where the cursor stood when the batch was read: the `from` of the first unit that moves it.
        var persisted: Int64
        /// The last position looked at; ``LogFollower/finished(_:)`` moves the follower there.
        var reached: Int64
    }

    let name: String
    let store: any Store
    let types: Set<String>
    let limit: Int
    let flushInterval: Duration
    private let position = Mutex<Position?>(nil)

    /// Creates a follower of the cursor `name`, wanting events of `types`.
    init(name: String, store: any Store, types: [EventType], limit: Int, flushInterval: Duration = .seconds(1)) {
        self.name = name
        self.store = store
        self.types = Set(types.map(\.qualifiedName))
        self.limit = limit
        self.flushInterval = flushInterval
    }

    /// Runs `step` until graceful shutdown, then commits the cursor where the follower has looked.
    ///
    /// A step that found events is followed by a pause of `settle` (unless it filled its batch), so a burst of
    /// commits is read in one scan rather than one scan per commit: under load the follower costs a few reads a
    /// second, not a few per order. A step that found nothing waits for the next commit, at most `idleWait`.
    func run(idleWait: Duration, settle: Duration, logger: Logger, what: String, step: @escaping @Sendable () async throws -> Int) async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let scanned = try await step()
                    if scanned == 0 {
                        await self.store.waitForEvents(after: try await self.reached(), timeout: idleWait)
                    } else if scanned < self.limit {
                        try await Task.sleep(for: settle)
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("\(what) step failed; retrying", metadata: [LogKey.error: "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
        try? await flush(force: true)
    }

    /// How far the follower has looked (the store's cursor on first use).
    func reached() async throws -> Int64 { try await load().reached }

    /// The next batch after `reached`. `relevant` is asked after the log was looked at, so an event appended after a
    /// partner's registration is never passed over for want of that partner.
    func next(relevant: () async throws -> Bool) async throws -> Batch {
        let start = try await load()
        var scan = try await store.events(after: start.reached, limit: limit, types: [])
        if scan.scanned > 0, try await relevant() {
            scan = try await store.events(after: start.reached, limit: limit, types: types)
        }
        return Batch(events: scan.events, scanned: scan.scanned, persisted: start.persisted, reached: scan.reached)
    }

    /// Moves the follower past `batch` once every event of it was acted on (a batch that threw is read again), and
    /// commits the cursor when that is due.
    func finished(_ batch: Batch) async throws {
        position.withLock { position in
            if let reached = position?.reached, batch.reached > reached { position?.reached = batch.reached }
        }
        try await flush()
    }

    /// Records that a unit carrying the cursor to `sequence` committed.
    func committed(through sequence: Int64) {
        position.withLock { position in
            guard var current = position else { return }
            current.persisted = sequence
            current.reached = max(current.reached, sequence)
            position = current
        }
    }

    /// Forgets the position after the cursor moved under the follower (another node, an operator's rewind): the next
    /// batch starts from the store's cursor again.
    func reset() {
        position.withLock { $0 = nil }
    }

    /// Commits the cursor alone up to `reached` when it lags and `flushInterval` has passed (or `force`).
    func flush(force: Bool = false) async throws {
        guard let current = position.withLock({ $0 }), current.reached > current.persisted,
            force || ContinuousClock.now - current.flushed >= flushInterval
        else { return }
        var unit = UnitOfWork()
        unit.cursor = CursorAdvance(name: name, from: current.persisted, to: current.reached)
        guard case .committed = try await store.commit(unit) else { return reset() }
        position.withLock { position in
            guard var moved = position else { return }
            moved.persisted = max(moved.persisted, current.reached)
            moved.flushed = .now
            position = moved
        }
    }

    /// Moves the cursor alone from `from` to `to` now (a document that was already issued); false when it moved
    /// under the follower.
    func advance(from: Int64, to: Int64) async throws -> Bool {
        var unit = UnitOfWork()
        unit.cursor = CursorAdvance(name: name, from: from, to: to)
        guard case .committed = try await store.commit(unit) else {
            reset()
            return false
        }
        committed(through: to)
        return true
    }

    private func load() async throws -> Position {
        if let current = position.withLock({ $0 }) { return current }
        let cursor = try await store.connectorCursor(name)
        let loaded = Position(persisted: cursor, reached: cursor, flushed: .now)
        position.withLock { $0 = $0 ?? loaded }
        return loaded
    }
}

import CrossdockDomain
import CrossdockStore
import Logging
import Metrics
import ServiceLifecycle

/// Folds the event log into the KPI rollup (``KPIRollup``) as it grows, so that the KPIs of a busy day cost a few
/// thousand rows to read rather than the day's events. Each step folds at most `batch` events in one transaction with
/// the rollup's cursor (the store guarantees that two nodes never fold the same events); a report folds whatever the
/// follower has not reached yet itself, so the figures are as current as the log either way.
///
/// Under load it takes a step every `settle` (one short write per step, not one per order); idle, it waits for the next
/// commit, then `settle`. After an upgrade it folds the whole existing log first, `batch` events a step.
public struct KPIRollupFollower: Service {
    /// Tunables.
    public struct Configuration: Sendable {
        /// The most events one step folds (default 2 000): the longest it holds the SQLite writer.
        public var batch: Int
        /// The pause after a step that found events but did not fill its batch (default 250 ms).
        public var settle: Duration
        /// The longest an idle follower waits for a commit before looking again (default 5 s).
        public var idleWait: Duration

        /// Creates a configuration.
        public init(batch: Int = 2000, settle: Duration = .milliseconds(250), idleWait: Duration = .seconds(5)) {
            self.batch = batch
            self.settle = settle
            self.idleWait = idleWait
        }
    }

    let store: any Store
    let configuration: Configuration
    let logger: Logger
    private let folded = Counter(label: "crossdock.kpi.rollup.events")

    /// Creates the follower.
    public init(store: any Store, configuration: Configuration = .init(), logger: Logger = Logger(label: "crossdock.kpi")) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let scanned = try await store.rollUpKPIs(limit: configuration.batch)
                    folded.increment(by: scanned)
                    if scanned == 0 {
                        await store.waitForEvents(after: try await store.lastSequence(), timeout: configuration.idleWait)
                    }
                    // Settle after a step that did not fill its batch, also once a commit has woken an idle follower:
                    // under load on PostgreSQL a step can find nothing below the feed's fence while commits keep
                    // arriving, and without the pause it would take a step per commit.
                    if scanned < configuration.batch { try await Task.sleep(for: configuration.settle) }
                } catch {
                    // Shutting down: the pool refuses requests then, which is not a failed step.
                    if Task.isCancelled || error is CancellationError { return }
                    logger.error("KPI rollup step failed; retrying", metadata: [LogKey.error: "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }
}

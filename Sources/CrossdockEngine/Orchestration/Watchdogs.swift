import CrossdockDomain
import CrossdockStore
import Foundation
import Logging
import ServiceLifecycle

/// The scheduled job that watches every promise the hub made and closes the orders that are done: each run gathers
/// the stored facts, applies the pure rules (``Watchdog``, ``OrderClosing``) with the job's clock, raises one
/// operations exception per breach (`exception.raised`), resolves the ones whose late fact arrived
/// (`exception.resolved`, resolution `automatic`) and closes orders (`order.closed`).
///
/// Run it as a ``SingletonService`` so that one node at a time checks; each change is its own unit of work, guarded by
/// versions and by the exceptions' unique watchdog keys, so a run that races another still raises each breach once.
///
/// ```swift
/// let watchdogs = Watchdogs(store: store, now: { clock.now })
/// let report = try await watchdogs.step()
/// ```
public struct Watchdogs: Service {
    /// Tunables.
    public struct Configuration: Sendable {
        /// How often the job runs (default one minute).
        public var interval: Duration
        /// The most candidates of each kind one run looks at (default 5 000).
        public var limit: Int

        /// Creates a configuration.
        public init(interval: Duration = .seconds(60), limit: Int = 5000) {
            self.interval = interval
            self.limit = limit
        }
    }

    /// What one run changed.
    public struct Report: Hashable, Sendable {
        /// Exceptions raised.
        public var raised: [OperationsException] = []
        /// Exceptions that resolved themselves.
        public var resolved: [OperationsException] = []
        /// Orders closed.
        public var closed: [String] = []

        /// An empty report.
        public init() {}
    }

    let store: any Store
    let configuration: Configuration
    let logger: Logger
    let now: @Sendable () -> Date

    /// Creates the job.
    /// - Parameters:
    ///   - store: facts, exceptions, orders and events.
    ///   - configuration: tunables.
    ///   - logger: where to log.
    ///   - now: the clock.
    public init(
        store: any Store,
        configuration: Configuration = .init(),
        logger: Logger = Logger(label: "crossdock.watchdogs"),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        await runPeriodically(every: configuration.interval, logger: logger, failure: "watchdog run failed") { _ = try await step() }
    }

    /// Runs the watchdogs and the closing check once at the clock's time.
    @discardableResult
    public func step() async throws -> Report {
        let at = now()
        let deadlines = try await store.watchdogDeadlines() ?? WatchdogDeadlines()
        let open = try await store.openWatchdogExceptions()
        let facts = try await facts(at: at, deadlines: deadlines, open: open)
        let findings = Watchdog.findings(facts, deadlines: deadlines, now: at)
        let keys = findings.compactMap { finding -> String? in
            if case .breached(let breach) = finding.verdict { breach.key } else { nil }
        }
        let plan = Watchdog.plan(findings, open: open, used: try await store.usedWatchdogKeys(keys))
        var report = Report()
        for breach in plan.raise {
            let exception = breach.exception(id: IDs.make(), at: at)
            var unit = UnitOfWork()
            unit.exceptions = [.init(exception, expectedVersion: nil)]
            unit.events = [event(.exceptionRaised, exception, at: at)]
            if try await commit(unit, what: breach.key) { report.raised.append(exception) }
        }
        for resolution in plan.resolve {
            var resolved = resolution.exception
            do { try resolved.resolve(.automatic, note: resolution.reason, by: .watchdog, at: at) } catch { continue }
            var unit = UnitOfWork()
            unit.exceptions = [.init(resolved, expectedVersion: resolution.exception.version)]
            unit.events = [event(.exceptionResolved, resolved, at: at)]
            if try await commit(unit, what: resolved.id) { report.resolved.append(resolved) }
        }
        report.closed = try await closeOrders(at: at, deadlines: deadlines)
        if !report.raised.isEmpty || !report.resolved.isEmpty || !report.closed.isEmpty {
            logger.info(
                "watchdogs ran",
                metadata: [
                    "crossdock.raised": "\(report.raised.count)", "crossdock.resolved": "\(report.resolved.count)",
                    "crossdock.closed": "\(report.closed.count)",
                ]
            )
        }
        return report
    }

    /// The event announcing an exception raised or resolved, correlated to its order (or its channel).
    func event(_ type: EventType, _ exception: OperationsException, at: Date) -> EventDraft {
        EventDraft(
            id: IDs.make(),
            type: type,
            subject: exception.id,
            time: at,
            correlationID: exception.orderID.isEmpty ? "channel:\(exception.partner ?? "")" : exception.orderID,
            causationID: nil,
            payload: exception
        )
    }

    /// Commits one change; a guard lost to a concurrent writer (or a key raised by another run) is left to the next run.
    func commit(_ unit: UnitOfWork, what: String) async throws -> Bool {
        try await commitJobChange(unit, store: store, logger: logger, job: "watchdog", subject: what)
    }
}

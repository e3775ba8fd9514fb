import CrossdockDomain
import CrossdockStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// The scheduled job that tells the people on call: each run reads the alert routes (subscriptions with
/// `settings.alert`), the open exceptions and the resolved ones a route still has to hear about, asks ``AlertPlan``
/// which messages are due, and writes each as an `alert.firing` or `alert.resolved` event together with the routes'
/// marks on the exceptions, in one unit of work.
///
/// `crossdock_alerts_queued_total{kind,reason,severity}` counts the messages queued.
///
/// The hub's outbox delivers the events like any other: signed, retried on the route's policy, dead-lettered when the
/// endpoint keeps failing, and never in the way of the order flow. Run it as a ``SingletonService``; a unit that races
/// another change of the same exception is dropped by its version guard and planned again at the next run, so a message
/// is never queued twice for one mark.
///
/// ```swift
/// let alerts = AlertNotifier(store: store, now: { clock.now })
/// let report = try await alerts.step()
/// ```
public struct AlertNotifier: Service {
    /// Tunables.
    public struct Configuration: Sendable {
        /// How often the job runs (default 30 seconds).
        public var interval: Duration
        /// The most open exceptions, and the most resolved ones awaiting a message, one run looks at (default 5 000).
        public var limit: Int

        /// Creates a configuration.
        public init(interval: Duration = .seconds(30), limit: Int = 5000) {
            self.interval = interval
            self.limit = limit
        }
    }

    /// What one run queued.
    public struct Report: Hashable, Sendable {
        /// The messages written (not the silent settlements), in order.
        public var alerts: [AlertData] = []
        /// Notices lost to a concurrent change, planned again next run.
        public var conflicts = 0

        /// An empty report.
        public init() {}
    }

    let store: any Store
    let configuration: Configuration
    let logger: Logger
    let now: @Sendable () -> Date
    /// Order id → channel; an order's channel never changes.
    private let channels = ChannelCache()

    /// Creates the job.
    public init(
        store: any Store,
        configuration: Configuration = .init(),
        logger: Logger = Logger(label: "crossdock.alerts"),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        await runPeriodically(every: configuration.interval, logger: logger, failure: "alert run failed") { _ = try await step() }
    }

    /// Plans and queues the messages due at the clock's time.
    @discardableResult
    public func step() async throws -> Report {
        let at = now()
        var routes: [String: AlertRoute] = [:]
        for subscription in try await store.subscriptions() where subscription.status != .disabled {
            if let route = subscription.settings.alert { routes[subscription.id] = route }
        }
        let resolved = try await store.exceptionsAwaitingResolvedAlert(limit: configuration.limit)
        guard !routes.isEmpty || !resolved.isEmpty else { return Report() }
        let open = routes.isEmpty ? [] : try await store.operationsExceptions(status: .open, orderID: nil, limit: configuration.limit)
        let needsChannels = routes.values.contains { !$0.channels.isEmpty }
        var candidates: [AlertPlan.Candidate] = []
        for exception in open {
            candidates.append(.init(exception, channel: needsChannels ? try await channel(of: exception.orderID) : nil))
        }
        let notices = AlertPlan.notices(routes: routes, open: candidates, resolved: resolved, now: at)
        // Several notices may mark one exception (one per route): each unit starts from what the previous one wrote.
        var current: [String: OperationsException] = [:]
        for exception in open + resolved { current[exception.id] = exception }
        var report = Report()
        for notice in notices {
            var unit = UnitOfWork()
            var written: [OperationsException] = []
            for (id, mark) in notice.marks.sorted(by: { $0.key < $1.key }) {
                guard var exception = current[id] else { continue }
                let expected = exception.version
                exception.alerts[notice.routeID] = mark
                exception.version += 1
                unit.exceptions.append(.init(exception, expectedVersion: expected))
                written.append(exception)
            }
            var data: AlertData?
            if notice.reason != .settled {
                let message = AlertData(notice)
                data = message
                unit.events = [
                    EventDraft(
                        id: IDs.make(),
                        type: notice.reason == .resolved ? .alertResolved : .alertFiring,
                        subject: AlertData.subject(route: notice.routeID, kind: notice.kind),
                        time: at,
                        correlationID: "alert:\(notice.routeID)",
                        causationID: nil,
                        payload: message
                    )
                ]
            }
            if try await commit(unit, route: notice.routeID) {
                for exception in written { current[exception.id] = exception }
                if let data {
                    report.alerts.append(data)
                    Counter(
                        label: "crossdock_alerts_queued_total",
                        dimensions: [("kind", data.kind.rawValue), ("reason", data.reason), ("severity", data.severity.rawValue)]
                    ).increment()
                }
            } else {
                report.conflicts += 1
            }
        }
        if !report.alerts.isEmpty {
            logger.info("alerts queued", metadata: ["crossdock.alerts": "\(report.alerts.count)", "crossdock.conflicts": "\(report.conflicts)"])
        }
        return report
    }

    /// The channel of order `id` (nil for no order or an order that is gone).
    func channel(of orderID: String) async throws -> String? {
        guard !orderID.isEmpty else { return nil }
        if let known = channels.value(orderID) { return known }
        guard let order = try await store.order(orderID) else { return nil }
        channels.set(orderID, order.channel)
        return order.channel
    }

    /// Commits one notice; a lost race is left to the next run.
    func commit(_ unit: UnitOfWork, route: String) async throws -> Bool {
        try await commitJobChange(unit, store: store, logger: logger, job: "alert", subject: route)
    }
}

/// Order id → channel, bounded: cleared when it reaches 100 000 entries.
final class ChannelCache: Sendable {
    private let entries = Mutex<[String: String]>([:])

    func value(_ orderID: String) -> String? { entries.withLock { $0[orderID] } }

    func set(_ orderID: String, _ channel: String) {
        entries.withLock {
            if $0.count >= 100_000 { $0.removeAll() }
            $0[orderID] = channel
        }
    }
}

import CrossdockDomain
import CrossdockStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Publishes the exception queue as Prometheus gauges, for the alerting rules in `ops/prometheus`:
/// `crossdock_exceptions_open{kind}` (how many are open) and `crossdock_exceptions_oldest_open_age_seconds{kind}` (how
/// long the oldest open one has waited; 0 when none is open).
///
/// Every node runs it and reports the same database-wide figures, so a scrape of any node (or `max` over all of them)
/// is right, and a node that stops being the watchdogs' leader does not leave a stale gauge behind. Every kind is
/// reported, at 0 when none is open, so an alert resolves when its queue empties.
public struct ExceptionGauges: Service {
    /// Tunables.
    public struct Configuration: Sendable {
        /// How often the figures are read (default 15 seconds, a typical scrape interval).
        public var interval: Duration
        /// The most open exceptions one read looks at (default 10 000); beyond it the count is a lower bound.
        public var limit: Int

        /// Creates a configuration.
        public init(interval: Duration = .seconds(15), limit: Int = 10_000) {
            self.interval = interval
            self.limit = limit
        }
    }

    /// The figures of one kind.
    public struct Figures: Hashable, Sendable {
        /// Open exceptions.
        public var open: Int
        /// Seconds since the oldest open one was raised; 0 when none is open.
        public var oldestAgeSeconds: Double

        /// Creates figures.
        public init(open: Int, oldestAgeSeconds: Double) {
            self.open = open
            self.oldestAgeSeconds = oldestAgeSeconds
        }
    }

    let store: any Store
    let configuration: Configuration
    let logger: Logger
    let now: @Sendable () -> Date

    /// Creates the publisher.
    public init(
        store: any Store,
        configuration: Configuration = .init(),
        logger: Logger = Logger(label: "crossdock.exceptions"),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        await runPeriodically(every: configuration.interval, logger: logger, failure: "exception gauges failed") { _ = try await step() }
    }

    /// Reads the open exceptions once and records the gauges; returns the figures by kind.
    @discardableResult
    public func step() async throws -> [OperationsException.Kind: Figures] {
        let open = try await store.operationsExceptions(status: .open, orderID: nil, limit: configuration.limit)
        let figures = Self.figures(open, now: now())
        for (kind, figure) in figures {
            let dimensions = [("kind", kind.rawValue)]
            Gauge(label: "crossdock_exceptions_open", dimensions: dimensions).record(figure.open)
            Gauge(label: "crossdock_exceptions_oldest_open_age_seconds", dimensions: dimensions).record(figure.oldestAgeSeconds)
        }
        return figures
    }

    /// The figures of every kind (zero for kinds with nothing open) from the open exceptions at `now`.
    public static func figures(_ open: [OperationsException], now: Date) -> [OperationsException.Kind: Figures] {
        var figures = Dictionary(uniqueKeysWithValues: OperationsException.Kind.allCases.map { ($0, Figures(open: 0, oldestAgeSeconds: 0)) })
        for exception in open where exception.status == .open {
            var figure = figures[exception.kind] ?? Figures(open: 0, oldestAgeSeconds: 0)
            figure.open += 1
            figure.oldestAgeSeconds = max(figure.oldestAgeSeconds, now.timeIntervalSince(exception.openedAt))
            figures[exception.kind] = figure
        }
        return figures
    }
}

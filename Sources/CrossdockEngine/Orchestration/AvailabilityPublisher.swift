import CrossdockDomain
import CrossdockStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Publishes `inventory.availability_changed` for SKUs whose available-to-promise moved, coalesced: however many
/// stock changes a SKU sees within one window, channels get one event per SKU per window, and none when the
/// figures came back to what was last published.
///
/// The sync lag (stock change committed → event published) is recorded per event in the payload (`syncLagMs`) and
/// in the `crossdock_inventory_sync_lag_seconds` histogram.
public struct AvailabilityPublisher: Service {
    /// Tunables.
    public struct Configuration: Sendable {
        /// The coalescing window: a SKU is published once its first unpublished change is this old (default 200 ms).
        public var window: Duration
        /// SKUs per transaction (default 500).
        public var batch: Int

        /// Creates a configuration.
        public init(window: Duration = .milliseconds(200), batch: Int = 500) {
            self.window = window
            self.batch = batch
        }
    }

    let store: any Store
    let configuration: Configuration
    let logger: Logger
    private let lag = Timer(label: "crossdock_inventory_sync_lag_seconds")
    private let published = Counter(label: "crossdock_inventory_availability_published_total")

    /// Creates the publisher.
    /// - Parameters:
    ///   - store: where stock changes are marked.
    ///   - configuration: window and batch.
    ///   - logger: where to log.
    public init(store: any Store, configuration: Configuration = .init(), logger: Logger = Logger(label: "crossdock.availability")) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until graceful shutdown.
    public func run() async throws {
        let window = Double(configuration.window.components.seconds) + Double(configuration.window.components.attoseconds) / 1e18
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let now = Date()
                let publications = try await store.publishAvailability(
                    changedBefore: now.addingTimeInterval(-window),
                    now: now,
                    limit: configuration.batch,
                    makeID: IDs.make
                )
                for publication in publications { lag.recordNanoseconds(Int64(publication.lagSeconds * 1e9)) }
                published.increment(by: publications.count)
                if publications.count == configuration.batch { continue }
            } catch {
                logger.error("availability publishing failed", metadata: [LogKey.error: "\(error)"])
            }
            try? await Task.sleep(for: configuration.window / 2)
        }
    }
}

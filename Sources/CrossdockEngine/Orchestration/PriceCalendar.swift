import CrossdockDomain
import CrossdockStore
import Foundation
import Logging
import ServiceLifecycle

/// Publishes `price_list.price_changed` when a dated price begins or ends: writing a price list publishes the prices
/// in force that day, and each new day this service publishes the SKUs whose prices in force changed since the last
/// day it published (a promotion that starts or ends, a new price from a date), so storefronts and CRM price books
/// show the price the hub charges today.
///
/// The last day published per list is kept as the connector cursor `price-calendar:<list id>` (days since 1970) and
/// moved in the same unit as the events, so a restart neither repeats nor skips a day; several hub nodes race on the
/// cursor and only one unit commits.
public struct PriceCalendar: Service {
    /// Tunables.
    public struct Configuration: Sendable {
        /// How often the date is checked (default one minute).
        public var interval: Duration

        /// Creates a configuration.
        public init(interval: Duration = .seconds(60)) { self.interval = interval }
    }

    let store: any Store
    let configuration: Configuration
    let logger: Logger
    let now: @Sendable () -> Date

    /// Creates the service.
    /// - Parameters:
    ///   - store: price lists, events and cursors.
    ///   - configuration: tunables.
    ///   - logger: where to log.
    ///   - now: the clock.
    public init(
        store: any Store,
        configuration: Configuration = .init(),
        logger: Logger = Logger(label: "crossdock.prices"),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        await runPeriodically(every: configuration.interval, logger: logger, failure: "price calendar step failed") { _ = try await step() }
    }

    /// Publishes the changes in force of every list since the day it last published; returns how many events it
    /// appended. A list seen for the first time is only marked as published today (its last write published today's
    /// prices).
    @discardableResult
    public func step() async throws -> Int {
        let today = BusinessDay(containing: now())
        var appended = 0
        for list in try await store.priceLists() {
            let name = "price-calendar:\(list.id)"
            let last = try await store.connectorCursor(name)
            guard last < Int64(today.daysSince1970) else { continue }
            var unit = UnitOfWork()
            unit.cursor = CursorAdvance(name: name, from: last, to: Int64(today.daysSince1970))
            if last > 0 {
                let from = BusinessDay(daysSince1970: Int(last)).description
                for change in PriceChangedData.changesInForce(of: list, from: from, to: today.description) {
                    unit.events.append(
                        EventDraft(
                            id: IDs.make(),
                            type: .priceListPriceChanged,
                            subject: "\(list.id):\(change.sku)",
                            time: now(),
                            correlationID: "\(list.id):\(change.sku)",
                            causationID: nil,
                            payload: change
                        )
                    )
                }
            }
            if case .committed = try await store.commit(unit) { appended += unit.events.count }
        }
        return appended
    }
}

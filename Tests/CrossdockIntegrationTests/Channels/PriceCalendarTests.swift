import CrossdockDomain
import CrossdockEngine
import CrossdockSandbox
import CrossdockStore
import Foundation
import Synchronization
import Testing

/// A dated price reaches the channels on its day: the calendar publishes the prices in force that changed since the
/// last day it published, once.
@Suite("Price calendar")
struct PriceCalendarTests {
    @Test func aDatedPriceIsPublishedOnTheDayItBeginsAndOnlyOnce() async throws {
        let database = try await TestDatabase()
        defer { database.remove() }
        try await database.store.withRunning {
            var catalog = Catalog()
            catalog.priceList.entries.append(.init(sku: "SKU-0007", unitPrice: 99, validFrom: "2026-03-01"))
            try await seed(database.store, catalog)
            let clock = Mutex(Date(timeIntervalSince1970: 1_772_236_800))  // 2026-02-28T00:00:00Z
            let calendar = PriceCalendar(store: database.store, now: { clock.withLock { $0 } })
            #expect(try await calendar.step() == 0, "the first day only marks the day")
            #expect(try await calendar.step() == 0)
            clock.withLock { $0 = $0.addingTimeInterval(86_400) }
            let before = try await database.store.lastSequence()
            #expect(try await calendar.step() == 1)
            #expect(try await calendar.step() == 0, "a day is published once")
            let events = try await database.store.events(after: before, limit: 10)
            #expect(events.map(\.shortType) == ["price_list.price_changed"])
            let event = try #require(events.first)
            let data = try JSONCoding.decoder().decode(PriceChangedData.self, from: try JSONCoding.encode(event.data))
            #expect(data.sku == "SKU-0007" && data.unitPrice == Money(99, .usd) && data.effectiveOn == "2026-03-01")
            #expect(event.subject == "\(catalog.priceList.id):SKU-0007")
        }
    }
}

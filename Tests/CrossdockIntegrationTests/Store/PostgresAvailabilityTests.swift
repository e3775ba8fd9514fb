import CrossdockDomain
import CrossdockSandbox
import CrossdockTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import CrossdockStore

/// On PostgreSQL a stock change can be written, not yet committed, while the availability publisher runs on another
/// node: the publisher must not publish the figures from before the change and clear the mark the change relies on.
@Suite(.enabled(if: PostgresTestCluster.enabled)) struct PostgresAvailabilityTests {
    @Test func aStockChangeInFlightWhileThePublisherRunsIsPublishedOnceItCommits() async throws {
        let database = try await TestDatabase(backend: .postgres)
        defer { database.remove() }
        let store = try #require(database.store as? PostgresStore)
        try await store.withRunning {
            try await seed(store, Catalog())
            func publish() async throws -> [AvailabilityPublication] {
                try await store.publishAvailability(
                    changedBefore: Date().addingTimeInterval(3600),
                    now: Date(),
                    limit: 10_000,
                    makeID: { UUID().uuidString }
                )
            }
            _ = try await publish()
            // A first adjustment marks the SKU (committed); a second one is written but waits before committing.
            var first = UnitOfWork()
            first.inventory = [InventoryChange(warehouseID: "WH-EAST", sku: "SKU-0010", onHandDelta: 1, reservedDelta: 0)]
            guard case .committed = try await store.commit(first) else { throw TestFailure("conflict") }
            var unit = UnitOfWork()
            unit.inventory = [InventoryChange(warehouseID: "WH-EAST", sku: "SKU-0010", onHandDelta: 5, reservedDelta: 0)]
            let second = unit
            let written = AsyncGate()
            let release = AsyncGate()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    _ = try await store.transaction { connection in
                        let sequences = try await PostgresStore.apply(try EncodedUnit(second), connection)
                        await written.open()
                        await release.wait()
                        return sequences
                    }
                }
                await written.wait()
                // The publisher runs while the second change is in flight: it leaves the SKU for later.
                let during = try await publish()
                #expect(!during.contains { $0.sku == "SKU-0010" }, "the SKU is published only with the change in flight committed")
                await release.open()
                try await group.waitForAll()
            }
            _ = try await publish()
            let balance = try #require(try await store.allBalances().first { $0.warehouseID == "WH-EAST" && $0.sku == "SKU-0010" })
            let published = try await PostgresProbe.string(
                database.url,
                "SELECT available::text FROM availability_published WHERE sku = 'SKU-0010' AND warehouse_id = 'WH-EAST'"
            )
            #expect(published == String(balance.availableToPromise), "the last published figure includes both adjustments")
        }
    }
}

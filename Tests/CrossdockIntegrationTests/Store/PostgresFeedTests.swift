import CrossdockDomain
import CrossdockTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import CrossdockStore

/// On PostgreSQL a sequence value is not commit order: the feed must never let a reader pass an event that commits
/// later with a lower position. Two overlapping transactions are made to commit in reverse order.
@Suite(.enabled(if: PostgresTestCluster.enabled)) struct PostgresFeedTests {
    @Test func aReaderNeverSkipsAnEventThatCommitsLateWithALowerPosition() async throws {
        let database = try await TestDatabase(backend: .postgres)
        defer { database.remove() }
        let store = try #require(database.store as? PostgresStore)
        try await store.withRunning {
            let first = StoreConformanceTests.event("early-but-slow")
            let second = StoreConformanceTests.event("late-but-quick")
            let opened = AsyncGate()
            let release = AsyncGate()
            try await withThrowingTaskGroup(of: Void.self) { group in
                // T1 appends its event first (it gets the lower position), then waits before committing.
                group.addTask {
                    _ = try await store.transaction { connection in
                        let sequences = try await PostgresStore.appendEvents([first], times: [JSONCoding.format(first.time)], connection)
                        await opened.open()
                        await release.wait()
                        return sequences
                    }
                }
                await opened.wait()
                // T2 starts after T1 and commits before it.
                var unit = UnitOfWork()
                unit.events = [second]
                guard case .committed(let late) = try await store.commit(unit) else { throw TestFailure("conflict") }
                let visible = try await store.events(after: 0, limit: 100)
                #expect(visible.isEmpty, "T2's event waits behind T1, which may still commit with a lower position")
                #expect(try await store.lastSequence() == 0)
                await release.open()
                try await group.waitForAll()
                // Both, in position order, once T1 committed (and every other transaction of the cluster that started
                // before them ended: the fence is cluster-wide, and other tests run beside this one).
                let both = try await eventually(timeout: .seconds(30)) { try await store.events(after: 0, limit: 100).count == 2 }
                #expect(both)
                let events = try await store.events(after: 0, limit: 100)
                try #require(events.count == 2)
                #expect(events.map(\.id) == ["early-but-slow", "late-but-quick"])
                #expect(Int64(events[1].sequence) == late.first)
                #expect(try #require(Int64(events[0].sequence)) < (try #require(Int64(events[1].sequence))))
            }
        }
    }

    @Test func aRolledBackTransactionLeavesNoHoleAReaderWaitsFor() async throws {
        let database = try await TestDatabase(backend: .postgres)
        defer { database.remove() }
        let store = try #require(database.store as? PostgresStore)
        try await store.withRunning {
            struct Abort: Error {}
            _ = try? await store.transaction { connection -> [Int64] in
                _ = try await PostgresStore.appendEvents(
                    [StoreConformanceTests.event("rolled-back")],
                    times: ["2026-01-01T00:00:00.000Z"],
                    connection
                )
                throw Abort()
            }
            var unit = UnitOfWork()
            unit.events = [StoreConformanceTests.event("after")]
            _ = try await store.commit(unit)
            let visible = try await eventually(timeout: .seconds(30)) { try await store.events(after: 0, limit: 10).map(\.id) == ["after"] }
            #expect(visible, "the rolled-back range leaves no hole to wait for")
        }
    }
}

/// A one-shot gate tasks wait on.
actor AsyncGate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockSandbox
import CrossdockStore
import Foundation
import Logging
import Testing

/// The typed scan connectors follow the log with, and what a follower writes when it only passes events over.
@Suite struct FollowerScanTests {
    func withStore(_ backend: Backend, _ body: @Sendable (any Store) async throws -> Void) async throws {
        let database = try await TestDatabase(backend: backend)
        defer { database.remove() }
        try await database.store.withRunning { try await body(database.store) }
    }

    /// Commits `types` as one event each, one unit per event; returns the last position of the feed afterwards.
    static func append(_ store: any Store, _ types: [EventType]) async throws -> Int64 {
        for type in types {
            var unit = UnitOfWork()
            let id = IDs.make()
            unit.events = [EventDraft(id: id, type: type, subject: id, time: Date(), correlationID: id, causationID: nil, payload: ["n": id])]
            guard case .committed = try await store.commit(unit) else { throw TestFailure("conflict") }
        }
        return try await store.lastSequence()
    }

    /// Scans from `after` until the scan reaches `last` (on PostgreSQL a scan stops at the fence, which other tests'
    /// transactions on the same cluster may hold back for a moment).
    static func scan(_ store: any Store, after: Int64, to last: Int64, types: Set<String>) async throws -> EventScan {
        var total = EventScan(events: [], reached: after, scanned: 0)
        let deadline = ContinuousClock.now + .seconds(60)
        while total.reached < last && ContinuousClock.now < deadline {
            let scan = try await store.events(after: total.reached, limit: 1000, types: types)
            if scan.scanned == 0 { try await Task.sleep(for: .milliseconds(20)) }
            total.events += scan.events
            total.scanned += scan.scanned
            total.reached = scan.reached
        }
        return total
    }

    @Test(arguments: Backend.available)
    func aTypedScanDecodesOnlyTheWantedTypesAndReachesPastTheRest(backend: Backend) async throws {
        try await withStore(backend) { store in
            let start = try await store.lastSequence()
            let types: [EventType] = [.orderReceived, .shipmentShipped, .orderReceived, .invoicePosted, .orderReceived]
            let last = try await Self.append(store, types)

            let wanted: Set<String> = [EventType.shipmentShipped.qualifiedName, EventType.invoicePosted.qualifiedName]
            let scan = try await Self.scan(store, after: start, to: last, types: wanted)
            #expect(scan.events.map(\.type) == [EventType.shipmentShipped.qualifiedName, EventType.invoicePosted.qualifiedName])
            #expect(scan.reached == last, "the scan moves past the events it did not return")
            #expect(scan.scanned == 5)
            let all = try await store.events(after: start, limit: 10)
            #expect(scan.events.map(\.id) == all.filter { wanted.contains($0.type) }.map(\.id), "the same events the feed holds")

            let none = try await Self.scan(store, after: start, to: last, types: [])
            #expect(none.events.isEmpty && none.reached == last && none.scanned == 5)

            let two = try await store.events(after: start, limit: 2, types: wanted)
            #expect(two.scanned <= 2 && two.reached <= Int64(all[1].sequence)!, "a limit bounds the events looked at, of any type")
            #expect(two.events.allSatisfy { wanted.contains($0.type) })

            let caughtUp = try await store.events(after: last, limit: 10, types: wanted)
            #expect(caughtUp.scanned == 0 && caughtUp.reached == last && caughtUp.events.isEmpty)
        }
    }

    @Test(arguments: Backend.available)
    func passingEventsOverWritesTheCursorOnlyWhenItIsDue(backend: Backend) async throws {
        try await withStore(backend) { store in
            let last = try await Self.append(store, Array(repeating: EventType.orderReceived, count: 30))
            let before = try await store.connectorCursor(ChannelOutbound.cursorName)

            // No channel partner, nothing to publish: the follower looks at every event and writes nothing.
            let patient = ChannelOutbound(store: store, configuration: .init(batch: 7, cursorInterval: .seconds(3600)))
            let expected = try await store.events(after: before, limit: 10_000).count
            var looked = 0
            let deadline = ContinuousClock.now + .seconds(60)
            while looked < expected && ContinuousClock.now < deadline {
                let scanned = try await patient.step()
                looked += scanned
                if scanned == 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(looked >= 30)
            #expect(try await store.connectorCursor(ChannelOutbound.cursorName) == before, "no durable write per batch passed over")

            // When the interval has passed, one step commits the cursor to where the follower has looked.
            let prompt = ChannelOutbound(store: store, configuration: .init(batch: 1000, cursorInterval: .zero))
            var cursor = before
            while cursor < last && ContinuousClock.now < deadline {
                try await prompt.step()
                cursor = try await store.connectorCursor(ChannelOutbound.cursorName)
            }
            #expect(cursor >= last)
        }
    }
}

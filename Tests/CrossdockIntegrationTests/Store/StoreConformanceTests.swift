import CrossdockDomain
import CrossdockEngine
import CrossdockSandbox
import CrossdockStore
import Foundation
import Testing

/// One suite, every backend: what the engine relies on from a store, checked on SQLite and on PostgreSQL alike.
@Suite struct StoreConformanceTests {
    /// Runs `body` on a fresh seeded database of `backend` with the store running.
    func withStore(_ backend: Backend, _ body: @Sendable (any Store) async throws -> Void) async throws {
        let database = try await TestDatabase(backend: backend)
        defer { database.remove() }
        try await database.store.withRunning {
            try await seed(database.store, Catalog())
            try await body(database.store)
        }
    }

    @Test(arguments: Backend.available)
    func guardsRefuseAndWriteNothing(backend: Backend) async throws {
        try await withStore(backend) { store in
            let before = try await store.rowCounts()
            let onHand = try await store.balances(sku: "SKU-0010").reduce(0) { $0 + $1.onHand }
            var tooMuch = UnitOfWork()
            tooMuch.inventory = [InventoryChange(warehouseID: "WH-EAST", sku: "SKU-0010", onHandDelta: 0, reservedDelta: onHand + 1)]
            tooMuch.events = [Self.event("guard-1")]
            #expect(try await store.commit(tooMuch) == .conflict(.inventory(warehouseID: "WH-EAST", sku: "SKU-0010")))

            var overLimit = UnitOfWork()
            overLimit.creditReservations = [CreditReservation(customerID: "CUST-001", amount: Money(Int64.max / 4, .usd))]
            overLimit.events = [Self.event("guard-2")]
            #expect(try await store.commit(overLimit) == .conflict(.credit(customerID: "CUST-001")))

            var first = UnitOfWork()
            first.idempotency = IdempotencyRecord(scope: "k", key: "same", requestHash: "h", status: 201, body: Data("{}".utf8), createdAt: Date())
            first.events = [Self.event("guard-3")]
            guard case .committed = try await store.commit(first) else { throw TestFailure("first commit conflicted") }
            var second = first
            second.events = [Self.event("guard-4")]
            #expect(try await store.commit(second) == .conflict(.idempotencyKey("same")))

            var after = try await store.rowCounts()
            #expect(after["idempotency_keys"] == (before["idempotency_keys"] ?? 0) + 1)
            #expect(after["events"] == (before["events"] ?? 0) + 1)
            after["idempotency_keys"] = before["idempotency_keys"]
            after["events"] = before["events"]
            #expect(after == before, "refused units wrote nothing")
        }
    }

    @Test(arguments: Backend.available)
    func theFeedHoldsEveryEventOnceInIncreasingOrder(backend: Backend) async throws {
        try await withStore(backend) { store in
            let start = try await store.lastSequence()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        var unit = UnitOfWork()
                        unit.events = [Self.event("feed-\(index)-a"), Self.event("feed-\(index)-b")]
                        guard case .committed = try await store.commit(unit) else { throw TestFailure("conflict") }
                    }
                }
                try await group.waitForAll()
            }
            // Read as a consumer does, in pages after the last position, until all 80 arrived (on PostgreSQL an event
            // joins the feed once every older transaction of the cluster ended; other tests run beside this one).
            var seen: [CloudEvent] = []
            var after = start
            let deadline = ContinuousClock.now + .seconds(60)
            while seen.count < 80 && ContinuousClock.now < deadline {
                let page = try await store.events(after: after, limit: 7)
                guard let last = page.last else {
                    try await Task.sleep(for: .milliseconds(50))
                    continue
                }
                seen += page
                after = Int64(last.sequence) ?? after
            }
            let sequences = seen.compactMap { Int64($0.sequence) }
            #expect(sequences == sequences.sorted() && Set(sequences).count == sequences.count)
            #expect(Set(seen.map(\.id)) == Set((0..<40).flatMap { ["feed-\($0)-a", "feed-\($0)-b"] }))
            #expect(try await store.lastSequence() == sequences.last)
            for index in 0..<40 {
                let a = try #require(seen.firstIndex { $0.id == "feed-\(index)-a" })
                #expect(seen[a + 1].id == "feed-\(index)-b", "a unit's events stay together and in order")
            }
        }
    }

    @Test(arguments: Backend.available)
    func onlyTheHeadOfAKeyIsLeasedAndLeasesFenceAttempts(backend: Backend) async throws {
        try await withStore(backend) { store in
            let subscription = try await Self.subscribe(store, events: 3, subject: "ORDER-1")
            let due = try await store.dueDeliveries(now: Date(), limit: 10).filter {
                $0.subscription.id == subscription && $0.delivery.orderingKey == "ORDER-1"
            }
            #expect(due.count == 1, "only the head of the key is due")
            let head = try #require(due.first)
            #expect(
                try await store.dueDeliveries(now: Date(), limit: 10, skipping: [subscription]).allSatisfy { $0.subscription.id != subscription },
                "a skipped subscription's deliveries are left out"
            )
            #expect(try await store.dueDeliveries(now: Date(), limit: 10, skipping: ["another"]).contains { $0.delivery.id == head.delivery.id })
            let lease = try #require(try await store.claimDeliveries([head.delivery.id], owner: "node-a", lease: .seconds(30)).first)
            #expect(try await store.claimDeliveries([head.delivery.id], owner: "node-b", lease: .seconds(30)).isEmpty, "leased once")
            #expect(
                try await store.dueDeliveries(now: Date(), limit: 10).filter {
                    $0.subscription.id == subscription && $0.delivery.orderingKey == "ORDER-1"
                }.isEmpty
            )

            var forged = lease
            forged.token += 1_000_000
            let delivered = DeliveryAttemptResult.delivered(statusCode: 204, latency: .milliseconds(3))
            #expect(try await store.recordAttempts([DeliveryAttemptRecord(lease: forged, result: delivered, at: Date())]).isEmpty)
            #expect(try await store.recordAttempts([DeliveryAttemptRecord(lease: lease, result: delivered, at: Date())]) == [head.delivery.id])
            let next = try await store.dueDeliveries(now: Date(), limit: 10).filter {
                $0.subscription.id == subscription && $0.delivery.orderingKey == "ORDER-1"
            }
            #expect(next.map(\.delivery.eventSequence) == [try #require(next.first).delivery.eventSequence])
            #expect(try #require(next.first).delivery.eventSequence > head.delivery.eventSequence, "the next event of the key is the new head")
        }
    }

    /// The KPIs' attempt counts are kept per minute as attempts are recorded: the same figures as the attempts'
    /// history, for any window of whole minutes, whatever the answer (2xx, refused, stale, no answer).
    @Test(arguments: Backend.available)
    func attemptsAreCountedPerMinuteAsTheyAreRecorded(backend: Backend) async throws {
        try await withStore(backend) { store in
            let subscription = try await Self.subscribe(store, events: 4, subject: "ORDER-M")
            let ids = try await store.deliveries(status: .pending, limit: 100).filter { $0.subscriptionID == subscription }.map(\.id).sorted()
            try #require(ids.count == 4)
            let m = (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 - 600  // a whole minute, ten minutes ago
            func at(_ seconds: Double) -> Date { Date(timeIntervalSince1970: m + seconds) }
            let retry = DeliveryAttemptResult.failed(statusCode: 500, error: "boom", latency: .milliseconds(9), retryAt: at(70))
            try await store.recordAttempt(deliveryID: ids[0], result: .delivered(statusCode: 200, latency: .milliseconds(2)), at: at(1))
            try await store.recordAttempt(deliveryID: ids[1], result: retry, at: at(10))
            try await store.recordAttempt(deliveryID: ids[1], result: .delivered(statusCode: 204, latency: .milliseconds(2)), at: at(75))
            try await store.recordAttempt(
                deliveryID: ids[2],
                result: .superseded(statusCode: 409, reason: "stale", latency: .milliseconds(2)),
                at: at(130)
            )
            let refused = DeliveryAttemptResult.failed(statusCode: nil, error: "connection refused", latency: .milliseconds(1), retryAt: nil)
            try await store.recordAttempt(deliveryID: ids[3], result: refused, at: at(179.5))

            func counts(_ from: Double, _ to: Double) async throws -> [Int] {
                let counts = try await store.attemptCounts(from: at(from), to: at(to))
                return [counts.attempts, counts.succeeded]
            }
            #expect(try await counts(0, 60) == [2, 1])
            #expect(try await counts(60, 120) == [1, 1])
            #expect(try await counts(120, 180) == [2, 0], "a 409 and no answer are not successes")
            #expect(try await counts(30, 61) == [3, 2], "a window covers the whole minutes that hold it")
            #expect(try await counts(180, 600) == [0, 0])
            // The same as the attempts' own history.
            let history = try await store.allDeliveries().filter { $0.delivery.subscriptionID == subscription }.flatMap(\.history)
            #expect(history.count == 5 && history.filter { ($0.statusCode ?? 0) / 100 == 2 }.count == 2)
            #expect(try await counts(0, 180) == [history.count, 2])
        }
    }

    @Test(arguments: Backend.available)
    func anExpiredLeaseIsTakenOverAndItsHolderCannotRecord(backend: Backend) async throws {
        try await withStore(backend) { store in
            let subscription = try await Self.subscribe(store, events: 1, subject: "ORDER-2")
            let head = try #require(try await store.dueDeliveries(now: Date(), limit: 10).first { $0.subscription.id == subscription })
            let old = try #require(try await store.claimDeliveries([head.delivery.id], owner: "node-a", lease: .milliseconds(300)).first)
            try await Task.sleep(for: .milliseconds(700))
            #expect(ContinuousClock.now > old.deadline, "the holder's own deadline passed first")
            let new = try #require(try await store.claimDeliveries([head.delivery.id], owner: "node-b", lease: .seconds(30)).first)
            #expect(new.token != old.token)
            let delivered = DeliveryAttemptResult.delivered(statusCode: 200, latency: .milliseconds(1))
            #expect(try await store.recordAttempts([DeliveryAttemptRecord(lease: old, result: delivered, at: Date())]).isEmpty)
            #expect(try await store.recordAttempts([DeliveryAttemptRecord(lease: new, result: delivered, at: Date())]) == [head.delivery.id])
            #expect(try await store.deliveryDetail(id: head.delivery.id)?.history.count == 1, "one attempt recorded")
        }
    }

    @Test(arguments: Backend.available)
    func jobLeasesHaveOneHolderAndMoveWhenTheyExpire(backend: Backend) async throws {
        try await withStore(backend) { store in
            // Long leases while checking who holds it (a loaded machine may take seconds between steps), then a
            // renewal for one second to let it expire.
            #expect(try await store.acquireLease("job", owner: "a", duration: .seconds(60)))
            #expect(try await !store.acquireLease("job", owner: "b", duration: .seconds(10)))
            #expect(try await store.leaseHolder("job") == "a")
            #expect(try await store.acquireLease("job", owner: "a", duration: .seconds(1)), "the holder renews")
            try await Task.sleep(for: .milliseconds(1500))
            #expect(try await store.leaseHolder("job") == nil)
            #expect(try await store.acquireLease("job", owner: "b", duration: .seconds(10)), "taken over after expiry")
            try await store.releaseLease("job", owner: "a")
            #expect(try await store.leaseHolder("job") == "b", "only the holder releases")
            try await store.releaseLease("job", owner: "b")
            #expect(try await store.acquireLease("job", owner: "c", duration: .seconds(10)))
        }
    }

    @Test(arguments: Backend.available)
    func serializedDecisionsCannotLoseARace(backend: Backend) async throws {
        try await withStore(backend) { store in
            let keys = ContentionKeys(names: ["sku:SKU-0010"])
            let available = try await store.balances(sku: "SKU-0010").first { $0.warehouseID == "WH-EAST" }?.availableToPromise ?? 0
            let outcomes = try await withThrowingTaskGroup(of: (CommitOutcome, Bool).self) { group in
                for index in 0..<(available + 10) {
                    group.addTask {
                        try await store.commitSerialized(keys) {
                            // Read, decide, commit: one unit if one is still free.
                            let balance = try await store.balances(sku: "SKU-0010").first { $0.warehouseID == "WH-EAST" }
                            var unit = UnitOfWork()
                            unit.events = [Self.event("serial-\(index)")]
                            guard let balance, balance.availableToPromise > 0 else { return (unit, false) }
                            unit.inventory = [InventoryChange(warehouseID: "WH-EAST", sku: "SKU-0010", onHandDelta: 0, reservedDelta: 1)]
                            return (unit, true)
                        }
                    }
                }
                var all: [(CommitOutcome, Bool)] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.allSatisfy { if case .committed = $0.0 { true } else { false } }, "no decision lost its race")
            #expect(outcomes.filter(\.1).count == available, "exactly the free units were reserved")
            #expect(try await store.balances(sku: "SKU-0010").first { $0.warehouseID == "WH-EAST" }?.availableToPromise == 0)
        }
    }

    // MARK: Helpers

    static func event(_ id: String, subject: String = "conformance") -> EventDraft {
        EventDraft(id: id, type: .orderReceived, subject: subject, time: Date(), correlationID: subject, causationID: nil, payload: ["n": id])
    }

    /// A subscription to every event and `events` new events of one subject, fanned out; returns its id.
    static func subscribe(_ store: any Store, events: Int, subject: String) async throws -> String {
        let id = "sub-\(UUID().uuidString.prefix(6))"
        var unit = UnitOfWork()
        unit.events = (0..<events).map { event("\(id)-\($0)", subject: subject) }
        guard case .committed = try await store.commit(unit) else { throw TestFailure("conflict") }
        try await store.insertSubscription(
            Subscription(id: id, url: "http://127.0.0.1:9/hook", eventTypes: ["*"], secret: "whsec_dGVzdA==", createdAt: Date(), cursor: 0)
        )
        // On PostgreSQL the events join the feed once every older transaction of the cluster has ended.
        let fanned = try await eventually(timeout: .seconds(30)) {
            while try await store.fanOut(subscriptionID: id, limit: 500, now: Date()) > 0 {}
            return try await store.deliveries(status: .pending, limit: 1000).filter { $0.subscriptionID == id }.count == events
        }
        guard fanned else { throw TestFailure("the events never reached the feed") }
        return id
    }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The KPI rollup: the fold's rules (pure), and on a real hub (both backends) that a report reads the same figures
/// whatever part of the log the follower has folded.
@Suite("KPI rollup")
struct KPIRollupTests {
    let t0 = 1_800_000_000.0  // a whole minute (and hour)

    func fact(_ type: String, _ at: Double, order: String, subject: String? = nil, fulfillment: String? = nil) -> KPIFact {
        KPIFact(
            type: EventType(type).qualifiedName,
            time: t0 + at,
            correlationID: order,
            subject: subject ?? order,
            fulfillmentOrderID: fulfillment
        )
    }

    func cells(_ fold: KPIFold, grain: Int64 = 60) -> [String: Int] {
        var cells: [String: Int] = [:]
        for row in fold.rows where row.grain == grain { cells["\(row.metric)@\(row.start - Int64(t0))#\(row.bucket)"] = row.n }
        return cells
    }

    @Test func theFoldCountsEachOrderOnceAndMovesItsFigures() {
        var fold = KPIFold()
        for fact in [
            fact("order.received", 5, order: "A"),
            fact("order.received", 30, order: "B"),
            fact("order.on_hold", 10, order: "A"),
            fact("order.on_hold", 20, order: "A"),
            fact("order.backordered", 40, order: "A"),
            fact("invoice.posted", 100, order: "A"),
            fact("invoice.posted", 4000, order: "A"),
            fact("fulfillment.released", 50, order: "B", subject: "FO-1"),
            fact("shipment.shipped", 170, order: "B", subject: "SH-1", fulfillment: "FO-1"),
            // Stamped earlier by another node's clock, folded later: it is the first shipment.
            fact("shipment.shipped", 110, order: "B", subject: "SH-2", fulfillment: "FO-1"),
            fact("order.backordered", 200, order: "UNKNOWN"),
        ] {
            fold.apply(fact)
        }
        let bucket4000 = KPIHistogram.index(3995)
        let bucket60 = KPIHistogram.index(60)
        #expect(
            cells(fold) == [
                "received@0#0": 2, "on_hold@0#0": 2,
                "exception@0#0": 1, "exception:hold@0#0": 1, "exception:backorder@0#0": 1,
                "cycle@3960#\(bucket4000)": 1,
                "latency@60#\(bucket60)": 1,
            ]
        )
        #expect(cells(fold, grain: 3600)["cycle@3600#\(bucket4000)"] == 1)
        #expect(fold.orders["A"] == KPIOrderState(receivedAt: t0 + 5, mask: 0b11, invoicedAt: t0 + 4000))
        #expect(fold.fulfillments["FO-1"] == KPIFulfillmentState(releasedAt: t0 + 50, firstShippedAt: t0 + 110))
        #expect(fold.orders["UNKNOWN"]?.receivedAt == nil, "an exception of an order never received is remembered, not counted")

        // A second fold over the stored states: the receipt of UNKNOWN now counts its earlier exception.
        var next = KPIFold(orders: fold.orders, fulfillments: fold.fulfillments)
        next.apply(fact("order.received", 300, order: "UNKNOWN"))
        #expect(cells(next) == ["received@300#0": 1, "exception@300#0": 1, "exception:backorder@300#0": 1])
    }

    @Test func histogramBucketsAreWithinOnePercent() {
        var value = 0.0011
        while value < 3e7 {
            let reported = KPIHistogram.value(KPIHistogram.index(value))
            #expect(abs(reported - value) <= value * 0.0100001, "\(value) → \(reported)")
            value *= 1.37
        }
        #expect(KPIHistogram.value(KPIHistogram.index(0)) == 0)
        #expect(KPIHistogram.value(KPIHistogram.index(-4)) == 0, "clocks that disagree")
        let four = Dictionary([1.0, 2, 3, 4].map { (KPIHistogram.index($0), 1) }, uniquingKeysWith: +)
        let median = KPIHistogram.percentile(four, 0.5) ?? 0
        #expect(abs(median - 2) <= 0.02, "nearest rank: p50 of 1, 2, 3, 4 is 2")
        #expect(KPIHistogram.percentile([:], 0.5) == nil)
    }

    @Test func operationsExceptionsJoinTheEventClassesPerOrder() {
        let window = KPIWindow(covering: Date(timeIntervalSince1970: t0), to: Date(timeIntervalSince1970: t0 + 3600), bucketSeconds: 3600)
        var snapshot = KPISnapshot()
        snapshot.totals = [("exception", 0, 1), ("exception:hold", 0, 1)]
        let held = KPIOrderState(receivedAt: t0 + 10, mask: 1, invoicedAt: nil)
        let clean = KPIOrderState(receivedAt: t0 + 20, mask: 0, invoicedAt: nil)
        let earlier = KPIOrderState(receivedAt: t0 - 60, mask: 0, invoicedAt: nil)
        snapshot.operations = [
            ("A", "price_mismatch", held), ("C", "price_mismatch", clean), ("C", "delivery_exception", clean),
            ("C", "price_mismatch", clean), ("D", "price_mismatch", earlier),
        ]
        let figures = KPIFigures(snapshot, window: window)
        #expect(figures.ordersWithException == 2, "A through its hold, C through its operations exceptions; D is outside")
        #expect(figures.byClass == ["hold": 1, "price_mismatch": 2, "delivery_exception": 1])
    }

    @Test func theWindowIsWholeMinutes() {
        let window = KPIWindow(
            covering: Date(timeIntervalSince1970: t0 + 3000.5),
            to: Date(timeIntervalSince1970: t0 + 3 * 3600 + 61),
            bucketSeconds: 3600
        )
        #expect(window.from == Int64(t0) + 3000 && window.to == Int64(t0) + 3 * 3600 + 120)
        let origin = Int64(t0)
        let ranges: [[Int64]] = window.ranges.map { [$0.grain, $0.lo - origin, $0.hi - origin] }
        let expected: [[Int64]] = [[3600, 3600, 10_800], [60, 3000, 3600], [60, 10_800, 10_920]]
        #expect(ranges == expected)
        #expect(window.bucket(Int64(t0) + 3000) == 0 && window.bucket(Int64(t0) + 6600) == 1 && window.bucket(Int64(t0) + 2940) == nil)
    }

    /// The report before the follower folded anything, part-way and after it folded everything: the same figures.
    @Test func theReportIsTheSameWhateverTheRollupHasFolded() async throws {
        var configuration = Hub.Configuration.quiet
        configuration.kpiRollup = nil
        try await withHub(configuration: configuration) { client, database, key in
            let store = database.store
            var orders: Set<String> = []
            for n in 1...2 {
                orders.insert(try await ShippedOrder.make(client, key: key, externalID: "R-\(n)", po: "PO-R\(n)", tracking: "1ZROLL000\(n)").order.id)
            }
            orders.insert(try await client.createOrder(orderJSON(externalID: "R-3", customer: "CUST-013", quantity: 1), key: key).id)
            #expect(try await client.send(.put, "/v1/customers/CUST-099", key: key, json: customerJSON(status: "blocked")).status == .ok)
            orders.insert(try await client.createOrder(orderJSON(externalID: "R-4", customer: "CUST-099"), key: key).id)
            // On PostgreSQL, until the feed shows every order's events (its fence may wait for a job's transaction).
            let deadline = ContinuousClock.now + .seconds(30)
            while !Set(try await store.events(after: 0, limit: 5000).map(\.correlationid)).isSuperset(of: orders) {
                guard ContinuousClock.now < deadline else { throw TestFailure("the feed never showed every order's events") }
                try await Task.sleep(for: .milliseconds(50))
            }

            let now = Date()
            func report() async throws -> (figures: JSONValue, rollup: KPIReport.Rollup) {
                let report = try await KPIReport.compute(
                    store: store,
                    from: now.addingTimeInterval(-3600),
                    to: now.addingTimeInterval(600),
                    bucketSeconds: 600
                )
                let encoded = try JSONDecoder().decode(JSONValue.self, from: try JSONCoding.encode(report))
                guard case .object(var fields) = encoded else { throw TestFailure("not an object") }
                fields["rollup"] = nil
                return (.object(fields), report.rollup)
            }
            let unfolded = try await report()
            #expect(unfolded.rollup.position == 0 && unfolded.rollup.foldedFacts > 0)
            #expect(unfolded.figures["orders"]?["received"]?.intValue == 4, "\(unfolded.figures)")
            #expect(unfolded.figures["orders"]?["rejected"]?.intValue == 1)
            #expect(unfolded.figures["cycleTime"]?["count"]?.intValue == 2)
            #expect(unfolded.figures["fulfillmentLatency"]?["count"]?.intValue == 2)
            #expect(unfolded.figures["exceptions"]?["ordersWithException"]?.intValue == 1)
            #expect(unfolded.figures["exceptions"]?["byClass"]?["hold"]?.intValue == 1)

            #expect(try await store.rollUpKPIs(limit: 7) == 7)
            let partly = try await report()
            #expect(partly.rollup.position > 0 && partly.rollup.foldedFacts > 0 && partly.rollup.foldedFacts < unfolded.rollup.foldedFacts)
            #expect(partly.figures == unfolded.figures)

            while try await store.rollUpKPIs(limit: 10) > 0 {}
            let folded = try await report()
            #expect(folded.rollup.foldedFacts == 0)
            #expect(folded.figures == unfolded.figures)

            // The rollup is durable: reopened, the store reports the same without folding anything again.
            let reopened = try await database.reopen()
            try await reopened.withRunning {
                let again = try await KPIReport.compute(
                    store: reopened,
                    from: now.addingTimeInterval(-3600),
                    to: now.addingTimeInterval(600),
                    bucketSeconds: 600
                )
                #expect(again.rollup == folded.rollup)
                #expect(again.orders.received == 4 && again.cycleTime.count == 2)
            }
        }
    }
}

import CrossdockDomain
import Testing

@Suite("FulfillmentFeedbackApplier: invalid reports and invariants")
struct FulfillmentFeedbackValidationTests {
    typealias H = FeedbackHarness

    func expectInvalid(
        _ feedback: FulfillmentFeedback,
        on h: FeedbackHarness = FeedbackHarness(),
        errors expected: [IntakeError.FieldError],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = h.failure(feedback)
        #expect(error?.code == "invalid_quantities", sourceLocation: sourceLocation)
        #expect(error?.errors == expected, sourceLocation: sourceLocation)
        #expect(error?.currentStatus == h.fulfillment.status.rawValue, sourceLocation: sourceLocation)
    }

    @Test func unknownLine() {
        let h = FeedbackHarness()
        expectInvalid(H.picked([(99, 1)]), errors: [.init(field: "lines", reason: "line 99 is not on fulfillment order \(h.fulfillment.id)")])
        expectInvalid(H.short([(3, 1)]), errors: [.init(field: "lines", reason: "line 3 is not on fulfillment order \(h.fulfillment.id)")])
        expectInvalid(
            H.shipped([H.package("1Z", [(7, 1)])]),
            errors: [.init(field: "packages.contents", reason: "line 7 is not on fulfillment order \(h.fulfillment.id)")]
        )
    }

    @Test func overQuantity() {
        expectInvalid(H.picked([(1, 11)]), errors: [.init(field: "lines", reason: "line 1: 11 exceeds the 10 unit(s) open")])
        expectInvalid(H.short([(2, 5)]), errors: [.init(field: "lines", reason: "line 2: 5 exceeds the 4 unit(s) open")])
        expectInvalid(
            H.shipped([H.package("1Z", [(1, 11)])]),
            errors: [.init(field: "packages.contents", reason: "line 1: 11 exceeds the 10 unit(s) open")]
        )
    }

    @Test func quantitiesAreSummedPerLineAcrossEntriesAndPackages() {
        expectInvalid(H.picked([(1, 6), (1, 5)]), errors: [.init(field: "lines", reason: "line 1: 11 exceeds the 10 unit(s) open")])
        expectInvalid(
            H.shipped([H.package("1Z1", [(1, 6)]), H.package("1Z2", [(1, 5)])]),
            errors: [.init(field: "packages.contents", reason: "line 1: 11 exceeds the 10 unit(s) open")]
        )
    }

    @Test func limitsShrinkAsWorkIsReported() throws {
        var h = FeedbackHarness()
        try h.step(H.picked([(1, 4)]))
        expectInvalid(H.picked([(1, 7)]), on: h, errors: [.init(field: "lines", reason: "line 1: 7 exceeds the 6 unit(s) open")])
        try h.step(H.shipped([H.package("1Z", [(1, 4)])]))
        try h.step(H.short([(1, 2)]))
        // 10 − 4 shipped − 2 short = 4 left to ship or short.
        expectInvalid(H.short([(1, 5)]), on: h, errors: [.init(field: "lines", reason: "line 1: 5 exceeds the 4 unit(s) open")])
        expectInvalid(
            H.shipped([H.package("1Z", [(1, 5)])]),
            on: h,
            errors: [.init(field: "packages.contents", reason: "line 1: 5 exceeds the 4 unit(s) open")]
        )
    }

    @Test(arguments: [0, -1, -10])
    func nonPositiveQuantities(quantity: Int) {
        expectInvalid(H.picked([(1, quantity)]), errors: [.init(field: "lines[0].quantity", reason: "must be a positive integer")])
        expectInvalid(H.short([(1, 1), (2, quantity)]), errors: [.init(field: "lines[1].quantity", reason: "must be a positive integer")])
        expectInvalid(
            H.shipped([H.package("1Z", [(1, quantity)])]),
            errors: [.init(field: "packages.contents[0].quantity", reason: "must be a positive integer")]
        )
    }

    @Test func emptyReports() {
        expectInvalid(H.picked([]), errors: [.init(field: "lines", reason: "must name at least one line")])
        expectInvalid(H.short([]), errors: [.init(field: "lines", reason: "must name at least one line")])
        expectInvalid(H.shipped([H.package("1Z", [])]), errors: [.init(field: "packages.contents", reason: "must name at least one line")])
    }

    @Test func shipmentNeedsPackages() {
        let error = FeedbackHarness().failure(H.shipped([]))
        #expect(error?.code == "invalid_quantities")
        #expect(error?.message == "a shipment needs at least one package")
        #expect(error?.errors == [.init(field: "packages", reason: "must not be empty")])
    }

    @Test func everyPackageNeedsATrackingNumber() {
        let error = FeedbackHarness().failure(H.shipped([H.package("1Z", [(1, 1)]), H.package("", [(2, 1)])]))
        #expect(error?.code == "invalid_quantities")
        #expect(error?.message == "every package needs a tracking number")
        #expect(error?.errors == [.init(field: "packages[1].trackingNumber", reason: "must not be empty")])
    }

    @Test func everyQuantityProblemIsReportedTogether() {
        let h = FeedbackHarness()
        let error = h.failure(H.picked([(1, 0), (99, 1), (2, 5)]))
        #expect(error?.errors.map(\.field) == ["lines[0].quantity", "lines", "lines"])
        #expect(
            error?.errors.map(\.reason) == [
                "must be a positive integer", "line 2: 5 exceeds the 4 unit(s) open", "line 99 is not on fulfillment order \(h.fulfillment.id)",
            ]
        )
        #expect(error?.message == "the report does not fit fulfillment order \(h.fulfillment.id)")
    }

    @Test func aScriptedSequenceKeepsEveryLineBalanced() throws {
        var h = FeedbackHarness()
        let script: [FulfillmentFeedback] = [
            H.picked([(1, 5)]),
            H.shipped([H.package("P1", [(1, 3)])]),
            H.short([(1, 2)]),
            H.picked([(2, 4)]),
            H.shipped([H.package("P2", [(1, 2), (2, 2)]), H.package("P3", [(1, 3)])]),
            H.short([(2, 2)]),
        ]
        for (index, feedback) in script.enumerated() {
            let outcome = try h.step(feedback, command: "RPT-\(index)")
            #expect(outcome.order.allLinesBalanced, "after step \(index)")
            #expect(outcome.order.version == index + 2)
            #expect(outcome.fulfillment.version == index + 2)
            expectChained(outcome.events, correlation: "SO-1", firstCause: "RPT-\(index)")
        }
        #expect(h.fulfillment.status == .incomplete)
        #expect(h.order.lines.map(\.shipped) == [8, 2])
        #expect(h.order.lines.map(\.open) == [2, 2])
        #expect(h.order.lines.map(\.backordered) == [2, 2])
        #expect(h.order.status == .partiallyShipped)
    }

    /// Random valid reports until the fulfilment order is done, checking the books after each one.
    @Test(arguments: [UInt64(7), 99, 2024])
    func randomWalksKeepTheBooks(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        for walk in 0..<150 {
            var h = FeedbackHarness()
            var issued: [String: Int] = [:]
            var steps = 0
            while !h.fulfillment.status.isTerminal {
                steps += 1
                try #require(steps < 100, "walk \(walk) does not terminate")
                let open = h.fulfillment.lines.filter { $0.remaining > 0 }
                let line = open.randomElement(using: &rng)!
                let feedback: FulfillmentFeedback
                switch Int.random(in: 0..<3, using: &rng) {
                case 0 where line.quantity - line.short - line.picked > 0:
                    feedback = H.picked([(line.lineNo, Int.random(in: 1...(line.quantity - line.short - line.picked), using: &rng))])
                case 1:
                    feedback = H.short([(line.lineNo, Int.random(in: 1...line.remaining, using: &rng))])
                default:
                    feedback = H.shipped([H.package("T\(steps)", [(line.lineNo, Int.random(in: 1...line.remaining, using: &rng))])])
                }
                let outcome = try h.step(feedback)
                for change in outcome.inventory {
                    #expect(change.onHandDelta == change.reservedDelta && change.onHandDelta < 0)
                    issued[change.sku, default: 0] -= change.onHandDelta
                }
                #expect(h.order.allLinesBalanced, "seed \(seed) walk \(walk) step \(steps)")
                for fLine in h.fulfillment.lines {
                    let oLine = h.order.lines.first { $0.lineNo == fLine.lineNo }!
                    #expect(fLine.remaining >= 0)
                    #expect((oLine.shipped, oLine.shortPicked) == (fLine.shipped, fLine.short))
                    #expect(oLine.released == fLine.remaining)
                    #expect(oLine.warehouseQuantities["W1", default: 0] == fLine.remaining)
                }
            }
            #expect(h.fulfillment.status == (h.fulfillment.lines.contains { $0.short > 0 } ? .incomplete : .closed))
            #expect(issued == ["A": 10, "B": 4], "every reserved unit leaves exactly once")
            #expect(h.order.isSettled)
            #expect(h.failure(H.picked([(1, 1)]))?.code == "illegal_transition")
        }
    }
}

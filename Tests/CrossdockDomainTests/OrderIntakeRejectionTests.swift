import CrossdockDomain
import Testing

@Suite("OrderIntake.decide: rejected and on hold")
struct OrderIntakeRejectionTests {
    typealias Line = OrderRequest.Line

    /// Asserts the shape every rejected decision has and returns its reasons.
    func rejectedReasons(_ decision: OrderIntake.Decision, sourceLocation: SourceLocation = #_sourceLocation) -> [SalesOrder.Reason] {
        let order = decision.order
        #expect(order.status == .rejected, sourceLocation: sourceLocation)
        #expect(order.historyStatuses == [.received, .rejected], sourceLocation: sourceLocation)
        #expect(order.lines.allSatisfy { $0.rejected == $0.quantity && $0.open == 0 }, sourceLocation: sourceLocation)
        #expect(order.lines.allSatisfy { $0.status == .rejected }, sourceLocation: sourceLocation)
        #expect(order.allLinesBalanced, sourceLocation: sourceLocation)
        #expect(decision.inventory.isEmpty, sourceLocation: sourceLocation)
        #expect(decision.fulfillmentOrders.isEmpty, sourceLocation: sourceLocation)
        #expect(decision.creditReserved == nil, sourceLocation: sourceLocation)
        #expect(decision.events.shortNames == ["order.received", "order.rejected"], sourceLocation: sourceLocation)
        #expect(order.isSettled, sourceLocation: sourceLocation)
        return order.reasons
    }

    @Test func blockedAccountIsRejected() {
        let decision = Fixture.decide(context: Fixture.context(customer: Fixture.customer(status: .blocked)))
        #expect(rejectedReasons(decision) == [.init(code: "account_blocked", message: "customer C-1 is blocked")])
    }

    @Test func accountBlockedComesFirstAmongSeveralReasons() {
        let request = Fixture.request(lines: [Line(sku: "OLD", quantity: 1), Line(sku: "NOPRICE", quantity: 1)])
        let decision = Fixture.decide(request, context: Fixture.context(customer: Fixture.customer(status: .blocked)))
        #expect(rejectedReasons(decision).map(\.code) == ["account_blocked", "discontinued", "no_price"])
        #expect(decision.order.reasons.map(\.lineNo) == [nil, 1, 2])
    }

    @Test func missingPriceIsRejected() {
        let decision = Fixture.decide(Fixture.request(lines: [Line(sku: "NOPRICE", quantity: 1, unitPrice: 100)]))
        #expect(
            rejectedReasons(decision) == [
                .init(code: "no_price", message: "price list PL-STD has no price for NOPRICE at quantity 1", lineNo: 1)
            ]
        )
    }

    @Test func quantityBelowTheOnlyBreakHasNoPrice() {
        #expect(rejectedReasons(Fixture.decide(Fixture.request(lines: [Line(sku: "D", quantity: 9)]))).map(\.code) == ["no_price"])
        #expect(Fixture.decide(Fixture.request(lines: [Line(sku: "D", quantity: 10)])).order.status == .backordered)
    }

    @Test func discontinuedProductIsRejected() {
        let decision = Fixture.decide(Fixture.request(lines: [Line(sku: "A", quantity: 1), Line(sku: "OLD", quantity: 1)]))
        #expect(rejectedReasons(decision) == [.init(code: "discontinued", message: "OLD is discontinued", lineNo: 2)])
    }

    @Test func currencyMismatchIsReportedPerLine() {
        let decision = Fixture.decide(Fixture.request(currency: Fixture.eur))
        let reasons = rejectedReasons(decision)
        #expect(reasons.map(\.code) == ["currency_mismatch", "currency_mismatch"])
        #expect(reasons.map(\.lineNo) == [1, 2])
        #expect(reasons[0].message == "price list PL-STD is in USD, the order in EUR")
        #expect(decision.order.currency == Fixture.eur)
    }

    @Test func missingTaxRegionIsReportedOnceForTheOrder() {
        let decision = Fixture.decide(Fixture.request(shipToCode: "ST-XX"))
        #expect(rejectedReasons(decision) == [.init(code: "no_tax_rate", message: "no tax rate for region XX-NOTAX")])
    }

    @Test func taxExemptAccountNeedsNoTaxRegion() {
        let context = Fixture.context(customer: Fixture.customer(taxExempt: true))
        let decision = Fixture.decide(Fixture.request(shipToCode: "ST-XX"), context: context)
        #expect(decision.order.status == .released)
        #expect(decision.order.tax == Fixture.usd(0))
    }

    // MARK: credit

    @Test func creditHoldPutsTheOrderOnHold() {
        let context = Fixture.context(customer: Fixture.customer(creditHold: .init(reason: "past due")))
        let decision = Fixture.decide(context: context)
        let order = decision.order
        #expect(order.status == .onHold)
        #expect(order.historyStatuses == [.received, .validated, .onHold])
        #expect(order.reasons == [.init(code: "credit_hold", message: "customer is on credit hold: past due")])
        #expect(order.lines.map(\.open) == [2, 4])
        #expect(order.lines.map(\.rejected) == [0, 0])
        #expect(order.lines.map(\.status) == [.open, .open])
        #expect(order.allLinesBalanced)
        #expect(decision.creditReserved == nil)
        #expect(decision.inventory.isEmpty)
        #expect(decision.fulfillmentOrders.isEmpty)
        #expect(decision.events.shortNames == ["order.received", "order.validated", "order.on_hold"])
        #expect(order.isSettled)
    }

    @Test func exposurePlusTotalOverTheLimitPutsTheOrderOnHold() {
        // Limit 10 000; balance 3 000 + open orders 3 734 + total 3 267 = 10 001.
        let customer = Fixture.customer(creditLimit: 10_000, openBalance: 3_000)
        let decision = Fixture.decide(context: Fixture.context(customer: customer, openOrders: 3_734))
        #expect(decision.order.status == .onHold)
        #expect(
            decision.order.reasons == [
                .init(code: "credit_limit_exceeded", message: "exposure 6734 + order 3267 exceeds limit 10000")
            ]
        )
        #expect(decision.creditReserved == nil)
        #expect(decision.events.shortNames == ["order.received", "order.validated", "order.on_hold"])
    }

    @Test func exactlyAtTheLimitIsAccepted() {
        let customer = Fixture.customer(creditLimit: 10_000, openBalance: 3_000)
        let decision = Fixture.decide(context: Fixture.context(customer: customer, openOrders: 3_733))
        #expect(decision.order.status == .released)
        #expect(decision.creditReserved == Fixture.usd(3_267))
    }

    @Test func taxCountsTowardsTheLimit() {
        // Subtotal 3 000 fits a 3 000 limit, the total 3 267 does not.
        let customer = Fixture.customer(creditLimit: 3_000)
        #expect(Fixture.decide(context: Fixture.context(customer: customer)).order.status == .onHold)
    }

    @Test func validationRunsBeforeCredit() {
        let customer = Fixture.customer(creditHold: .init(reason: "past due"))
        let request = Fixture.request(lines: [Line(sku: "OLD", quantity: 1)])
        let decision = Fixture.decide(request, context: Fixture.context(customer: customer))
        #expect(rejectedReasons(decision).map(\.code) == ["discontinued"])
    }
}

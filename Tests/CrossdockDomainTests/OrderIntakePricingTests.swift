import CrossdockDomain
import Testing

/// Channel prices against the hub's: within the tolerance the channel's price is booked and recorded; beyond it the
/// hub's price stands and a `price_mismatch` exception carries both figures; contracts, breaks, dates and units
/// decide the hub's price.
@Suite("OrderIntake.decide: pricing")
struct OrderIntakePricingTests {
    typealias Line = OrderRequest.Line

    @Test(arguments: [Int64(1_011), 989, 0, 5_000])
    func priceBeyondToleranceBooksTheHubPriceAndRaisesAnException(offered: Int64) throws {
        // List 1000, tolerance 100 bp = 10.
        let decision = Fixture.decide(Fixture.request(lines: [Line(sku: "B", quantity: 1), Line(sku: "A", quantity: 2, unitPrice: offered)]))
        #expect(decision.order.status == .released)
        #expect(decision.order.lines[1].unitPrice == Fixture.usd(1_000))
        #expect(decision.order.lines[1].priceSource == "price_list:PL-STD")
        #expect(decision.exceptions.count == 1)
        let exception = try #require(decision.exceptions.first)
        #expect(exception.kind == .priceMismatch)
        #expect(exception.orderID == Fixture.orderID)
        #expect(exception.lineNo == 2)
        #expect(exception.figures == [.init(name: "unitPrice", hub: Fixture.usd(1_000), channel: Fixture.usd(offered))])
        #expect(exception.detail.contains("channel price \(offered) per EA, hub price 1000 (tolerance 100 bp)"))
        #expect(exception.status == .open)
    }

    @Test func withinToleranceTheChannelPriceIsBookedAndRecorded() {
        let decision = Fixture.decide(Fixture.request(lines: [Line(sku: "A", quantity: 2, unitPrice: 995)]))
        #expect(decision.order.lines[0].unitPrice == Fixture.usd(995))
        #expect(decision.order.lines[0].priceSource == "price_list:PL-STD;channel_price:995")
        #expect(decision.exceptions.isEmpty)
    }

    @Test func zeroToleranceBooksOnlyTheListPrice() {
        let request = Fixture.request(lines: [Line(sku: "A", quantity: 1, unitPrice: 1_001)])
        let decision = Fixture.decide(request, context: Fixture.context(toleranceBasisPoints: 0))
        #expect(decision.order.lines[0].unitPrice == Fixture.usd(1_000))
        #expect(decision.exceptions.map(\.kind) == [.priceMismatch])
        let exact = Fixture.request(lines: [Line(sku: "A", quantity: 1, unitPrice: 1_000)])
        let clean = Fixture.decide(exact, context: Fixture.context(toleranceBasisPoints: 0))
        #expect(clean.order.status == .released && clean.exceptions.isEmpty)
    }

    @Test func toleranceIsMeasuredAgainstTheBreakPrice() {
        // A×10 lists at 900; 1 % is 9: 909 passes, 910 does not.
        let ok = Fixture.decide(Fixture.request(lines: [Line(sku: "A", quantity: 10, unitPrice: 909)]))
        #expect(ok.order.lines[0].unitPrice == Fixture.usd(909))
        #expect(ok.order.lines[0].priceSource == "price_list:PL-STD;min:10;channel_price:909")
        let bad = Fixture.decide(Fixture.request(lines: [Line(sku: "A", quantity: 10, unitPrice: 910)]))
        #expect(bad.order.lines[0].unitPrice == Fixture.usd(900))
        #expect(bad.exceptions.first?.figures.first?.hub == Fixture.usd(900))
    }

    @Test func aContractWithBreaksPricesBeforeTheList() {
        var customer = Fixture.customer()
        customer.contracts = [
            PriceContract(
                id: "C-ACME",
                currency: .usd,
                entries: [.init(sku: "A", unitPrice: 950), .init(sku: "A", minQuantity: 20, unitPrice: 800)]
            )
        ]
        let context = Fixture.context(customer: customer)
        let small = Fixture.decide(Fixture.request(lines: [Line(sku: "A", quantity: 2), Line(sku: "B", quantity: 1)]), context: context)
        #expect(small.order.lines.map(\.unitPrice) == [Fixture.usd(950), Fixture.usd(250)])
        #expect(small.order.lines.map(\.priceSource) == ["contract:C-ACME", "price_list:PL-STD"])
        let large = Fixture.decide(Fixture.request(lines: [Line(sku: "A", quantity: 25)]), context: context)
        #expect(large.order.lines[0].unitPrice == Fixture.usd(800))
        #expect(large.order.lines[0].priceSource == "contract:C-ACME;min:20")
    }

    @Test func aContractOutsideItsDatesDoesNotPrice() {
        // Fixture.t0 is 2023-11-14.
        var customer = Fixture.customer()
        customer.contracts = [PriceContract(id: "OLD", currency: .usd, validTo: "2023-11-13", entries: [.init(sku: "A", unitPrice: 1)])]
        let decision = Fixture.decide(Fixture.request(lines: [Line(sku: "A", quantity: 1)]), context: Fixture.context(customer: customer))
        #expect(decision.order.lines[0].unitPrice == Fixture.usd(1_000))
    }

    @Test func datedListEntriesApplyOnlyInsideTheirWindowAndWinOverUndatedOnes() {
        // Fixture.t0 is 2023-11-14: the November promotion applies, the December price not yet.
        var context = Fixture.context()
        context.priceList.entries += [
            .init(sku: "B", unitPrice: 200, validFrom: "2023-11-01", validTo: "2023-11-30"),
            .init(sku: "B", unitPrice: 100, validFrom: "2023-12-01"),
        ]
        let decision = Fixture.decide(Fixture.request(lines: [Line(sku: "B", quantity: 1)]), context: context)
        #expect(decision.order.lines[0].unitPrice == Fixture.usd(200))
        #expect(decision.order.lines[0].priceSource == "price_list:PL-STD;valid:2023-11-01..2023-11-30")
        var expired = Fixture.context()
        expired.priceList.entries += [.init(sku: "B", unitPrice: 200, validTo: "2023-11-13")]
        #expect(Fixture.decide(Fixture.request(lines: [Line(sku: "B", quantity: 1)]), context: expired).order.lines[0].unitPrice == Fixture.usd(250))
    }

    @Test func aLineInCasesIsBookedInBaseUnitsAtThePricePerCase() {
        var context = Fixture.context()
        context.products["A"]?.units = [Product.Unit(code: "CA", quantity: 12)]
        // No case price: the base price (1000 for 24 ≥ 10 → 900) × 12 per case.
        let decision = Fixture.decide(Fixture.request(lines: [Line(sku: "A", quantity: 2, unitOfMeasure: "CA")]), context: context)
        let line = decision.order.lines[0]
        #expect(line.quantity == 24)
        #expect(line.unitPrice == Fixture.usd(900))
        #expect(line.orderedUnit == .init(code: "CA", quantity: 12, baseUnit: "EA"))
        #expect(line.partnerQuantity(24) == (2, "CA"))
        #expect(line.partnerQuantity(18) == (18, "EA"))
        #expect(line.extended == Fixture.usd(21_600))
        // A case price wins over the base price.
        context.priceList.entries.append(.init(sku: "A", unitPrice: 10_200, unitOfMeasure: "CA"))
        let cased = Fixture.decide(Fixture.request(lines: [Line(sku: "A", quantity: 2, unitPrice: 10_200, unitOfMeasure: "CA")]), context: context)
        #expect(cased.order.lines[0].unitPrice == Fixture.usd(850))
        #expect(cased.order.lines[0].priceSource == "price_list:PL-STD;unit:CA")
        #expect(cased.exceptions.isEmpty)
    }

    @Test func aUnitTheProductIsNotSoldInIsRefused() throws {
        var products = Fixture.products
        products["A"]?.units = [Product.Unit(code: "CA", quantity: 12)]
        let request = Fixture.request(lines: [
            Line(sku: "A", quantity: 1, unitOfMeasure: "PL"), Line(sku: "A", quantity: 90_000, unitOfMeasure: "CA"),
        ])
        let error = try #require(throws: IntakeError.self) { try OrderIntake.check(request, customer: Fixture.customer(), products: products) }
        #expect(error.errors.map(\.field) == ["lines[0].unitOfMeasure", "lines[1].quantity"])
        #expect(error.errors[0].reason == "A is not sold in 'PL' (units: EA, CA)")
        try OrderIntake.check(
            Fixture.request(lines: [Line(sku: "A", quantity: 1, unitOfMeasure: "ca")]),
            customer: Fixture.customer(),
            products: products
        )
    }
}

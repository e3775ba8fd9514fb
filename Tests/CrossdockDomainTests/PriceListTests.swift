import CrossdockDomain
import Testing

@Suite("PriceList")
struct PriceListTests {
    /// Entries deliberately out of order.
    let list = PriceList(
        id: "PL",
        currency: .usd,
        entries: [
            .init(sku: "A", minQuantity: 100, unitPrice: 800),
            .init(sku: "A", unitPrice: 1_000),
            .init(sku: "A", minQuantity: 10, unitPrice: 900),
            .init(sku: "BULK", minQuantity: 50, unitPrice: 300),
            .init(sku: "B", unitPrice: 0),
        ]
    )

    @Test(arguments: [(1, Int64(1_000)), (9, 1_000), (10, 900), (99, 900), (100, 800), (1_000_000, 800)])
    func usesTheLargestBreakNotAboveTheQuantity(quantity: Int, price: Int64) {
        #expect(list.unitPrice(sku: "A", quantity: quantity) == Money(price, .usd))
    }

    @Test func missingSKUHasNoPrice() {
        #expect(list.unitPrice(sku: "Z", quantity: 1) == nil)
        #expect(list.unitPrice(sku: "a", quantity: 1) == nil)
    }

    @Test func quantityBelowTheSmallestBreakHasNoPrice() {
        #expect(list.unitPrice(sku: "BULK", quantity: 49) == nil)
        #expect(list.unitPrice(sku: "BULK", quantity: 50) == Money(300, .usd))
        #expect(list.unitPrice(sku: "A", quantity: 0) == nil)
    }

    @Test func aZeroPriceIsAPrice() {
        #expect(list.unitPrice(sku: "B", quantity: 3) == Money(0, .usd))
    }

    @Test func pricesAreInTheListCurrency() {
        let eurList = PriceList(id: "PL-EU", currency: Fixture.eur, entries: [.init(sku: "A", unitPrice: 5)])
        #expect(eurList.unitPrice(sku: "A", quantity: 1) == Money(5, Fixture.eur))
    }

    @Test func defaultBreakIsOne() {
        #expect(PriceList.Entry(sku: "A", unitPrice: 1).minQuantity == 1)
    }
}

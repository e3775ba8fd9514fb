import CrossdockDomain
import Testing

@Suite("TaxRateTable")
struct TaxRateTableTests {
    let table = TaxRateTable(ratesPPM: ["US-NY": 88_750, "US-CA": 72_500, "HALF": 50_000, "ZERO": 0])

    @Test(arguments: [
        // extended, region, expected tax: extended × rate / 1 000 000, half away from zero
        (Int64(1_000), "US-NY", Int64(89)),  // 88.75
        (2_000, "US-NY", 178),  // 177.5
        (200, "US-NY", 18),  // 17.75
        (40, "US-NY", 4),  // 3.55
        (1_000, "US-CA", 73),  // 72.5
        (1, "US-CA", 0),  // 0.0725
        (10, "HALF", 1),  // 0.5
        (30, "HALF", 2),  // 1.5
        (29, "HALF", 1),  // 1.45
        (-10, "HALF", -1),  // -0.5: credits round away from zero too
        (-30, "HALF", -2),
        (12_345, "ZERO", 0),
        (0, "US-NY", 0),
    ])
    func appliesTheDocumentedRoundingRule(extended: Int64, region: String, expected: Int64) throws {
        let tax = try #require(table.tax(on: Money(extended, .usd), region: region))
        #expect(tax == Money(expected, .usd))
    }

    @Test func keepsTheCurrencyOfTheAmount() {
        #expect(table.tax(on: Money(1_000, Fixture.eur), region: "US-CA")?.currency == Fixture.eur)
    }

    @Test(arguments: ["US-TX", "", "us-ny"])
    func unknownRegionHasNoTax(region: String) {
        #expect(table.tax(on: Money(1_000, .usd), region: region) == nil)
    }

    @Test func largeAmountsDoNotOverflow() {
        let tax = table.tax(on: Money(9_000_000_000_000_000_000, .usd), region: "US-NY")
        #expect(tax == Money(798_750_000_000_000_000, .usd))
    }

    @Test func perLineRoundingDiffersFromRoundingTheSum() {
        // Three lines of 10 at 5 %: 0.5 each rounds to 1 per line (3 in total), while 30 × 5 % = 1.5 → 2.
        let perLine = (0..<3).map { _ in table.tax(on: Money(10, .usd), region: "HALF")!.minorUnits }.reduce(0, +)
        #expect(perLine == 3)
        #expect(table.tax(on: Money(30, .usd), region: "HALF")!.minorUnits == 2)
    }
}

import CrossdockDomain
import Foundation
import Testing

@Suite("Currency")
struct CurrencyTests {
    @Test(arguments: [("USD", "USD"), ("usd", "USD"), ("eUr", "EUR"), ("JPY", "JPY")])
    func parsesThreeLetterCodes(input: String, code: String) throws {
        let currency = try #require(Currency(input))
        #expect(currency.code == code)
        #expect(currency.description == code)
    }

    @Test(arguments: ["", "US", "USDD", "U5D", "US ", " US", "ÜSD", "€€€", "U-D", "usd\n"])
    func rejectsAnythingButThreeASCIILetters(input: String) {
        #expect(Currency(input) == nil)
    }

    @Test func lowerAndUpperCaseAreTheSameCurrency() {
        #expect(Currency("usd") == Currency.usd)
    }

    @Test func codableAsAPlainString() throws {
        let data = try JSONEncoder().encode(Currency("eur"))
        #expect(String(decoding: data, as: UTF8.self) == "\"EUR\"")
        #expect(try JSONDecoder().decode(Currency.self, from: Data("\"gbp\"".utf8)).code == "GBP")
    }

    @Test(arguments: ["\"EURO\"", "\"\"", "\"E1R\"", "12"])
    func decodingRejectsBadCodes(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Currency.self, from: Data(json.utf8)) }
    }
}

@Suite("Money arithmetic")
struct MoneyArithmeticTests {
    @Test func addsSubtractsAndMultipliesInMinorUnits() {
        let a = Money(1_050, .usd)
        let b = Money(275, .usd)
        #expect(a + b == Money(1_325, .usd))
        #expect(a - b == Money(775, .usd))
        #expect(b - a == Money(-775, .usd))
        #expect(a * 3 == Money(3_150, .usd))
        #expect(a * 0 == .zero(.usd))
        #expect(a * -2 == Money(-2_100, .usd))
    }

    @Test func zeroAndDescription() {
        #expect(Money.zero(Fixture.eur) == Money(0, Fixture.eur))
        #expect(Money(-12, .usd).description == "-12 USD minor units")
    }

    @Test func amountsOfDifferentCurrenciesAreNotEqual() {
        #expect(Money(100, .usd) != Money(100, Fixture.eur))
    }

    @Test func largeValuesStayExact() {
        let big = Money(Int64.max - 1, .usd)
        #expect((big + Money(1, .usd)).minorUnits == Int64.max)
        #expect((Money(Int64.min + 1, .usd) - Money(1, .usd)).minorUnits == Int64.min)
        #expect((Money(9_000_000_000_000, .usd) * 1_000_000).minorUnits == 9_000_000_000_000_000_000)
    }

    @Test func codableRoundTrip() throws {
        let money = Money(-4_321, Fixture.eur)
        let data = try JSONCoding.encoder().encode(money)
        #expect(String(decoding: data, as: UTF8.self) == #"{"currency":"EUR","minorUnits":-4321}"#)
        #expect(try JSONCoding.decoder().decode(Money.self, from: data) == money)
    }

    @Test func mixingCurrenciesTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Money(1, .usd) + Money(1, Currency("EUR")!)
        }
    }
}

@Suite("Int64.scaled(by:over:)")
struct ScaledTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var value: Int64, numerator: Int64, denominator: Int64, expected: Int64
        var testDescription: String { "\(value)×\(numerator)/\(denominator) → \(expected)" }
    }

    @Test(arguments: [
        // exact
        Case(value: 12, numerator: 1, denominator: 4, expected: 3),
        Case(value: 0, numerator: 7, denominator: 3, expected: 0),
        Case(value: 5, numerator: 0, denominator: 3, expected: 0),
        // below, at and above one half, positive
        Case(value: 5, numerator: 1, denominator: 4, expected: 1),  // 1.25
        Case(value: 10, numerator: 1, denominator: 4, expected: 3),  // 2.5
        Case(value: 7, numerator: 1, denominator: 4, expected: 2),  // 1.75
        Case(value: 1, numerator: 1, denominator: 2, expected: 1),  // 0.5
        Case(value: 1, numerator: 1, denominator: 3, expected: 0),  // 0.33
        Case(value: 2, numerator: 1, denominator: 3, expected: 1),  // 0.67
        // negatives round away from zero symmetrically
        Case(value: -5, numerator: 1, denominator: 4, expected: -1),
        Case(value: -10, numerator: 1, denominator: 4, expected: -3),
        Case(value: -7, numerator: 1, denominator: 4, expected: -2),
        Case(value: -1, numerator: 1, denominator: 2, expected: -1),
        Case(value: 10, numerator: -1, denominator: 4, expected: -3),
        Case(value: -10, numerator: -1, denominator: 4, expected: 3),
        Case(value: 3, numerator: -1, denominator: 2, expected: -2),  // -1.5
        // tax-style ppm: 8.875 % of 2000 = 177.5
        Case(value: 2_000, numerator: 88_750, denominator: 1_000_000, expected: 178),
        Case(value: -2_000, numerator: 88_750, denominator: 1_000_000, expected: -178),
        Case(value: 1_000, numerator: 88_750, denominator: 1_000_000, expected: 89),  // 88.75
        // basis points
        Case(value: 999, numerator: 100, denominator: 10_000, expected: 10),  // 9.99
        Case(value: 1_050, numerator: 100, denominator: 10_000, expected: 11),  // 10.5
        Case(value: 1_049, numerator: 100, denominator: 10_000, expected: 10),  // 10.49
    ])
    func roundsHalfAwayFromZero(_ c: Case) {
        #expect(c.value.scaled(by: c.numerator, over: c.denominator) == c.expected)
    }

    @Test func largeValuesUseFullWidthIntermediates() {
        #expect(Int64.max.scaled(by: 1, over: 1) == .max)
        #expect(Int64.max.scaled(by: .max, over: .max) == .max)
        #expect(Int64.min.scaled(by: .max, over: .max) == .min)
        #expect(Int64.max.scaled(by: 1, over: 2) == 4_611_686_018_427_387_904)  // …903.5 → up
        #expect(Int64.min.scaled(by: 1, over: 2) == -4_611_686_018_427_387_904)  // exact
        #expect((Int64.min + 1).scaled(by: 1, over: 2) == -4_611_686_018_427_387_904)  // …903.5 → away
        #expect(Int64.max.scaled(by: 3, over: 4) == 6_917_529_027_641_081_855)  // …855.25
        #expect(Int64(9_000_000_000_000_000_000).scaled(by: 1_000_000, over: 1_000_000) == 9_000_000_000_000_000_000)
        #expect(Int64(9_000_000_000_000_000_006).scaled(by: 88_750, over: 1_000_000) == 798_750_000_000_000_001)  // …000.5325
    }

    /// Independent reference: `(2|p| + d) / (2d)` with the sign of `p`, for products that fit in 64 bits.
    @Test func matchesReferenceOnRandomSmallValues() {
        var rng = SplitMix64(seed: 0xC0FFEE)
        for _ in 0..<20_000 {
            let value = Int64.random(in: -1_000_000...1_000_000, using: &rng)
            let numerator = Int64.random(in: -1_000_000...1_000_000, using: &rng)
            let denominator = Int64.random(in: 1...2_000_000, using: &rng)
            let product = value * numerator
            let magnitude = (2 * product.magnitude + UInt64(denominator)) / (2 * UInt64(denominator))
            let expected = product < 0 ? -Int64(magnitude) : Int64(magnitude)
            #expect(value.scaled(by: numerator, over: denominator) == expected, "\(value)×\(numerator)/\(denominator)")
        }
    }
}

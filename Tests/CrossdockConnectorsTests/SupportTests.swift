import Foundation
import Testing

@testable import CrossdockConnectors

@Suite("Exact JSON and money")
struct SupportTests {
    @Test(arguments: [
        ("199.00", 2, Int64(19_900)), ("0.1", 2, 10), ("-0.05", 2, -5), ("1.5E2", 2, 15_000), ("1500", 0, 1_500), ("12.345", 3, 12_345),
        ("9007199254740993", 0, 9_007_199_254_740_993),
    ])
    func parsesDecimalsExactly(text: String, exponent: Int, expected: Int64) throws {
        #expect(try MinorUnits.parse(text, exponent: exponent).get() == expected)
    }

    @Test func roundsOrRejectsExcessDigits() throws {
        #expect(try MinorUnits.parse("0.125", exponent: 2, excess: .roundHalfAwayFromZero).get() == 13)
        #expect(try MinorUnits.parse("-0.125", exponent: 2, excess: .roundHalfAwayFromZero).get() == -13)
        #expect(try MinorUnits.parse("0.124", exponent: 2, excess: .roundHalfAwayFromZero).get() == 12)
        #expect(try MinorUnits.parse("0.0049", exponent: 2, excess: .roundHalfAwayFromZero).get() == 0)
        #expect(throws: MinorUnits.Failure.self) { try MinorUnits.parse("0.125", exponent: 2).get() }
        for bad in ["", "1.2.3", "abc", "1e", "99999999999999999999", "--1"] {
            #expect(throws: MinorUnits.Failure.self, "\(bad)") { try MinorUnits.parse(bad, exponent: 2).get() }
        }
    }

    @Test func formatsMinorUnits() {
        #expect(MinorUnits.format(19_900, exponent: 2) == "199.00")
        #expect(MinorUnits.format(-5, exponent: 2) == "-0.05")
        #expect(MinorUnits.format(1_500, exponent: 0) == "1500")
        #expect(MinorUnits.format(7, exponent: 3) == "0.007")
        #expect(MinorUnits.format(Int64.min, exponent: 2) == "-92233720368547758.08")
    }

    @Test func parserKeepsNumbersAndOrder() throws {
        let node = try JSONParser.parse(#" {"b": 1.50, "a": [true, null, "\u00e9\ud83d\ude00\n"]} "#.bytes)
        #expect(node.jsonText == #"{"b":1.50,"a":[true,null,"é😀\n"]}"#)
    }

    @Test(arguments: [
        (#"{"a":1,"a":2}"#, #"duplicate member "a""#), ("[1,]", "unexpected character"), (#""\ud800""#, "unpaired surrogate"),
        ("01", "unexpected text after the value"), ("\"a\u{01}\"", "control character in a string"), ("[1", "unexpected end of input in an array"),
        (String(repeating: "[", count: 100), "nested deeper than 64 levels"),
    ])
    func parserRejects(text: String, reason: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(text.bytes) }
        do {
            _ = try JSONParser.parse(text.bytes)
        } catch {
            #expect(error.reason == reason)
        }
    }

    @Test func parserRejectsInvalidUTF8() {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse([34, 0xC3, 0x28, 34]) }
    }
}

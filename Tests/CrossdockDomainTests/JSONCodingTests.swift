import CrossdockDomain
import Foundation
import Testing

@Suite("JSONCoding")
struct JSONCodingTests {
    @Test func formatsUTCWithMilliseconds() {
        #expect(JSONCoding.format(Fixture.t0) == "2023-11-14T22:13:20.000Z")
        #expect(JSONCoding.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(JSONCoding.format(Date(timeIntervalSince1970: 1_700_000_000.5)) == "2023-11-14T22:13:20.500Z")
    }

    // Fractions exactly representable in binary, so the test does not depend on truncation (see report).
    @Test(arguments: [0.0, 0.125, 0.25, 0.5, 0.75, 0.875])
    func millisecondRoundTrip(fraction: Double) throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000 + fraction)
        let text = JSONCoding.format(date)
        let parsed = try #require(JSONCoding.parse(text))
        #expect(abs(parsed.timeIntervalSince(date)) < 0.001)
        #expect(JSONCoding.format(parsed) == text)
    }

    @Test func beforeTheEpoch() throws {
        let date = Date(timeIntervalSince1970: -1.5)
        #expect(JSONCoding.format(date) == "1969-12-31T23:59:58.500Z")
        #expect(try #require(JSONCoding.parse("1969-12-31T23:59:58.500Z")) == date)
    }

    @Test func parsesWithoutFractionalSeconds() throws {
        #expect(try #require(JSONCoding.parse("2023-11-14T22:13:20Z")) == Fixture.t0)
        #expect(try #require(JSONCoding.parse("2024-02-29T00:00:00Z")) == Date(timeIntervalSince1970: 1_709_164_800))
    }

    @Test func parsesFractionalSeconds() throws {
        #expect(try #require(JSONCoding.parse("2023-11-14T22:13:20.250Z")) == Date(timeIntervalSince1970: 1_700_000_000.25))
    }

    @Test(arguments: ["", "garbage", "2023-11-14", "2023-11-14 22:13:20Z", "22:13:20Z"])
    func rejectsNonTimes(text: String) {
        #expect(JSONCoding.parse(text) == nil)
    }

    struct Stamp: Codable, Equatable {
        var zeta: Int
        var at: Date
        var alpha: String
    }

    @Test func encoderSortsKeysAndWritesDatesAsText() throws {
        let data = try JSONCoding.encoder().encode(Stamp(zeta: 1, at: Fixture.t0, alpha: "a"))
        #expect(String(decoding: data, as: UTF8.self) == #"{"alpha":"a","at":"2023-11-14T22:13:20.000Z","zeta":1}"#)
        #expect(try JSONCoding.decoder().decode(Stamp.self, from: data) == Stamp(zeta: 1, at: Fixture.t0, alpha: "a"))
    }

    @Test func decoderAcceptsBothForms() throws {
        let decoder = JSONCoding.decoder()
        let plain = try decoder.decode(Stamp.self, from: Data(#"{"zeta":1,"at":"2023-11-14T22:13:20Z","alpha":"a"}"#.utf8))
        let fractional = try decoder.decode(Stamp.self, from: Data(#"{"zeta":1,"at":"2023-11-14T22:13:20.000Z","alpha":"a"}"#.utf8))
        #expect(plain.at == Fixture.t0)
        #expect(fractional.at == Fixture.t0)
    }

    @Test func decoderRejectsBadTimes() {
        #expect(throws: DecodingError.self) {
            try JSONCoding.decoder().decode(Stamp.self, from: Data(#"{"zeta":1,"at":"yesterday","alpha":"a"}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONCoding.decoder().decode(Stamp.self, from: Data(#"{"zeta":1,"at":1700000000,"alpha":"a"}"#.utf8))
        }
    }

    @Test func jsonValueRoundTrip() throws {
        let text = #"{"a":[1,2.5,"x",true,null],"b":{"c":-3}}"#
        let value = try JSONCoding.decoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value["a"] == .array([.number(1), .number(2.5), .string("x"), .bool(true), .null]))
        #expect(value["b"]?["c"] == .number(-3))
        #expect(value["zzz"] == nil)
        #expect(value["a"]?.stringValue == nil)
        #expect(String(decoding: try JSONCoding.encoder().encode(value), as: UTF8.self) == text)
    }
}

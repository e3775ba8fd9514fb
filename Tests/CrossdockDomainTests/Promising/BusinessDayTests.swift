import CrossdockDomain
import Foundation
import PropertyBased
import Testing

@Suite("BusinessDay")
struct BusinessDayTests {
    @Test(arguments: [
        ("1970-01-01", 0, 1970, 1, 1),
        ("1969-12-31", -1, 1969, 12, 31),
        ("2000-02-29", 11_016, 2000, 2, 29),
        ("2000-03-01", 11_017, 2000, 3, 1),
        ("2024-02-29", 19_782, 2024, 2, 29),
        ("2026-03-01", 20_513, 2026, 3, 1),
        ("0000-01-01", -719_528, 0, 1, 1),
        ("9999-12-31", 2_932_896, 9999, 12, 31),
    ])
    func parsesAndFormats(text: String, days: Int, year: Int, month: Int, day: Int) throws {
        let parsed = try #require(BusinessDay(text))
        #expect(parsed.daysSince1970 == days)
        #expect(parsed.components == (year, month, day))
        #expect(parsed.description == text)
        #expect(BusinessDay(year: year, month: month, day: day) == parsed)
        #expect(BusinessDay(daysSince1970: days) == parsed)
    }

    @Test(arguments: [
        "2026-02-30", "2026-02-29", "1900-02-29", "2100-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
        "2026-01-32", "2026-1-01", "2026-01-1", "26-01-01", "2026/01/01", "2026-01-01T00:00:00Z", " 2026-01-01", "2026-01-01 ",
        "", "abcd-ef-gh", "+026-01-01", "2026-+1-01", "２０２６-01-01", "2026-0١-01",
    ])
    func rejectsInvalidText(text: String) {
        #expect(BusinessDay(text) == nil)
    }

    @Test func leapYears() {
        #expect(BusinessDay("2024-02-29") != nil)
        #expect(BusinessDay("2000-02-29") != nil)
        #expect(BusinessDay("1600-02-29") != nil)
        #expect(BusinessDay("2023-02-29") == nil)
        #expect(BusinessDay("1900-02-29") == nil)
        #expect(BusinessDay("2024-02-28")!.adding(days: 1).description == "2024-02-29")
        #expect(BusinessDay("2023-02-28")!.adding(days: 1).description == "2023-03-01")
        #expect(BusinessDay("2024-01-01")!.days(until: BusinessDay("2025-01-01")!) == 366)
        #expect(BusinessDay("2023-01-01")!.days(until: BusinessDay("2024-01-01")!) == 365)
    }

    @Test func rejectsImpossibleComponents() {
        #expect(BusinessDay(year: 2026, month: 2, day: 30) == nil)
        #expect(BusinessDay(year: 2026, month: 0, day: 1) == nil)
        #expect(BusinessDay(year: 10_000, month: 1, day: 1) == nil)
        #expect(BusinessDay(year: -1, month: 1, day: 1) == nil)
    }

    @Test func containingDateUsesTheUTCDay() {
        #expect(BusinessDay(containing: Date(timeIntervalSince1970: 0)).description == "1970-01-01")
        #expect(BusinessDay(containing: Date(timeIntervalSince1970: 86_399.999)).description == "1970-01-01")
        #expect(BusinessDay(containing: Date(timeIntervalSince1970: 86_400)).description == "1970-01-02")
        #expect(BusinessDay(containing: Date(timeIntervalSince1970: -0.001)).description == "1969-12-31")
        let late = JSONCoding.parse("2026-03-01T23:59:59.999Z")!
        #expect(BusinessDay(containing: late).description == "2026-03-01")
        #expect(BusinessDay("2026-03-01")!.startDate == JSONCoding.parse("2026-03-01T00:00:00.000Z")!)
    }

    @Test func arithmeticAndOrder() {
        let start = BusinessDay("2026-12-30")!
        #expect(start.adding(days: 3).description == "2027-01-02")
        #expect(start.adding(days: -365).description == "2025-12-30")
        #expect(start.days(until: start.adding(days: 40)) == 40)
        #expect(start.adding(days: 40).days(until: start) == -40)
        #expect(start < start.adding(days: 1))
        #expect(max(start, start.adding(days: -1)) == start)
        #expect((start...start.adding(days: 2)).map(\.description) == ["2026-12-30", "2026-12-31", "2027-01-01"])
    }

    @Test func codesAsAPlainString() throws {
        struct Wrapper: Codable, Equatable { var day: BusinessDay }
        let data = try JSONEncoder().encode(Wrapper(day: BusinessDay("2026-03-05")!))
        #expect(String(decoding: data, as: UTF8.self) == #"{"day":"2026-03-05"}"#)
        #expect(try JSONDecoder().decode(Wrapper.self, from: data) == Wrapper(day: BusinessDay("2026-03-05")!))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Wrapper.self, from: Data(#"{"day":"2026-02-30"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Wrapper.self, from: Data(#"{"day":20513}"#.utf8)) }
    }

    @Test func formatsYearsOutsideFourDigitsWithASign() {
        #expect(BusinessDay(daysSince1970: -719_529).description == "-0001-12-31")
        #expect(BusinessDay(daysSince1970: 2_932_897).description == "+10000-01-01")
        #expect(BusinessDay("+10000-01-01") == nil)
    }

    @Test func roundTripsEveryFourDigitYearDay() async {
        await propertyCheck(count: 500, input: Gen.int(in: -719_528...2_932_896)) { days in
            let day = BusinessDay(daysSince1970: days)
            #expect(BusinessDay(day.description) == day)
            let (year, month, dayOfMonth) = day.components
            #expect(BusinessDay(year: year, month: month, day: dayOfMonth) == day)
            #expect(day.adding(days: 1).days(until: day) == -1)
        }
    }

    @Test func agreesWithFoundationsGregorianCalendar() async {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // From 1600 on, where Foundation's calendar is purely Gregorian.
        await propertyCheck(count: 300, input: Gen.int(in: -135_140...2_932_896)) { days in
            let day = BusinessDay(daysSince1970: days)
            let parts = calendar.dateComponents([.year, .month, .day], from: day.startDate)
            #expect(parts.year == day.components.year)
            #expect(parts.month == day.components.month)
            #expect(parts.day == day.components.day)
        }
    }
}

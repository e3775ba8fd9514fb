import Foundation

/// A calendar date in UTC, written `YYYY-MM-DD`: the unit of time of promising.
///
/// Every calendar day counts (weekends and holidays are not skipped). Stored as the number of days since
/// 1970-01-01 and converted with Howard Hinnant's days-from-civil / civil-from-days integer arithmetic, so it
/// never depends on a `Calendar`, a time zone database or a `DateFormatter`. Encodes as the plain string
/// `"YYYY-MM-DD"`.
public struct BusinessDay: Hashable, Sendable, Comparable, Strideable, Codable, LosslessStringConvertible {
    /// Days since 1970-01-01 (that day is 0; earlier days are negative).
    public let daysSince1970: Int

    /// Creates the day a number of days after 1970-01-01.
    /// - Parameters:
    ///   - daysSince1970: days since 1970-01-01; negative for earlier days.
    public init(daysSince1970: Int) {
        self.daysSince1970 = daysSince1970
    }

    /// Creates a day from its parts; nil when the date does not exist (e.g. February 30) or the year is outside 0…9999.
    /// - Parameters:
    ///   - year: the year, 0…9999 (proleptic Gregorian).
    ///   - month: the month, 1…12.
    ///   - day: the day of the month, 1…28/29/30/31.
    public init?(year: Int, month: Int, day: Int) {
        guard (0...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Self.daysInMonth(year: year, month: month)
        else { return nil }
        daysSince1970 = Self.daysFromCivil(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD` (exactly four, two and two ASCII digits); nil when malformed or the date does not exist.
    /// - Parameters:
    ///   - description: the text, e.g. `2026-02-28`.
    public init?(_ description: String) {
        let bytes = Array(description.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The UTC calendar day that contains `date`.
    /// - Parameters:
    ///   - date: an instant.
    public init(containing date: Date) {
        daysSince1970 = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// Decodes the plain string `"YYYY-MM-DD"`.
    /// - Parameters:
    ///   - decoder: the decoder; throws `DecodingError.dataCorrupted` when the string is not a valid date.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = BusinessDay(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a date YYYY-MM-DD: \(text)")
        }
        self = day
    }

    /// Encodes as the plain string `"YYYY-MM-DD"`.
    /// - Parameters:
    ///   - encoder: the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The year, month and day of month (proleptic Gregorian calendar).
    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// `YYYY-MM-DD`. Years outside 0…9999 (reachable only by arithmetic) are written with a sign and do not parse back.
    public var description: String {
        let (year, month, day) = components
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let yearText =
            switch year {
            case ..<0: "-" + padded(-year, 4)
            case 10000...: "+" + String(year)
            default: padded(year, 4)
            }
        return "\(yearText)-\(padded(month, 2))-\(padded(day, 2))"
    }

    /// The instant this day starts: midnight UTC.
    public var startDate: Date {
        Date(timeIntervalSince1970: TimeInterval(daysSince1970) * 86_400)
    }

    /// The day `days` days later (earlier when negative).
    /// - Parameters:
    ///   - days: the number of days to add.
    public func adding(days: Int) -> BusinessDay {
        BusinessDay(daysSince1970: daysSince1970 + days)
    }

    /// Calendar days from this day to `other`: positive when `other` is later, 0 on the same day.
    /// - Parameters:
    ///   - other: the other day.
    public func days(until other: BusinessDay) -> Int {
        other.daysSince1970 - daysSince1970
    }

    /// Calendar days from this day to `other` (same as ``days(until:)``).
    public func distance(to other: BusinessDay) -> Int {
        days(until: other)
    }

    /// The day `n` days later (same as ``adding(days:)``).
    public func advanced(by n: Int) -> BusinessDay {
        adding(days: n)
    }

    /// Whether `lhs` is an earlier day than `rhs`.
    public static func < (lhs: BusinessDay, rhs: BusinessDay) -> Bool {
        lhs.daysSince1970 < rhs.daysSince1970
    }

    /// Whether `year` is a Gregorian leap year.
    static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days of `month` (1…12) in `year`.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's days_from_civil: days since 1970-01-01 of a valid date.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

import Foundation

/// The JSON conventions of the hub: RFC 3339 times with milliseconds, sorted keys.
public enum JSONCoding {
    /// An encoder for payloads and stored documents.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
        return encoder
    }

    /// A decoder matching ``encoder()``; accepts times with or without fractional seconds.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time: \(text)")
            }
            return date
        }
        return decoder
    }

    /// The UTC calendar day of `date`, `YYYY-MM-DD`.
    public static func businessDay(_ date: Date) -> String {
        String(format(date).prefix(10))
    }

    /// `date` as RFC 3339 UTC with milliseconds (`2026-11-27T01:11:07.123Z`), rounded to the nearest millisecond.
    ///
    /// Hand-written (civil-from-days arithmetic, ``BusinessDay/components``) because it runs for every date of every document and event,
    /// where a format style costs far more than the rest of the encoding.
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var days = milliseconds / 86_400_000
        var msOfDay = milliseconds % 86_400_000
        if msOfDay < 0 {
            msOfDay += 86_400_000
            days -= 1
        }
        let (year, month, day) = BusinessDay(daysSince1970: Int(days)).components
        var bytes = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int64, _ offset: Int, _ width: Int) {
            var value = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[index] = UInt8(48 + value % 10)
                value /= 10
            }
        }
        put(Int64(year), 0, 4)
        bytes[4] = 45
        put(Int64(month), 5, 2)
        bytes[7] = 45
        put(Int64(day), 8, 2)
        bytes[10] = 84
        put(msOfDay / 3_600_000, 11, 2)
        bytes[13] = 58
        put(msOfDay / 60_000 % 60, 14, 2)
        bytes[16] = 58
        put(msOfDay / 1000 % 60, 17, 2)
        bytes[19] = 46
        put(msOfDay % 1000, 20, 3)
        bytes[23] = 90
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses RFC 3339 with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        if let date = parseFast(text) { return date }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SS.mmmZ` (what ``format(_:)`` writes) without a format style.
    static func parseFast(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84, bytes[13] == 58, bytes[16] == 58,
            bytes[19] == 46, bytes[23] == 90
        else { return nil }
        func number(_ offset: Int, _ width: Int) -> Int64? {
            var value: Int64 = 0
            for index in offset..<(offset + width) {
                let digit = bytes[index]
                guard digit >= 48 && digit <= 57 else { return nil }
                value = value * 10 + Int64(digit - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2), let millis = number(20, 3),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60, second < 60
        else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let total = ((days * 24 + hour) * 60 + minute) * 60 + second
        return Date(timeIntervalSince1970: Double(total) + Double(millis) / 1000)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Int(month - 1)]
    }
}

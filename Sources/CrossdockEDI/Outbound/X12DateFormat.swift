import Foundation

/// X12 dates (`CCYYMMDD`) and times (`HHMM`, `HHMMSS`) to and from `Date`, in a given time zone.
public enum X12DateFormat {
    /// UTC, the zone outbound documents are written in unless the caller says otherwise.
    public static let utc = TimeZone(identifier: "UTC")!

    /// `date` as `CCYYMMDD` and `HHMM` in `timeZone`.
    public static func stamp(_ date: Date, timeZone: TimeZone = utc) -> (date: String, time: String) {
        let c = calendar(timeZone).dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return (
            ASCII.zeroPadded(c.year ?? 0, width: 4) + ASCII.zeroPadded(c.month ?? 0, width: 2) + ASCII.zeroPadded(c.day ?? 0, width: 2),
            ASCII.zeroPadded(c.hour ?? 0, width: 2) + ASCII.zeroPadded(c.minute ?? 0, width: 2)
        )
    }

    /// `date` as `CCYYMMDD`, `HHMMSS` in `timeZone`.
    static func stampWithSeconds(_ date: Date, timeZone: TimeZone = utc) -> (date: String, time: String) {
        let seconds = calendar(timeZone).component(.second, from: date)
        let (day, time) = stamp(date, timeZone: timeZone)
        return (day, time + ASCII.zeroPadded(seconds, width: 2))
    }

    /// The instant of `CCYYMMDD` and an optional `HHMM`/`HHMMSS` in `timeZone`, or `nil` when malformed.
    static func date(_ day: String, time: String?, timeZone: TimeZone = utc) -> Date? {
        guard day.utf8.count == 8, let ymd = ASCII.number(day) else { return nil }
        var c = DateComponents(year: ymd / 10_000, month: ymd / 100 % 100, day: ymd % 100, hour: 0, minute: 0, second: 0)
        if let time {
            guard [4, 6].contains(time.utf8.count), let hms = ASCII.number(time) else { return nil }
            let six = time.utf8.count == 4 ? hms * 100 : hms
            c.hour = six / 10_000
            c.minute = six / 100 % 100
            c.second = six % 100
        }
        let cal = calendar(timeZone)
        guard let result = cal.date(from: c), cal.dateComponents([.year, .month, .day], from: result).day == c.day else { return nil }
        return result
    }

    /// `YYYY-MM-DD` → `CCYYMMDD`, or `nil` when malformed.
    static func compact(isoDay: String) -> String? {
        let parts = isoDay.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2 else { return nil }
        let joined = parts.joined()
        return ASCII.isNumeric(joined) ? joined : nil
    }

    /// `CCYYMMDD` → `YYYY-MM-DD`, or `nil` when malformed.
    static func iso(compact day: String) -> String? {
        guard day.utf8.count == 8, ASCII.isNumeric(day) else { return nil }
        let chars = Array(day)
        return String(chars[0..<4]) + "-" + String(chars[4..<6]) + "-" + String(chars[6..<8])
    }

    /// `HH:MM` or `HH:MM:SS` → `HHMM` / `HHMMSS`.
    static func compact(isoTime: String) -> String { isoTime.replacingOccurrences(of: ":", with: "") }

    /// `HHMM` → `HH:MM`, `HHMMSS` → `HH:MM:SS` (decimal seconds are cut), or `nil` when malformed.
    static func iso(compactTime time: String) -> String? {
        guard time.utf8.count >= 4, ASCII.isNumeric(time) else { return nil }
        let chars = Array(time)
        var result = String(chars[0..<2]) + ":" + String(chars[2..<4])
        if chars.count >= 6 { result += ":" + String(chars[4..<6]) }
        return result
    }

    /// The instant of an ISO day and optional `HH:MM[:SS]` time in `timeZone`.
    static func date(isoDay: String, isoTime: String?, timeZone: TimeZone = utc) -> Date? {
        guard let day = compact(isoDay: isoDay) else { return nil }
        return date(day, time: isoTime.map(compact(isoTime:)), timeZone: timeZone)
    }

    /// `date` as ISO day and `HH:MM:SS` in `timeZone`.
    static func iso(_ date: Date, timeZone: TimeZone = utc) -> (day: String, time: String) {
        let (day, time) = stampWithSeconds(date, timeZone: timeZone)
        return (iso(compact: day) ?? day, iso(compactTime: time) ?? time)
    }

    private static func calendar(_ timeZone: TimeZone) -> Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return cal
    }
}

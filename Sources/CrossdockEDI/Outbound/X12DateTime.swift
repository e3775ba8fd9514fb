/// A dated event: DTM (856, 810) or G62 (940). JSON: `{"qualifier": "011", "date": "2025-03-15", "time": "14:05",
/// "timeCode": "UT"}`; `time` is `HH:MM` or `HH:MM:SS`, `time` and `timeCode` are omitted when absent.
public struct X12DateTime: Hashable, Sendable, Codable {
    /// DTM01 / G6201 qualifier: `011` shipped, `017` estimated delivery (DTM); `10` requested ship, `02` deliver by (G62).
    public var qualifier: String
    /// The date, `YYYY-MM-DD`.
    public var date: String
    /// The time, `HH:MM` or `HH:MM:SS`.
    public var time: String?
    /// DTM04 time code (`UT` for UTC) or G6203 time qualifier.
    public var timeCode: String?

    /// Creates a date.
    /// - Parameters:
    ///   - qualifier: the qualifier.
    ///   - date: `YYYY-MM-DD`.
    ///   - time: `HH:MM` or `HH:MM:SS`.
    ///   - timeCode: time code or qualifier.
    public init(_ qualifier: String, date: String, time: String? = nil, timeCode: String? = nil) {
        self.qualifier = qualifier
        self.date = date
        self.time = time
        self.timeCode = timeCode
    }

    /// `DTM*qualifier*CCYYMMDD*HHMM[SS]*code`.
    var dtm: X12Segment {
        X12Segment("DTM", [qualifier, X12DateFormat.compact(isoDay: date) ?? date, time.map(X12DateFormat.compact(isoTime:)) ?? "", timeCode ?? ""])
    }

    /// `G62*qualifier*CCYYMMDD*timeQualifier*HHMM[SS]`.
    var g62: X12Segment {
        X12Segment("G62", [qualifier, X12DateFormat.compact(isoDay: date) ?? date, timeCode ?? "", time.map(X12DateFormat.compact(isoTime:)) ?? ""])
    }

    /// Reads a DTM (date in element 2, time 3, code 4) or a G62 (date 2, time qualifier 3, time 4).
    init(_ segment: X12Segment) throws(OutboundMappingError) {
        let isG62 = segment.id == "G62"
        let rawTime = segment.value(isG62 ? 4 : 3)
        guard let day = segment.value(2), let date = X12DateFormat.iso(compact: day) else {
            throw OutboundMappingError(
                code: "invalid_value",
                message: "date \(ASCII.quote(segment.value(2) ?? "")) is not CCYYMMDD",
                segmentID: segment.id
            )
        }
        var time: String?
        if let rawTime {
            guard let iso = X12DateFormat.iso(compactTime: rawTime) else {
                throw OutboundMappingError(
                    code: "invalid_value",
                    message: "time \(ASCII.quote(rawTime)) is not HHMM or HHMMSS",
                    segmentID: segment.id
                )
            }
            time = iso
        }
        self.init(segment.value(1) ?? "", date: date, time: time, timeCode: segment.value(isG62 ? 3 : 4))
    }
}

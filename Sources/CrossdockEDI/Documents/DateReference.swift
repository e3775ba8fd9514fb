/// A dated event: a DTM or G62 with its qualifier, date, optional time and time code.
///
/// The text of `date` and `time` follows the document that holds it. The inbound documents (850, 855, 945) keep them
/// as written (`CCYYMMDD`, `HHMM[SS]`), like their other values; the outbound documents (856, 810, 940) keep
/// `YYYY-MM-DD` and `HH:MM[:SS]`, checked when read. ``dtm`` and ``g62`` write either form as X12.
///
/// 850 DTM qualifiers: `002` delivery requested, `010` requested ship, `037` ship not before, `038` ship no later,
/// `063` do not deliver after, `064` do not deliver before. 855 ACK04 / DTM: `068` current schedule ship, `067` current
/// schedule delivery, `017` estimated delivery. 945 G62: `10` requested ship, `11` shipped on this date. 856 / 810 DTM:
/// `011` shipped; 940 G62: `10` requested ship, `02` deliver by.
///
/// JSON: `{"qualifier": "011", "date": "2025-03-15", "time": "14:05", "timeCode": "UT"}` (an 856) or
/// `{"qualifier": "010", "date": "20250320"}` (an 850); absent values are omitted.
public struct DateReference: Hashable, Sendable, Codable {
    /// DTM01 (or G6201), the date/time qualifier.
    public var qualifier: String
    /// DTM02 (or G6202): `CCYYMMDD` as written in the inbound documents, `YYYY-MM-DD` in the outbound ones.
    public var date: String?
    /// DTM03 (or G6204): `HHMM` or `HHMMSS` as written in the inbound documents, `HH:MM[:SS]` in the outbound ones.
    public var time: String?
    /// DTM04 time code (`UT` for UTC) or G6203 time qualifier; read by the outbound documents.
    public var timeCode: String?

    /// Creates a date.
    /// - Parameters:
    ///   - qualifier: the qualifier.
    ///   - date: the date.
    ///   - time: the time.
    ///   - timeCode: the time code or qualifier.
    public init(qualifier: String, date: String?, time: String? = nil, timeCode: String? = nil) {
        self.qualifier = qualifier
        self.date = date
        self.time = time
        self.timeCode = timeCode
    }

    /// Reads a DTM as written (the inbound documents): DTM01 to DTM03.
    init(dtm: X12Segment) {
        self.init(qualifier: dtm.value(1) ?? "", date: dtm.value(2), time: dtm.value(3))
    }

    /// Reads a DTM (date in element 2, time 3, code 4) or a G62 (date 2, time qualifier 3, time 4) as the outbound
    /// documents keep dates: `YYYY-MM-DD` and `HH:MM[:SS]`.
    /// - Parameter segment: a DTM or G62.
    /// - Throws: `invalid_value` when the date is not `CCYYMMDD` or the time not `HHMM`/`HHMMSS`.
    init(checking segment: X12Segment) throws(OutboundMappingError) {
        let isG62 = segment.id == "G62"
        let date = try Self.isoDate(segment.value(2), segmentID: segment.id)
        let time = try segment.value(isG62 ? 4 : 3).map { (time) throws(OutboundMappingError) in try Self.isoTime(time, segmentID: segment.id) }
        self.init(qualifier: segment.value(1) ?? "", date: date, time: time, timeCode: segment.value(isG62 ? 3 : 4))
    }

    /// `CCYYMMDD` as `YYYY-MM-DD`.
    /// - Parameters:
    ///   - day: the date as written.
    ///   - segmentID: the segment the error names.
    /// - Throws: `invalid_value` when `day` is absent or not `CCYYMMDD`.
    static func isoDate(_ day: String?, segmentID: String) throws(OutboundMappingError) -> String {
        guard let day, let date = X12DateFormat.iso(compact: day) else {
            throw OutboundMappingError(code: "invalid_value", message: "date \(ASCII.quote(day ?? "")) is not CCYYMMDD", segmentID: segmentID)
        }
        return date
    }

    /// `HHMM` as `HH:MM`, `HHMMSS` as `HH:MM:SS` (decimal seconds are cut).
    /// - Parameters:
    ///   - time: the time as written.
    ///   - segmentID: the segment the error names.
    /// - Throws: `invalid_value` when `time` is not `HHMM` or `HHMMSS`.
    static func isoTime(_ time: String, segmentID: String) throws(OutboundMappingError) -> String {
        guard let iso = X12DateFormat.iso(compactTime: time) else {
            throw OutboundMappingError(code: "invalid_value", message: "time \(ASCII.quote(time)) is not HHMM or HHMMSS", segmentID: segmentID)
        }
        return iso
    }

    /// `DTM*qualifier*CCYYMMDD*HHMM[SS]*code`.
    var dtm: X12Segment { X12Segment("DTM", optionals: [qualifier, compactDate, compactTime, timeCode]) }

    /// `G62*qualifier*CCYYMMDD*timeQualifier*HHMM[SS]`.
    var g62: X12Segment { X12Segment("G62", optionals: [qualifier, compactDate, timeCode, compactTime]) }

    /// The date as `CCYYMMDD`, whichever form it is kept in.
    private var compactDate: String? { date.map { X12DateFormat.compact(isoDay: $0) ?? $0 } }

    /// The time as `HHMM[SS]`, whichever form it is kept in.
    private var compactTime: String? { time.map(X12DateFormat.compact(isoTime:)) }

    /// The date as `YYYY-MM-DD`, when it is a `CCYYMMDD` one.
    public var isoDate: String? { date.flatMap { ElementSpec.isDate($0) ? X12DateFormat.iso(compact: $0) : nil } }

    static let dtmSpec = SegmentSpec(
        "DTM",
        [
            .m(374, .identifier, 3, 3), .o(373, .date, 8, 8), .o(337, .time, 4, 8), .o(623, .identifier, 2, 2), .o(1250, .identifier, 2, 3),
            .o(1251, .string, 1, 35),
        ],
        rules: [.required(anyOf: [2, 3, 5]), .conditional(4, then: [3]), .paired([5, 6])]
    )
}

/// A DTM (or G62) date: a qualifier and a `CCYYMMDD` date, with an optional time.
///
/// 850 DTM qualifiers: `002` delivery requested, `010` requested ship, `037` ship not before, `038` ship no later,
/// `063` do not deliver after, `064` do not deliver before. 855 ACK04 / DTM: `068` current schedule ship, `067` current
/// schedule delivery, `017` estimated delivery. 945 G62: `10` requested ship, `11` shipped on this date.
public struct DateReference: Hashable, Sendable, Codable {
    /// DTM01 (or G6201), the date/time qualifier.
    public var qualifier: String
    /// DTM02, `CCYYMMDD`.
    public var date: String?
    /// DTM03, `HHMM` or `HHMMSS`.
    public var time: String?

    /// Creates a date.
    public init(qualifier: String, date: String?, time: String? = nil) {
        self.qualifier = qualifier
        self.date = date
        self.time = time
    }

    /// Reads a DTM.
    init(dtm: X12Segment) {
        self.init(qualifier: dtm.value(1) ?? "", date: dtm.value(2), time: dtm.value(3))
    }

    var dtm: X12Segment { X12Segment("DTM", optionals: [qualifier, date, time]) }

    /// The date as `YYYY-MM-DD`, when it is one.
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

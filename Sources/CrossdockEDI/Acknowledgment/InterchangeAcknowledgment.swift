/// A TA1 interchange acknowledgment: what the receiver says of a whole interchange (its ISA/IEA envelope).
///
/// The hub answers an interchange whose envelope is broken (ISA13 ≠ IEA02, a wrong IEA01, a bad ISA field, a missing
/// IEA) with a TA1 `R` and the note code of the first envelope error, instead of 997s: none of its groups is read. It
/// adds a TA1 `A` to the 997s when the sender asks for one (ISA14 `1`).
///
/// `TA1*<ISA13>*<ISA09>*<ISA10>*<A|E|R>*<note>`, e.g. `TA1*000000101*261127*1200*R*001`.
public struct InterchangeAcknowledgment: Hashable, Sendable, Codable {
    /// TA101, the acknowledged interchange's control number (ISA13).
    public var controlNumber: Int
    /// TA102, its date (ISA09, `YYMMDD`).
    public var date: String
    /// TA103, its time (ISA10, `HHMM`).
    public var time: String
    /// TA104: `A` accepted, `E` accepted with errors, `R` rejected.
    public var status: String
    /// TA105, the note code (`000` no error; see ``notes``).
    public var note: String

    /// Creates an acknowledgment.
    public init(controlNumber: Int, date: String, time: String, status: String, note: String) {
        self.controlNumber = controlNumber
        self.date = date
        self.time = time
        self.status = status
        self.note = note
    }

    /// The acknowledgment of `header`: `A`/`000` without errors, else `R` with the note of the first error.
    /// An ISA09/ISA10 that is not a date or time of the right width (itself an error) is echoed as zeros, so the TA1
    /// stays well formed.
    public init(of header: X12InterchangeHeader, errors: [X12Error]) {
        func digits(_ value: String, _ count: Int) -> String {
            value.count == count && value.allSatisfy({ $0.isASCII && $0.isNumber }) ? value : String(repeating: "0", count: count)
        }
        self.init(
            controlNumber: min(max(header.controlNumber, 0), 999_999_999),
            date: digits(header.date, 6),
            time: digits(header.time, 4),
            status: errors.isEmpty ? "A" : "R",
            note: errors.first.map(Self.note(for:)) ?? "000"
        )
    }

    /// Reads a TA1 segment.
    /// - Throws: `invalid_value` naming the first bad element.
    public init(_ segment: X12Segment) throws(X12Error) {
        if let problem = Self.problems(segment.elements).first {
            throw X12Error(
                code: "invalid_value",
                message: problem.message,
                segmentPosition: segment.position?.segment ?? 0,
                segmentID: "TA1",
                elementPosition: problem.element
            )
        }
        let e = segment.elements
        self.init(controlNumber: Int(e[0]) ?? 0, date: e[1], time: e[2], status: e[3], note: e[4])
    }

    /// The TA1 segment.
    public var segment: X12Segment {
        X12Segment("TA1", [ASCII.zeroPadded(controlNumber, width: 9), date, time, status, note])
    }

    /// What TA105 codes mean (X12 I18).
    public static let notes: [String: String] = [
        "000": "no error", "001": "the interchange control numbers in the header and trailer do not match",
        "005": "invalid interchange ID qualifier for sender", "006": "invalid interchange sender ID",
        "007": "invalid interchange ID qualifier for receiver", "008": "invalid interchange receiver ID",
        "010": "invalid authorization information qualifier", "011": "invalid authorization information value",
        "012": "invalid security information qualifier", "013": "invalid security information value",
        "014": "invalid interchange date value", "015": "invalid interchange time value",
        "016": "invalid interchange standards identifier value", "017": "invalid interchange version ID value",
        "018": "invalid interchange control number value", "019": "invalid acknowledgment requested value",
        "020": "invalid test indicator value", "021": "invalid number of included groups value",
        "022": "invalid control structure", "023": "improper (premature) end-of-file (transmission)",
        "024": "invalid interchange content (e.g. invalid GS segment)", "026": "invalid data element separator",
        "027": "invalid component element separator",
    ]

    /// The TA105 note for an envelope error.
    public static func note(for error: X12Error) -> String {
        switch (error.code, error.segmentID, error.elementPosition) {
        case ("control_number_mismatch", "IEA", _): "001"
        case ("group_count_mismatch", _, _): "021"
        case ("invalid_delimiter", _, 16): "027"
        case ("invalid_delimiter", _, _): "026"
        case ("unterminated", _, _), ("missing_trailer", "ISA", _), ("missing_trailer", "IEA", _): "023"
        case (_, "ISA", let element?):
            [
                1: "010", 2: "011", 3: "012", 4: "013", 5: "005", 6: "006", 7: "007", 8: "008", 9: "014", 10: "015", 11: "016", 12: "017", 13: "018",
                14: "019", 15: "020", 16: "027",
            ][element] ?? "022"
        default: "024"
        }
    }

    /// The problems of TA1 elements, by element position.
    static func problems(_ elements: [String]) -> [(element: Int, message: String)] {
        var problems: [(Int, String)] = []
        func digits(_ index: Int, _ count: Int, _ name: String) {
            let value = index < elements.count ? elements[index] : ""
            if value.count != count || !value.allSatisfy(\.isASCII) || !value.allSatisfy(\.isNumber) {
                problems.append((index + 1, "\(name) \(ASCII.quote(value)) must be \(count) digits"))
            }
        }
        digits(0, 9, "TA101")
        digits(1, 6, "TA102")
        digits(2, 4, "TA103")
        let status = elements.count > 3 ? elements[3] : ""
        if !["A", "E", "R"].contains(status) { problems.append((4, "TA104 \(ASCII.quote(status)) must be A, E or R")) }
        digits(4, 3, "TA105")
        if elements.count > 5 { problems.append((6, "TA1 has at most 5 elements")) }
        return problems
    }
}

/// The dictionary entry of one data element in a segment: its data element number, type, length and whether it is
/// mandatory, plus an optional code list.
public struct ElementSpec: Hashable, Sendable {
    /// X12 data element types.
    public enum DataType: Hashable, Sendable {
        /// `Nn`: an integer with `n` implied decimals; digits and an optional leading minus.
        case numeric(decimals: Int)
        /// `R`: a decimal number with an optional leading minus and at most one decimal point.
        case decimal
        /// `ID`: a code.
        case identifier
        /// `AN`: a string.
        case string
        /// `DT`: a date, `CCYYMMDD`.
        case date
        /// `TM`: a time, `HHMM` with optional seconds and decimal seconds.
        case time
        /// A composite; only its presence is checked.
        case composite
    }

    /// The data element reference number (AK402), e.g. 330 for a quantity.
    public var dataElement: Int
    /// Its type.
    public var type: DataType
    /// Minimum length (digits for numbers, excluding sign and decimal point).
    public var minLength: Int
    /// Maximum length.
    public var maxLength: Int
    /// Whether the element is mandatory (`M`) rather than optional or conditional.
    public var isMandatory: Bool
    /// The allowed codes, when the hub checks the code list.
    public var codes: Set<String>?

    /// Creates an entry.
    /// - Parameters:
    ///   - dataElement: the data element number.
    ///   - type: the type.
    ///   - minLength: minimum length.
    ///   - maxLength: maximum length.
    ///   - isMandatory: `M` in the standard.
    ///   - codes: the allowed codes, if checked.
    public init(_ dataElement: Int, _ type: DataType, _ minLength: Int, _ maxLength: Int, isMandatory: Bool, codes: Set<String>? = nil) {
        self.dataElement = dataElement
        self.type = type
        self.minLength = minLength
        self.maxLength = maxLength
        self.isMandatory = isMandatory
        self.codes = codes
    }

    /// A mandatory element.
    public static func m(_ dataElement: Int, _ type: DataType, _ min: Int, _ max: Int, codes: Set<String>? = nil) -> ElementSpec {
        ElementSpec(dataElement, type, min, max, isMandatory: true, codes: codes)
    }

    /// An optional (or conditional) element.
    public static func o(_ dataElement: Int, _ type: DataType, _ min: Int, _ max: Int, codes: Set<String>? = nil) -> ElementSpec {
        ElementSpec(dataElement, type, min, max, isMandatory: false, codes: codes)
    }

    /// `N0`.
    public static let n0 = DataType.numeric(decimals: 0)

    /// The AK403 code for a present value that breaks this entry, with a reason, or `nil` when it is valid.
    func problem(with value: String) -> (code: X12SetError.ElementCode, reason: String)? {
        let bytes = Array(value.utf8)
        if let bad = bytes.first(where: { $0 < 0x20 || $0 == 0x7F }) {
            return (.invalidCharacter, "holds the control character \(ASCII.scalarName(Unicode.Scalar(bad)))")
        }
        var length = bytes.count
        switch type {
        case .numeric:
            let digits = bytes.first == UInt8(ascii: "-") ? bytes.dropFirst() : bytes[...]
            guard !digits.isEmpty, digits.allSatisfy(ASCII.isDigit) else { return (.invalidCharacter, "is not an integer") }
            length = digits.count
        case .decimal:
            let body = bytes.first == UInt8(ascii: "-") ? bytes.dropFirst() : bytes[...]
            let points = body.filter { $0 == UInt8(ascii: ".") }.count
            let digits = body.filter(ASCII.isDigit).count
            guard points <= 1, digits > 0, digits + points == body.count else { return (.invalidCharacter, "is not a decimal number") }
            length = digits
        case .date:
            guard ASCII.isNumeric(value) else { return (.invalidDate, "is not a CCYYMMDD date") }
        case .time:
            guard ASCII.isNumeric(value) else { return (.invalidTime, "is not an HHMM[SS[d]] time") }
        case .identifier, .string, .composite:
            break
        }
        if length < minLength { return (.tooShort, "is \(length) long; the minimum is \(minLength)") }
        if length > maxLength { return (.tooLong, "is \(length) long; the maximum is \(maxLength)") }
        if type == .date, !Self.isDate(value) { return (.invalidDate, "is not a calendar date (CCYYMMDD)") }
        if type == .time, !Self.isTime(value) { return (.invalidTime, "is not a time of day (HHMM[SS[d]])") }
        if let codes, !codes.contains(value) { return (.invalidCode, "is not one of the codes \(codes.sorted().joined(separator: ", "))") }
        return nil
    }

    /// Whether `value` is an 8-digit calendar date.
    static func isDate(_ value: String) -> Bool {
        guard value.utf8.count == 8, let n = ASCII.number(value) else { return false }
        let (year, month, day) = (n / 10_000, n / 100 % 100, n % 100)
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// Whether `value` is `HHMM`, `HHMMSS` or `HHMMSSd..` with valid hours, minutes and seconds.
    static func isTime(_ value: String) -> Bool {
        let digits = Array(value.utf8).map { Int($0) - 48 }
        guard digits.count >= 4, digits.count <= 8, digits.count != 5 else { return false }
        let hour = digits[0] * 10 + digits[1]
        let minute = digits[2] * 10 + digits[3]
        let second = digits.count >= 6 ? digits[4] * 10 + digits[5] : 0
        return hour < 24 && minute < 60 && second < 60
    }
}

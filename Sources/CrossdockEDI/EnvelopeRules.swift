/// The formats of the envelope elements (ISA, GS, ST, SE, GE, IEA), shared by the validator and the serializer so the
/// serializer never writes what the parser rejects.
enum EnvelopeRules {
    /// What one element must look like.
    enum Format {
        /// ASCII digits, with a length in the range (any length when `nil`).
        case digits(ClosedRange<Int>?)
        /// Letters and digits.
        case alphanumeric(ClosedRange<Int>?)
        /// Any text of that length.
        case text(ClosedRange<Int>?)
        /// One of the listed codes.
        case code([String])
    }

    /// One element's rule: its name (`GS06`), format and whether it is required.
    struct Rule {
        var format: Format
        var required: Bool = true
    }

    /// A rule violation at a 1-based element position.
    struct Problem: Equatable {
        var element: Int
        var code: String
        var message: String
    }

    /// ISA rules for the values (widths are checked by the header reader). ISA11 and ISA16 are checked separately.
    static let isa: [Rule?] = [
        Rule(format: .alphanumeric(nil)), Rule(format: .text(nil), required: false),
        Rule(format: .alphanumeric(nil)), Rule(format: .text(nil), required: false),
        Rule(format: .alphanumeric(nil)), Rule(format: .text(nil)),
        Rule(format: .alphanumeric(nil)), Rule(format: .text(nil)),
        Rule(format: .digits(nil)), Rule(format: .digits(nil)),
        nil, Rule(format: .digits(nil)),
        Rule(format: .digits(nil)), Rule(format: .code(["0", "1"])),
        Rule(format: .code(["P", "T", "I"])), nil,
    ]

    /// GS01...GS08. GS04 is checked against GS08 separately.
    static let gs: [Rule?] = [
        Rule(format: .alphanumeric(2...2)), Rule(format: .text(2...15)), Rule(format: .text(2...15)), nil,
        Rule(format: .digits(4...8)), Rule(format: .digits(1...9)), Rule(format: .code(["X", "T"])), Rule(format: .text(1...12)),
    ]

    /// ST01...ST03.
    static let st: [Rule?] = [Rule(format: .alphanumeric(3...3)), Rule(format: .text(4...9)), Rule(format: .text(1...35), required: false)]

    /// SE01, SE02.
    static let se: [Rule?] = [Rule(format: .digits(1...10)), Rule(format: .text(4...9))]

    /// GE01, GE02.
    static let ge: [Rule?] = [Rule(format: .digits(1...6)), Rule(format: .digits(1...9))]

    /// IEA01, IEA02.
    static let iea: [Rule?] = [Rule(format: .digits(1...5)), Rule(format: .digits(9...9))]

    /// Element counts allowed per envelope segment.
    static func elementCount(of id: String) -> ClosedRange<Int>? {
        switch id {
        case "ISA": 16...16
        case "GS": 8...8
        case "ST": 2...3
        case "SE", "GE", "IEA": 2...2
        default: nil
        }
    }

    /// Checks an envelope segment's element count and each element's value against its rules.
    /// - Parameters:
    ///   - id: the segment ID (`GS`).
    ///   - elements: its raw elements.
    ///   - rules: the rules for its elements.
    ///   - delimiters: component and repetition separators may not appear in envelope elements.
    static func check(_ id: String, _ elements: [String], rules: [Rule?], delimiters: X12Delimiters) -> [Problem] {
        var problems: [Problem] = []
        if let allowed = elementCount(of: id), !allowed.contains(elements.count) {
            let expected = allowed.count == 1 ? "\(allowed.lowerBound)" : "\(allowed.lowerBound) to \(allowed.upperBound)"
            problems.append(
                Problem(
                    element: elements.count > allowed.upperBound ? allowed.upperBound + 1 : elements.count + 1,
                    code: "element_count",
                    message: "\(id) has \(elements.count) elements but must have \(expected)"
                )
            )
        }
        for (index, rule) in rules.enumerated() {
            guard let rule else { continue }
            let name = elementName(id, index + 1)
            let value = index < elements.count ? elements[index] : ""
            if let problem = check(value, name: name, rule: rule, delimiters: delimiters, trim: id == "ISA") {
                problems.append(Problem(element: index + 1, code: problem.code, message: problem.message))
            }
        }
        return problems
    }

    /// Checks one value; `trim` ignores the fixed-width padding of ISA fields.
    static func check(
        _ raw: String,
        name: String,
        rule: Rule,
        delimiters: X12Delimiters,
        trim: Bool = false
    ) -> (
        code: String, message: String
    )? {
        if let problem = separatorProblem(raw, name: name, delimiters: delimiters) { return ("invalid_value", problem) }
        let value = trim ? ASCII.trimSpaces(raw) : raw
        if value.isEmpty {
            return rule.required ? ("missing_element", "\(name) is required but empty") : nil
        }
        let length = value.unicodeScalars.count
        let bytes = Array(value.utf8)
        func lengthProblem(_ range: ClosedRange<Int>?, _ kind: String) -> String? {
            guard let range, !range.contains(length) else { return nil }
            let size = range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
            return "\(name) \(ASCII.quote(raw)) must be \(size) \(kind) long"
        }
        switch rule.format {
        case .digits(let range):
            guard bytes.allSatisfy(ASCII.isDigit) else { return ("invalid_value", "\(name) \(ASCII.quote(raw)) is not a number") }
            if let problem = lengthProblem(range, "digits") { return ("invalid_value", problem) }
        case .alphanumeric(let range):
            guard bytes.allSatisfy(ASCII.isAlphanumeric) else {
                return ("invalid_value", "\(name) \(ASCII.quote(raw)) must be letters and digits")
            }
            if let problem = lengthProblem(range, "characters") { return ("invalid_value", problem) }
        case .text(let range):
            if trim, let odd = raw.unicodeScalars.first(where: { $0.value < 0x20 || $0.value >= 0x7F }) {
                return ("invalid_value", "\(name) contains \(ASCII.scalarName(odd)); ISA fields must be printable ASCII characters")
            }
            if let problem = lengthProblem(range, "characters") { return ("invalid_value", problem) }
        case .code(let codes):
            guard codes.contains(value) else {
                return ("invalid_value", "\(name) \(ASCII.quote(raw)) must be one of \(codes.joined(separator: ", "))")
            }
        }
        return nil
    }

    /// GS04 is `CCYYMMDD`, or `YYMMDD` in versions before 004010.
    static func checkGroupDate(_ date: String, version: String, delimiters: X12Delimiters) -> (code: String, message: String)? {
        let lengths = isBefore004010(version) ? 6...8 : 8...8
        if let problem = check(date, name: "GS04", rule: Rule(format: .digits(lengths)), delimiters: delimiters) {
            return problem
        }
        if date.utf8.count == 7 { return ("invalid_value", "GS04 \(ASCII.quote(date)) must be CCYYMMDD or YYMMDD") }
        return nil
    }

    /// Whether a GS08 version (`003010`) is older than 004010.
    static func isBefore004010(_ version: String) -> Bool {
        let digits = String(version.prefix(6))
        return digits.utf8.count == 6 && ASCII.isNumeric(digits) && digits < "004010"
    }

    /// A component or repetition separator, or a segment terminator, inside a simple envelope element.
    static func separatorProblem(_ value: String, name: String, delimiters: X12Delimiters) -> String? {
        let utf8 = Array(value.utf8)
        for byte in [delimiters.componentByte, delimiters.repetitionByte, delimiters.terminatorByte, delimiters.elementByte] {
            guard let byte, utf8.contains(byte), let role = delimiters.role(of: byte) else { continue }
            var message = "\(name) \(ASCII.quote(value)) contains the \(role) \(X12Delimiters.show(byte)); envelope elements are simple"
            if byte == delimiters.componentByte, utf8.last == byte, ASCII.isWhitespace(delimiters.terminatorByte) {
                message += " (is ISA16 missing, so that the real segment terminator was read as the component separator?)"
            }
            return message
        }
        return nil
    }

    /// `GS06` for ("GS", 6).
    static func elementName(_ id: String, _ position: Int) -> String {
        id + (position < 10 ? "0\(position)" : "\(position)")
    }
}

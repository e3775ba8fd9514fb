/// Writes an ``X12Interchange`` as X12 text.
///
/// The serializer pads the ISA to its fixed widths, computes SE01, GE01 and IEA01, writes ISA11 as the repetition
/// separator from version 00402 on (`U` before, where repeated elements cannot be written), and drops trailing empty
/// elements and components. It never emits a broken document: a value that contains a delimiter, does not fit its
/// field or has the wrong format is an `X12Error` naming the segment and element it would have been written to, and
/// the finished text is checked with ``X12EnvelopeValidator`` before it is returned.
///
/// Segments built with other delimiters are rewritten with this serializer's: their elements are split on their own
/// separators and joined with these.
public struct X12Serializer: Sendable {
    /// The delimiters to write with.
    public var delimiters: X12Delimiters
    /// Whether to write a line feed after each segment terminator (not after a terminator that is itself a line feed).
    public var newlineAfterSegment: Bool

    /// Creates a serializer.
    /// - Parameters:
    ///   - delimiters: `*`, `>`, `^`, `~` by default.
    ///   - newlineAfterSegment: whether to write a line feed after each terminator; `false` by default.
    public init(delimiters: X12Delimiters = .standard, newlineAfterSegment: Bool = false) {
        self.delimiters = delimiters
        self.newlineAfterSegment = newlineAfterSegment
    }

    /// Writes `interchange` with its own control numbers.
    /// - Parameter interchange: the values to write.
    /// - Returns: the X12 text, ISA to IEA.
    /// - Throws: `delimiter_in_value`, `invalid_value`, `isa_width`, `invalid_segment_id` or `duplicate_control_number`.
    public func serialize(_ interchange: X12Interchange) throws(X12Error) -> String {
        var writer = Writer(delimiters: delimiters, version: interchange.header.version, newline: newlineAfterSegment)
        try writer.write(interchange)
        let text = writer.text
        if let first = X12EnvelopeValidator.validate(text).first { throw first }
        return text
    }

    /// Takes new control numbers for the interchange, each group and each set from `source`, then writes it.
    /// - Parameters:
    ///   - interchange: the values to write; their control numbers are replaced.
    ///   - source: where control numbers come from; the partner key is `ISA07:ISA08`.
    /// - Returns: the interchange as written (with its new control numbers) and its text.
    /// - Throws: what `source` throws, or an ``X12Error`` as ``serialize(_:)``.
    public func serialize(
        _ interchange: X12Interchange,
        assigningControlNumbersFrom source: any ControlNumberSource
    ) async throws -> (interchange: X12Interchange, text: String) {
        let numbered = try await Self.assignControlNumbers(to: interchange, from: source)
        return (numbered, try serialize(numbered))
    }

    /// `interchange` with control numbers from `source`: ISA13, then for each group GS06 and its sets' ST02 (at least
    /// 4 digits).
    /// - Parameters:
    ///   - interchange: the values.
    ///   - source: where control numbers come from.
    /// - Throws: what `source` throws, or `invalid_value` when it returns a number outside 1...999999999.
    public static func assignControlNumbers(
        to interchange: X12Interchange,
        from source: any ControlNumberSource
    ) async throws -> X12Interchange {
        var result = interchange
        let partner = "\(interchange.header.receiverQualifier):\(interchange.header.receiverID)"
        var position = 1
        func take(_ kind: ControlNumberKind, _ id: String, _ element: Int) async throws -> Int {
            let number = try await source.next(kind: kind, partner: partner)
            guard (1...999_999_999).contains(number) else {
                throw X12Error(
                    code: "invalid_value",
                    message: "the control number source returned \(number) for a \(kind.rawValue); it must be within 1...999999999",
                    segmentPosition: position,
                    segmentID: id,
                    elementPosition: element
                )
            }
            return number
        }
        result.header.controlNumber = try await take(.interchange, "ISA", 13)
        for g in result.groups.indices {
            position += 1
            result.groups[g].controlNumber = try await take(.group, "GS", 6)
            for s in result.groups[g].transactionSets.indices {
                position += 1
                result.groups[g].transactionSets[s].controlNumber = ASCII.zeroPadded(try await take(.set, "ST", 2), width: 4)
                position += result.groups[g].transactionSets[s].segments.count + 1
            }
            position += 1
        }
        return result
    }
}

/// Builds the text segment by segment, knowing each segment's position for errors.
private struct Writer {
    let effective: X12Delimiters
    let newline: Bool
    var text = ""
    var position = 0

    init(delimiters: X12Delimiters, version: String, newline: Bool) {
        let hasRepetition = X12InterchangeHeader.hasRepetitionSeparator(version: version)
        self.effective = hasRepetition ? delimiters : delimiters.withoutRepetition
        self.newline = newline
    }

    mutating func write(_ interchange: X12Interchange) throws(X12Error) {
        try writeISA(interchange.header)
        for ta1 in interchange.acknowledgments {
            guard ta1.id == "TA1" else {
                throw error("unexpected_segment", "only TA1 segments stand between ISA and the first GS, not \(ta1.id)", ta1.id, element: nil)
            }
            try emit(ta1)
        }
        var groupNumbers: Set<Int> = []
        for group in interchange.groups {
            let gs = [
                group.functionalIdentifierCode, group.applicationSenderCode, group.applicationReceiverCode, group.date, group.time,
                String(group.controlNumber), group.responsibleAgencyCode, group.version,
            ]
            try emit("GS", gs, rules: EnvelopeRules.gs)
            if let problem = EnvelopeRules.checkGroupDate(group.date, version: group.version, delimiters: effective) {
                throw error(problem.code, problem.message, "GS", element: 4)
            }
            if !groupNumbers.insert(group.controlNumber).inserted {
                throw error("duplicate_control_number", "GS06 \(group.controlNumber) repeats a group control number", "GS", element: 6)
            }
            var setNumbers: Set<String> = []
            for set in group.transactionSets {
                let st = [set.id, set.controlNumber] + (set.implementationConventionReference.map { [$0] } ?? [])
                try emit("ST", st, rules: EnvelopeRules.st)
                if !setNumbers.insert(set.controlNumber).inserted {
                    throw error("duplicate_control_number", "ST02 \(set.controlNumber) repeats a set control number of its group", "ST", element: 2)
                }
                for segment in set.segments { try emit(segment) }
                try emit("SE", [String(set.segments.count + 2), set.controlNumber], rules: EnvelopeRules.se)
            }
            try emit("GE", [String(group.transactionSets.count), String(group.controlNumber)], rules: EnvelopeRules.ge)
        }
        try emit("IEA", [String(interchange.groups.count), ASCII.zeroPadded(interchange.header.controlNumber, width: 9)], rules: EnvelopeRules.iea)
    }

    private mutating func writeISA(_ h: X12InterchangeHeader) throws(X12Error) {
        position = 1
        let values: [(String, Bool)] = [
            (h.authorizationQualifier, false), (h.authorizationInformation, true), (h.securityQualifier, false),
            (h.securityInformation, true), (h.senderQualifier, false), (h.senderID, true), (h.receiverQualifier, false),
            (h.receiverID, true), (h.date, false), (h.time, false),
            (effective.repetition.map { String($0) } ?? "U", false), (h.version, false),
            (h.controlNumber >= 0 ? ASCII.zeroPadded(h.controlNumber, width: 9) : String(h.controlNumber), false),
            (h.acknowledgmentRequested ? "1" : "0", false), (h.usage.rawValue, false), (String(effective.component), false),
        ]
        var fields: [String] = []
        for (index, (value, padded)) in values.enumerated() {
            let number = index + 1
            let name = EnvelopeRules.elementName("ISA", number)
            let width = ISAHeaderReader.widths[index]
            if number != 11 && number != 16 {
                try checkDelimiters(value, name: name, id: "ISA", element: number)
                guard value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
                    throw error("invalid_value", "\(name) \(ASCII.quote(value)) must be printable ASCII characters", "ISA", element: number)
                }
            }
            if padded && value != ASCII.trimSpaces(value) {
                throw error(
                    "invalid_value",
                    "\(name) \(ASCII.quote(value)) has leading or trailing spaces, which the ISA padding would swallow",
                    "ISA",
                    element: number
                )
            }
            let length = value.utf8.count
            if length > width || (!padded && length != width) {
                throw error(
                    "isa_width",
                    "\(name) \(ASCII.quote(value)) is \(length) characters but the ISA fixes it at \(width)",
                    "ISA",
                    element: number
                )
            }
            fields.append(value + String(repeating: " ", count: width - length))
        }
        for problem in EnvelopeRules.check("ISA", fields, rules: EnvelopeRules.isa, delimiters: effective) {
            throw error(problem.code, problem.message, "ISA", element: problem.element)
        }
        if fields[5].utf8.allSatisfy({ $0 == 0x20 }) || fields[7].utf8.allSatisfy({ $0 == 0x20 }) {
            throw error(
                "missing_element",
                "ISA06 and ISA08 (sender and receiver IDs) are required",
                "ISA",
                element: fields[5].utf8.allSatisfy({ $0 == 0x20 }) ? 6 : 8
            )
        }
        // ISA11 and ISA16 are already in the fields.
        text += "ISA" + String(effective.element) + fields.joined(separator: String(effective.element))
        terminate()
    }

    /// Writes an envelope segment after checking its values.
    private mutating func emit(_ id: String, _ elements: [String], rules: [EnvelopeRules.Rule?]) throws(X12Error) {
        position += 1
        for (index, value) in elements.enumerated() {
            try checkDelimiters(value, name: EnvelopeRules.elementName(id, index + 1), id: id, element: index + 1)
        }
        if let problem = EnvelopeRules.check(id, elements, rules: rules, delimiters: effective).first {
            throw error(problem.code, problem.message, id, element: problem.element)
        }
        var trimmed = elements
        while trimmed.last?.isEmpty == true { trimmed.removeLast() }
        text += ([id] + trimmed).joined(separator: String(effective.element))
        terminate()
    }

    /// Writes a body segment, re-joining its elements with the effective delimiters.
    private mutating func emit(_ segment: X12Segment) throws(X12Error) {
        position += 1
        let id = segment.id
        guard X12Tokenizer.isValidID(id) else {
            throw error(
                "invalid_segment_id",
                "\(ASCII.quote(id)) is not a segment ID (2 or 3 upper-case letters and digits, starting with a letter)",
                ""
            )
        }
        guard !["ISA", "GS", "ST", "SE", "GE", "IEA"].contains(id) else {
            throw error("invalid_segment_id", "\(id) is an envelope segment; it cannot be part of a transaction set's body", id)
        }
        var written: [String] = []
        for (index, structure) in segment.structure.enumerated() {
            let name = EnvelopeRules.elementName(id, index + 1)
            if structure.count > 1 && effective.repetition == nil {
                throw error(
                    "invalid_value",
                    "\(name) has \(structure.count) repetitions but this version has no repetition separator (00402 or later needed)",
                    id,
                    element: index + 1
                )
            }
            for repetition in structure {
                for component in repetition { try checkDelimiters(component, name: name, id: id, element: index + 1) }
            }
            let component = String(effective.component)
            let repetition = effective.repetition.map { String($0) } ?? ""
            written.append(structure.map { $0.joined(separator: component) }.joined(separator: repetition))
        }
        text += ([id] + written).joined(separator: String(effective.element))
        terminate()
    }

    private mutating func terminate() {
        text.append(effective.segmentTerminator)
        if newline && effective.terminatorByte != 0x0A { text += "\n" }
    }

    private func checkDelimiters(_ value: String, name: String, id: String, element: Int) throws(X12Error) {
        for byte in value.utf8 {
            if let role = effective.role(of: byte) {
                throw error(
                    "delimiter_in_value",
                    "\(name) \(ASCII.quote(value)) contains the \(role) \(X12Delimiters.show(byte))",
                    id,
                    element: element
                )
            }
        }
    }

    private func error(_ code: String, _ message: String, _ id: String, element: Int? = nil) -> X12Error {
        X12Error(code: code, message: message, segmentPosition: position, segmentID: id, elementPosition: element, byteOffset: text.utf8.count)
    }
}

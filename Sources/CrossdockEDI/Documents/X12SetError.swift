/// One defect inside a transaction set, with where it is and the 997 codes that report it.
///
/// Positions follow the 997: ``setPosition`` counts from ST = 1 (AK302), ``elementPosition`` is 1-based (AK401).
/// ``interchangePosition`` is the segment's index in the interchange (ISA = 1), when the set was read from text.
/// Syntax errors carry an AK304 ``segmentCode`` and, for element errors, an AK403 ``elementCode``; mapping errors
/// (a valid document the hub cannot book) carry neither.
///
/// `description` reads like `segment 13 in set (15 in interchange) PO1, element 7 (DE 234): PO107 is required ...`.
public struct X12SetError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// AK304 segment syntax error codes.
    public enum SegmentCode: Int, Hashable, Sendable, Codable {
        /// 1: unrecognized segment ID.
        case unrecognized = 1
        /// 2: unexpected segment.
        case unexpected = 2
        /// 3: mandatory segment missing.
        case mandatoryMissing = 3
        /// 4: loop occurs over maximum times.
        case loopOverMaximum = 4
        /// 5: segment exceeds maximum use.
        case exceedsMaximumUse = 5
        /// 7: segment not in defined transaction set position.
        case notInDefinedPosition = 7
        /// 8: segment has data element errors.
        case hasElementErrors = 8
    }

    /// AK403 data element syntax error codes.
    public enum ElementCode: Int, Hashable, Sendable, Codable {
        /// 1: mandatory data element missing.
        case mandatoryMissing = 1
        /// 2: conditional required data element missing.
        case conditionalMissing = 2
        /// 3: too many data elements.
        case tooManyElements = 3
        /// 4: data element too short.
        case tooShort = 4
        /// 5: data element too long.
        case tooLong = 5
        /// 6: invalid character in data element.
        case invalidCharacter = 6
        /// 7: invalid code value.
        case invalidCode = 7
        /// 8: invalid date.
        case invalidDate = 8
        /// 9: invalid time.
        case invalidTime = 9
        /// 10: exclusion condition violated.
        case exclusionViolated = 10
    }

    /// A stable machine code, e.g. `element_too_long`, `syntax_note`, `line_count_mismatch`, `unknown_item`.
    public var code: String
    /// A sentence for people, without the position.
    public var message: String
    /// The segment's ID (`PO1`).
    public var segmentID: String
    /// The 1-based position of the segment in the set, ST = 1 (AK302).
    public var setPosition: Int
    /// The 1-based position of the segment in the interchange (ISA = 1), when read from text.
    public var interchangePosition: Int?
    /// The loop the segment is in (AK303), e.g. `PO1` or `N1`.
    public var loopID: String?
    /// The 1-based element position (AK401), or `nil` when the whole segment is at fault.
    public var elementPosition: Int?
    /// The data element reference number (AK402), e.g. 234.
    public var dataElement: Int?
    /// AK304, when this is a syntax error.
    public var segmentCode: SegmentCode?
    /// AK403, when this is an element syntax error.
    public var elementCode: ElementCode?
    /// A copy of the bad value (AK404), at most 99 characters.
    public var badValue: String?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the machine code.
    ///   - message: a sentence for people.
    ///   - segmentID: the segment ID.
    ///   - setPosition: the position in the set (ST = 1).
    ///   - interchangePosition: the position in the interchange, if known.
    ///   - loopID: the loop, if any.
    ///   - elementPosition: the element, if one is at fault.
    ///   - dataElement: its data element number.
    ///   - segmentCode: the AK304 code.
    ///   - elementCode: the AK403 code.
    ///   - badValue: the offending value.
    public init(
        code: String,
        message: String,
        segmentID: String,
        setPosition: Int,
        interchangePosition: Int? = nil,
        loopID: String? = nil,
        elementPosition: Int? = nil,
        dataElement: Int? = nil,
        segmentCode: SegmentCode? = nil,
        elementCode: ElementCode? = nil,
        badValue: String? = nil
    ) {
        self.code = code
        self.message = message
        self.segmentID = segmentID
        self.setPosition = setPosition
        self.interchangePosition = interchangePosition
        self.loopID = loopID
        self.elementPosition = elementPosition
        self.dataElement = dataElement
        self.segmentCode = segmentCode
        self.elementCode = elementCode
        self.badValue = badValue.map { String($0.prefix(99)) }
    }

    /// Whether this error is reported in a 997 (it has an AK304 code).
    public var isSyntaxError: Bool { segmentCode != nil }

    /// `segment 15 in set (27 in interchange) PO1, element 7 (DE 234): ...`.
    public var description: String {
        var text = "segment \(setPosition) in set"
        if let interchangePosition { text += " (\(interchangePosition) in interchange)" }
        if !segmentID.isEmpty { text += " \(segmentID)" }
        if let elementPosition {
            text += ", element \(elementPosition)"
            if let dataElement { text += " (DE \(dataElement))" }
        }
        return text + ": " + message
    }
}

/// Why a transaction set was not accepted: every error found, in segment order.
public struct X12SetRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// The errors, sorted by set position and element.
    public var errors: [X12SetError]

    /// Creates a rejection.
    /// - Parameter errors: at least one error.
    public init(_ errors: [X12SetError]) {
        self.errors = errors.sorted { ($0.setPosition, $0.elementPosition ?? 0) < ($1.setPosition, $1.elementPosition ?? 0) }
    }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

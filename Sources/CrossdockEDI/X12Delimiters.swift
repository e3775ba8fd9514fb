/// The four delimiters of an X12 interchange, declared by its ISA header.
///
/// The ISA is fixed width: 106 characters up to and including the segment terminator. Character 4 (offset 3) is the
/// element separator, ISA16 (offset 104) the component (sub-element) separator and offset 105 the segment terminator.
/// ISA11 is the repetition separator when ISA12 is `00402` or later and ISA11 is not `U`; earlier versions have none.
///
/// Every delimiter is one ASCII character that is not a letter, a digit or a space, and no character plays two roles.
public struct X12Delimiters: Hashable, Sendable {
    /// Separates the elements of a segment (`*`).
    public let element: Character
    /// Separates the components of a composite element (`>`, ISA16).
    public let component: Character
    /// Separates repetitions of a repeated element (`^`, ISA11), or `nil` when the version has none.
    public let repetition: Character?
    /// Ends each segment (`~`).
    public let segmentTerminator: Character

    let elementByte: UInt8
    let componentByte: UInt8
    let repetitionByte: UInt8?
    let terminatorByte: UInt8

    /// `*`, `>`, `^`, `~`: the delimiters the serializer writes by default.
    public static let standard = X12Delimiters(bytes: UInt8(ascii: "*"), UInt8(ascii: ">"), UInt8(ascii: "^"), UInt8(ascii: "~"))

    /// Checks and creates a delimiter set.
    /// - Parameters:
    ///   - element: the element separator.
    ///   - component: the component separator.
    ///   - repetition: the repetition separator, or `nil` for versions before 00402.
    ///   - segmentTerminator: the segment terminator.
    /// - Throws: `invalid_delimiter` when a delimiter is not one ASCII character, is a letter, digit or space, or is
    ///   used twice. The error points at segment 1 (ISA) and the ISA element that declares the delimiter.
    public init(element: Character, component: Character, repetition: Character?, segmentTerminator: Character) throws(X12Error) {
        let element = try Self.byte(element, role: "element separator", elementPosition: nil)
        let component = try Self.byte(component, role: "component separator (ISA16)", elementPosition: 16)
        let repetition = try repetition.map { (c) throws(X12Error) in
            try Self.byte(c, role: "repetition separator (ISA11)", elementPosition: 11)
        }
        let terminator = try Self.byte(segmentTerminator, role: "segment terminator", elementPosition: nil)
        try self.init(checking: element, component, repetition, terminator)
    }

    /// Reads the delimiters from the ISA header at the start of `text`.
    /// - Parameter text: an interchange, starting with `ISA`.
    /// - Throws: `missing_isa`, `byte_order_mark`, `isa_width` or `invalid_delimiter`.
    public static func read(from text: String) throws(X12Error) -> X12Delimiters {
        let bytes = Array(text.utf8)
        let (start, bom) = ISAHeaderReader.start(of: bytes)
        if let bom { throw bom }
        let header = try ISAHeaderReader.read(bytes, from: start)
        if let first = header.errors.first { throw first }
        return header.delimiters
    }

    /// Checks raw bytes and creates the set; the errors point at the ISA.
    init(checking element: UInt8, _ component: UInt8, _ repetition: UInt8?, _ terminator: UInt8) throws(X12Error) {
        let roles: [(UInt8?, String, Int?)] = [
            (element, "element separator", nil),
            (component, "component separator (ISA16)", 16),
            (repetition, "repetition separator (ISA11)", 11),
            (terminator, "segment terminator", nil),
        ]
        var seen: [UInt8: String] = [:]
        for (byte, role, position) in roles {
            guard let byte else { continue }
            try Self.check(byte, role: role, elementPosition: position)
            if let other = seen[byte] {
                throw Self.error(
                    "the \(role) \(Self.show(byte)) is also the \(other); each delimiter must be distinct",
                    elementPosition: position
                )
            }
            seen[byte] = role
        }
        self.init(bytes: element, component, repetition, terminator)
    }

    private init(bytes element: UInt8, _ component: UInt8, _ repetition: UInt8?, _ terminator: UInt8) {
        self.elementByte = element
        self.componentByte = component
        self.repetitionByte = repetition
        self.terminatorByte = terminator
        self.element = Character(Unicode.Scalar(element))
        self.component = Character(Unicode.Scalar(component))
        self.repetition = repetition.map { Character(Unicode.Scalar($0)) }
        self.segmentTerminator = Character(Unicode.Scalar(terminator))
    }

    /// The same delimiters without a repetition separator (for versions before 00402).
    var withoutRepetition: X12Delimiters {
        X12Delimiters(bytes: elementByte, componentByte, nil, terminatorByte)
    }

    /// Whether `byte` is one of the delimiters.
    func isDelimiter(_ byte: UInt8) -> Bool {
        byte == elementByte || byte == componentByte || byte == repetitionByte || byte == terminatorByte
    }

    /// Names the delimiter role that `byte` plays, if any.
    func role(of byte: UInt8) -> String? {
        switch byte {
        case elementByte: "element separator"
        case componentByte: "component separator"
        case repetitionByte: "repetition separator"
        case terminatorByte: "segment terminator"
        default: nil
        }
    }

    /// A printable rendering of a delimiter byte: `'*'`, or `U+000A` for control characters.
    static func show(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return ASCII.scalarName(Unicode.Scalar(byte))
    }

    private static func byte(_ character: Character, role: String, elementPosition: Int?) throws(X12Error) -> UInt8 {
        let utf8 = Array(character.utf8)
        guard utf8.count == 1, let byte = utf8.first else {
            throw error("the \(role) must be a single ASCII character", elementPosition: elementPosition)
        }
        return byte
    }

    private static func check(_ byte: UInt8, role: String, elementPosition: Int?) throws(X12Error) {
        if byte >= 0x80 {
            throw error("the \(role) \(show(byte)) is not an ASCII character", elementPosition: elementPosition)
        }
        if ASCII.isAlphanumeric(byte) {
            throw error("the \(role) \(show(byte)) is a letter or digit", elementPosition: elementPosition)
        }
        if byte == UInt8(ascii: " ") {
            throw error("the \(role) is a space, which pads ISA fields", elementPosition: elementPosition)
        }
    }

    private static func error(_ message: String, elementPosition: Int?) -> X12Error {
        X12Error(code: "invalid_delimiter", message: message, segmentPosition: 1, segmentID: "ISA", elementPosition: elementPosition)
    }
}

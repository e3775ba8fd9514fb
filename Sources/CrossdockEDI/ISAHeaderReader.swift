/// Reads the fixed-width ISA header: its 16 elements, the delimiters it declares and where the next segment starts.
///
/// When the ISA is not fixed width (a common defect in samples copied from PDFs), the elements are read by splitting on
/// the element separator instead, every element of the wrong width is reported as `isa_width`, and ISA16 and the
/// terminator are taken from the two bytes after the 16th separator, so validation can go on and report the rest.
enum ISAHeaderReader {
    /// The fixed widths of ISA01...ISA16.
    static let widths = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1]
    /// Bytes from `I` up to and including the segment terminator.
    static let length = 106

    /// What was read.
    struct Header {
        /// ISA01...ISA16, untrimmed.
        var elements: [String]
        /// The delimiters the header declares.
        var delimiters: X12Delimiters
        /// The offset of `I`.
        var start: Int
        /// The offset just after the segment terminator.
        var end: Int
        /// Width errors that do not stop reading.
        var errors: [X12Error]
    }

    /// Where the ISA should start: after a UTF-8 byte order mark, if any, which is reported.
    static func start(of bytes: [UInt8]) -> (offset: Int, error: X12Error?) {
        guard bytes.starts(with: [0xEF, 0xBB, 0xBF]) else { return (0, nil) }
        let error = X12Error(
            code: "byte_order_mark",
            message: "the text starts with a UTF-8 byte order mark; an interchange must start with ISA",
            segmentPosition: 1,
            segmentID: "ISA",
            byteOffset: 0
        )
        return (3, error)
    }

    /// Reads the header at `start`.
    /// - Throws: `missing_isa`, `isa_width` when the delimiters cannot be found, or `invalid_delimiter`.
    static func read(_ bytes: [UInt8], from start: Int) throws(X12Error) -> Header {
        func fatal(_ code: String, _ message: String, _ element: Int? = nil) -> X12Error {
            X12Error(code: code, message: message, segmentPosition: 1, segmentID: "ISA", elementPosition: element, byteOffset: start)
        }
        let available = bytes.count - start
        guard available >= 3, bytes[start] == UInt8(ascii: "I"), bytes[start + 1] == UInt8(ascii: "S"),
            bytes[start + 2] == UInt8(ascii: "A")
        else {
            let found = String(decoding: bytes[start..<min(bytes.count, start + 3)], as: UTF8.self)
            var error = fatal(
                "missing_isa",
                found.isEmpty
                    ? "the text is empty; an interchange starts with ISA" : "an interchange must start with ISA, found \(ASCII.quote(found))"
            )
            error.segmentID = ""
            throw error
        }
        guard available > 3 else { throw fatal("isa_width", "the ISA ends after its segment ID") }
        let separator = bytes[start + 3]
        var elements: [String] = []
        var errors: [X12Error] = []
        var component: UInt8
        var terminator: UInt8
        var end: Int
        if let fixed = fixedLayout(bytes, from: start, separator: separator) {
            elements = fixed
            component = bytes[start + 104]
            terminator = bytes[start + 105]
            end = start + length
        } else {
            // Split on the separator: the 16th separator is followed by ISA16 and the segment terminator.
            var separators: [Int] = []
            var index = start + 3
            while index < bytes.count && separators.count < 16 {
                if bytes[index] == separator { separators.append(index) }
                index += 1
            }
            guard separators.count == 16, let last = separators.last, last + 2 < bytes.count else {
                throw fatal(
                    "isa_width",
                    "the ISA is truncated: it must be \(length) characters with 16 elements separated by \(X12Delimiters.show(separator))"
                )
            }
            for (number, offset) in separators.enumerated() {
                let to = number + 1 < separators.count ? separators[number + 1] : offset + 2
                elements.append(String(decoding: bytes[(offset + 1)..<to], as: UTF8.self))
            }
            component = bytes[last + 1]
            terminator = bytes[last + 2]
            end = last + 3
            for (number, element) in elements.enumerated() {
                let width = element.unicodeScalars.count
                if width != widths[number] {
                    errors.append(
                        fatal(
                            "isa_width",
                            "ISA\(twoDigits(number + 1)) is \(width) character\(width == 1 ? "" : "s") wide but the standard fixes it at \(widths[number])",
                            number + 1
                        )
                    )
                }
            }
        }
        let repetition = repetitionByte(isa11: elements[10], isa12: elements[11])
        var delimiters: X12Delimiters
        do {
            delimiters = try X12Delimiters(checking: separator, component, repetition, terminator)
        } catch {
            var located = error
            located.byteOffset = start
            throw located
        }
        return Header(elements: elements, delimiters: delimiters, start: start, end: end, errors: errors)
    }

    /// ISA11 is a repetition separator from version 00402 on, unless it is `U`.
    static func repetitionByte(isa11: String, isa12: String) -> UInt8? {
        guard ASCII.isNumeric(isa12), isa12.utf8.count == 5, isa12 >= "00402", isa11 != "U" else { return nil }
        let utf8 = Array(isa11.utf8)
        guard utf8.count == 1 else { return nil }
        return utf8[0]
    }

    /// `07` for 7: ISA and GS element names are written with two digits.
    static func twoDigits(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }

    /// The 16 elements when every separator sits where the fixed layout puts it and no element holds one.
    private static func fixedLayout(_ bytes: [UInt8], from start: Int, separator: UInt8) -> [String]? {
        guard bytes.count - start >= length else { return nil }
        var elements: [String] = []
        var offset = start + 3
        for width in widths {
            guard bytes[offset] == separator else { return nil }
            let field = bytes[(offset + 1)...(offset + width)]
            guard !field.contains(separator) else { return nil }
            elements.append(String(decoding: field, as: UTF8.self))
            offset += width + 1
        }
        return elements
    }
}

/// Splits an X12 interchange into segments.
///
/// Segments end with the segment terminator. Whitespace after a terminator (CR, LF, CRLF, spaces, tabs, unless one of
/// them is a delimiter) is skipped, and so is trailing whitespace at the end of the text. Empty elements are kept. A
/// final segment without a terminator is an `unterminated` error; a segment ID that is not 2 or 3 upper-case letters
/// and digits starting with a letter is `invalid_segment_id`. The tokenizer works on UTF-8 bytes, is linear in the
/// input and never traps on any input.
public struct X12Tokenizer: Sendable {
    /// The delimiters segments are split with.
    public var delimiters: X12Delimiters

    /// Creates a tokenizer for known delimiters.
    /// - Parameter delimiters: the interchange's delimiters.
    public init(delimiters: X12Delimiters) {
        self.delimiters = delimiters
    }

    /// Reads the delimiters from the ISA at the start of `text` and splits the whole interchange into segments.
    ///
    /// The ISA is read by its fixed layout, so its elements may not contain the element separator.
    /// - Parameter text: an interchange starting with `ISA`.
    /// - Throws: the first error: `missing_isa`, `byte_order_mark`, `isa_width`, `invalid_delimiter`,
    ///   `invalid_segment_id` or `unterminated`.
    public static func tokenize(_ text: String) throws(X12Error) -> [X12Segment] {
        let bytes = Array(text.utf8)
        let (start, bom) = ISAHeaderReader.start(of: bytes)
        if let bom { throw bom }
        let header = try ISAHeaderReader.read(bytes, from: start)
        if let first = header.errors.first { throw first }
        let tokenizer = X12Tokenizer(delimiters: header.delimiters)
        let isa = X12Segment("ISA", header.elements, delimiters: header.delimiters, position: X12Position(segment: 1, byteOffset: start))
        let rest = tokenizer.scan(bytes, from: header.end, firstSegment: 2)
        if let first = rest.errors.first { throw first }
        return [isa] + rest.segments
    }

    /// Splits `text` into segments with this tokenizer's delimiters, from its first byte.
    /// - Parameter text: segments, e.g. `ST*850*0001~BEG*00*SA*PO1~`.
    /// - Throws: the first `invalid_segment_id` or `unterminated` error.
    public func tokenize(_ text: String) throws(X12Error) -> [X12Segment] {
        let result = scan(Array(text.utf8), from: 0, firstSegment: 1)
        if let first = result.errors.first { throw first }
        return result.segments
    }

    /// Splits `bytes` from `offset` into segments numbered from `firstSegment`, collecting errors instead of stopping.
    /// An unterminated last segment is still returned, after its error.
    func scan(_ bytes: [UInt8], from offset: Int, firstSegment: Int) -> (segments: [X12Segment], errors: [X12Error]) {
        let terminator = delimiters.terminatorByte
        let separator = delimiters.elementByte
        var segments: [X12Segment] = []
        var errors: [X12Error] = []
        var index = max(0, offset)
        while index < bytes.count {
            if ASCII.isWhitespace(bytes[index]) && !isSeparator(bytes[index]) {
                index += 1
                continue
            }
            let start = index
            var end = start
            while end < bytes.count && bytes[end] != terminator { end += 1 }
            var content = bytes[start..<end]
            let position = X12Position(segment: firstSegment + segments.count, byteOffset: start)
            let terminated = end < bytes.count
            if !terminated {
                // Trailing whitespace at the very end is not a segment.
                while let last = content.last, ASCII.isWhitespace(last), !isSeparator(last) { content.removeLast() }
            }
            let pieces = content.split(separator: separator, omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            let id = pieces.first ?? ""
            let segment = X12Segment(id, Array(pieces.dropFirst()), delimiters: delimiters, position: position)
            if !Self.isValidID(id) {
                errors.append(
                    X12Error(
                        code: "invalid_segment_id",
                        message: id.isEmpty
                            ? "empty segment ID: a segment must start with its ID"
                            : "\(ASCII.quote(id)) is not a segment ID (2 or 3 upper-case letters and digits, starting with a letter)",
                        segmentPosition: position.segment,
                        segmentID: Self.isValidID(id) ? id : "",
                        byteOffset: start
                    )
                )
            }
            if !terminated {
                errors.append(
                    X12Error(
                        code: "unterminated",
                        message: "the last segment has no segment terminator \(X12Delimiters.show(terminator))",
                        segmentPosition: position.segment,
                        segmentID: Self.isValidID(id) ? id : "",
                        byteOffset: start
                    )
                )
            }
            segments.append(segment)
            index = end + 1
        }
        return (segments, errors)
    }

    /// Whether `id` is a well-formed segment ID: 2 or 3 upper-case letters and digits, the first a letter.
    static func isValidID(_ id: String) -> Bool {
        let utf8 = Array(id.utf8)
        guard (2...3).contains(utf8.count), let first = utf8.first, ASCII.isUpper(first) else { return false }
        return utf8.allSatisfy { ASCII.isUpper($0) || ASCII.isDigit($0) }
    }

    private func isSeparator(_ byte: UInt8) -> Bool {
        byte == delimiters.elementByte || byte == delimiters.componentByte || byte == delimiters.repetitionByte
    }
}

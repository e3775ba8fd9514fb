/// Why an X12 interchange cannot be read or written, and where.
///
/// Every error names the segment (1-based index in the interchange, ISA is segment 1, and its segment ID), the element
/// (1-based, `nil` when the whole segment is at fault) and the byte offset of the segment in the UTF-8 text, so
/// `description` reads like `segment 14 (SE), element 1: SE01 is 12 but the set has 13 segments`.
///
/// Codes:
/// - `missing_isa`: the text does not start with `ISA` (or is empty).
/// - `byte_order_mark`: the text starts with a UTF-8 byte order mark before `ISA`.
/// - `isa_width`: the ISA is truncated, has the wrong number of elements, or an element is not the standard's fixed width.
/// - `invalid_delimiter`: a delimiter is alphanumeric, a space, not ASCII, or used for two roles.
/// - `unterminated`: the last segment has no segment terminator.
/// - `invalid_segment_id`: a segment ID is not 2 or 3 upper-case letters and digits starting with a letter (or is empty).
/// - `element_count`: an envelope segment has too few or too many elements.
/// - `missing_element`: a required envelope element is empty.
/// - `invalid_value`: an envelope element has the wrong format (not numeric, bad length, unknown code, holds a
///   separator), or a value given to the serializer cannot be written.
/// - `unexpected_segment`: a segment where the envelope does not allow it (outside ST/SE, after IEA, GE without GS...).
/// - `missing_trailer`: an ST without SE, a GS without GE, or an ISA without IEA.
/// - `segment_count_mismatch`: SE01 is not the number of segments from ST to SE inclusive.
/// - `set_count_mismatch`: GE01 is not the number of transaction sets in the group.
/// - `group_count_mismatch`: IEA01 is not the number of functional groups in the interchange.
/// - `control_number_mismatch`: SE02 ≠ ST02, GE02 ≠ GS06 or IEA02 ≠ ISA13.
/// - `duplicate_control_number`: a group control number repeats within the interchange, or a set control number within
///   its group.
/// - `delimiter_in_value`: the serializer was given a value that contains one of the delimiters.
public struct X12Error: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable machine code, e.g. `control_number_mismatch`.
    public var code: String
    /// A sentence for people, without the position.
    public var message: String
    /// The 1-based index of the segment in the interchange (ISA is 1).
    public var segmentPosition: Int
    /// The segment's ID as read (`SE`), or empty when there is none.
    public var segmentID: String
    /// The 1-based element position within the segment, or `nil` when the whole segment is at fault.
    public var elementPosition: Int?
    /// The byte offset of the segment's first byte in the UTF-8 text (0-based).
    public var byteOffset: Int

    /// Creates an error.
    /// - Parameters:
    ///   - code: the stable machine code.
    ///   - message: a sentence for people.
    ///   - segmentPosition: the 1-based segment index.
    ///   - segmentID: the segment's ID.
    ///   - elementPosition: the 1-based element position, if one element is at fault.
    ///   - byteOffset: the byte offset of the segment in the UTF-8 text.
    public init(
        code: String,
        message: String,
        segmentPosition: Int,
        segmentID: String,
        elementPosition: Int? = nil,
        byteOffset: Int = 0
    ) {
        self.code = code
        self.message = message
        self.segmentPosition = segmentPosition
        self.segmentID = segmentID
        self.elementPosition = elementPosition
        self.byteOffset = byteOffset
    }

    /// `segment 14 (SE), element 1: SE01 is 12 but the set has 13 segments`.
    public var description: String {
        var text = "segment \(segmentPosition)"
        if !segmentID.isEmpty { text += " (\(segmentID))" }
        if let elementPosition { text += ", element \(elementPosition)" }
        return text + ": " + message
    }
}

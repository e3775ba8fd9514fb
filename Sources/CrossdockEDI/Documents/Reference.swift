/// A qualified reference number: REF (850, 855, 856, 810) or N9 (945, 940), e.g. `DP` department, `IA` vendor number,
/// `VR` vendor ID, `BM` bill of lading, `CN` carrier tracking (PRO), `CO` customer order, `LI` line number.
///
/// JSON: `{"qualifier": "BM", "value": "BOL-55"}`, plus `"description"` (REF03 / N903) when present; `value` is omitted
/// when REF02 / N902 is absent.
public struct Reference: Hashable, Sendable, Codable {
    /// REF01 / N901, the qualifier.
    public var qualifier: String
    /// REF02 / N902, the reference.
    public var value: String?
    /// REF03 / N903, a free-form description.
    public var description: String?

    /// Creates a reference.
    /// - Parameters:
    ///   - qualifier: the reference qualifier.
    ///   - value: the reference number.
    ///   - description: free-form text.
    public init(qualifier: String, value: String?, description: String? = nil) {
        self.qualifier = qualifier
        self.value = value
        self.description = description
    }

    /// Reads a REF or an N9 (the same three elements).
    init(_ segment: X12Segment) {
        self.init(qualifier: segment.value(1) ?? "", value: segment.value(2), description: segment.value(3))
    }

    /// The reference as a REF.
    var segment: X12Segment { X12Segment("REF", optionals: [qualifier, value, description]) }

    /// The reference as an N9.
    var n9: X12Segment { X12Segment("N9", optionals: [qualifier, value, description]) }

    static let spec = SegmentSpec(
        "REF",
        [.m(128, .identifier, 2, 3), .o(127, .string, 1, 30), .o(352, .string, 1, 80), .o(0, .composite, 1, 1)],
        rules: [.required(anyOf: [2, 3])]
    )
}

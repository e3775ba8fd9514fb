/// A REF segment: a qualified reference number, e.g. `DP` department, `IA` vendor number, `VR` vendor ID, `BM` bill of
/// lading.
public struct Reference: Hashable, Sendable, Codable {
    /// REF01, the qualifier.
    public var qualifier: String
    /// REF02, the reference.
    public var value: String?
    /// REF03, a description.
    public var description: String?

    /// Creates a reference.
    public init(qualifier: String, value: String?, description: String? = nil) {
        self.qualifier = qualifier
        self.value = value
        self.description = description
    }

    init(_ segment: X12Segment) {
        self.init(qualifier: segment.value(1) ?? "", value: segment.value(2), description: segment.value(3))
    }

    var segment: X12Segment { X12Segment("REF", optionals: [qualifier, value, description]) }

    static let spec = SegmentSpec(
        "REF",
        [.m(128, .identifier, 2, 3), .o(127, .string, 1, 30), .o(352, .string, 1, 80), .o(0, .composite, 1, 1)],
        rules: [.required(anyOf: [2, 3])]
    )
}

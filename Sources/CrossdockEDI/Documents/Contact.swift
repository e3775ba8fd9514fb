/// A PER segment: a contact and up to three communication numbers.
public struct Contact: Hashable, Sendable, Codable {
    /// One communication number.
    public struct Number: Hashable, Sendable, Codable {
        /// The qualifier: `TE` telephone, `EM` e-mail, `FX` fax...
        public var qualifier: String
        /// The number or address.
        public var value: String

        /// Creates a number.
        public init(qualifier: String, value: String) {
            self.qualifier = qualifier
            self.value = value
        }
    }

    /// PER01, the contact function code, e.g. `BD` buyer, `IC` information contact.
    public var function: String
    /// PER02, the name.
    public var name: String?
    /// PER03/04, PER05/06, PER07/08.
    public var numbers: [Number]

    /// Creates a contact.
    public init(function: String, name: String? = nil, numbers: [Number] = []) {
        self.function = function
        self.name = name
        self.numbers = numbers
    }

    init(_ segment: X12Segment) {
        function = segment.value(1) ?? ""
        name = segment.value(2)
        numbers = [3, 5, 7].compactMap { n in
            segment.value(n).map { Number(qualifier: $0, value: segment.value(n + 1) ?? "") }
        }
    }

    var segment: X12Segment {
        X12Segment("PER", optionals: [function, name] + numbers.prefix(3).flatMap { [$0.qualifier, $0.value] })
    }

    static let spec = SegmentSpec(
        "PER",
        [
            .m(366, .identifier, 2, 2), .o(93, .string, 1, 60), .o(365, .identifier, 2, 2), .o(364, .string, 1, 80),
            .o(365, .identifier, 2, 2), .o(364, .string, 1, 80), .o(365, .identifier, 2, 2), .o(364, .string, 1, 80), .o(443, .string, 1, 20),
        ],
        rules: [.paired([3, 4]), .paired([5, 6]), .paired([7, 8])]
    )
}

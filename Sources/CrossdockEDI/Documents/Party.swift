/// An N1 loop: a party (ship-to, bill-to, buyer, ship-from...) with its names, address and contacts.
public struct Party: Hashable, Sendable, Codable {
    /// N101, the entity identifier code: `ST` ship-to, `BT` bill-to, `BY` buyer, `SF` ship-from, `VN` vendor...
    public var role: String
    /// N102, the name.
    public var name: String?
    /// N103, the identification code qualifier, e.g. `92` (assigned by buyer), `9` (DUNS+4), `UL` (GLN).
    public var idQualifier: String?
    /// N104, the identification code: for `ST` the ship-to location code.
    public var id: String?
    /// N2 names, in order.
    public var additionalNames: [String]
    /// N3 address lines, in order (each N3 holds one or two).
    public var addressLines: [String]
    /// N401, city.
    public var city: String?
    /// N402, state or province code.
    public var state: String?
    /// N403, postal code.
    public var postalCode: String?
    /// N404, country code.
    public var country: String?
    /// REF segments in the loop.
    public var references: [Reference]
    /// PER segments in the loop.
    public var contacts: [Contact]

    /// Creates a party.
    public init(
        role: String,
        name: String? = nil,
        idQualifier: String? = nil,
        id: String? = nil,
        additionalNames: [String] = [],
        addressLines: [String] = [],
        city: String? = nil,
        state: String? = nil,
        postalCode: String? = nil,
        country: String? = nil,
        references: [Reference] = [],
        contacts: [Contact] = []
    ) {
        self.role = role
        self.name = name
        self.idQualifier = idQualifier
        self.id = id
        self.additionalNames = additionalNames
        self.addressLines = addressLines
        self.city = city
        self.state = state
        self.postalCode = postalCode
        self.country = country
        self.references = references
        self.contacts = contacts
    }

    /// Reads an N1.
    init(n1: X12Segment) {
        self.init(role: n1.value(1) ?? "", name: n1.value(2), idQualifier: n1.value(3), id: n1.value(4))
    }

    /// Takes an N2, N3, N4, REF or PER that follows the N1; `false` for any other segment.
    mutating func absorb(_ segment: X12Segment) -> Bool {
        switch segment.id {
        case "N2": additionalNames += [segment.value(1), segment.value(2)].compactMap { $0 }
        case "N3": addressLines += [segment.value(1), segment.value(2)].compactMap { $0 }
        case "N4":
            city = segment.value(1)
            state = segment.value(2)
            postalCode = segment.value(3)
            country = segment.value(4)
        case "REF": references.append(Reference(segment))
        case "PER": contacts.append(Contact(segment))
        default: return false
        }
        return true
    }

    /// The loop's segments: N1, N2 (two names each), N3 (two lines each), N4, REF, PER.
    func segments() -> [X12Segment] {
        var result = [X12Segment("N1", optionals: [role, name, idQualifier, id])]
        for pair in stride(from: 0, to: additionalNames.count, by: 2) {
            result.append(X12Segment("N2", optionals: Array(additionalNames[pair..<min(pair + 2, additionalNames.count)])))
        }
        for pair in stride(from: 0, to: addressLines.count, by: 2) {
            result.append(X12Segment("N3", optionals: Array(addressLines[pair..<min(pair + 2, addressLines.count)])))
        }
        if city != nil || state != nil || postalCode != nil || country != nil {
            result.append(X12Segment("N4", optionals: [city, state, postalCode, country]))
        }
        result += references.map(\.segment)
        result += contacts.map(\.segment)
        return result
    }

    /// N1, N2, N3, N4 entries, shared by the sets.
    static let specs: [SegmentSpec] = [
        SegmentSpec(
            "N1",
            [
                .m(98, .identifier, 2, 3), .o(93, .string, 1, 60), .o(66, .identifier, 1, 2), .o(67, .string, 2, 80), .o(706, .identifier, 2, 2),
                .o(98, .identifier, 2, 3),
            ],
            rules: [.required(anyOf: [2, 3]), .paired([3, 4])]
        ),
        SegmentSpec("N2", [.m(93, .string, 1, 60), .o(93, .string, 1, 60)]),
        SegmentSpec("N3", [.m(166, .string, 1, 55), .o(166, .string, 1, 55)]),
        SegmentSpec(
            "N4",
            [
                .o(19, .string, 2, 30), .o(156, .identifier, 2, 2), .o(116, .identifier, 3, 15), .o(26, .identifier, 2, 3),
                .o(309, .identifier, 1, 2), .o(310, .string, 1, 30),
            ],
            rules: [.conditional(6, then: [5])]
        ),
    ]
}

import CrossdockDomain

/// An N1 loop: a party (ship-to, bill-to, buyer, ship-from, remit-to...) with its names, address and, in the inbound
/// documents, its references and contacts. Every transaction set uses it (850, 855, 945, 856, 810, 940).
///
/// JSON: `{"role": "ST", "name": "ACME STORE 42", "idQualifier": "92", "id": "0042", "additionalNames": [],
/// "addressLines": ["17 HARBOR ROAD"], "city": "PORTLAND", "state": "ME", "postalCode": "04101", "country": "US",
/// "references": [], "contacts": []}`; absent optional values are omitted, empty lists are written.
public struct Party: Hashable, Sendable, Codable {
    /// N101, the entity identifier code: `ST` ship-to, `BT` bill-to, `BY` buyer, `SF` ship-from, `RE` remit-to,
    /// `VN` vendor...
    public var role: String
    /// N102, the name.
    public var name: String?
    /// N103, the identification code qualifier, e.g. `92` (assigned by buyer), `91` (assigned by seller), `9` (DUNS+4),
    /// `UL` (GLN).
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
    /// REF segments in the loop (read by the inbound documents; the outbound ones read N1 to N4 only).
    public var references: [Reference]
    /// PER segments in the loop (read by the inbound documents).
    public var contacts: [Contact]

    /// Creates a party.
    /// - Parameters:
    ///   - role: N101.
    ///   - name: N102.
    ///   - idQualifier: N103.
    ///   - id: N104.
    ///   - additionalNames: N2 names.
    ///   - addressLines: N3 lines.
    ///   - city: N401.
    ///   - state: N402.
    ///   - postalCode: N403.
    ///   - country: N404.
    ///   - references: REF segments.
    ///   - contacts: PER segments.
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

    /// A party from a canonical address: the region `US-CA` is written as state `CA` and the country from the address.
    /// - Parameters:
    ///   - role: N101.
    ///   - address: the address; its name becomes N102.
    ///   - idQualifier: N103, `92` when an id is given.
    ///   - id: N104, e.g. the ship-to location code.
    public init(role: String, address: Address, idQualifier: String? = nil, id: String? = nil) {
        let region = address.region
        let state = region.hasPrefix(address.country + "-") ? String(region.dropFirst(address.country.count + 1)) : region
        self.init(
            role: role,
            name: address.name,
            idQualifier: id == nil ? nil : (idQualifier ?? "92"),
            id: id,
            addressLines: address.lines,
            city: address.city,
            state: state.isEmpty ? nil : state,
            postalCode: address.postalCode.isEmpty ? nil : address.postalCode,
            country: address.country.isEmpty ? nil : address.country
        )
    }

    /// The canonical address: the region is `country-state` (`US-CA`), or the state alone without a country.
    public var address: Address {
        let region = [country, state].compactMap { $0 }.joined(separator: "-")
        return Address(
            name: name ?? "",
            lines: addressLines,
            city: city ?? "",
            region: region,
            postalCode: postalCode ?? "",
            country: country ?? ""
        )
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
    var segments: [X12Segment] {
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

import CrossdockDomain

/// A party of an N1 loop (N1, N2, N3, N4): ship-to, ship-from, bill-to, remit-to...
///
/// JSON: `{"entity": "ST", "name": "ACME STORE 42", "idQualifier": "92", "id": "0042", "extraNames": [],
/// "addressLines": ["17 HARBOR ROAD"], "city": "PORTLAND", "state": "ME", "postalCode": "04101", "country": "US"}`;
/// absent values are omitted.
public struct X12Party: Hashable, Sendable, Codable {
    /// N101 entity identifier code: `ST` ship-to, `SF` ship-from, `BT` bill-to, `RE` remit-to, `BY` buyer...
    public var entity: String
    /// N102 name.
    public var name: String?
    /// N103 identification code qualifier, e.g. `92` (assigned by buyer) or `91` (assigned by seller).
    public var idQualifier: String?
    /// N104 identification code.
    public var id: String?
    /// N201/N202 additional names.
    public var extraNames: [String]
    /// N301/N302 address lines.
    public var addressLines: [String]
    /// N401 city.
    public var city: String?
    /// N402 state or province code.
    public var state: String?
    /// N403 postal code.
    public var postalCode: String?
    /// N404 country code.
    public var country: String?

    /// Creates a party.
    /// - Parameters:
    ///   - entity: N101.
    ///   - name: N102.
    ///   - idQualifier: N103.
    ///   - id: N104.
    ///   - extraNames: N2 names.
    ///   - addressLines: N3 lines.
    ///   - city: N401.
    ///   - state: N402.
    ///   - postalCode: N403.
    ///   - country: N404.
    public init(
        entity: String,
        name: String? = nil,
        idQualifier: String? = nil,
        id: String? = nil,
        extraNames: [String] = [],
        addressLines: [String] = [],
        city: String? = nil,
        state: String? = nil,
        postalCode: String? = nil,
        country: String? = nil
    ) {
        self.entity = entity
        self.name = name
        self.idQualifier = idQualifier
        self.id = id
        self.extraNames = extraNames
        self.addressLines = addressLines
        self.city = city
        self.state = state
        self.postalCode = postalCode
        self.country = country
    }

    /// A party from a canonical address: the region `US-CA` is written as state `CA` and the country from the address.
    /// - Parameters:
    ///   - entity: N101.
    ///   - address: the address; its name becomes N102.
    ///   - idQualifier: N103, `92` when an id is given.
    ///   - id: N104, e.g. the ship-to location code.
    public init(entity: String, address: Address, idQualifier: String? = nil, id: String? = nil) {
        let region = address.region
        let state = region.hasPrefix(address.country + "-") ? String(region.dropFirst(address.country.count + 1)) : region
        self.init(
            entity: entity,
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

    /// The N1, N2, N3 and N4 segments.
    var segments: [X12Segment] {
        var result = [X12Segment("N1", [entity, name ?? "", idQualifier ?? "", id ?? ""])]
        for pair in stride(from: 0, to: extraNames.count, by: 2) {
            result.append(X12Segment("N2", Array(extraNames[pair..<min(pair + 2, extraNames.count)])))
        }
        for pair in stride(from: 0, to: addressLines.count, by: 2) {
            result.append(X12Segment("N3", Array(addressLines[pair..<min(pair + 2, addressLines.count)])))
        }
        if city != nil || state != nil || postalCode != nil || country != nil {
            result.append(X12Segment("N4", [city ?? "", state ?? "", postalCode ?? "", country ?? ""]))
        }
        return result
    }

    /// Starts a party from an N1 segment.
    init(n1: X12Segment) {
        self.init(entity: n1.value(1) ?? "", name: n1.value(2), idQualifier: n1.value(3), id: n1.value(4))
    }

    /// Adds an N2, N3 or N4 segment to the party; returns `false` for any other segment.
    mutating func absorb(_ segment: X12Segment) -> Bool {
        switch segment.id {
        case "N2": extraNames += [segment.value(1), segment.value(2)].compactMap { $0 }
        case "N3": addressLines += [segment.value(1), segment.value(2)].compactMap { $0 }
        case "N4":
            city = segment.value(1)
            state = segment.value(2)
            postalCode = segment.value(3)
            country = segment.value(4)
        default: return false
        }
        return true
    }
}

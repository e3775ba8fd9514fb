/// A reference number: REF (856, 810) or N9 (940). JSON: `{"qualifier": "BM", "value": "BOL-55"}`, plus
/// `"description"` (REF03 / N903) when present.
public struct X12Reference: Hashable, Sendable, Codable {
    /// REF01 / N901 qualifier, e.g. `BM` bill of lading, `CN` carrier tracking (PRO), `CO` customer order.
    public var qualifier: String
    /// REF02 / N902.
    public var value: String
    /// REF03 / N903 free-form description.
    public var description: String?

    /// Creates a reference.
    /// - Parameters:
    ///   - qualifier: the reference qualifier.
    ///   - value: the reference number.
    ///   - description: free-form text.
    public init(_ qualifier: String, _ value: String, description: String? = nil) {
        self.qualifier = qualifier
        self.value = value
        self.description = description
    }

    /// The segment `id` (`REF` or `N9`) for this reference.
    func segment(_ id: String) -> X12Segment { X12Segment(id, [qualifier, value, description ?? ""]) }

    /// Reads a REF or N9 segment.
    init(_ segment: X12Segment) {
        self.init(segment.value(1) ?? "", segment.value(2) ?? "", description: segment.value(3))
    }
}

/// An item identifier pair (LIN, IT1, W01): JSON `{"qualifier": "VP", "value": "WID-100"}`.
public struct X12ItemID: Hashable, Sendable, Codable {
    /// Product/service ID qualifier: `VP`/`VN` our SKU, `BP` buyer part, `UP` UPC-12, `EN` EAN-13, `UK` GTIN-14...
    public var qualifier: String
    /// The identifier.
    public var value: String

    /// Creates an identifier.
    /// - Parameters:
    ///   - qualifier: the qualifier.
    ///   - value: the identifier.
    public init(_ qualifier: String, _ value: String) {
        self.qualifier = qualifier
        self.value = value
    }

    /// The GTIN as an X12 item identifier: 12 digits `UP`, 13 `EN`, 14 `UK`; an 8-digit GTIN is padded to 14 (`UK`);
    /// `nil` for anything else.
    /// - Parameter gtin: the product's GTIN.
    public static func gtin(_ gtin: String) -> X12ItemID? {
        guard ASCII.isNumeric(gtin) else { return nil }
        switch gtin.utf8.count {
        case 12: return X12ItemID("UP", gtin)
        case 13: return X12ItemID("EN", gtin)
        case 14: return X12ItemID("UK", gtin)
        case 8: return X12ItemID("UK", "000000" + gtin)
        default: return nil
        }
    }

    /// Pairs from `segment` starting at element `start` up to element `end` (qualifier, value, qualifier, value...),
    /// skipping empty pairs.
    static func pairs(in segment: X12Segment, from start: Int, through end: Int = .max) -> [X12ItemID] {
        var result: [X12ItemID] = []
        var index = start
        while index < segment.elements.count && index < end {
            if let qualifier = segment.value(index), let value = segment.value(index + 1) { result.append(X12ItemID(qualifier, value)) }
            index += 2
        }
        return result
    }

    /// Flattens identifiers to elements.
    static func elements(_ ids: [X12ItemID]) -> [String] { ids.flatMap { [$0.qualifier, $0.value] } }
}

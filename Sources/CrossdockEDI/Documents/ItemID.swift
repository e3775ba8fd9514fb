/// A product/service ID with its qualifier, as in PO106/PO107...PO124/PO125, ACK07..., W12, LIN, IT1 and W01.
///
/// Qualifiers the hub understands: `VP`/`VN`/`VA` vendor's part or item number (our SKU), `BP`/`IN`/`CB` buyer's part,
/// item or catalog number, `UP` UPC, `UK` GTIN-14, `EN` EAN-13, `UA` UPC case code, `UI` U.P.C. consumer package.
///
/// JSON: `{"qualifier": "VP", "id": "WID-100"}`.
public struct ItemID: Hashable, Sendable, Codable {
    /// The qualifier (DE 235).
    public var qualifier: String
    /// The ID (DE 234).
    public var id: String

    /// Creates an ID.
    /// - Parameters:
    ///   - qualifier: the qualifier.
    ///   - id: the identifier.
    public init(_ qualifier: String, _ id: String) {
        self.qualifier = qualifier
        self.id = id
    }

    /// The GTIN as an item ID: 12 digits `UP`, 13 `EN`, 14 `UK`; an 8-digit GTIN is padded to 14 (`UK`); `nil` for
    /// anything else.
    /// - Parameter gtin: the product's GTIN.
    public static func gtin(_ gtin: String) -> ItemID? {
        guard ASCII.isNumeric(gtin) else { return nil }
        switch gtin.utf8.count {
        case 12: return ItemID("UP", gtin)
        case 13: return ItemID("EN", gtin)
        case 14: return ItemID("UK", gtin)
        case 8: return ItemID("UK", "000000" + gtin)
        default: return nil
        }
    }

    /// Qualifier codes of each partner item qualifier.
    static let codes: [TradingPartner.ItemQualifier: Set<String>] = [
        .vendorPart: ["VP", "VN", "VA"],
        .buyerPart: ["BP", "IN", "CB"],
        .upc: ["UP", "UK", "EN", "UA", "UI"],
    ]

    /// Whether both the qualifier and the ID are present.
    var isComplete: Bool { !qualifier.isEmpty && !id.isEmpty }

    /// Reads pairs from a segment: `(first, first + 1)`, `(first + 2, first + 3)`... while the pair starts before `last`.
    /// A pair with an empty qualifier or ID is kept as read (an empty string) so that positions survive a round trip;
    /// the outbound documents keep only the ``isComplete`` pairs.
    static func pairs(in segment: X12Segment, from first: Int, through last: Int = .max) -> [ItemID] {
        var result: [ItemID] = []
        let end = min(last, segment.elements.count + 1)
        for n in stride(from: first, to: end, by: 2) where segment.value(n) != nil || segment.value(n + 1) != nil {
            while result.count < (n - first) / 2 { result.append(ItemID("", "")) }
            result.append(ItemID(segment.value(n) ?? "", segment.value(n + 1) ?? ""))
        }
        return result
    }

    /// `[q1, id1, q2, id2...]` with empty strings as `nil`.
    static func elements(_ ids: [ItemID]) -> [String?] {
        ids.flatMap { [$0.qualifier.isEmpty ? nil : $0.qualifier, $0.id.isEmpty ? nil : $0.id] }
    }
}

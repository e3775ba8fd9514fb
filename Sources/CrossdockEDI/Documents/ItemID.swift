/// A product/service ID with its qualifier, as in PO106/PO107...PO124/PO125, ACK07..., W12 and LIN.
///
/// Qualifiers the hub understands: `VP`/`VN`/`VA` vendor's part or item number (our SKU), `BP`/`IN`/`CB` buyer's part,
/// item or catalog number, `UP` UPC, `UK` GTIN-14, `EN` EAN-13, `UA` UPC case code, `UI` U.P.C. consumer package.
public struct ItemID: Hashable, Sendable, Codable {
    /// The qualifier (DE 235).
    public var qualifier: String
    /// The ID (DE 234).
    public var id: String

    /// Creates an ID.
    public init(_ qualifier: String, _ id: String) {
        self.qualifier = qualifier
        self.id = id
    }

    /// Qualifier codes of each partner item qualifier.
    static let codes: [TradingPartner.ItemQualifier: Set<String>] = [
        .vendorPart: ["VP", "VN", "VA"],
        .buyerPart: ["BP", "IN", "CB"],
        .upc: ["UP", "UK", "EN", "UA", "UI"],
    ]

    /// Reads pairs from a segment: `(first, first + 1)`, `(first + 2, first + 3)`... up to `last`. A pair with an empty
    /// qualifier or ID is kept as read (an empty string) so that positions survive a round trip.
    static func pairs(in segment: X12Segment, from first: Int, through last: Int) -> [ItemID] {
        var result: [ItemID] = []
        for n in stride(from: first, to: last, by: 2) where segment.value(n) != nil || segment.value(n + 1) != nil {
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

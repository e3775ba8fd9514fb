import CrossdockDomain

/// Finds the known ship-to location a channel's delivery address refers to.
///
/// Rule: same country, same postal code and same first street line, compared after case folding, with runs of
/// spaces collapsed and (postal code only) spaces and dashes removed. Name, city and region are not compared: channels
/// spell them too freely. No match, or more than one, gives nil: intake then uses the account's default ship-to.
enum ShipToMatcher {
    static func code(for address: Address?, among candidates: [ShipTo]) -> String? {
        guard let address else { return nil }
        let key = Key(address)
        let matches = candidates.filter { Key($0.address) == key }
        return matches.count == 1 ? matches[0].code : nil
    }

    private struct Key: Equatable {
        var country: String
        var postalCode: String
        var street: String

        init(_ address: Address) {
            country = address.country.uppercased()
            postalCode = String(address.postalCode.uppercased().filter { $0 != " " && $0 != "-" })
            street = (address.lines.first ?? "").lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
    }
}

/// A customer's contract prices: an agreement that overrides the customer's price list for the SKUs it names, within
/// its dates, with its own quantity breaks (``PriceList/Entry`` values; each entry may narrow the dates further).
///
/// Stored inside the customer document (`contracts`), mastered by the ERP like the rest of the account.
public struct PriceContract: Hashable, Sendable, Codable {
    /// The contract id, recorded on every line it prices (`contract:<id>`).
    public var id: String
    /// The currency of its prices; the contract prices only orders in this currency.
    public var currency: Currency
    /// The first day the contract applies (`YYYY-MM-DD`, inclusive); nil for no start.
    public var validFrom: String?
    /// The last day the contract applies (`YYYY-MM-DD`, inclusive); nil for no end.
    public var validTo: String?
    /// Its prices.
    public var entries: [PriceList.Entry]

    /// Creates a contract.
    /// - Parameters:
    ///   - id: the contract id.
    ///   - currency: the currency of its prices.
    ///   - validFrom: first day, inclusive.
    ///   - validTo: last day, inclusive.
    ///   - entries: the prices.
    public init(id: String, currency: Currency, validFrom: String? = nil, validTo: String? = nil, entries: [PriceList.Entry]) {
        self.id = id
        self.currency = currency
        self.validFrom = validFrom
        self.validTo = validTo
        self.entries = entries
    }

    /// Whether `day` (`YYYY-MM-DD`) falls inside the contract's dates.
    public func isValid(on day: String) -> Bool {
        (validFrom.map { $0 <= day } ?? true) && (validTo.map { day <= $0 } ?? true)
    }
}

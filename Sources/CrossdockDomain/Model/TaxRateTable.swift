/// Sales-tax rates per region, in parts per million (8.875 % is 88 750).
///
/// Rounding rule: tax is computed per order line as `extended × rate / 1 000 000`, rounded half away
/// from zero to the currency's minor unit; the order's tax is the sum of its lines' taxes.
public struct TaxRateTable: Hashable, Sendable, Codable {
    /// Rates by region code.
    public var ratesPPM: [String: Int64]

    /// Creates a table.
    public init(ratesPPM: [String: Int64]) { self.ratesPPM = ratesPPM }

    /// The tax on `extended` in `region`, or `nil` when the table has no rate for the region.
    public func tax(on extended: Money, region: String) -> Money? {
        guard let rate = ratesPPM[region] else { return nil }
        return Money(extended.minorUnits.scaled(by: rate, over: 1_000_000), extended.currency)
    }
}

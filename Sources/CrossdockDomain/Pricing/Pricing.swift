/// The price of one order line and the rule that gave it.
public struct PriceQuote: Hashable, Sendable {
    /// The price per ordered unit (per case when the line is ordered in cases).
    public var orderedUnitPrice: Money
    /// The price per base unit: ``orderedUnitPrice`` over the base units per ordered unit, rounded half away from zero
    /// to the minor unit (exact when the price divides).
    public var unitPrice: Money
    /// The rule, recorded as the line's `priceSource`: `contract:<id>` or `price_list:<id>`, then `;min:<n>` for a
    /// quantity break above 1, `;unit:<code>` for a price per a unit other than the base unit, and
    /// `;valid:<from>..<to>` for a dated price (either end may be empty).
    public var source: String

    /// Creates a quote.
    public init(orderedUnitPrice: Money, unitPrice: Money, source: String) {
        self.orderedUnitPrice = orderedUnitPrice
        self.unitPrice = unitPrice
        self.source = source
    }
}

/// Prices order lines. Pure.
///
/// Resolution, first match wins:
/// 1. the customer's contracts (``Customer/contracts``), in order, when the contract is in the order's currency and
///    valid on the pricing day;
/// 2. the customer's price list, when it is in the order's currency.
///
/// Within one source, an entry applies when it names the SKU, is valid on the day and its break (`minQuantity`) is
/// not above the quantity. Entries priced per the ordered unit (a case price for a line ordered in cases, break
/// counted in cases) are preferred over base-unit entries (break counted in base units, price times the units per
/// case); among those, the largest break wins; at the same break a dated entry (a promotion, a new price from a date)
/// wins over an undated one, and the later `validFrom` over an earlier one.
public enum Pricing {
    /// Whether `entry` beats `other` (both applicable): larger break, then dated over undated, then later start.
    static func precedes(_ entry: PriceList.Entry, _ other: PriceList.Entry) -> Bool {
        if entry.minQuantity != other.minQuantity { return entry.minQuantity > other.minQuantity }
        if entry.isDated != other.isDated { return entry.isDated }
        return (entry.validFrom ?? "") > (other.validFrom ?? "")
    }

    /// Quotes `quantity` ordered units of `sku`.
    /// - Parameters:
    ///   - sku: the SKU.
    ///   - quantity: the quantity in the ordered unit.
    ///   - unit: the ordered unit; nil for the base unit.
    ///   - baseUnit: the product's base unit code (an entry naming it is a base-unit entry).
    ///   - baseUnitsPerUnit: base units in one ordered unit (1 for the base unit).
    ///   - contracts: the customer's contracts.
    ///   - priceList: the customer's price list.
    ///   - currency: the order's currency.
    ///   - day: the pricing day, `YYYY-MM-DD`.
    /// - Returns: the quote, or nil when neither a contract nor the list prices the line.
    public static func quote(
        sku: String,
        quantity: Int,
        unit: String?,
        baseUnit: String,
        baseUnitsPerUnit: Int,
        contracts: [PriceContract],
        priceList: PriceList,
        currency: Currency,
        on day: String
    ) -> PriceQuote? {
        let ordered = unit.flatMap { $0.uppercased() == baseUnit.uppercased() || $0.isEmpty ? nil : $0.uppercased() }
        let factor = max(1, baseUnitsPerUnit)
        func find(_ entries: [PriceList.Entry], valid: (PriceList.Entry) -> Bool) -> (PriceList.Entry, perOrderedUnit: Int64)? {
            func best(unit wanted: String?, quantity: Int) -> PriceList.Entry? {
                var best: PriceList.Entry?
                for entry in entries where entry.sku == sku && entry.minQuantity <= quantity && valid(entry) {
                    let entryUnit = entry.unitOfMeasure.flatMap { $0.uppercased() == baseUnit.uppercased() ? nil : $0.uppercased() }
                    guard entryUnit == wanted else { continue }
                    if let current = best, !Self.precedes(entry, current) { continue }
                    best = entry
                }
                return best
            }
            if let ordered, let entry = best(unit: ordered, quantity: quantity) { return (entry, entry.unitPrice) }
            let (base, overflow) = quantity.multipliedReportingOverflow(by: factor)
            guard !overflow, let entry = best(unit: nil, quantity: base) else { return nil }
            return (entry, entry.unitPrice * Int64(factor))
        }
        func quote(_ found: (PriceList.Entry, perOrderedUnit: Int64), rule: String) -> PriceQuote {
            let (entry, perOrdered) = found
            var source = rule
            if entry.minQuantity > 1 { source += ";min:\(entry.minQuantity)" }
            if let entryUnit = entry.unitOfMeasure, entryUnit.uppercased() != baseUnit.uppercased() { source += ";unit:\(entryUnit)" }
            if entry.isDated { source += ";valid:\(entry.validFrom ?? "")..\(entry.validTo ?? "")" }
            return PriceQuote(
                orderedUnitPrice: Money(perOrdered, currency),
                unitPrice: Money(perOrdered.scaled(by: 1, over: Int64(factor)), currency),
                source: source
            )
        }
        for contract in contracts where contract.currency == currency && contract.isValid(on: day) {
            if let found = find(contract.entries, valid: { $0.isValid(on: day) }) { return quote(found, rule: "contract:\(contract.id)") }
        }
        guard priceList.currency == currency, let found = find(priceList.entries, valid: { $0.isValid(on: day) }) else { return nil }
        return quote(found, rule: "price_list:\(priceList.id)")
    }
}

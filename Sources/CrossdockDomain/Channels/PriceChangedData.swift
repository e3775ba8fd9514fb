import Foundation

/// The `data` of `price_list.price_changed`: one SKU's prices on one list after a change, with the price in force on
/// the day of the change, so a channel that shows one price (a storefront variant, a CRM price book entry) can take it
/// as is.
public struct PriceChangedData: Hashable, Sendable, Codable {
    /// One price in force: a quantity break, per base unit or per another unit.
    public struct Break: Hashable, Sendable, Codable {
        /// The smallest quantity, in `unitOfMeasure`.
        public var minQuantity: Int
        /// The price per unit.
        public var unitPrice: Money
        /// The unit priced; nil for the base unit.
        public var unitOfMeasure: String?

        /// Creates a break.
        public init(
            minQuantity: Int,
            unitPrice: Money,
            unitOfMeasure: String? = nil
        ) {
            self.minQuantity = minQuantity
            self.unitPrice = unitPrice
            self.unitOfMeasure = unitOfMeasure
        }
    }

    /// The price list.
    public var priceListId: String
    /// The SKU.
    public var sku: String
    /// The list's currency.
    public var currency: Currency
    /// The base-unit price for one unit on ``effectiveOn``; nil when the list no longer prices the SKU that day.
    public var unitPrice: Money?
    /// Every price in force on ``effectiveOn``, by unit then break.
    public var breaks: [Break]
    /// Every entry of the SKU, dated ones included.
    public var entries: [PriceList.Entry]
    /// The day the figures are for (`YYYY-MM-DD`).
    public var effectiveOn: String
    /// Whether the list no longer has any entry for the SKU.
    public var removed: Bool

    /// The changes between two versions of a list: one payload per SKU whose entries differ (added, changed or
    /// removed), sorted by SKU. Pure.
    /// - Parameters:
    ///   - old: the list before; nil for a new list.
    ///   - new: the list after.
    ///   - day: the day the prices in force are computed for.
    public static func changes(from old: PriceList?, to new: PriceList, on day: String) -> [PriceChangedData] {
        func bySKU(_ list: PriceList?) -> [String: [PriceList.Entry]] {
            Dictionary(grouping: list?.entries ?? [], by: \.sku).mapValues { $0.sorted { Self.key($0) < Self.key($1) } }
        }
        let before = bySKU(old)
        let after = bySKU(new)
        let currencyChanged = old.map { $0.currency != new.currency } ?? false
        var result: [PriceChangedData] = []
        for sku in Set(before.keys).union(after.keys).sorted() {
            let entries = after[sku] ?? []
            guard currencyChanged || before[sku] != entries else { continue }
            let inForce = entries.filter { $0.isValid(on: day) }
            result.append(
                PriceChangedData(
                    priceListId: new.id,
                    sku: sku,
                    currency: new.currency,
                    unitPrice: new.unitPrice(sku: sku, quantity: 1, on: day),
                    breaks: inForce.map {
                        Break(minQuantity: $0.minQuantity, unitPrice: Money($0.unitPrice, new.currency), unitOfMeasure: $0.unitOfMeasure)
                    },
                    entries: entries,
                    effectiveOn: day,
                    removed: entries.isEmpty
                )
            )
        }
        return result
    }

    /// The SKUs of `list` whose prices in force differ between `from` and `to` (a dated price began or ended), with
    /// the figures of `to`, sorted by SKU. Pure.
    /// - Parameters:
    ///   - list: the price list.
    ///   - from: the day the channels were last given (`YYYY-MM-DD`).
    ///   - to: the day to give them.
    public static func changesInForce(of list: PriceList, from: String, to: String) -> [PriceChangedData] {
        var result: [PriceChangedData] = []
        for (sku, entries) in Dictionary(grouping: list.entries, by: \.sku).sorted(by: { $0.key < $1.key }) {
            let before = entries.filter { $0.isValid(on: from) }
            let after = entries.filter { $0.isValid(on: to) }
            guard before != after else { continue }
            result.append(
                PriceChangedData(
                    priceListId: list.id,
                    sku: sku,
                    currency: list.currency,
                    unitPrice: list.unitPrice(sku: sku, quantity: 1, on: to),
                    breaks: after.map {
                        Break(minQuantity: $0.minQuantity, unitPrice: Money($0.unitPrice, list.currency), unitOfMeasure: $0.unitOfMeasure)
                    },
                    entries: entries.sorted { Self.key($0) < Self.key($1) },
                    effectiveOn: to,
                    removed: false
                )
            )
        }
        return result
    }

    private static func key(_ entry: PriceList.Entry) -> String {
        "\(entry.unitOfMeasure ?? "")|\(String(format: "%010d", entry.minQuantity))|\(entry.validFrom ?? "")|\(entry.validTo ?? "")|\(entry.unitPrice)"
    }

    /// Creates the payload.
    public init(
        priceListId: String,
        sku: String,
        currency: Currency,
        unitPrice: Money? = nil,
        breaks: [Break],
        entries: [PriceList.Entry],
        effectiveOn: String,
        removed: Bool
    ) {
        self.priceListId = priceListId
        self.sku = sku
        self.currency = currency
        self.unitPrice = unitPrice
        self.breaks = breaks
        self.entries = entries
        self.effectiveOn = effectiveOn
        self.removed = removed
    }
}

/// The `data` of `customer.credit_status_changed`: where an account stands for ordering after a change of its credit
/// hold, status or limit (and for a new account).
public struct CreditStatusChangedData: Hashable, Sendable, Codable {
    /// The account.
    public var customerId: String
    /// Its name.
    public var name: String
    /// Active or blocked.
    public var status: Customer.Status
    /// Whether a credit hold is set.
    public var onHold: Bool
    /// The hold's reason, when on hold.
    public var holdReason: String?
    /// The credit limit.
    public var creditLimit: Money

    /// The payload when `new` differs from `old` in its hold, status or limit (always for a new account); nil
    /// otherwise. Pure.
    public static func change(from old: Customer?, to new: Customer) -> CreditStatusChangedData? {
        if let old, old.creditHold == new.creditHold, old.status == new.status, old.creditLimit == new.creditLimit { return nil }
        return CreditStatusChangedData(
            customerId: new.id,
            name: new.name,
            status: new.status,
            onHold: new.creditHold != nil,
            holdReason: new.creditHold?.reason,
            creditLimit: new.creditLimit
        )
    }

    /// Creates the payload.
    public init(
        customerId: String,
        name: String,
        status: Customer.Status,
        onHold: Bool,
        holdReason: String? = nil,
        creditLimit: Money
    ) {
        self.customerId = customerId
        self.name = name
        self.status = status
        self.onHold = onHold
        self.holdReason = holdReason
        self.creditLimit = creditLimit
    }
}

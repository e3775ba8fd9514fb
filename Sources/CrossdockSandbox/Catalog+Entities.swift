import CrossdockDomain
import Foundation

/// Two legal entities for the demo: the US company and a European one with its own ERP instance.
extension Catalog {
    /// The US entity: every account so far, in USD, charging by the hub-wide tax table, mastered by `erp-us`.
    public static let unitedStates = LegalEntity(id: "US", name: "Northwind Distribution Inc.", currency: .usd, erpInstance: "erp-us")
    /// The European entity: in EUR, VAT by country, mastered by `erp-eu`.
    public static let europe = LegalEntity(
        id: "EU",
        name: "Northwind Distribution B.V.",
        currency: Currency("EUR")!,
        erpInstance: "erp-eu",
        taxRates: [.init(region: "DE", ratePPM: 190_000), .init(region: "NL", ratePPM: 210_000), .init(region: "FR", ratePPM: 200_000)]
    )

    /// Splits the distributor into ``unitedStates`` (every account so far) and ``europe``, which gets `count`
    /// accounts of its own (in ``otherCustomers``) buying from `PL-EU`, a EUR list with every SKU of ``priceList``.
    public mutating func addEuropeanEntity(accounts count: Int = 4) {
        legalEntities = [Self.unitedStates, Self.europe]
        for index in customers.indices { customers[index].legalEntityID = Self.unitedStates.id }
        let euro = Self.europe.currency
        let list = PriceList(
            id: "PL-EU",
            currency: euro,
            entries: priceList.entries.map { PriceList.Entry(sku: $0.sku, minQuantity: $0.minQuantity, unitPrice: $0.unitPrice * 92 / 100) }
        )
        otherPriceLists.append(list)
        let places = [("DE", "Hamburg", "20457"), ("NL", "Rotterdam", "3011"), ("FR", "Lyon", "69002")]
        otherCustomers = (1...count).map { index in
            let (country, city, postalCode) = places[(index - 1) % places.count]
            let address = Address(
                name: "Kunde \(index) Wareneingang",
                lines: ["Hafenstraße \(10 + index)"],
                city: city,
                region: country,
                postalCode: postalCode,
                country: country
            )
            var customer = Customer(
                id: "CUST-EU-\(String(format: "%02d", index))",
                name: "Europa Handel \(index)",
                creditLimit: Money(2_000_000_00, euro),
                openBalance: .zero(euro),
                paymentTerms: .init(code: "NET30", netDays: 30),
                billTo: address,
                shipTo: [ShipTo(code: "EU-\(index)-1", address: address)],
                priceListID: list.id
            )
            customer.legalEntityID = Self.europe.id
            return customer
        }
    }
}

import CrossdockDomain
import Foundation
import Testing

/// Legal entities in the pure billing rules: a credit memo books where the invoices it credits did, an entity's tax
/// rules replace the hub-wide table, and the reconciliation keeps entities and currencies apart.
@Suite("Legal entities in billing")
struct LegalEntityBillingTests {
    typealias F = BillingFixture

    @Test func aCreditMemoTakesTheEntityOfTheInvoicesItCredits() throws {
        var invoice = try F.invoice("I1", lines: [(1, 3, 1_000)])
        invoice.legalEntityID = "EU"
        let memo = try F.credit([1: 2], invoices: [invoice])
        #expect(memo.legalEntityID == "EU")
        let encoded = try JSONCoding.decoder().decode(JSONValue.self, from: try JSONCoding.encode(memo))
        #expect(encoded["legalEntityId"] == .string("EU"))
    }

    @Test func anEntitysTaxRulesReplaceTheHubWideTable() {
        let hub = TaxRateTable(ratesPPM: ["US-NY": 88_750, "DE": 1])
        let europe = LegalEntity(
            id: "EU",
            name: "B.V.",
            currency: Currency("EUR")!,
            erpInstance: "erp-eu",
            taxRates: [.init(region: "DE", ratePPM: 190_000)]
        )
        #expect(europe.taxRates(or: hub).ratesPPM == ["DE": 190_000])
        let us = LegalEntity(id: "US", name: "Inc.", currency: .usd, erpInstance: "erp-us")
        #expect(us.taxRates(or: hub) == hub)
    }

    @Test func theReconciliationBalancesPerEntityAndStatesAmountsPerCurrency() throws {
        var us = Reconciliation.OrderFacts(orderID: "O-US", ordered: 5, shipped: 5, invoicedUnits: 5, invoicedAmount: 10_000)
        us.legalEntityID = "US"
        us.currency = "USD"
        var eu = Reconciliation.OrderFacts(orderID: "O-EU", ordered: 3, shipped: 2, invoicedUnits: 1, invoicedAmount: 4_000)
        eu.legalEntityID = "EU"
        eu.currency = "EUR"
        let summary = Reconciliation.summarizeByEntity([us, eu])
        #expect(summary.entities.map(\.legalEntityID) == ["EU", "US"])
        #expect(summary.entities.map(\.balanced) == [false, true])
        #expect(summary.entities.first?.mismatches == 2)  // an open unit unaccounted, a shipped unit not invoiced
        #expect(summary.currencies == ["USD": .init(invoiced: 10_000), "EUR": .init(invoiced: 4_000)])
        #expect(summary.line.contains("invoiced 6 units EUR 40.00 + USD 100.00"))
        // The totals span two currencies: no single amount is stated for them.
        let totals = try JSONCoding.decoder().decode(JSONValue.self, from: try JSONCoding.encode(summary.totals))
        #expect(totals["invoicedAmount"] == nil && totals["currency"] == nil)
        #expect(summary.entities.last?.totals.currency == "USD" && summary.entities.last?.line.contains("units 100.00") == true)
        // One currency: the totals keep their amounts.
        let single = try JSONCoding.decoder().decode(JSONValue.self, from: try JSONCoding.encode(Reconciliation.summarize([us]).totals))
        #expect(single["invoicedAmount"] == .number(10_000) && single["currency"] == .string("USD"))
    }
}

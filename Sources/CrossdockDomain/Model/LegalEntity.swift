/// A legal entity or business unit of the distributor: the company that sells to its customers, keeps its books in
/// one ERP instance and one currency, and charges tax by its own rules (docs/master-data.md#legal-entities).
///
/// A customer names its entity (``Customer/legalEntityID``); the hub stamps the entity on the customer's orders
/// and on their invoices and credit memos, and on every event about them (`legalEntityId`), so each ERP instance
/// subscribes to its own entity's documents (the `entity` attribute filter), the reconciliation balances per
/// entity, and only the entity's ERP instance may feed its customers.
public struct LegalEntity: Hashable, Sendable, Codable {
    /// One region's tax rate under the entity's rules.
    public struct TaxRate: Hashable, Sendable, Codable {
        /// The ship-to region, e.g. `DE` or `US-NY`.
        public var region: String
        /// The rate in parts per million (190000 is 19 %).
        public var ratePPM: Int64

        enum CodingKeys: String, CodingKey {
            case region
            case ratePPM = "ratePpm"
        }

        /// Creates a rate.
        public init(region: String, ratePPM: Int64) {
            self.region = region
            self.ratePPM = ratePPM
        }
    }

    /// The entity's id, e.g. `US` or `EU` (1–32 letters, digits, `-`, `_`).
    public var id: String
    /// The registered name.
    public var name: String
    /// The currency the entity books in: its customers' credit limits and price lists, and so their orders,
    /// invoices and credit memos.
    public var currency: Currency
    /// The ERP instance that is the entity's system of record: the `source` of the master-data feeds that may write
    /// its customers, and the partner its documents are meant for.
    public var erpInstance: String
    /// The entity's tax rules: a rate per ship-to region, used for its customers' orders instead of the hub-wide
    /// table (a region it does not list has no rate, so such an order is rejected with `no_tax_rate`); nil when the
    /// entity charges by the hub-wide table.
    public var taxRates: [TaxRate]?
    /// The master-data version that last changed the entity (set by the hub).
    public var version: Int?

    enum CodingKeys: String, CodingKey {
        case id, name, currency, erpInstance, taxRates, version
    }

    /// Creates an entity.
    public init(id: String, name: String, currency: Currency, erpInstance: String, taxRates: [TaxRate]? = nil) {
        self.id = id
        self.name = name
        self.currency = currency
        self.erpInstance = erpInstance
        self.taxRates = taxRates
    }

    /// The tax table for the entity's orders: its own rules, else `hubWide`.
    public func taxRates(or hubWide: TaxRateTable) -> TaxRateTable {
        taxRates.map { rates in TaxRateTable(ratesPPM: Dictionary(rates.map { ($0.region, $0.ratePPM) }) { $1 }) } ?? hubWide
    }
}

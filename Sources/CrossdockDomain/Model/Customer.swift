/// A customer account, as mastered by the ERP.
public struct Customer: Hashable, Sendable, Codable {
    /// Whether the account may place orders.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case active
        case blocked
    }

    /// Payment terms (X12 ITD, ERP term code).
    public struct PaymentTerms: Hashable, Sendable, Codable {
        /// The term code, e.g. `NET30`.
        public var code: String
        /// Days until the invoice is due.
        public var netDays: Int
        /// Early-payment discount in basis points, if any.
        public var discountBasisPoints: Int?
        /// Days within which the discount applies.
        public var discountDays: Int?

        /// Creates payment terms.
        public init(code: String, netDays: Int, discountBasisPoints: Int? = nil, discountDays: Int? = nil) {
            self.code = code
            self.netDays = netDays
            self.discountBasisPoints = discountBasisPoints
            self.discountDays = discountDays
        }
    }

    /// A manual or automatic credit hold. It blocks release to fulfilment, not order capture.
    public struct CreditHold: Hashable, Sendable, Codable {
        /// Why the account is held.
        public var reason: String

        /// Creates a hold.
        public init(reason: String) { self.reason = reason }
    }

    /// The account id (hub id; the ERP number goes in `externalRefs`).
    public var id: String
    /// Display name.
    public var name: String
    /// Active or blocked.
    public var status: Status
    /// Credit limit in the account currency.
    public var creditLimit: Money
    /// Open receivables (posted, unpaid invoices), from the ERP.
    public var openBalance: Money
    /// The credit hold, if any.
    public var creditHold: CreditHold?
    /// Payment terms.
    public var paymentTerms: PaymentTerms
    /// Bill-to address.
    public var billTo: Address
    /// Ship-to locations; the first is the default.
    public var shipTo: [ShipTo]
    /// The price list the account buys from.
    public var priceListID: String
    /// Default ship policy for the account's orders.
    public var shipPolicy: ShipPolicy
    /// Whether the account accepts substitute items.
    public var allowSubstitution: Bool
    /// Whether sales tax is waived for the account.
    public var taxExempt: Bool
    /// Contract prices that override the price list (see ``Pricing``), tried in order.
    public var contracts: [PriceContract]
    /// The master-data version that last changed this record (set by the hub; see docs/master-data.md); nil for a
    /// record written before versions were kept.
    public var version: Int?
    /// The system that masters this record (the `source` of the feed batch that created or claimed it); a batch from
    /// another source cannot change it. Nil for records only ever written through the API.
    public var masteredBy: String?
    /// The legal entity that sells to the account (``LegalEntity``); nil when the hub runs a single entity.
    public var legalEntityID: String?

    enum CodingKeys: String, CodingKey {
        case id, name, status, creditLimit, openBalance, creditHold, paymentTerms, billTo, shipTo
        case
            priceListID = "priceListId"
        case shipPolicy, allowSubstitution, taxExempt, contracts, version, masteredBy
        case legalEntityID = "legalEntityId"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        status = try c.decode(Status.self, forKey: .status)
        creditLimit = try c.decode(Money.self, forKey: .creditLimit)
        openBalance = try c.decode(Money.self, forKey: .openBalance)
        creditHold = try c.decodeIfPresent(CreditHold.self, forKey: .creditHold)
        paymentTerms = try c.decode(PaymentTerms.self, forKey: .paymentTerms)
        billTo = try c.decode(Address.self, forKey: .billTo)
        shipTo = try c.decode([ShipTo].self, forKey: .shipTo)
        priceListID = try c.decode(String.self, forKey: .priceListID)
        shipPolicy = try c.decode(ShipPolicy.self, forKey: .shipPolicy)
        allowSubstitution = try c.decode(Bool.self, forKey: .allowSubstitution)
        taxExempt = try c.decode(Bool.self, forKey: .taxExempt)
        // Added after the first schema: older documents have no contracts.
        contracts = try c.decodeIfPresent([PriceContract].self, forKey: .contracts) ?? []
        version = try c.decodeIfPresent(Int.self, forKey: .version)
        masteredBy = try c.decodeIfPresent(String.self, forKey: .masteredBy)
        legalEntityID = try c.decodeIfPresent(String.self, forKey: .legalEntityID)
    }

    /// Creates a customer.
    public init(
        id: String,
        name: String,
        status: Status = .active,
        creditLimit: Money,
        openBalance: Money,
        creditHold: CreditHold? = nil,
        paymentTerms: PaymentTerms,
        billTo: Address,
        shipTo: [ShipTo],
        priceListID: String,
        shipPolicy: ShipPolicy = .shipPartial,
        allowSubstitution: Bool = false,
        taxExempt: Bool = false,
        contracts: [PriceContract] = [],
        legalEntityID: String? = nil
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.creditLimit = creditLimit
        self.openBalance = openBalance
        self.creditHold = creditHold
        self.paymentTerms = paymentTerms
        self.billTo = billTo
        self.shipTo = shipTo
        self.priceListID = priceListID
        self.shipPolicy = shipPolicy
        self.allowSubstitution = allowSubstitution
        self.taxExempt = taxExempt
        self.contracts = contracts
        self.legalEntityID = legalEntityID
    }
}

/// Whether an order may ship in parts.
public enum ShipPolicy: String, Hashable, Sendable, Codable, CaseIterable {
    /// Allocate all-or-nothing: nothing is released until every line is fully allocated.
    case shipComplete = "ship_complete"
    /// Allocate line by line; release what is allocated, backorder the rest.
    case shipPartial = "ship_partial"
}

/// A customer's credit position: the same check intake applies, offered to channels on its own.
public struct CreditStanding: Hashable, Sendable, Codable {
    /// The account id.
    public var customerID: String
    /// Account status.
    public var status: Customer.Status
    /// Credit limit.
    public var creditLimit: Money
    /// Open receivables.
    public var openBalance: Money
    /// Accepted orders not yet invoiced.
    public var openOrders: Money
    /// `openBalance + openOrders`.
    public var exposure: Money
    /// `creditLimit − exposure`; negative when over the limit.
    public var availableCredit: Money
    /// Holds on the account (credit hold, blocked status).
    public var holds: [String]
    /// Whether an order can be accepted now (active, no hold, credit left).
    public var canOrder: Bool

    enum CodingKeys: String, CodingKey {
        case customerID = "customerId"
        case status, creditLimit, openBalance, openOrders, exposure, availableCredit, holds, canOrder
    }

    /// Computes the standing of `customer` given its uninvoiced accepted orders.
    /// - Parameters:
    ///   - customer: the account.
    ///   - openOrders: the value of accepted, uninvoiced orders.
    public init(customer: Customer, openOrders: Money) {
        customerID = customer.id
        status = customer.status
        creditLimit = customer.creditLimit
        openBalance = customer.openBalance
        self.openOrders = openOrders
        exposure = customer.openBalance + openOrders
        availableCredit = customer.creditLimit - exposure
        var holds: [String] = []
        if customer.status == .blocked { holds.append("account_blocked") }
        if let hold = customer.creditHold { holds.append("credit_hold: \(hold.reason)") }
        self.holds = holds
        canOrder = holds.isEmpty && availableCredit.minorUnits > 0
    }
}

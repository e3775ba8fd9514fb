import Foundation

/// A customer invoice for the units of one shipment, priced at the order's prices.
///
/// Amounts are positive. Tax is computed per line (see ``Invoicing``); the header figures are sums of the lines.
public struct Invoice: Hashable, Sendable, Codable {
    /// The invoice's status.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// Issued and owed.
        case posted
        /// Cancelled; owes nothing and cannot be credited.
        case voided
    }

    /// One invoiced order line.
    public struct Line: Hashable, Sendable, Codable {
        /// The order line number.
        public var lineNo: Int
        /// The SKU shipped.
        public var sku: String
        /// Units invoiced (the units shipped).
        public var quantity: Int
        /// Unit price from the order line.
        public var unitPrice: Money
        /// `unitPrice × quantity`.
        public var extended: Money
        /// Tax rate in parts per million (88 750 is 8.875 %); 0 when tax-exempt.
        public var taxRatePPM: Int64
        /// `extended × taxRatePPM / 1 000 000`, rounded half away from zero to the minor unit.
        public var tax: Money

        /// Creates a line. ``Invoicing`` computes `extended` and `tax`; this initialiser stores what it is given.
        /// - Parameters:
        ///   - lineNo: the order line number.
        ///   - sku: the SKU shipped.
        ///   - quantity: units invoiced.
        ///   - unitPrice: the order line's unit price.
        ///   - extended: `unitPrice × quantity`.
        ///   - taxRatePPM: the tax rate in parts per million.
        ///   - tax: the line's tax.
        public init(lineNo: Int, sku: String, quantity: Int, unitPrice: Money, extended: Money, taxRatePPM: Int64, tax: Money) {
            self.lineNo = lineNo
            self.sku = sku
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.extended = extended
            self.taxRatePPM = taxRatePPM
            self.tax = tax
        }
    }

    /// Hub invoice id.
    public var id: String
    /// Invoice number given by the caller, e.g. `INV-000123`.
    public var number: String
    /// The order invoiced.
    public var orderID: String
    /// The shipment whose units are invoiced.
    public var shipmentID: String
    /// The account billed.
    public var customerID: String
    /// The customer's PO number, echoed from the order.
    public var customerPO: String?
    /// Currency of every amount.
    public var currency: Currency
    /// The lines, in order-line order.
    public var lines: [Line]
    /// Sum of line extensions.
    public var subtotal: Money
    /// Sum of line taxes.
    public var tax: Money
    /// The shipping charged to the buyer by the channel (the order's ``SalesOrder/shipping``), billed on the order's
    /// first invoice, untaxed; nil when none.
    public var freight: Money?
    /// `subtotal + tax + freight`.
    public var total: Money
    /// When it was issued.
    public var issuedAt: Date
    /// Due date `YYYY-MM-DD`: the UTC issue date plus the net days.
    public var dueDate: String
    /// Status.
    public var status: Status

    /// The selling legal entity: the order's (``SalesOrder/legalEntityID``); nil when it names none.
    public var legalEntityID: String?

    enum CodingKeys: String, CodingKey {
        case id, number
        case orderID = "orderId"
        case shipmentID = "shipmentId"
        case customerID = "customerId"
        case customerPO = "customerPo"
        case currency, lines, subtotal, tax, freight, total, issuedAt, dueDate, status
        case legalEntityID = "legalEntityId"
    }

    /// Creates an invoice from its parts. Use ``Invoicing/invoice(id:number:orderID:shipmentID:customerID:customerPO:currency:items:issuedAt:netDays:)``
    /// to compute the amounts.
    /// - Parameters:
    ///   - id: hub invoice id.
    ///   - number: the invoice number.
    ///   - orderID: the order.
    ///   - shipmentID: the shipment.
    ///   - customerID: the account.
    ///   - customerPO: the customer's PO number.
    ///   - currency: the currency.
    ///   - lines: the lines.
    ///   - subtotal: sum of extensions.
    ///   - tax: sum of line taxes.
    ///   - freight: the shipping billed, if any.
    ///   - total: `subtotal + tax + freight`.
    ///   - issuedAt: issue time.
    ///   - dueDate: due date `YYYY-MM-DD`.
    ///   - status: status.
    public init(
        id: String,
        number: String,
        orderID: String,
        shipmentID: String,
        customerID: String,
        customerPO: String?,
        currency: Currency,
        lines: [Line],
        subtotal: Money,
        tax: Money,
        freight: Money? = nil,
        total: Money,
        issuedAt: Date,
        dueDate: String,
        status: Status
    ) {
        self.id = id
        self.number = number
        self.orderID = orderID
        self.shipmentID = shipmentID
        self.customerID = customerID
        self.customerPO = customerPO
        self.currency = currency
        self.lines = lines
        self.subtotal = subtotal
        self.tax = tax
        self.freight = freight
        self.total = total
        self.issuedAt = issuedAt
        self.dueDate = dueDate
        self.status = status
    }

    /// Units invoiced per order line.
    public var quantitiesByLine: [Int: Int] {
        var result: [Int: Int] = [:]
        for line in lines { result[line.lineNo, default: 0] += line.quantity }
        return result
    }
}

import Foundation

/// A credit to a customer against the invoices of one order. Amounts are positive (they reduce what is owed).
public struct CreditMemo: Hashable, Sendable, Codable {
    /// Why the credit is given.
    public enum Reason: String, Hashable, Sendable, Codable, CaseIterable {
        /// Goods came back under a return authorisation.
        case `return`
        /// The carrier lost the shipment.
        case lostShipment = "lost_shipment"
        /// The goods arrived damaged.
        case damagedInTransit = "damaged_in_transit"
        /// The carrier returned the shipment to the warehouse.
        case returnedToSender = "returned_to_sender"
        /// The price charged was wrong.
        case priceAdjustment = "price_adjustment"

        /// Whether the reason is a delivery exception (lost, damaged, returned to sender) rather than a return.
        public var isDeliveryException: Bool {
            switch self {
            case .lostShipment, .damagedInTransit, .returnedToSender: true
            case .return, .priceAdjustment: false
            }
        }
    }

    /// Units of one invoice line credited.
    public struct Line: Hashable, Sendable, Codable {
        /// The invoice the units were billed on.
        public var invoiceID: String
        /// The order line number.
        public var lineNo: Int
        /// The SKU.
        public var sku: String
        /// Units credited.
        public var quantity: Int
        /// The invoice line's unit price (not the current list price).
        public var unitPrice: Money
        /// `unitPrice × quantity`.
        public var extended: Money
        /// The tax credited (see ``Crediting`` for the rule).
        public var tax: Money

        enum CodingKeys: String, CodingKey {
            case invoiceID = "invoiceId"
            case lineNo, sku, quantity, unitPrice, extended, tax
        }

        /// Creates a line. ``Crediting`` computes the amounts; this initialiser stores what it is given.
        /// - Parameters:
        ///   - invoiceID: the invoice.
        ///   - lineNo: the order line number.
        ///   - sku: the SKU.
        ///   - quantity: units credited.
        ///   - unitPrice: the invoice line's unit price.
        ///   - extended: `unitPrice × quantity`.
        ///   - tax: the tax credited.
        public init(invoiceID: String, lineNo: Int, sku: String, quantity: Int, unitPrice: Money, extended: Money, tax: Money) {
            self.invoiceID = invoiceID
            self.lineNo = lineNo
            self.sku = sku
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.extended = extended
            self.tax = tax
        }
    }

    /// Hub credit memo id.
    public var id: String
    /// Credit memo number given by the caller, e.g. `CM-000045`.
    public var number: String
    /// The order credited.
    public var orderID: String
    /// The account credited.
    public var customerID: String
    /// The return authorisation the credit is for, when `reason` is `return`.
    public var returnID: String?
    /// Why.
    public var reason: Reason
    /// Currency of every amount.
    public var currency: Currency
    /// The lines, one per (invoice, order line), oldest invoice first within a line.
    public var lines: [Line]
    /// Sum of line extensions.
    public var subtotal: Money
    /// Sum of line taxes.
    public var tax: Money
    /// `subtotal + tax`.
    public var total: Money
    /// When it was issued.
    public var issuedAt: Date

    /// The selling legal entity: the order's (``SalesOrder/legalEntityID``); nil when it names none.
    public var legalEntityID: String?

    enum CodingKeys: String, CodingKey {
        case id, number
        case orderID = "orderId"
        case customerID = "customerId"
        case returnID = "returnId"
        case reason, currency, lines, subtotal, tax, total, issuedAt
        case legalEntityID = "legalEntityId"
    }

    /// Creates a credit memo from its parts. Use ``Crediting`` to compute the lines and amounts.
    /// - Parameters:
    ///   - id: hub credit memo id.
    ///   - number: the credit memo number.
    ///   - orderID: the order.
    ///   - customerID: the account.
    ///   - returnID: the return authorisation, if any.
    ///   - reason: why.
    ///   - currency: the currency.
    ///   - lines: the lines.
    ///   - subtotal: sum of extensions.
    ///   - tax: sum of line taxes.
    ///   - total: `subtotal + tax`.
    ///   - issuedAt: issue time.
    public init(
        id: String,
        number: String,
        orderID: String,
        customerID: String,
        returnID: String?,
        reason: Reason,
        currency: Currency,
        lines: [Line],
        subtotal: Money,
        tax: Money,
        total: Money,
        issuedAt: Date
    ) {
        self.id = id
        self.number = number
        self.orderID = orderID
        self.customerID = customerID
        self.returnID = returnID
        self.reason = reason
        self.currency = currency
        self.lines = lines
        self.subtotal = subtotal
        self.tax = tax
        self.total = total
        self.issuedAt = issuedAt
    }

    /// Units credited per order line.
    public var quantitiesByLine: [Int: Int] {
        var result: [Int: Int] = [:]
        for line in lines { result[line.lineNo, default: 0] += line.quantity }
        return result
    }
}

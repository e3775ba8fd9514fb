/// Reconciles ordered vs shipped vs invoiced vs returned vs credited, per order. Pure.
///
/// Identities checked for every order (DOMAIN.md §5.1, §5.2, §5.4):
/// - `rejected + cancelled + open + shipped = ordered` (else `quantity_imbalance`);
/// - `invoicedUnits = shipped` (else `shipped_not_invoiced` or `invoiced_not_shipped`; delivery-based billing);
/// - `creditedReturnUnits = returnedUnits` (else `return_not_credited` or `credit_without_return`);
/// - `creditedLossUnits ≤ lostUnits` (else `credit_without_return`);
/// - `creditedAmount ≤ invoicedAmount` and `creditedReturnUnits + creditedLossUnits ≤ invoicedUnits`
///   (else `credit_exceeds_invoice`).
///
/// The checks are instantaneous: time windows (e.g. one business day to invoice, five to credit a return) are the
/// caller's to apply before calling. Amounts are minor units of one currency.
public enum Reconciliation {
    /// What is known about one order, in units (and minor units for amounts).
    public struct OrderFacts: Hashable, Sendable, Codable {
        /// The order.
        public var orderID: String
        /// Units ordered.
        public var ordered: Int
        /// Units rejected by validation.
        public var rejected: Int
        /// Units cancelled.
        public var cancelled: Int
        /// Units not yet final (open, allocated or released).
        public var open: Int
        /// Units shipped.
        public var shipped: Int
        /// Units on posted invoices.
        public var invoicedUnits: Int
        /// Total of posted invoices (tax included), in minor units.
        public var invoicedAmount: Int64
        /// Units received back on RMAs.
        public var returnedUnits: Int
        /// Units credited with reason `return`.
        public var creditedReturnUnits: Int
        /// Units credited for lost, damaged or returned-to-sender shipments.
        public var creditedLossUnits: Int
        /// Total of credit memos (tax included), in minor units.
        public var creditedAmount: Int64
        /// Units on shipments with a delivery exception (lost, damaged, returned to sender): the most that loss
        /// credits may cover.
        public var lostUnits: Int
        /// The order's legal entity (``SalesOrder/legalEntityID``); for totals, the entity they add up, if one.
        public var legalEntityID: String?
        /// The currency of the amounts; nil for totals over orders in more than one currency, whose amounts are
        /// then only stated per currency (``Summary/currencies``) and not encoded here.
        public var currency: String?

        enum CodingKeys: String, CodingKey {
            case orderID = "orderId"
            case ordered, rejected, cancelled, open, shipped, invoicedUnits, invoicedAmount, returnedUnits,
                creditedReturnUnits, creditedLossUnits, creditedAmount, lostUnits
            case legalEntityID = "legalEntityId"
            case currency
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(orderID: try c.decode(String.self, forKey: .orderID), ordered: try c.decode(Int.self, forKey: .ordered))
            rejected = try c.decode(Int.self, forKey: .rejected)
            cancelled = try c.decode(Int.self, forKey: .cancelled)
            open = try c.decode(Int.self, forKey: .open)
            shipped = try c.decode(Int.self, forKey: .shipped)
            invoicedUnits = try c.decode(Int.self, forKey: .invoicedUnits)
            invoicedAmount = try c.decodeIfPresent(Int64.self, forKey: .invoicedAmount) ?? 0
            returnedUnits = try c.decode(Int.self, forKey: .returnedUnits)
            creditedReturnUnits = try c.decode(Int.self, forKey: .creditedReturnUnits)
            creditedLossUnits = try c.decode(Int.self, forKey: .creditedLossUnits)
            creditedAmount = try c.decodeIfPresent(Int64.self, forKey: .creditedAmount) ?? 0
            lostUnits = try c.decode(Int.self, forKey: .lostUnits)
            legalEntityID = try c.decodeIfPresent(String.self, forKey: .legalEntityID)
            currency = try c.decodeIfPresent(String.self, forKey: .currency)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(orderID, forKey: .orderID)
            try c.encode(ordered, forKey: .ordered)
            try c.encode(rejected, forKey: .rejected)
            try c.encode(cancelled, forKey: .cancelled)
            try c.encode(open, forKey: .open)
            try c.encode(shipped, forKey: .shipped)
            try c.encode(invoicedUnits, forKey: .invoicedUnits)
            try c.encode(returnedUnits, forKey: .returnedUnits)
            try c.encode(creditedReturnUnits, forKey: .creditedReturnUnits)
            try c.encode(creditedLossUnits, forKey: .creditedLossUnits)
            try c.encode(lostUnits, forKey: .lostUnits)
            try c.encodeIfPresent(legalEntityID, forKey: .legalEntityID)
            try c.encodeIfPresent(currency, forKey: .currency)
            // Amounts in more than one currency do not add up to one figure.
            if !mixesCurrencies {
                try c.encode(invoicedAmount, forKey: .invoicedAmount)
                try c.encode(creditedAmount, forKey: .creditedAmount)
            }
        }

        /// Whether these are totals over orders in more than one currency (their amounts mean nothing together).
        public var mixesCurrencies = false

        /// Creates facts; every figure not given is 0.
        /// - Parameters:
        ///   - orderID: the order.
        ///   - ordered: units ordered.
        ///   - rejected: units rejected.
        ///   - cancelled: units cancelled.
        ///   - open: units not yet final.
        ///   - shipped: units shipped.
        ///   - invoicedUnits: units invoiced.
        ///   - invoicedAmount: invoiced total in minor units.
        ///   - returnedUnits: units received back.
        ///   - creditedReturnUnits: units credited for returns.
        ///   - creditedLossUnits: units credited for delivery exceptions.
        ///   - creditedAmount: credited total in minor units.
        ///   - lostUnits: units on shipments with a delivery exception.
        public init(
            orderID: String,
            ordered: Int,
            rejected: Int = 0,
            cancelled: Int = 0,
            open: Int = 0,
            shipped: Int = 0,
            invoicedUnits: Int = 0,
            invoicedAmount: Int64 = 0,
            returnedUnits: Int = 0,
            creditedReturnUnits: Int = 0,
            creditedLossUnits: Int = 0,
            creditedAmount: Int64 = 0,
            lostUnits: Int = 0
        ) {
            self.orderID = orderID
            self.ordered = ordered
            self.rejected = rejected
            self.cancelled = cancelled
            self.open = open
            self.shipped = shipped
            self.invoicedUnits = invoicedUnits
            self.invoicedAmount = invoicedAmount
            self.returnedUnits = returnedUnits
            self.creditedReturnUnits = creditedReturnUnits
            self.creditedLossUnits = creditedLossUnits
            self.creditedAmount = creditedAmount
            self.lostUnits = lostUnits
        }
    }

    /// One failed identity.
    public struct Mismatch: Hashable, Sendable, Codable {
        /// The mismatch class (DOMAIN.md §5.4).
        public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
            /// `rejected + cancelled + open + shipped ≠ ordered`.
            case quantityImbalance = "quantity_imbalance"
            /// Fewer units invoiced than shipped.
            case shippedNotInvoiced = "shipped_not_invoiced"
            /// More units invoiced than shipped.
            case invoicedNotShipped = "invoiced_not_shipped"
            /// Fewer units credited for returns than received back.
            case returnNotCredited = "return_not_credited"
            /// More units credited for returns than received back, or for losses than lost.
            case creditWithoutReturn = "credit_without_return"
            /// Credits above the invoices, in amount or units.
            case creditExceedsInvoice = "credit_exceeds_invoice"
        }

        /// The order.
        public var orderID: String
        /// The class.
        public var kind: Kind
        /// The figure the identity requires (units, or minor units for amount checks).
        public var expected: Int64
        /// The figure found.
        public var actual: Int64
        /// A sentence for people.
        public var message: String

        enum CodingKeys: String, CodingKey {
            case orderID = "orderId"
            case kind, expected, actual, message
        }

        /// Creates a mismatch.
        /// - Parameters:
        ///   - orderID: the order.
        ///   - kind: the class.
        ///   - expected: the figure required.
        ///   - actual: the figure found.
        ///   - message: a sentence for people.
        public init(orderID: String, kind: Kind, expected: Int64, actual: Int64, message: String) {
            self.orderID = orderID
            self.kind = kind
            self.expected = expected
            self.actual = actual
            self.message = message
        }
    }

    /// Totals over many orders and every mismatch found.
    public struct Summary: Hashable, Sendable, Codable {
        /// Number of orders.
        public var orders: Int
        /// The figures of every order added up (`orderID` is `*`).
        public var totals: OrderFacts
        /// Every mismatch, by order in input order, then by class.
        public var mismatches: [Mismatch]
        /// Orders closed (``OrderStatus/closed``).
        public var closedOrders: Int = 0
        /// Orders still open: neither closed nor rejected (cancelled and invoiced orders count until they close).
        public var openOrders: Int = 0
        /// Invoiced and credited amounts per currency code.
        public var currencies: [String: Amounts] = [:]
        /// The same reconciliation per legal entity, by entity id (orders of customers that name none are under
        /// `""`); empty when no order names an entity.
        public var entities: [EntitySummary] = []

        /// Creates a summary.
        /// - Parameters:
        ///   - orders: number of orders.
        ///   - totals: the summed figures.
        ///   - mismatches: the mismatches.
        public init(orders: Int, totals: OrderFacts, mismatches: [Mismatch]) {
            self.orders = orders
            self.totals = totals
            self.mismatches = mismatches
        }

        /// One line for logs and the CLI, e.g.
        /// `ordered 1200 = shipped 1100 + cancelled 60 + rejected 40 + open 0 | invoiced 1100 units 123456.78 |
        /// returned 12, credited 12 returned + 5 damaged or lost in transit (1234.50) | balanced`; the first `=` reads `!=` when the totals do not
        /// add up, and the end reads `3 mismatch(es)` when any check failed. Amounts assume two decimals.
        public var line: String {
            let t = totals
            let adds = t.shipped + t.cancelled + t.rejected + t.open == t.ordered
            let status = mismatches.isEmpty ? "balanced" : "\(mismatches.count) mismatch(es)"
            let invoiced = amounts(\.invoiced, single: t.invoicedAmount)
            let credited = amounts(\.credited, single: t.creditedAmount)
            return "ordered \(t.ordered) \(adds ? "=" : "!=") shipped \(t.shipped) + cancelled \(t.cancelled) + rejected \(t.rejected)"
                + " + open \(t.open) | invoiced \(t.invoicedUnits) units \(invoiced)"
                + " | returned \(t.returnedUnits), credited \(t.creditedReturnUnits) returned + \(t.creditedLossUnits) damaged or lost in transit"
                + " (\(credited)) | \(status)"
        }
    }

    /// Checks one order's identities.
    /// - Parameter facts: the order's figures.
    /// - Returns: the failed identities, at most one per class, in ``Mismatch/Kind`` order; empty when balanced.
    public static func check(_ facts: OrderFacts) -> [Mismatch] {
        var result: [Mismatch] = []
        func add(_ kind: Mismatch.Kind, expected: Int64, actual: Int64, _ message: String) {
            result.append(Mismatch(orderID: facts.orderID, kind: kind, expected: expected, actual: actual, message: message))
        }
        let f = facts
        let accounted = f.rejected + f.cancelled + f.open + f.shipped
        if accounted != f.ordered {
            add(
                .quantityImbalance,
                expected: Int64(f.ordered),
                actual: Int64(accounted),
                "rejected \(f.rejected) + cancelled \(f.cancelled) + open \(f.open) + shipped \(f.shipped) = \(accounted), ordered \(f.ordered)"
            )
        }
        if f.invoicedUnits < f.shipped {
            add(
                .shippedNotInvoiced,
                expected: Int64(f.shipped),
                actual: Int64(f.invoicedUnits),
                "\(f.shipped - f.invoicedUnits) of \(f.shipped) shipped unit(s) not invoiced"
            )
        }
        if f.invoicedUnits > f.shipped {
            add(
                .invoicedNotShipped,
                expected: Int64(f.shipped),
                actual: Int64(f.invoicedUnits),
                "\(f.invoicedUnits) unit(s) invoiced, \(f.shipped) shipped"
            )
        }
        if f.creditedReturnUnits < f.returnedUnits {
            add(
                .returnNotCredited,
                expected: Int64(f.returnedUnits),
                actual: Int64(f.creditedReturnUnits),
                "\(f.returnedUnits - f.creditedReturnUnits) of \(f.returnedUnits) returned unit(s) not credited"
            )
        }
        if f.creditedReturnUnits > f.returnedUnits {
            add(
                .creditWithoutReturn,
                expected: Int64(f.returnedUnits),
                actual: Int64(f.creditedReturnUnits),
                "\(f.creditedReturnUnits) unit(s) credited for returns, \(f.returnedUnits) received back"
            )
        } else if f.creditedLossUnits > f.lostUnits {
            add(
                .creditWithoutReturn,
                expected: Int64(f.lostUnits),
                actual: Int64(f.creditedLossUnits),
                "\(f.creditedLossUnits) unit(s) credited for delivery exceptions, \(f.lostUnits) on excepted shipments"
            )
        }
        let creditedUnits = f.creditedReturnUnits + f.creditedLossUnits
        if f.creditedAmount > f.invoicedAmount {
            add(
                .creditExceedsInvoice,
                expected: f.invoicedAmount,
                actual: f.creditedAmount,
                "credited \(format(minorUnits: f.creditedAmount)), invoiced \(format(minorUnits: f.invoicedAmount))"
            )
        } else if creditedUnits > f.invoicedUnits {
            add(
                .creditExceedsInvoice,
                expected: Int64(f.invoicedUnits),
                actual: Int64(creditedUnits),
                "\(creditedUnits) unit(s) credited, \(f.invoicedUnits) invoiced"
            )
        }
        return result
    }

    /// Adds up many orders and checks each.
    /// - Parameter facts: the orders' figures; amounts add up per currency (``Summary/currencies``), and into
    ///   ``Summary/totals`` only when every order is in one currency.
    /// - Returns: the totals and every mismatch.
    public static func summarize(_ facts: [OrderFacts]) -> Summary {
        var totals = OrderFacts(orderID: "*", ordered: 0)
        var mismatches: [Mismatch] = []
        var currencies: [String: Amounts] = [:]
        let codes = Set(facts.map(\.currency))
        totals.currency = codes.count == 1 ? codes.first! : nil
        totals.mixesCurrencies = codes.count > 1
        let entities = Set(facts.map(\.legalEntityID))
        totals.legalEntityID = entities.count == 1 ? entities.first! : nil
        for f in facts {
            if let code = f.currency {
                currencies[code, default: Amounts()].invoiced += f.invoicedAmount
                currencies[code, default: Amounts()].credited += f.creditedAmount
            }
            totals.ordered += f.ordered
            totals.rejected += f.rejected
            totals.cancelled += f.cancelled
            totals.open += f.open
            totals.shipped += f.shipped
            totals.invoicedUnits += f.invoicedUnits
            totals.invoicedAmount += f.invoicedAmount
            totals.returnedUnits += f.returnedUnits
            totals.creditedReturnUnits += f.creditedReturnUnits
            totals.creditedLossUnits += f.creditedLossUnits
            totals.creditedAmount += f.creditedAmount
            totals.lostUnits += f.lostUnits
            mismatches += check(f)
        }
        var summary = Summary(orders: facts.count, totals: totals, mismatches: mismatches)
        summary.currencies = currencies
        return summary
    }

    /// `minorUnits` as a decimal with two places (`123456.78`, `-0.05`). Assumes a two-decimal currency.
    /// - Parameter minorUnits: the amount in minor units.
    /// - Returns: the text.
    public static func format(minorUnits: Int64) -> String {
        let magnitude = minorUnits.magnitude
        let cents = magnitude % 100
        return "\(minorUnits < 0 ? "-" : "")\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}

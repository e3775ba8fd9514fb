import Foundation

/// Builds credit memos against an order's invoices. Pure.
///
/// Units of an order line are credited against the order's posted invoices oldest first (by `issuedAt`, then
/// number), never more per invoice line than it invoiced minus what earlier memos credited. The price is the
/// invoice line's unit price.
///
/// Tax rule: for an invoice line of quantity `Q` and tax `T`, the tax credited for its first `k` credited units
/// (cumulative over all memos) is `round_half_away(T × k / Q)`; a memo credits the difference between that figure
/// after and before it. Crediting every invoiced unit, in any number of memos, returns exactly `T`, and the
/// credits against a line never exceed it.
public enum Crediting {
    /// Builds a credit memo.
    /// - Parameters:
    ///   - id: hub credit memo id.
    ///   - number: the credit memo number, e.g. `CM-000045`; must not be empty.
    ///   - reason: why the credit is given.
    ///   - returnID: the return authorisation, for `return` credits.
    ///   - quantities: units to credit per order line number; each positive.
    ///   - invoices: the order's invoices (voided ones are ignored); all of one order and currency.
    ///   - previousCredits: every earlier credit memo of the order.
    ///   - issuedAt: the issue time.
    /// - Returns: the memo; lines sorted by line number, then oldest invoice first.
    /// - Throws: ``BillingError`` `over_credit` when a line has fewer invoiced, not yet credited units than
    ///   requested (field `quantities.<lineNo>`), or `invalid_credit` for any other invalid input. Nothing is
    ///   credited unless every line fits.
    public static func creditMemo(
        id: String,
        number: String,
        reason: CreditMemo.Reason,
        returnID: String? = nil,
        quantities: [Int: Int],
        invoices: [Invoice],
        previousCredits: [CreditMemo],
        issuedAt: Date
    ) throws(BillingError) -> CreditMemo {
        let posted = sortedPosted(invoices)
        var errors: [IntakeError.FieldError] = []
        if number.isEmpty { errors.append(.init(field: "number", reason: "must not be empty")) }
        if quantities.isEmpty { errors.append(.init(field: "quantities", reason: "must name at least one line")) }
        guard let first = posted.first else {
            errors.append(.init(field: "invoices", reason: "must contain at least one posted invoice"))
            throw BillingError(code: "invalid_credit", message: "credit memo \(number) has nothing to credit against", errors: errors)
        }
        for (index, invoice) in invoices.enumerated() where invoice.status == .posted {
            if invoice.orderID != first.orderID {
                errors.append(.init(field: "invoices[\(index)].orderId", reason: "\(invoice.orderID) differs from \(first.orderID)"))
            }
            if invoice.currency != first.currency {
                errors.append(.init(field: "invoices[\(index)].currency", reason: "\(invoice.currency.code) differs from \(first.currency.code)"))
            }
        }
        for (lineNo, quantity) in quantities where quantity <= 0 {
            errors.append(.init(field: "quantities.\(lineNo)", reason: "must be positive, got \(quantity)"))
        }
        guard errors.isEmpty else {
            throw BillingError(code: "invalid_credit", message: "credit memo \(number) for order \(first.orderID) cannot be built", errors: errors)
        }

        let credited = creditedUnits(previousCredits)
        let currency = first.currency
        var lines: [CreditMemo.Line] = []
        var overCredit: [IntakeError.FieldError] = []
        var notInvoiced: [IntakeError.FieldError] = []
        for (lineNo, quantity) in quantities.sorted(by: { $0.key < $1.key }) {
            var remaining = quantity
            var invoicedTotal = 0
            var available = 0
            var candidate: [CreditMemo.Line] = []
            for invoice in posted {
                for line in invoice.lines where line.lineNo == lineNo && line.quantity > 0 {
                    invoicedTotal += line.quantity
                    let before = min(line.quantity, credited[Key(invoiceID: invoice.id, lineNo: lineNo), default: 0])
                    let left = line.quantity - before
                    available += left
                    let take = min(remaining, left)
                    guard take > 0 else { continue }
                    remaining -= take
                    let tax =
                        taxCredited(lineTax: line.tax.minorUnits, invoicedQuantity: line.quantity, creditedUnits: before + take)
                        - taxCredited(lineTax: line.tax.minorUnits, invoicedQuantity: line.quantity, creditedUnits: before)
                    candidate.append(
                        CreditMemo.Line(
                            invoiceID: invoice.id,
                            lineNo: lineNo,
                            sku: line.sku,
                            quantity: take,
                            unitPrice: line.unitPrice,
                            extended: line.unitPrice * take,
                            tax: Money(tax, currency)
                        )
                    )
                }
            }
            if invoicedTotal == 0 {
                notInvoiced.append(.init(field: "quantities.\(lineNo)", reason: "line \(lineNo) is on no posted invoice of order \(first.orderID)"))
            } else if remaining > 0 {
                let reason =
                    available == 0
                    ? "nothing left to credit: all \(invoicedTotal) invoiced unit(s) are already credited"
                    : "\(quantity) exceeds the \(available) invoiced unit(s) not yet credited"
                overCredit.append(.init(field: "quantities.\(lineNo)", reason: reason))
            } else {
                lines += candidate
            }
        }
        guard notInvoiced.isEmpty else {
            throw BillingError(
                code: "invalid_credit",
                message: "credit memo \(number) names lines order \(first.orderID) has not invoiced",
                errors: notInvoiced + overCredit
            )
        }
        guard overCredit.isEmpty else {
            throw BillingError(
                code: "over_credit",
                message: "credit memo \(number) would credit more than order \(first.orderID) has invoiced and not yet credited",
                errors: overCredit
            )
        }
        let subtotal = lines.reduce(Money.zero(currency)) { $0 + $1.extended }
        let tax = lines.reduce(Money.zero(currency)) { $0 + $1.tax }
        var memo = CreditMemo(
            id: id,
            number: number,
            orderID: first.orderID,
            customerID: first.customerID,
            returnID: returnID,
            reason: reason,
            currency: currency,
            lines: lines,
            subtotal: subtotal,
            tax: tax,
            total: subtotal + tax,
            issuedAt: issuedAt
        )
        // The invoices' entity: a credit memo books where the invoices it credits did.
        memo.legalEntityID = first.legalEntityID
        return memo
    }

    /// Units still creditable per order line: invoiced on posted invoices minus already credited.
    /// - Parameters:
    ///   - invoices: the order's invoices.
    ///   - previousCredits: the order's credit memos.
    /// - Returns: remaining units by line number (lines with nothing left map to 0).
    public static func creditable(invoices: [Invoice], previousCredits: [CreditMemo]) -> [Int: Int] {
        let credited = creditedUnits(previousCredits)
        var result: [Int: Int] = [:]
        for invoice in invoices where invoice.status == .posted {
            for line in invoice.lines {
                let before = min(line.quantity, credited[Key(invoiceID: invoice.id, lineNo: line.lineNo), default: 0])
                result[line.lineNo, default: 0] += max(0, line.quantity - before)
            }
        }
        return result
    }

    /// The cumulative tax credited for the first `creditedUnits` units of an invoice line:
    /// `round_half_away(lineTax × creditedUnits / invoicedQuantity)`, in minor units.
    /// - Parameters:
    ///   - lineTax: the invoice line's tax `T`, in minor units.
    ///   - invoicedQuantity: the invoice line's quantity `Q`; positive.
    ///   - creditedUnits: `k`, from 0 to `Q`.
    /// - Returns: the cumulative tax credited; `lineTax` when `creditedUnits == invoicedQuantity`.
    public static func taxCredited(lineTax: Int64, invoicedQuantity: Int, creditedUnits: Int) -> Int64 {
        lineTax.scaled(by: Int64(creditedUnits), over: Int64(invoicedQuantity))
    }

    private struct Key: Hashable {
        var invoiceID: String
        var lineNo: Int
    }

    private static func creditedUnits(_ memos: [CreditMemo]) -> [Key: Int] {
        var result: [Key: Int] = [:]
        for memo in memos {
            for line in memo.lines { result[Key(invoiceID: line.invoiceID, lineNo: line.lineNo), default: 0] += line.quantity }
        }
        return result
    }

    private static func sortedPosted(_ invoices: [Invoice]) -> [Invoice] {
        invoices.filter { $0.status == .posted }.sorted {
            ($0.issuedAt, $0.number, $0.id) < ($1.issuedAt, $1.number, $1.id)
        }
    }
}

import Foundation

/// Builds invoices. Pure.
///
/// One invoice per shipment, at the order's unit prices. Tax is computed per line as
/// `extended × taxRatePPM / 1 000 000`, rounded half away from zero to the minor unit (the rule of
/// ``TaxRateTable``); the invoice's tax is the sum of its lines' taxes.
public enum Invoicing {
    /// One shipped order line to invoice.
    public struct Item: Hashable, Sendable {
        /// The order line number.
        public var lineNo: Int
        /// The SKU shipped.
        public var sku: String
        /// Units shipped on the shipment.
        public var quantity: Int
        /// The order line's unit price.
        public var unitPrice: Money
        /// Tax rate in parts per million; 0 when tax-exempt.
        public var taxRatePPM: Int64

        /// Creates an item.
        /// - Parameters:
        ///   - lineNo: the order line number.
        ///   - sku: the SKU shipped.
        ///   - quantity: units shipped; must be positive.
        ///   - unitPrice: the order line's unit price; must not be negative.
        ///   - taxRatePPM: tax rate in parts per million; must not be negative.
        public init(lineNo: Int, sku: String, quantity: Int, unitPrice: Money, taxRatePPM: Int64) {
            self.lineNo = lineNo
            self.sku = sku
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.taxRatePPM = taxRatePPM
        }
    }

    /// Builds a posted invoice.
    /// - Parameters:
    ///   - id: hub invoice id.
    ///   - number: the invoice number, e.g. `INV-000123`; must not be empty.
    ///   - orderID: the order.
    ///   - shipmentID: the shipment whose units are invoiced.
    ///   - customerID: the account billed.
    ///   - customerPO: the customer's PO number.
    ///   - currency: the order's currency; every unit price must be in it.
    ///   - items: the shipped lines; at least one, each line number once, each quantity positive.
    ///   - issuedAt: the issue time.
    ///   - netDays: payment terms in days (0 or more); the due date is the UTC issue date plus `netDays`.
    ///   - freight: shipping to bill (untaxed), in the invoice currency; nil or zero for none.
    /// - Returns: the invoice, lines sorted by line number.
    /// - Throws: ``BillingError`` `invalid_invoice` naming every offending field (`items[1].quantity`, …).
    public static func invoice(
        id: String,
        number: String,
        orderID: String,
        shipmentID: String,
        customerID: String,
        customerPO: String? = nil,
        currency: Currency,
        items: [Item],
        issuedAt: Date,
        netDays: Int,
        freight: Money? = nil
    ) throws(BillingError) -> Invoice {
        var errors: [IntakeError.FieldError] = []
        if let freight, freight.currency != currency || freight.minorUnits < 0 {
            errors.append(.init(field: "freight", reason: "must be a non-negative amount in \(currency.code)"))
        }
        if number.isEmpty { errors.append(.init(field: "number", reason: "must not be empty")) }
        if netDays < 0 { errors.append(.init(field: "netDays", reason: "must not be negative, got \(netDays)")) }
        if items.isEmpty { errors.append(.init(field: "items", reason: "must contain at least one shipped line")) }
        var seen: [Int: Int] = [:]
        var lines: [Invoice.Line] = []
        for (index, item) in items.enumerated() {
            let path = "items[\(index)]"
            var valid = true
            func fail(_ field: String, _ reason: String) {
                errors.append(.init(field: "\(path).\(field)", reason: reason))
                valid = false
            }
            if let first = seen[item.lineNo] {
                fail("lineNo", "duplicates items[\(first)] (line \(item.lineNo))")
            } else {
                seen[item.lineNo] = index
            }
            if item.quantity <= 0 { fail("quantity", "must be positive, got \(item.quantity)") }
            if item.unitPrice.currency != currency {
                fail("unitPrice.currency", "\(item.unitPrice.currency.code) differs from the invoice currency \(currency.code)")
            }
            if item.unitPrice.minorUnits < 0 { fail("unitPrice", "must not be negative, got \(item.unitPrice.minorUnits)") }
            if item.taxRatePPM < 0 { fail("taxRatePPM", "must not be negative, got \(item.taxRatePPM)") }
            guard valid else { continue }
            let (extended, overflow) = item.unitPrice.minorUnits.multipliedReportingOverflow(by: Int64(item.quantity))
            if overflow {
                fail("quantity", "\(item.quantity) × \(item.unitPrice.minorUnits) overflows")
                continue
            }
            lines.append(
                Invoice.Line(
                    lineNo: item.lineNo,
                    sku: item.sku,
                    quantity: item.quantity,
                    unitPrice: item.unitPrice,
                    extended: Money(extended, currency),
                    taxRatePPM: item.taxRatePPM,
                    tax: Money(extended.scaled(by: item.taxRatePPM, over: 1_000_000), currency)
                )
            )
        }
        guard errors.isEmpty else {
            throw BillingError(code: "invalid_invoice", message: "invoice \(number) for order \(orderID) cannot be built", errors: errors)
        }
        lines.sort { $0.lineNo < $1.lineNo }
        let subtotal = lines.reduce(Money.zero(currency)) { $0 + $1.extended }
        let tax = lines.reduce(Money.zero(currency)) { $0 + $1.tax }
        let billedFreight = freight.flatMap { $0.minorUnits > 0 ? $0 : nil }
        return Invoice(
            id: id,
            number: number,
            orderID: orderID,
            shipmentID: shipmentID,
            customerID: customerID,
            customerPO: customerPO,
            currency: currency,
            lines: lines,
            subtotal: subtotal,
            tax: tax,
            freight: billedFreight,
            total: subtotal + tax + (billedFreight ?? .zero(currency)),
            issuedAt: issuedAt,
            dueDate: dueDate(issuedAt: issuedAt, netDays: netDays),
            status: .posted
        )
    }

    /// Builds a posted invoice for `shipment`, at `order`'s unit prices and one tax rate for every line.
    /// - Parameters:
    ///   - id: hub invoice id.
    ///   - number: the invoice number.
    ///   - order: the order shipped against; supplies SKUs, unit prices, account, PO and currency.
    ///   - shipment: the shipment; its package contents give the quantities.
    ///   - taxRatePPM: the tax rate in parts per million (the ship-to region's rate; 0 when tax-exempt).
    ///   - issuedAt: the issue time.
    ///   - netDays: payment terms in days.
    ///   - billsShipping: whether this invoice bills the order's shipping charge (the order's first invoice).
    /// - Returns: the invoice.
    /// - Throws: ``BillingError`` `invalid_invoice` when the shipment is for another order, names a line the order
    ///   does not have, or the items are invalid.
    public static func invoice(
        id: String,
        number: String,
        order: SalesOrder,
        shipment: Shipment,
        taxRatePPM: Int64,
        issuedAt: Date,
        netDays: Int,
        billsShipping: Bool = false
    ) throws(BillingError) -> Invoice {
        var errors: [IntakeError.FieldError] = []
        if shipment.orderID != order.id {
            errors.append(.init(field: "shipment.orderId", reason: "\(shipment.orderID) is not order \(order.id)"))
        }
        var items: [Item] = []
        for (lineNo, quantity) in shipment.quantitiesByLine.sorted(by: { $0.key < $1.key }) {
            guard let line = order.lines.first(where: { $0.lineNo == lineNo }) else {
                errors.append(.init(field: "shipment.lines.\(lineNo)", reason: "order \(order.id) has no line \(lineNo)"))
                continue
            }
            items.append(Item(lineNo: lineNo, sku: line.sku, quantity: quantity, unitPrice: line.unitPrice, taxRatePPM: taxRatePPM))
        }
        guard errors.isEmpty else {
            throw BillingError(code: "invalid_invoice", message: "shipment \(shipment.id) does not fit order \(order.id)", errors: errors)
        }
        var invoice = try invoice(
            id: id,
            number: number,
            orderID: order.id,
            shipmentID: shipment.id,
            customerID: order.customerID,
            customerPO: order.customerPO,
            currency: order.currency,
            items: items,
            issuedAt: issuedAt,
            netDays: netDays,
            freight: billsShipping ? order.shipping : nil
        )
        invoice.legalEntityID = order.legalEntityID
        return invoice
    }

    /// The UTC calendar date of `issuedAt` plus `netDays`, as `YYYY-MM-DD`.
    /// - Parameters:
    ///   - issuedAt: the issue time; its UTC date is the start.
    ///   - netDays: days to add.
    /// - Returns: the due date.
    public static func dueDate(issuedAt: Date, netDays: Int) -> String {
        BusinessDay(containing: issuedAt).adding(days: netDays).description
    }
}

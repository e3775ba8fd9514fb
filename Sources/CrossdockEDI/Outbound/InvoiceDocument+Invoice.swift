import CrossdockDomain
import Foundation

extension InvoiceDocument {
    /// Builds the 810 for a canonical invoice.
    ///
    /// Mapping: BIG issue date, invoice number, PO date (the order's receipt date) and PO number (the invoice's, else
    /// the order's customer PO, else the channel order id); CUR `SE` when the currency is not USD; REF `SI` the
    /// shipment id; N1 `BT` (the customer's bill-to, id qualifier 91 with the customer id), `ST` (ship-to code, 92) and
    /// `RE` (remit-to); ITD from the customer's terms (`01` with a discount, else `05`; basis `3` invoice date; net due
    /// date the invoice's due date); DTM `011` shipped and CAD (`U` private parcel, SCAC and service; CAD01 is mandatory in 005010) when the shipment is given; IT1 per
    /// line (line number, quantity, unit, unit price, `PE`, `VP` SKU, GTIN; in the unit ordered, at the price per that
    /// unit, when the line was ordered in cases and the invoice holds whole cases) with TXI `ST` (line tax and rate) when
    /// taxed and PID; TDS the invoice total in implied-decimal cents, to the cent; summary TXI `ST` the total tax. The
    /// canonical invoice has no charges or allowances, so no SAC is written.
    /// - Parameters:
    ///   - invoice: the invoice.
    ///   - order: its order (PO number, PO date, ship-to).
    ///   - customer: the billed account (bill-to, terms).
    ///   - products: the product master by SKU (GTIN, description, unit).
    ///   - remitTo: where payment goes (our address).
    ///   - shipment: the shipment invoiced, for DTM 011 and CAD.
    /// - Throws: `invalid_value` when the total is not a whole number of cents (a currency with three minor digits),
    ///   which TDS01 (N2) cannot carry.
    public init(
        invoice: Invoice,
        order: SalesOrder,
        customer: Customer,
        products: [String: Product],
        remitTo: Address,
        shipment: Shipment? = nil
    ) throws(OutboundMappingError) {
        let currency = invoice.currency
        let cents = X12Number.major(invoice.total) * 100
        guard let totalCents = Int64(X12Number.format(cents)) else {
            throw OutboundMappingError(
                code: "invalid_value",
                message:
                    "invoice \(invoice.number): the total \(X12Number.format(X12Number.major(invoice.total))) \(currency.code) is not whole cents",
                segmentID: "TDS"
            )
        }
        let terms = customer.paymentTerms
        let lines = invoice.lines.map { line in
            let product = products[line.sku]
            let percent = Decimal(line.taxRatePPM) / 10_000
            // A line ordered in cases is invoiced in cases when it shipped whole cases, at the price per case.
            let ordered = order.lines.first { $0.lineNo == line.lineNo }
            let (quantity, unit) = ordered?.partnerQuantity(line.quantity) ?? (line.quantity, nil)
            let perUnit = unit != nil && unit == ordered?.orderedUnit?.code ? Int64(ordered?.orderedUnit?.quantity ?? 1) : 1
            return Line(
                lineNumber: String(line.lineNo),
                quantity: Decimal(quantity),
                unit: unit ?? product?.unitOfMeasure ?? "EA",
                unitPrice: X12Number.major(Money(line.unitPrice.minorUnits * perUnit, line.unitPrice.currency)),
                priceBasis: "PE",
                ids: [ItemID("VP", line.sku)] + (product?.gtin.flatMap(ItemID.gtin).map { [$0] } ?? []),
                taxes: line.tax.minorUnits == 0 && line.taxRatePPM == 0 ? [] : [Tax(type: "ST", amount: X12Number.major(line.tax), percent: percent)],
                description: product?.description
            )
        }
        let carrier = shipment.map { s in
            let scac = ShipNotice.scac(s.carrier)
            return Carrier(
                transportationMethod: "U",
                scac: scac,
                routing: scac == nil ? ([s.carrier] + [s.service].compactMap { $0 }).joined(separator: " ") : s.service
            )
        }
        self.init(
            invoiceDate: X12DateFormat.iso(invoice.issuedAt).day,
            invoiceNumber: invoice.number,
            purchaseOrderDate: X12DateFormat.iso(order.receivedAt).day,
            purchaseOrderNumber: invoice.customerPO ?? order.customerPO ?? order.externalID,
            currency: currency == .usd ? nil : currency.code,
            references: [Reference(qualifier: "SI", value: X12Identifier.compact(invoice.shipmentID))],
            parties: [
                Party(role: "BT", address: customer.billTo, idQualifier: "91", id: customer.id),
                Party(role: "ST", address: order.shipTo.address, idQualifier: "92", id: order.shipTo.code),
                Party(role: "RE", address: remitTo),
            ],
            terms: [
                Terms(
                    typeCode: terms.discountBasisPoints == nil ? "05" : "01",
                    basisDateCode: "3",
                    discountPercent: terms.discountBasisPoints.map { Decimal($0) / 100 },
                    discountDays: terms.discountDays,
                    netDueDate: invoice.dueDate,
                    netDays: terms.netDays,
                    description: terms.code
                )
            ],
            dates: shipment.map { [DateReference(qualifier: "011", date: X12DateFormat.iso($0.shippedAt).day)] } ?? [],
            lines: lines,
            totalCents: totalCents,
            taxes: invoice.tax.minorUnits == 0 ? [] : [Tax(type: "ST", amount: X12Number.major(invoice.tax), percent: nil)],
            carrier: carrier,
            charges: [],
            lineCount: nil
        )
    }

    /// The currency: CUR02, or USD without a CUR.
    public var currencyValue: Currency? { currency.map { Currency($0) } ?? .usd }

    /// The lines as canonical invoice lines: line number, `VP` SKU, quantity, unit price, extension, tax rate (TXI03 ×
    /// 10 000 ppm) and tax, in the document's currency.
    /// - Throws: `invalid_value` when a line number, quantity or amount is not whole in the currency's minor units.
    public func invoiceLines() throws(OutboundMappingError) -> [Invoice.Line] {
        guard let currency = currencyValue else {
            throw OutboundMappingError(
                code: "invalid_value",
                message: "CUR02 \(ASCII.quote(currency ?? "")) is not a currency code",
                segmentID: "CUR"
            )
        }
        var result: [Invoice.Line] = []
        for line in lines {
            guard let number = line.lineNumber.flatMap({ Int($0) }), let quantity = Int(X12Number.format(line.quantity)) else {
                throw OutboundMappingError(
                    code: "invalid_value",
                    message: "IT1 line \(line.lineNumber ?? "?") has no numeric line number or a fractional quantity",
                    segmentID: "IT1"
                )
            }
            let price = try X12Number.money(line.unitPrice ?? 0, currency, "IT104", segment: "IT1")
            let tax = line.taxes.first { $0.type == "ST" }
            let ppm = NSDecimalNumber(decimal: (tax?.percent ?? 0) * 10_000).int64Value
            result.append(
                Invoice.Line(
                    lineNo: number,
                    sku: line.id("VP") ?? line.id("VN") ?? "",
                    quantity: quantity,
                    unitPrice: price,
                    extended: price * quantity,
                    taxRatePPM: ppm,
                    tax: try X12Number.money(tax?.amount ?? 0, currency, "TXI02", segment: "TXI")
                )
            )
        }
        return result
    }
}

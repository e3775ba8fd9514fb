import CrossdockDomain

extension PurchaseOrderAcknowledgment {
    /// Builds the 855 for a hub order, echoing the original 850's lines when it is given.
    ///
    /// BAK02 is `RD` when the order is rejected, `AT` when every line is accepted as ordered (all `IA`), else `AC`.
    /// Each line echoes the 850's PO1 (PO101 as the buyer wrote it, its quantity, unit, price and item IDs; without the
    /// 850: the line number, quantity, `EA`, the price and `VP` SKU) and gets one ACK per quantity bucket, each in the
    /// unit ordered (cases) when it is a whole number of them, else in the product's base unit:
    /// - `IR` rejected units (the whole line when the order is rejected);
    /// - `ID` when every unit is cancelled; `IQ` with the new quantity when some are;
    /// - `IH` the live units when the order is on hold;
    /// - `IB` backordered units, with ACK04 `068` (current schedule ship) and ACK05 the promised date when known;
    /// - `IA` the other live units, or `IS` when the line ships a substitute, whose SKU is in ACK07/08 (`VP`) while the
    ///   PO1 keeps the ordered item.
    /// - Parameters:
    ///   - order: the hub order.
    ///   - purchaseOrder: the 850 it came from, if any; lines are paired on ``PurchaseOrder/lineNo(of:at:)``.
    ///   - date: the acknowledgment date (BAK09), `CCYYMMDD`.
    public init(order: SalesOrder, purchaseOrder: PurchaseOrder? = nil, date: String) {
        var ordered: [Int: PurchaseOrder.Line] = [:]
        for (index, line) in (purchaseOrder?.lines ?? []).enumerated() { ordered[PurchaseOrder.lineNo(of: line, at: index)] = line }
        let lines = order.lines.map { line in
            Self.line(line, echo: ordered[line.lineNo], rejected: order.status == .rejected, onHold: order.status == .onHold)
        }
        let allAccepted = lines.allSatisfy { $0.statuses.allSatisfy { $0.code == "IA" } }
        self.init(
            status: order.status == .rejected ? "RD" : allAccepted ? "AT" : "AC",
            purchaseOrderNumber: order.customerPO ?? purchaseOrder?.number ?? order.externalID,
            purchaseOrderDate: purchaseOrder?.date ?? X12DateFormat.stamp(order.receivedAt).date,
            orderNumber: X12Identifier.compact(order.id),
            acknowledgmentDate: date,
            currency: order.currency.code,
            parties: [Self.shipTo(order.shipTo)],
            lines: lines
        )
    }

    /// The 855 `RD` for an order the hub rejected before creating it: every line of the 850 echoed with `IR`.
    /// - Parameters:
    ///   - purchaseOrder: the 850.
    ///   - date: the acknowledgment date (BAK09), `CCYYMMDD`.
    public static func rejecting(_ purchaseOrder: PurchaseOrder, date: String) -> PurchaseOrderAcknowledgment {
        PurchaseOrderAcknowledgment(
            status: "RD",
            purchaseOrderNumber: purchaseOrder.number,
            purchaseOrderDate: purchaseOrder.date,
            acknowledgmentDate: date,
            currency: purchaseOrder.currency,
            lines: purchaseOrder.lines.map { line in
                Line(
                    lineNumber: line.lineNumber,
                    quantity: line.quantity,
                    unit: line.unit,
                    unitPrice: line.unitPrice,
                    priceBasis: line.priceBasis,
                    items: line.items,
                    statuses: [LineStatus(code: "IR", quantity: line.quantity ?? "0", unit: line.unit ?? "EA")]
                )
            }
        )
    }

    private static func line(_ line: OrderLine, echo: PurchaseOrder.Line?, rejected: Bool, onHold: Bool) -> Line {
        let unit = echo?.unit ?? "EA"
        // Quantities answer in the unit ordered (cases) when they are whole cases, else in the base unit.
        func status(_ code: String, _ quantity: Int, date: String? = nil, items: [ItemID] = []) -> LineStatus {
            let (count, partnerUnit) = line.partnerQuantity(quantity)
            return LineStatus(
                code: code,
                quantity: String(count),
                unit: partnerUnit ?? unit,
                dateQualifier: date == nil ? nil : "068",
                date: date,
                items: items
            )
        }
        var statuses: [LineStatus] = []
        if rejected || line.rejected == line.quantity {
            statuses = [status("IR", line.quantity)]
        } else if line.cancelled == line.quantity {
            statuses = [status("ID", 0)]
        } else {
            if line.rejected > 0 { statuses.append(status("IR", line.rejected)) }
            if line.cancelled > 0 { statuses.append(status("IQ", line.live)) }
            if onHold {
                statuses.append(status("IH", line.live))
            } else {
                let backordered = min(line.backordered, line.live)
                if backordered > 0 {
                    statuses.append(status("IB", backordered, date: line.promisedDate.flatMap { X12DateFormat.compact(isoDay: $0) }))
                }
                let rest = line.live - backordered
                if rest > 0 {
                    statuses.append(line.isSubstituted ? status("IS", rest, items: [ItemID("VP", line.sku)]) : status("IA", rest))
                }
            }
        }
        return Line(
            lineNumber: echo?.lineNumber ?? String(line.lineNo),
            quantity: echo?.quantity ?? String(line.partnerQuantity(line.quantity).quantity),
            unit: echo?.unit ?? line.partnerQuantity(line.quantity).unit ?? unit,
            unitPrice: echo?.unitPrice ?? DecimalText.text(line.unitPrice.minorUnits, places: 2),
            priceBasis: echo?.priceBasis ?? "PE",
            items: echo?.items ?? [ItemID("VP", line.orderedSKU)],
            statuses: statuses
        )
    }

    private static func shipTo(_ shipTo: ShipTo) -> Party {
        let a = shipTo.address
        let region = a.region.split(separator: "-").last.map(String.init)
        return Party(
            role: "ST",
            name: a.name,
            idQualifier: "92",
            id: shipTo.code,
            addressLines: a.lines,
            city: a.city,
            state: region,
            postalCode: a.postalCode,
            country: a.country
        )
    }
}

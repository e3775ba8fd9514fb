import CrossdockDomain

extension PurchaseOrder {
    /// The 850 a buyer would send for `request`: what the sandbox EDI partner posts. Reading it back with
    /// ``orderRequest(for:from:skuForGTIN:)`` gives `request` again when its channel is `edi`, its externalID is
    /// `"<partner.id>:<customerPO>"` and its customer is the partner's.
    ///
    /// BEG `00`/`SA` with the PO number (`customerPO`, else the externalID without the `<partner.id>:` prefix),
    /// CUR `BY`, CSH (`SC` ship complete / `Y` ship partial), DTM `010` requested ship, N1 `ST` with qualifier `92` and
    /// the ship-to code; each line PO1 with its number (when given), quantity, its unit (`EA` when none), the price with
    /// basis `PE` (when
    /// given), `VP` SKU, plus `BP` when the partner has a buyer part for the SKU and `UP` when `gtinForSKU` knows one.
    /// - Parameters:
    ///   - request: the intake command.
    ///   - partner: the partner the order is from.
    ///   - date: BEG05, `CCYYMMDD`.
    ///   - gtinForSKU: a GTIN for a SKU, if any.
    public init(_ request: OrderRequest, partner: TradingPartner, date: String, gtinForSKU: (_ sku: String) -> String? = { _ in nil }) {
        let prefix = partner.id + ":"
        let number =
            request.customerPO ?? (request.externalID.hasPrefix(prefix) ? String(request.externalID.dropFirst(prefix.count)) : request.externalID)
        var buyerParts: [String: String] = [:]
        for (part, sku) in partner.buyerPartNumbers.sorted(by: { $0.key < $1.key }) where buyerParts[sku] == nil { buyerParts[sku] = part }
        self.init(
            number: number,
            date: date,
            currency: request.currency.code,
            salesRequirement: request.shipPolicy.flatMap { policy in Self.shipPolicies.first { $0.value == policy }?.key },
            dates: request.requestedDate.flatMap { X12DateFormat.compact(isoDay: $0) }.map { [DateReference(qualifier: "010", date: $0)] } ?? [],
            parties: request.shipToCode.map { [Party(role: "ST", idQualifier: "92", id: $0)] } ?? [],
            lines: request.lines.map { line in
                var items = [ItemID("VP", line.sku)]
                if let part = buyerParts[line.sku] { items.append(ItemID("BP", part)) }
                if let gtin = gtinForSKU(line.sku) { items.append(ItemID("UP", gtin)) }
                return Line(
                    lineNumber: line.lineNo.map(String.init),
                    quantity: String(line.quantity),
                    unit: line.unitOfMeasure ?? "EA",
                    unitPrice: line.unitPrice.map { DecimalText.text($0, places: 2) },
                    priceBasis: line.unitPrice == nil ? nil : "PE",
                    items: items
                )
            },
            lineCount: request.lines.count
        )
    }
}

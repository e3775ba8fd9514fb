import CrossdockDomain

extension PurchaseOrder {
    /// Maps the order to the hub's intake command.
    ///
    /// - `channel` `edi`, `externalID` `"<partner.id>:<BEG03>"`, `customerPO` BEG03, `customerID` the partner's.
    /// - `currency` CUR02, else USD. Prices have two decimals in every currency.
    /// - `requestedDate` DTM `010` (requested ship), else `002` (delivery requested), as `YYYY-MM-DD`.
    /// - `shipToCode` N104 of the `ST` party; `shipPolicy` from CSH01 (`SC` ship complete, `Y` ship partial).
    /// - Each PO1: `lineNo` is PO101 when it is a positive integer of at most 9 digits, `nil` when PO101 is absent
    ///   (intake numbers such lines 1...), else the line's position (1-based); the raw PO101 stays in the ``PurchaseOrder`` for the 855 to echo. The quantity (PO102) must be a
    ///   positive whole number (`16`, `16.00`). The price (PO104) becomes minor units exactly: digits beyond the cents
    ///   must be zeros (`4.2500` is 425; `4.255` is rejected, never rounded). The unit (PO103) is taken as the product's
    ///   unit: the hub does not convert units.
    /// - The SKU comes from the first of the partner's ``TradingPartner/itemQualifiers`` that resolves: vendor part
    ///   (`VP`/`VN`/`VA`) is the SKU; buyer part (`BP`/`IN`/`CB`) through ``TradingPartner/buyerPartNumbers``; UPC/GTIN
    ///   (`UP`/`UK`/`EN`/`UA`/`UI`) through `skuForGTIN`, which is given the ID as written.
    ///
    /// - Parameters:
    ///   - partner: the sending partner.
    ///   - set: the set the order was decoded from, so errors name segment positions; optional.
    ///   - skuForGTIN: looks up a SKU by GTIN/UPC.
    /// - Throws: every mapping problem, each naming its PO1 (or BEG/CUR) and element.
    public func orderRequest(
        for partner: TradingPartner,
        from set: X12TransactionSet? = nil,
        skuForGTIN: (_ gtin: String) -> String?
    ) throws(X12SetRejection) -> OrderRequest {
        var problems = MappingProblems(set: set)
        if partner.customerID == nil {
            problems.add(
                "partner_without_customer",
                "trading partner \(partner.id) has no customer account to book orders to",
                "BEG",
                0,
                element: nil
            )
        }
        var currency = Currency.usd
        if let code = self.currency {
            if let parsed = Currency(code) {
                currency = parsed
            } else {
                problems.add("invalid_currency", "CUR02 \(ASCII.quote(code)) is not an ISO 4217 code", "CUR", 0, element: 2)
            }
        }
        var lines: [OrderRequest.Line] = []
        var seen: Set<Int> = []
        for (index, line) in self.lines.enumerated() {
            let number = Self.lineNo(of: line, at: index)
            if !seen.insert(number).inserted {
                problems.add(
                    "duplicate_line_number",
                    "PO101 \(ASCII.quote(line.lineNumber ?? "")) repeats line number \(number)",
                    "PO1",
                    index,
                    element: 1
                )
            }
            let quantity = problems.quantity(line, index)
            let price = problems.price(line, index)
            let sku = problems.sku(line, index, partner: partner, skuForGTIN: skuForGTIN)
            if let quantity, let sku {
                lines.append(
                    OrderRequest.Line(
                        lineNo: line.lineNumber == nil ? nil : number,
                        sku: sku,
                        quantity: quantity,
                        unitPrice: price,
                        unitOfMeasure: line.unit.flatMap { $0.isEmpty ? nil : $0 },
                        channelLineRef: line.lineNumber
                    )
                )
            }
        }
        if self.lines.isEmpty { problems.add("no_lines", "the order has no PO1 lines", "BEG", 0, element: nil) }
        guard problems.errors.isEmpty else { throw X12SetRejection(problems.errors) }
        let requested = date("010") ?? date("002")
        var request = OrderRequest(
            channel: "edi",
            externalID: "\(partner.id):\(number)",
            customerID: partner.customerID ?? "",
            customerPO: number,
            currency: currency,
            requestedDate: requested?.isoDate,
            shipPolicy: salesRequirement.flatMap { Self.shipPolicies[$0] },
            shipToCode: party("ST")?.id,
            lines: lines
        )
        request.channelRef = ChannelReference(partner: partner.id, orderId: number)
        if let total = totalAmount, case .success(let cents) = DecimalText.scaled(total, places: 2), cents >= 0 {
            let amount = Money(cents, currency)
            let zero = Money.zero(currency)
            request.channelTotals = ChannelAmounts(subtotal: amount, discounts: zero, tax: zero, shipping: zero, total: amount, scope: .goods)
        }
        return request
    }

    /// The canonical line number of the line at `index`: PO101 when it is a positive integer of at most 9 digits,
    /// else `index + 1`.
    public static func lineNo(of line: Line, at index: Int) -> Int {
        if let raw = line.lineNumber, raw.utf8.count <= 9, let n = ASCII.number(raw), n > 0 { return n }
        return index + 1
    }

    /// CSH01 codes and the ship policies they mean.
    static let shipPolicies: [String: ShipPolicy] = ["SC": .shipComplete, "Y": .shipPartial]
}

/// Collects mapping errors, naming the n-th PO1 (or the BEG/CUR) of the set when one is given.
private struct MappingProblems {
    let set: X12TransactionSet?
    var errors: [X12SetError] = []

    mutating func add(_ code: String, _ message: String, _ segmentID: String, _ ordinal: Int, element: Int?, value: String? = nil) {
        let index = set.flatMap { set in set.segments.indices.filter { set.segments[$0].id == segmentID }.dropFirst(ordinal).first }
        let label = segmentID == "PO1" ? "PO1 #\(ordinal + 1): " : ""
        errors.append(
            X12SetError(
                code: code,
                message: label + message,
                segmentID: segmentID,
                setPosition: index.map { $0 + 2 } ?? 0,
                interchangePosition: index.flatMap { set?.segments[$0].position?.segment },
                loopID: segmentID == "PO1" ? "PO1" : nil,
                elementPosition: element,
                badValue: value
            )
        )
    }

    mutating func quantity(_ line: PurchaseOrder.Line, _ index: Int) -> Int? {
        guard let raw = line.quantity else {
            add("missing_quantity", "PO102 (quantity) is required to book the line", "PO1", index, element: 2)
            return nil
        }
        guard case .success(let value) = DecimalText.scaled(raw, places: 0), value > 0, value <= Int64(Int32.max) else {
            add("invalid_quantity", "PO102 \(ASCII.quote(raw)) is not a positive whole quantity", "PO1", index, element: 2, value: raw)
            return nil
        }
        return Int(value)
    }

    mutating func price(_ line: PurchaseOrder.Line, _ index: Int) -> Int64? {
        guard let raw = line.unitPrice else { return nil }
        switch DecimalText.scaled(raw, places: 2) {
        case .success(let cents) where cents >= 0: return cents
        case .failure(.tooPrecise):
            add(
                "price_precision",
                "PO104 \(ASCII.quote(raw)) has non-zero digits beyond cents; prices are not rounded",
                "PO1",
                index,
                element: 4,
                value: raw
            )
        default:
            add("invalid_price", "PO104 \(ASCII.quote(raw)) is not a non-negative price", "PO1", index, element: 4, value: raw)
        }
        return nil
    }

    mutating func sku(_ line: PurchaseOrder.Line, _ index: Int, partner: TradingPartner, skuForGTIN: (String) -> String?) -> String? {
        var tried: [String] = []
        var firstElement: Int?
        for qualifier in partner.itemQualifiers {
            let codes = ItemID.codes[qualifier] ?? []
            for (k, item) in line.items.enumerated() where codes.contains(item.qualifier) && !item.id.isEmpty {
                firstElement = firstElement ?? 7 + 2 * k
                let sku: String? =
                    switch qualifier {
                    case .vendorPart: item.id
                    case .buyerPart: partner.buyerPartNumbers[item.id]
                    case .upc: skuForGTIN(item.id)
                    }
                if let sku { return sku }
                tried.append("\(item.qualifier) \(ASCII.quote(item.id)) is unknown")
            }
        }
        let accepted = partner.itemQualifiers.map(\.rawValue).joined(separator: ", ")
        let carried = line.items.map(\.qualifier).filter { !$0.isEmpty }.joined(separator: ", ")
        let detail =
            tried.isEmpty
            ? "it carries \(carried.isEmpty ? "no item IDs" : carried), none of the partner's qualifiers (\(accepted))"
            : tried.joined(separator: "; ")
        add("unknown_item", "no item ID resolves to a SKU: \(detail)", "PO1", index, element: firstElement ?? 6)
        return nil
    }
}

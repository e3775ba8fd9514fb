import Foundation

extension InvoiceDocument {
    /// The 810: BIG, CUR, REF, N1 loops, ITD, DTM, then IT1 (TXI, PID) per line, then TDS, TXI, CAD, SAC, CTT.
    public func transactionSet() -> X12TransactionSet {
        func day(_ iso: String?) -> String { iso.map { X12DateFormat.compact(isoDay: $0) ?? $0 } ?? "" }
        func number(_ value: Decimal?) -> String { value.map(X12Number.format) ?? "" }
        var body = [X12Segment("BIG", [day(invoiceDate), invoiceNumber, day(purchaseOrderDate), purchaseOrderNumber ?? ""])]
        if let currency { body.append(X12Segment("CUR", ["SE", currency])) }
        body += references.map(\.segment) + parties.flatMap(\.segments)
        for t in terms {
            body.append(
                X12Segment(
                    "ITD",
                    [
                        t.typeCode ?? "", t.basisDateCode ?? "", number(t.discountPercent), "", t.discountDays.map(String.init) ?? "",
                        day(t.netDueDate),
                        t.netDays.map(String.init) ?? "", "", "", "", "", t.description ?? "",
                    ]
                )
            )
        }
        body += dates.map(\.dtm)
        for line in lines {
            body.append(
                X12Segment(
                    "IT1",
                    optionals: [line.lineNumber, number(line.quantity), line.unit, number(line.unitPrice), line.priceBasis]
                        + ItemID.elements(line.ids)
                )
            )
            body += line.taxes.map { X12Segment("TXI", [$0.type, number($0.amount), number($0.percent)]) }
            if let description = line.description { body.append(X12Segment("PID", ["F", "", "", "", description])) }
        }
        body.append(X12Segment("TDS", [String(totalCents)]))
        body += taxes.map { X12Segment("TXI", [$0.type, number($0.amount), number($0.percent)]) }
        if let carrier { body.append(X12Segment("CAD", [carrier.transportationMethod ?? "", "", "", carrier.scac ?? "", carrier.routing ?? ""])) }
        for c in charges {
            body.append(
                X12Segment(
                    "SAC",
                    [c.indicator, c.code ?? "", "", "", c.amountCents.map(String.init) ?? ""] + Array(repeating: "", count: 9) + [c.description ?? ""]
                )
            )
        }
        body.append(X12Segment("CTT", [String(lines.count)]))
        return X12TransactionSet(id: "810", controlNumber: "0001", segments: body)
    }

    /// Reads an 810. Segments the model does not carry (NTE, PER, FOB, SDQ, ISS, AMT, line-level SAC/REF/N1...) are
    /// skipped. Line-level SAC and N1 loops are skipped too; summary SACs (after TDS) are kept.
    /// - Parameter set: an 810 transaction set.
    /// - Throws: `wrong_set`, `missing_segment` (BIG, TDS) or `invalid_value`.
    public init(transactionSet set: X12TransactionSet) throws(OutboundMappingError) {
        guard set.id == "810" else { throw OutboundMappingError(code: "wrong_set", message: "ST01 is \(set.id), not 810", segmentID: "ST") }
        guard let big = set.segments.first(where: { $0.id == "BIG" }), let number = big.value(2), let date = big.value(1) else {
            throw OutboundMappingError(code: "missing_segment", message: "an 810 needs a BIG with BIG01 and BIG02", segmentID: "BIG")
        }
        guard let tds = set.segments.first(where: { $0.id == "TDS" }), let total = tds.value(1).flatMap({ Int64($0) }) else {
            throw OutboundMappingError(code: "missing_segment", message: "an 810 needs a TDS with a whole-number TDS01", segmentID: "TDS")
        }
        func iso(_ raw: String?, _ name: String) throws(OutboundMappingError) -> String? {
            guard let raw else { return nil }
            return try DateReference.isoDate(raw, segmentID: "DTM")
        }
        self.init(
            invoiceDate: try iso(date, "BIG01") ?? "",
            invoiceNumber: number,
            purchaseOrderDate: try iso(big.value(3), "BIG03"),
            purchaseOrderNumber: big.value(4),
            currency: nil,
            references: [],
            parties: [],
            terms: [],
            dates: [],
            lines: [],
            totalCents: total,
            taxes: [],
            carrier: nil,
            charges: [],
            lineCount: nil
        )
        var summary = false
        var inLine = false
        for s in set.segments {
            switch s.id {
            case "CUR" where !inLine && !summary: currency = s.value(2)
            case "REF" where !inLine && !summary: references.append(Reference(s))
            case "N1" where !inLine && !summary: parties.append(Party(n1: s))
            case "N2", "N3", "N4":
                if !inLine && !summary && !parties.isEmpty { _ = parties[parties.count - 1].absorb(s) }
            case "ITD" where !inLine:
                terms.append(
                    Terms(
                        typeCode: s.value(1),
                        basisDateCode: s.value(2),
                        discountPercent: try X12Number.optional(s.value(3), "ITD03", segment: "ITD"),
                        discountDays: s.value(5).flatMap { Int($0) },
                        netDueDate: try iso(s.value(6), "ITD06"),
                        netDays: s.value(7).flatMap { Int($0) },
                        description: s.value(12)
                    )
                )
            case "DTM" where !inLine && !summary: dates.append(try DateReference(checking: s))
            case "IT1":
                inLine = true
                lines.append(
                    Line(
                        lineNumber: s.value(1),
                        quantity: try X12Number.require(s.value(2), "IT102", segment: "IT1"),
                        unit: s.value(3) ?? "",
                        unitPrice: try X12Number.optional(s.value(4), "IT104", segment: "IT1"),
                        priceBasis: s.value(5),
                        ids: ItemID.pairs(in: s, from: 6).filter(\.isComplete),
                        taxes: [],
                        description: nil
                    )
                )
            case "TXI":
                let tax = Tax(
                    type: s.value(1) ?? "",
                    amount: try X12Number.optional(s.value(2), "TXI02", segment: "TXI"),
                    percent: try X12Number.optional(s.value(3), "TXI03", segment: "TXI")
                )
                if summary { taxes.append(tax) } else if inLine { lines[lines.count - 1].taxes.append(tax) }
            case "PID" where inLine && !summary && lines[lines.count - 1].description == nil:
                lines[lines.count - 1].description = s.value(5)
            case "TDS":
                summary = true
                inLine = false
            case "CAD" where summary: carrier = Carrier(transportationMethod: s.value(1), scac: s.value(4), routing: s.value(5))
            case "SAC" where summary:
                charges.append(
                    Charge(indicator: s.value(1) ?? "", code: s.value(2), amountCents: s.value(5).flatMap { Int64($0) }, description: s.value(15))
                )
            case "CTT": lineCount = s.value(1).flatMap { Int($0) }
            default: break
            }
        }
    }
}

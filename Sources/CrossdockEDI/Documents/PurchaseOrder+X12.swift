extension PurchaseOrder {
    /// Reads an 850.
    ///
    /// Rejects the set (every error, with its 997 codes) when ``schema`` finds a syntax error, or when CTT01 is not the
    /// number of PO1 segments (AK4 code 7 on CTT01). The CTT02 hash total is kept but not checked.
    /// - Parameters:
    ///   - set: the transaction set.
    ///   - strictness: `.strict` by default.
    public static func decode(_ set: X12TransactionSet, strictness: X12Strictness = .strict) throws(X12SetRejection) -> PurchaseOrder {
        var errors = schema.errors(in: set, strictness)
        if errors.contains(where: { $0.code == "wrong_transaction_set" }) { throw X12SetRejection(errors) }
        var order = PurchaseOrder(number: "", date: "", lines: [])
        var cttIndex: Int?
        // Where N1/REF/PER/DTM go: the header or the current line.
        var inLine = false
        var inParty = false
        for (index, segment) in set.segments.enumerated() {
            let line = order.lines.count - 1
            if inParty {
                if inLine, order.lines[line].parties[order.lines[line].parties.count - 1].absorb(segment) { continue }
                if !inLine, order.parties[order.parties.count - 1].absorb(segment) { continue }
                inParty = false
            }
            switch segment.id {
            case "BEG":
                order.purpose = segment.value(1) ?? ""
                order.type = segment.value(2) ?? ""
                order.number = segment.value(3) ?? ""
                order.release = segment.value(4)
                order.date = segment.value(5) ?? ""
                order.contract = segment.value(6)
            case "CUR" where !inLine: order.currency = segment.value(2)
            case "REF" where inLine: order.lines[line].references.append(Reference(segment))
            case "REF": order.references.append(Reference(segment))
            case "PER" where !inLine: order.contacts.append(Contact(segment))
            case "FOB" where !inLine: order.fobPayment = segment.value(1)
            case "CSH" where !inLine: order.salesRequirement = segment.value(1)
            case "ITD" where !inLine:
                order.terms.append(
                    Terms(
                        type: segment.value(1),
                        basisDate: segment.value(2),
                        discountPercent: segment.value(3),
                        discountDays: segment.value(5),
                        netDays: segment.value(7),
                        description: segment.value(12)
                    )
                )
            case "DTM" where inLine: order.lines[line].dates.append(DateReference(dtm: segment))
            case "DTM": order.dates.append(DateReference(dtm: segment))
            case "TD5" where !inLine:
                order.routings.append(
                    Routing(
                        sequence: segment.value(1),
                        carrierQualifier: segment.value(2),
                        carrier: segment.value(3),
                        method: segment.value(4),
                        routing: segment.value(5)
                    )
                )
            case "N1" where inLine:
                order.lines[line].parties.append(Party(n1: segment))
                inParty = true
            case "N1":
                order.parties.append(Party(n1: segment))
                inParty = true
            case "PO1":
                inLine = true
                order.lines.append(Line(po1: segment))
            case "PID" where inLine: order.lines[line].descriptions.append(Description(type: segment.value(1) ?? "", text: segment.value(5)))
            case "PO4" where inLine && order.lines[line].pack == nil:
                order.lines[line].pack = Pack(pack: segment.value(1), size: segment.value(2), unit: segment.value(3))
            case "CTT":
                inLine = false
                cttIndex = index
                order.lineCount = segment.value(1).flatMap(ASCII.number)
                order.hashTotal = segment.value(2)
            case "AMT" where order.totalAmount == nil || segment.value(1) == "TT":
                order.totalAmount = segment.value(2)
            default:
                break
            }
        }
        if let cttIndex, let error = Line.lineCountError(in: set, ctt: cttIndex, count: order.lineCount, lines: order.lines.count) {
            errors.append(error)
        }
        guard errors.isEmpty else { throw X12SetRejection(errors) }
        return order
    }

    /// The 850 as a transaction set (ST02 `0001`; the serializer assigns the real control number). CTT01 is the number
    /// of lines; the other values are written as they are.
    public func transactionSet() -> X12TransactionSet {
        var segments = [X12Segment("BEG", optionals: [purpose, type, number, release, date, contract])]
        if let currency { segments.append(X12Segment("CUR", optionals: ["BY", currency])) }
        segments += references.map(\.segment)
        segments += contacts.map(\.segment)
        if let fobPayment { segments.append(X12Segment("FOB", optionals: [fobPayment])) }
        if let salesRequirement { segments.append(X12Segment("CSH", optionals: [salesRequirement])) }
        for t in terms {
            segments.append(
                X12Segment(
                    "ITD",
                    optionals: [t.type, t.basisDate, t.discountPercent, nil, t.discountDays, nil, t.netDays, nil, nil, nil, nil, t.description]
                )
            )
        }
        segments += dates.map(\.dtm)
        for r in routings {
            segments.append(X12Segment("TD5", optionals: [r.sequence, r.carrierQualifier, r.carrier, r.method, r.routing]))
        }
        segments += parties.flatMap(\.segments)
        for line in lines {
            segments.append(line.po1)
            for d in line.descriptions { segments.append(X12Segment("PID", optionals: [d.type, nil, nil, nil, d.text])) }
            if let pack = line.pack { segments.append(X12Segment("PO4", optionals: [pack.pack, pack.size, pack.unit])) }
            segments += line.references.map(\.segment)
            segments += line.dates.map(\.dtm)
            segments += line.parties.flatMap(\.segments)
        }
        segments.append(X12Segment("CTT", optionals: [String(lines.count), hashTotal]))
        if let totalAmount { segments.append(X12Segment("AMT", optionals: ["TT", totalAmount])) }
        return X12TransactionSet(id: "850", controlNumber: "0001", segments: segments)
    }
}

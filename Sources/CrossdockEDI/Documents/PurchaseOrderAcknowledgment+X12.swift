extension PurchaseOrderAcknowledgment {
    /// The 855 (004010) structure: BAK, CUR, REF, DTM, N1 loops, PO1 loops (PID, PO4, REF, DTM, ACK loops, SCH), CTT.
    public static let schema = TransactionSetSchema(
        id: "855",
        functionalID: "PR",
        nodes: [
            .segment("BAK", mandatory: true, max: 1),
            .segment("CUR", mandatory: false, max: 1),
            .segment("REF", mandatory: false, max: TransactionSetSchema.unbounded),
            .segment("PER", mandatory: false, max: 3),
            .segment("TAX", mandatory: false, max: TransactionSetSchema.unbounded),
            .segment("FOB", mandatory: false, max: TransactionSetSchema.unbounded),
            .segment("CTP", mandatory: false, max: TransactionSetSchema.unbounded),
            .segment("CSH", mandatory: false, max: 1),
            .segment("ITD", mandatory: false, max: 5),
            .segment("DTM", mandatory: false, max: 10),
            .segment("PID", mandatory: false, max: 200),
            .segment("PKG", mandatory: false, max: 25),
            .segment("TD5", mandatory: false, max: 12),
            .loop(
                "N9",
                mandatory: false,
                max: 1000,
                [.segment("N9", mandatory: true, max: 1), .segment("DTM", mandatory: false, max: 10), .segment("MSG", mandatory: false, max: 1000)]
            ),
            PurchaseOrder.partyLoop(max: 200),
            .loop(
                "PO1",
                mandatory: false,
                max: 100_000,
                [
                    .segment("PO1", mandatory: true, max: 1), .segment("LIN", mandatory: false, max: TransactionSetSchema.unbounded),
                    .segment("CUR", mandatory: false, max: 1), .segment("PO3", mandatory: false, max: 25),
                    .segment("CTP", mandatory: false, max: TransactionSetSchema.unbounded),
                    .loop(
                        "PID",
                        mandatory: false,
                        max: 1000,
                        [.segment("PID", mandatory: true, max: 1), .segment("MEA", mandatory: false, max: 10)]
                    ),
                    .segment("PO4", mandatory: false, max: TransactionSetSchema.unbounded),
                    .segment("REF", mandatory: false, max: TransactionSetSchema.unbounded),
                    .segment("PER", mandatory: false, max: 3), .segment("CSH", mandatory: false, max: TransactionSetSchema.unbounded),
                    .segment("DTM", mandatory: false, max: 10), .segment("TD5", mandatory: false, max: 12),
                    .loop("ACK", mandatory: false, max: 104, [.segment("ACK", mandatory: true, max: 1), .segment("DTM", mandatory: false, max: 1)]),
                    .segment("MAN", mandatory: false, max: 10), .segment("AMT", mandatory: false, max: 1),
                    .loop(
                        "SCH",
                        mandatory: false,
                        max: 200,
                        [
                            .segment("SCH", mandatory: true, max: 1), .segment("TD5", mandatory: false, max: 12),
                            .segment("REF", mandatory: false, max: TransactionSetSchema.unbounded),
                        ]
                    ),
                    .loop(
                        "N9",
                        mandatory: false,
                        max: 1000,
                        [
                            .segment("N9", mandatory: true, max: 1), .segment("DTM", mandatory: false, max: 10),
                            .segment("MSG", mandatory: false, max: 1000),
                        ]
                    ),
                    PurchaseOrder.partyLoop(max: 200),
                ]
            ),
            .loop("CTT", mandatory: false, max: 1, [.segment("CTT", mandatory: true, max: 1), .segment("AMT", mandatory: false, max: 1)]),
        ],
        specs: PurchaseOrder.specs.filter { !["BEG", "PO1"].contains($0.id) } + [
            SegmentSpec(
                "BAK",
                [
                    .m(353, .identifier, 2, 2), .m(587, .identifier, 2, 2), .m(324, .string, 1, 22), .m(373, .date, 8, 8), .o(328, .string, 1, 30),
                    .o(326, .string, 1, 45), .o(367, .string, 1, 30), .o(127, .string, 1, 30), .o(373, .date, 8, 8), .o(640, .identifier, 2, 2),
                ]
            ),
            // The PO1 echo is the buyer's line: only its syntax notes and types are checked, the quantity may be absent.
            PurchaseOrder.po1Spec,
            SegmentSpec(
                "ACK",
                [
                    .m(668, .identifier, 2, 2), .o(380, .decimal, 1, 15), .o(355, .identifier, 2, 2), .o(374, .identifier, 3, 3),
                    .o(373, .date, 8, 8), .o(326, .string, 1, 45),
                ]
                    + Array(repeating: [ElementSpec.o(235, .identifier, 2, 2), .o(234, .string, 1, 48)], count: 10).flatMap { $0 }
                    + [.o(559, .identifier, 2, 2), .o(822, .string, 1, 15), .o(1271, .string, 1, 30)],
                rules: [.paired([2, 3]), .conditional(4, then: [5])] + SyntaxRule.pairs(from: 7, through: 26) + [
                    .paired([28, 29]), .conditional(28, then: [27]),
                ]
            ),
        ]
    )

    /// Reads an 855.
    /// - Parameters:
    ///   - set: the transaction set.
    ///   - strictness: `.strict` by default; `.structureOnly` reads acknowledgments whose elements are off.
    /// - Throws: every syntax error (and CTT01 ≠ number of PO1s).
    public static func decode(_ set: X12TransactionSet, strictness: X12Strictness = .strict) throws(X12SetRejection) -> PurchaseOrderAcknowledgment {
        var errors = schema.errors(in: set, strictness)
        if errors.contains(where: { $0.code == "wrong_transaction_set" }) { throw X12SetRejection(errors) }
        var ack = PurchaseOrderAcknowledgment(status: "", purchaseOrderNumber: "", purchaseOrderDate: "", lines: [])
        var inParty = false
        var inLine = false
        var ctt: (index: Int, count: Int?)?
        for (index, segment) in set.segments.enumerated() {
            if inParty, !inLine, ack.parties[ack.parties.count - 1].absorb(segment) { continue }
            inParty = false
            let last = ack.lines.count - 1
            switch segment.id {
            case "BAK":
                ack.purpose = segment.value(1) ?? ""
                ack.status = segment.value(2) ?? ""
                ack.purchaseOrderNumber = segment.value(3) ?? ""
                ack.purchaseOrderDate = segment.value(4) ?? ""
                ack.orderNumber = segment.value(8)
                ack.acknowledgmentDate = segment.value(9)
            case "CUR" where !inLine: ack.currency = segment.value(2)
            case "REF" where !inLine: ack.references.append(Reference(segment))
            case "N1" where !inLine:
                ack.parties.append(Party(n1: segment))
                inParty = true
            case "PO1":
                inLine = true
                ack.lines.append(Line(po1: segment))
            case "PID" where inLine: ack.lines[last].descriptions += [segment.value(5)].compactMap { $0 }
            case "ACK" where inLine:
                ack.lines[last].statuses.append(
                    LineStatus(
                        code: segment.value(1) ?? "",
                        quantity: segment.value(2),
                        unit: segment.value(3),
                        dateQualifier: segment.value(4),
                        date: segment.value(5),
                        items: ItemID.pairs(in: segment, from: 7, through: 26)
                    )
                )
            case "CTT":
                inLine = false
                ctt = (index, segment.value(1).flatMap(ASCII.number))
                ack.hashTotal = segment.value(2)
            default:
                break
            }
        }
        if let ctt, let error = Line.lineCountError(in: set, ctt: ctt.index, count: ctt.count, lines: ack.lines.count) {
            errors.append(error)
        }
        guard errors.isEmpty else { throw X12SetRejection(errors) }
        return ack
    }

    /// The 855 as a transaction set (ST02 `0001`); CTT01 is the number of lines.
    public func transactionSet() -> X12TransactionSet {
        var segments = [
            X12Segment("BAK", optionals: [purpose, status, purchaseOrderNumber, purchaseOrderDate, nil, nil, nil, orderNumber, acknowledgmentDate])
        ]
        if let currency { segments.append(X12Segment("CUR", optionals: ["SE", currency])) }
        segments += references.map(\.segment)
        segments += parties.flatMap(\.segments)
        for line in lines {
            segments.append(line.po1)
            segments += line.descriptions.map { X12Segment("PID", optionals: ["F", nil, nil, nil, $0]) }
            for s in line.statuses {
                let head: [String?] = [s.code, s.quantity, s.unit, s.dateQualifier, s.date, nil]
                segments.append(X12Segment("ACK", optionals: head + ItemID.elements(s.items)))
            }
        }
        segments.append(X12Segment("CTT", optionals: [String(lines.count), hashTotal]))
        return X12TransactionSet(id: "855", controlNumber: "0001", segments: segments)
    }
}

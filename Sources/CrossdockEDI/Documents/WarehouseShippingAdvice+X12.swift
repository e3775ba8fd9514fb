extension WarehouseShippingAdvice {
    /// The 945 (004010) structure: W06, N1 loops, N9, G62, NTE, W27, W10, LX loops (MAN, N9, W12 loops with G69, N9,
    /// G62), W03.
    public static let schema = TransactionSetSchema(
        id: "945",
        functionalID: "SW",
        nodes: [
            .segment("W06", mandatory: true, max: 1),
            .loop(
                "N1",
                mandatory: true,
                max: 10,
                [
                    .segment("N1", mandatory: true, max: 1), .segment("N2", mandatory: false, max: 1), .segment("N3", mandatory: false, max: 2),
                    .segment("N4", mandatory: false, max: 1), .segment("PER", mandatory: false, max: 5),
                ]
            ),
            .segment("N9", mandatory: false, max: 10),
            .segment("G61", mandatory: false, max: 3),
            .segment("G62", mandatory: false, max: 5),
            .segment("NTE", mandatory: false, max: 20),
            .segment("W27", mandatory: false, max: 1),
            .segment("W28", mandatory: false, max: 1),
            .segment("W10", mandatory: false, max: 10),
            .segment("G72", mandatory: false, max: 5),
            .loop(
                "LX",
                mandatory: false,
                max: TransactionSetSchema.unbounded,
                [
                    .segment("LX", mandatory: true, max: 1), .segment("MAN", mandatory: false, max: TransactionSetSchema.unbounded),
                    .segment("PAL", mandatory: false, max: 1), .segment("N9", mandatory: false, max: 5),
                    .loop(
                        "W12",
                        mandatory: false,
                        max: TransactionSetSchema.unbounded,
                        [
                            .segment("W12", mandatory: true, max: 1), .segment("G69", mandatory: false, max: 5),
                            .segment("N9", mandatory: false, max: 200),
                            .segment("G62", mandatory: false, max: 10), .segment("QTY", mandatory: false, max: 10),
                            .segment("MEA", mandatory: false, max: 5),
                        ]
                    ),
                ]
            ),
            .segment("W03", mandatory: false, max: 1),
        ],
        specs: Party.specs + [
            Contact.spec,
            SegmentSpec(
                "W06",
                [
                    .m(176, .identifier, 1, 1), .o(1042, .string, 1, 22), .o(373, .date, 8, 8), .o(145, .string, 1, 30), .o(145, .string, 1, 12),
                    .o(324, .string, 1, 22), .o(1073, .string, 1, 22), .o(1073, .numeric(decimals: 0), 6, 6),
                ] + PurchaseOrder.unchecked(4)
            ),
            SegmentSpec(
                "N9",
                [
                    .m(128, .identifier, 2, 3), .o(127, .string, 1, 30), .o(369, .string, 1, 45), .o(373, .date, 8, 8), .o(337, .time, 4, 8),
                    .o(623, .identifier, 2, 2),
                ],
                rules: [.required(anyOf: [2, 3])]
            ),
            SegmentSpec(
                "G62",
                [.o(432, .identifier, 2, 2), .o(373, .date, 8, 8), .o(176, .identifier, 1, 2), .o(337, .time, 4, 8), .o(623, .identifier, 2, 2)],
                rules: [.required(anyOf: [1, 3]), .paired([1, 2]), .paired([3, 4])]
            ),
            SegmentSpec(
                "W27",
                [.m(91, .identifier, 1, 2), .o(140, .identifier, 2, 4), .o(387, .string, 1, 35), .o(146, .identifier, 2, 2)]
                    + PurchaseOrder.unchecked(6)
            ),
            SegmentSpec("LX", [.m(554, .numeric(decimals: 0), 1, 6)]),
            SegmentSpec(
                "MAN",
                [
                    .m(88, .identifier, 1, 2), .m(87, .string, 1, 48), .o(87, .string, 1, 48), .o(88, .identifier, 1, 2), .o(87, .string, 1, 48),
                    .o(87, .string, 1, 48),
                ]
            ),
            SegmentSpec(
                "W12",
                [
                    .m(368, .identifier, 2, 2), .o(380, .decimal, 1, 15), .o(382, .decimal, 1, 10), .o(380, .decimal, 1, 9),
                    .o(355, .identifier, 2, 2),
                    .o(438, .string, 12, 12), .o(235, .identifier, 2, 2), .o(234, .string, 1, 48), .o(461, .string, 1, 12),
                ] + PurchaseOrder.unchecked(7) + [.o(235, .identifier, 2, 2), .o(234, .string, 1, 48)] + PurchaseOrder.unchecked(4),
                rules: [.paired([7, 8]), .paired([17, 18])]
            ),
            SegmentSpec("G69", [.m(3, .string, 1, 45)]),
            SegmentSpec(
                "W03",
                [.m(382, .decimal, 1, 10), .o(81, .decimal, 1, 10), .o(355, .identifier, 2, 2)] + PurchaseOrder.unchecked(4),
                rules: [.paired([2, 3])]
            ),
        ]
    )

    /// Reads a 945.
    /// - Parameters:
    ///   - set: the transaction set.
    ///   - strictness: `.strict` by default.
    /// - Throws: every syntax error.
    public static func decode(_ set: X12TransactionSet, strictness: X12Strictness = .strict) throws(X12SetRejection) -> WarehouseShippingAdvice {
        let errors = schema.errors(in: set, strictness)
        guard errors.isEmpty else { throw X12SetRejection(errors) }
        var advice = WarehouseShippingAdvice(depositorOrderNumber: nil, date: nil, groups: [])
        var inParty = false
        for segment in set.segments {
            if inParty, advice.parties[advice.parties.count - 1].absorb(segment) { continue }
            inParty = false
            let g = advice.groups.count - 1
            let i = g >= 0 ? advice.groups[g].items.count - 1 : -1
            switch segment.id {
            case "W06":
                advice.reportingCode = segment.value(1) ?? ""
                advice.depositorOrderNumber = segment.value(2)
                advice.date = segment.value(3)
                advice.shipmentID = segment.value(4)
                advice.purchaseOrderNumber = segment.value(6)
            case "N1":
                advice.parties.append(Party(n1: segment))
                inParty = true
            case "N9" where i >= 0: advice.groups[g].items[i].references.append(Reference(segment))
            case "N9" where g >= 0: advice.groups[g].references.append(Reference(segment))
            case "N9": advice.references.append(Reference(segment))
            case "G62" where g < 0:
                advice.dates.append(DateReference(qualifier: segment.value(1) ?? "", date: segment.value(2), time: segment.value(4)))
            case "W27":
                advice.carrier = Carrier(method: segment.value(1) ?? "", scac: segment.value(2), routing: segment.value(3), payment: segment.value(4))
            case "LX": advice.groups.append(Group(number: segment.value(1) ?? ""))
            case "MAN" where g >= 0: advice.groups[g].marks.append(ItemID(segment.value(1) ?? "", segment.value(2) ?? ""))
            case "W12" where g >= 0:
                func pair(_ n: Int) -> ItemID? {
                    segment.value(n) == nil && segment.value(n + 1) == nil ? nil : ItemID(segment.value(n) ?? "", segment.value(n + 1) ?? "")
                }
                advice.groups[g].items.append(
                    Item(
                        status: segment.value(1) ?? "",
                        orderedQuantity: segment.value(2),
                        shippedQuantity: segment.value(3),
                        difference: segment.value(4),
                        unit: segment.value(5),
                        upc: segment.value(6),
                        item: pair(7),
                        lot: segment.value(9),
                        originalItem: pair(17)
                    )
                )
            case "G69" where i >= 0: advice.groups[g].items[i].descriptions += [segment.value(1)].compactMap { $0 }
            case "W03":
                advice.totalUnits = segment.value(1)
                advice.totalWeight = segment.value(2)
                advice.weightUnit = segment.value(3)
            default:
                break
            }
        }
        return advice
    }

    /// The 945 as a transaction set (ST02 `0001`).
    public func transactionSet() -> X12TransactionSet {
        var segments = [X12Segment("W06", optionals: [reportingCode, depositorOrderNumber, date, shipmentID, nil, purchaseOrderNumber])]
        segments += parties.flatMap(\.segments)
        segments += references.map(\.n9)
        segments += dates.map { X12Segment("G62", optionals: [$0.qualifier, $0.date, $0.time == nil ? nil : "8", $0.time]) }
        if let carrier { segments.append(X12Segment("W27", optionals: [carrier.method, carrier.scac, carrier.routing, carrier.payment])) }
        for group in groups {
            segments.append(X12Segment("LX", optionals: [group.number]))
            segments += group.marks.map { X12Segment("MAN", optionals: [$0.qualifier, $0.id]) }
            segments += group.references.map(\.n9)
            for item in group.items {
                var elements: [String?] = [item.status, item.orderedQuantity, item.shippedQuantity, item.difference, item.unit, item.upc]
                elements += [item.item?.qualifier, item.item?.id, item.lot] + Array(repeating: nil, count: 7)
                elements += [item.originalItem?.qualifier, item.originalItem?.id]
                segments.append(X12Segment("W12", optionals: elements))
                segments += item.descriptions.map { X12Segment("G69", optionals: [$0]) }
                segments += item.references.map(\.n9)
            }
        }
        segments.append(X12Segment("W03", optionals: [totalUnits ?? "0", totalWeight, weightUnit]))
        return X12TransactionSet(id: "945", controlNumber: "0001", segments: segments)
    }
}

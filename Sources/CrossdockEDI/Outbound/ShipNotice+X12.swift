import Foundation

extension ShipNotice {
    /// The 856 transaction set: BSN, then HL S (TD1, TD5, REF, DTM, N1 loops), HL O (PRF, REF, N1), HL P (TD1, MAN, REF),
    /// HL I (LIN, SN1, PID), CTT. HL01 numbers levels depth first from 1, HL02 names the parent and HL04 is `1` when the
    /// level has children. ST02 is a placeholder; the serializer assigns control numbers.
    public func transactionSet() -> X12TransactionSet {
        var body: [X12Segment] = [X12Segment("BSN", [purpose, shipmentID, day(date), clock(time), structureCode ?? ""])]
        var count = 0
        func hl(_ parent: Int?, _ level: String, children: Bool) -> Int {
            count += 1
            body.append(X12Segment("HL", [String(count), parent.map(String.init) ?? "", level, children ? "1" : "0"]))
            return count
        }
        let shipment = hl(nil, "S", children: !orders.isEmpty)
        if packagingCode != nil || ladingQuantity != nil || weight != nil {
            body.append(td1(packagingCode, ladingQuantity, weight, weightUnit))
        }
        if carrierSCAC != nil || routing != nil || transportationMethod != nil {
            body.append(X12Segment("TD5", ["", carrierSCAC == nil ? "" : "2", carrierSCAC ?? "", transportationMethod ?? "", routing ?? ""]))
        }
        body += references.map(\.segment) + dates.map(\.dtm) + parties.flatMap(\.segments)
        for order in orders {
            let o = hl(shipment, "O", children: !order.packages.isEmpty || !order.items.isEmpty)
            body.append(X12Segment("PRF", [order.purchaseOrderNumber, "", "", order.purchaseOrderDate.map(day) ?? ""]))
            body += order.references.map(\.segment) + order.parties.flatMap(\.segments)
            for package in order.packages {
                let p = hl(o, package.level, children: !package.items.isEmpty)
                if package.packagingCode != nil || package.weight != nil {
                    body.append(td1(package.packagingCode, nil, package.weight, package.weightUnit))
                }
                body += package.marks.map { X12Segment("MAN", [$0.qualifier, $0.value]) } + package.references.map(\.segment)
                for item in package.items { body += itemSegments(item, hl(p, "I", children: false)) }
            }
            for item in order.items { body += itemSegments(item, hl(o, "I", children: false)) }
        }
        body.append(X12Segment("CTT", [String(count)]))
        return X12TransactionSet(id: "856", controlNumber: "0001", segments: body)
    }

    /// Reads an 856. Segments the model does not carry (TD3, FOB, PO4 beyond its weight, PER...) are skipped; unknown
    /// HL levels other than T and Q (read as packages) are skipped with their segments.
    /// - Parameter set: an 856 transaction set.
    /// - Throws: `wrong_set`, `missing_segment` (BSN, PRF) or `invalid_value` (dates, quantities).
    public init(transactionSet set: X12TransactionSet) throws(OutboundMappingError) {
        guard set.id == "856" else { throw OutboundMappingError(code: "wrong_set", message: "ST01 is \(set.id), not 856", segmentID: "ST") }
        guard let bsn = set.segments.first(where: { $0.id == "BSN" }), let id = bsn.value(2), let bsnDate = bsn.value(3) else {
            throw OutboundMappingError(code: "missing_segment", message: "an 856 needs a BSN with BSN02 and BSN03", segmentID: "BSN")
        }
        let date = try DateReference.isoDate(bsnDate, segmentID: "DTM")
        let time = try bsn.value(4).map { (time) throws(OutboundMappingError) in try DateReference.isoTime(time, segmentID: "DTM") }
        self.init(
            purpose: bsn.value(1) ?? "",
            shipmentID: id,
            date: date,
            time: time ?? "00:00",
            structureCode: bsn.value(5),
            packagingCode: nil,
            ladingQuantity: nil,
            weight: nil,
            weightUnit: nil,
            carrierSCAC: nil,
            transportationMethod: nil,
            routing: nil,
            references: [],
            dates: [],
            parties: [],
            orders: [],
            hierarchyCount: nil
        )
        var reader = ShipNoticeReader()
        for segment in set.segments where segment.id != "BSN" { try reader.read(segment, into: &self) }
    }

    private func day(_ iso: String) -> String { X12DateFormat.compact(isoDay: iso) ?? iso }

    private func clock(_ iso: String) -> String { X12DateFormat.compact(isoTime: iso) }

    private func td1(_ code: String?, _ lading: Int?, _ weight: Decimal?, _ unit: String?) -> X12Segment {
        X12Segment(
            "TD1",
            [
                code ?? "", lading.map(String.init) ?? "", "", "", "", weight == nil ? "" : "G", weight.map(X12Number.format) ?? "",
                weight == nil ? "" : unit ?? "",
            ]
        )
    }

    private func itemSegments(_ item: Item, _: Int) -> [X12Segment] {
        var result = [
            X12Segment("LIN", optionals: [item.lineNumber] + ItemID.elements(item.ids)),
            X12Segment(
                "SN1",
                [
                    item.lineNumber ?? "", X12Number.format(item.quantityShipped), item.unit, "",
                    item.quantityOrdered.map(X12Number.format) ?? "", item.orderedUnit ?? "",
                ]
            ),
        ]
        if let description = item.description { result.append(X12Segment("PID", ["F", "", "", "", description])) }
        return result
    }
}

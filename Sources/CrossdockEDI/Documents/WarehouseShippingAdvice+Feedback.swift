import CrossdockDomain
import Foundation

extension WarehouseShippingAdvice {
    /// The advice as the hub's `shipped` feedback for a fulfilment order.
    ///
    /// - carrier: W2702 (SCAC); service: W2703. Without a SCAC the advice is rejected.
    /// - shippedAt: G62 `11` (shipped on) with its time, else W0603, read in UTC.
    /// - One package per LX loop (loops with the same tracking number merge). Its tracking number is, in order: a MAN
    ///   `CP` (carrier-assigned package ID) of the loop, an N9 `2I` (tracking) or `CN` (PRO) of the loop or its lines,
    ///   the header's N9 `2I`/`CN`. **A 945 without any tracking** (LTL freight, will-call) ships as packages tracked
    ///   by the bill of lading: header N9 `BM`, else W0604 (shipment id). With none of these it is rejected.
    /// - Each W12 with units shipped (W1203, a whole number) is one content: its order line is the N9 `LI` of the W12
    ///   (what the hub's own 945 writes), else the fulfilment order line whose SKU is the W12 item ID (W1208), else
    ///   LX01. Package weights are not carried.
    /// - Parameter order: the fulfilment order shipped against, to match lines by SKU.
    /// - Throws: what is missing or unreadable, naming the segment and element.
    public func fulfillmentFeedback(for order: FulfillmentOrder? = nil) throws(X12SetRejection) -> FulfillmentFeedback {
        var errors: [X12SetError] = []
        func problem(_ code: String, _ message: String, _ segment: String, element: Int? = nil) {
            errors.append(X12SetError(code: code, message: message, segmentID: segment, setPosition: 0, elementPosition: element))
        }
        let scac = carrier?.scac
        if scac == nil { problem("missing_carrier", "W2702 (SCAC) is required to record the shipment", "W27", element: 2) }
        let shipped = dates.first { $0.qualifier == "11" }
        let day = shipped?.date ?? date
        let shippedAt = day.flatMap { X12DateFormat.date($0, time: shipped?.date == nil ? nil : shipped?.time) }
        if shippedAt == nil { problem("missing_ship_date", "neither G62 11 nor W0603 gives a valid ship date", "W06", element: 3) }
        let headerTracking = Self.tracking(in: references) ?? references.first { $0.qualifier == "BM" }?.value ?? shipmentID
        var packages: [Shipment.Package] = []
        for group in groups {
            let tracking =
                group.marks.first { $0.qualifier == "CP" && !$0.id.isEmpty }?.id ?? Self.tracking(in: group.references)
                ?? Self.tracking(in: group.items.flatMap(\.references)) ?? headerTracking
            guard let tracking else {
                problem("missing_tracking", "LX \(group.number) has no tracking number, bill of lading or shipment id", "LX")
                continue
            }
            var contents: [Shipment.Package.Content] = []
            for item in group.items {
                guard let raw = item.shippedQuantity else { continue }
                guard case .success(let units) = DecimalText.scaled(raw, places: 0), units >= 0, units <= Int64(Int32.max) else {
                    problem("invalid_quantity", "W1203 \(ASCII.quote(raw)) is not a whole number of units (LX \(group.number))", "W12", element: 3)
                    continue
                }
                guard units > 0 else { continue }
                guard let lineNo = Self.lineNo(of: item, in: group, order: order) else {
                    problem(
                        "unknown_line",
                        "the W12 for \(item.item?.id ?? "?") in LX \(group.number) matches no line of the fulfilment order",
                        "W12",
                        element: 8
                    )
                    continue
                }
                contents.append(.init(lineNo: lineNo, quantity: Int(units)))
            }
            if let index = packages.firstIndex(where: { $0.trackingNumber == tracking }) {
                packages[index].contents += contents
            } else {
                packages.append(Shipment.Package(trackingNumber: tracking, contents: contents))
            }
        }
        guard errors.isEmpty, let scac, let shippedAt else { throw X12SetRejection(errors) }
        return .shipped(carrier: scac, service: carrier?.routing, packages: packages, shippedAt: shippedAt)
    }

    /// The 945 a warehouse writes when `packages` ship against `order` (what the sandbox 3PL sends): W06 `F` with the
    /// fulfilment order id, the ship date and `shipmentID`; N1 `ST` (the order's ship-to) and `SF` (the warehouse);
    /// G62 `11` with the time; W27 `U` with the SCAC and service; one LX per package with MAN `CP` tracking and a W12
    /// (`CC` when the package ships the line's whole quantity, else `CP`; ordered, shipped, difference, `EA`, `VN`
    /// SKU) and N9 `LI` line number per content; W03 total units.
    /// - Parameters:
    ///   - order: the fulfilment order.
    ///   - shipmentID: W0604.
    ///   - carrier: the SCAC (2 to 4 characters).
    ///   - service: W2703, if any.
    ///   - packages: what shipped.
    ///   - shippedAt: when (written in UTC to the minute).
    public init(order: FulfillmentOrder, shipmentID: String, carrier: String, service: String?, packages: [Shipment.Package], shippedAt: Date) {
        let stamp = X12DateFormat.stamp(shippedAt)
        let lines = Dictionary(order.lines.map { ($0.lineNo, $0) }, uniquingKeysWith: { first, _ in first })
        let groups = packages.enumerated().map { index, package in
            Group(
                number: String(index + 1),
                marks: [ItemID("CP", package.trackingNumber)],
                items: package.contents.map { content in
                    let ordered = lines[content.lineNo]?.quantity ?? content.quantity
                    return Item(
                        status: content.quantity >= ordered ? "CC" : "CP",
                        orderedQuantity: String(ordered),
                        shippedQuantity: String(content.quantity),
                        difference: String(ordered - content.quantity),
                        unit: "EA",
                        item: lines[content.lineNo].map { ItemID("VN", $0.sku) },
                        references: [Reference(qualifier: "LI", value: String(content.lineNo))]
                    )
                }
            )
        }
        let a = order.shipTo.address
        self.init(
            depositorOrderNumber: X12Identifier.compact(order.id),
            date: stamp.date,
            shipmentID: shipmentID,
            parties: [
                Party(
                    role: "ST",
                    name: a.name,
                    idQualifier: "92",
                    id: order.shipTo.code,
                    addressLines: a.lines,
                    city: a.city,
                    postalCode: a.postalCode,
                    country: a.country
                ),
                Party(role: "SF", idQualifier: "92", id: order.warehouseID),
            ],
            dates: [DateReference(qualifier: "11", date: stamp.date, time: stamp.time)],
            carrier: Carrier(method: "U", scac: carrier, routing: service),
            groups: groups,
            totalUnits: String(packages.flatMap(\.contents).reduce(0) { $0 + $1.quantity })
        )
    }

    private static func tracking(in references: [Reference]) -> String? {
        references.first { ($0.qualifier == "2I" || $0.qualifier == "CN") && $0.value != nil }?.value
    }

    private static func lineNo(of item: Item, in group: Group, order: FulfillmentOrder?) -> Int? {
        if let raw = item.references.first(where: { $0.qualifier == "LI" })?.value, let n = ASCII.number(raw) { return n }
        if let id = item.item?.id, let line = order?.lines.first(where: { $0.sku == id }) { return line.lineNo }
        return ASCII.number(group.number)
    }
}

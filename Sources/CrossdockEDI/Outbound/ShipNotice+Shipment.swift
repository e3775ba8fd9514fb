import CrossdockDomain
import Foundation

extension ShipNotice {
    /// Builds the 856 for a canonical shipment of one order.
    ///
    /// Mapping: BSN `00`, shipment id, shipped date and time, structure `0001`. Shipment level: TD1 `CTN25`, package
    /// count and total weight in KG (only when every package has one), TD5 with the SCAC (TD502 `2`) and the service as
    /// routing (a carrier that is not a 2–4 character SCAC goes to TD505 with the service), REF `BM` when a bill of
    /// lading is given, REF `CN` the first package's tracking number (the master), DTM `011` shipped (UTC, `UT`), N1 `SF`
    /// (the warehouse, id qualifier 91) and `ST` (the ship-to location code, 92). Order level: PRF with the customer PO
    /// (the channel order id when there is none) and the order's receipt date. Pack level: TD1 weight, `MAN*GM` with the
    /// SSCC and `MAN*CP` with the package's tracking number (the carrier-assigned package id). Item level: LIN with the
    /// order line number, `VP` SKU and the GTIN (`UP`/`EN`/`UK`), SN1 units shipped and units ordered (a partial
    /// shipment shows; each in the unit ordered when it is a whole number of it, else in the base unit), PID
    /// description.
    /// - Parameters:
    ///   - shipment: the shipment.
    ///   - order: its sales order (PO number, lines, ship-to).
    ///   - products: the product master by SKU (GTIN, description, unit); a missing product writes the SKU alone, `EA`.
    ///   - warehouse: the shipping warehouse.
    ///   - shipFrom: the warehouse's address.
    ///   - ssccs: one SSCC per package, in package order (allocated by the hub from its sequence).
    ///   - shipTo: the ship-to; the order's by default.
    ///   - billOfLading: the BOL number, when there is one.
    /// - Throws: `sscc_count` or `unknown_line`.
    public init(
        shipment: Shipment,
        order: SalesOrder,
        products: [String: Product],
        warehouse: Warehouse,
        shipFrom: Address,
        ssccs: [SSCC],
        shipTo: ShipTo? = nil,
        billOfLading: String? = nil
    ) throws(OutboundMappingError) {
        guard ssccs.count == shipment.packages.count else {
            throw OutboundMappingError(code: "sscc_count", message: "\(ssccs.count) SSCCs for \(shipment.packages.count) packages")
        }
        let lines = Dictionary(order.lines.map { ($0.lineNo, $0) }, uniquingKeysWith: { first, _ in first })
        var packages: [Package] = []
        for (package, sscc) in zip(shipment.packages, ssccs) {
            var items: [Item] = []
            for content in package.contents {
                guard let line = lines[content.lineNo] else {
                    throw OutboundMappingError(
                        code: "unknown_line",
                        message: "shipment \(shipment.id) ships line \(content.lineNo), which order \(order.id) does not have"
                    )
                }
                let product = products[line.sku]
                let unit = product?.unitOfMeasure ?? "EA"
                // Quantities in the unit ordered (cases) when whole, else in the base unit.
                let shipped = line.partnerQuantity(content.quantity)
                let ordered = line.partnerQuantity(line.quantity)
                items.append(
                    Item(
                        lineNumber: String(line.lineNo),
                        ids: [ItemID("VP", line.sku)] + (product?.gtin.flatMap(ItemID.gtin).map { [$0] } ?? []),
                        quantityShipped: Decimal(shipped.quantity),
                        unit: shipped.unit ?? unit,
                        quantityOrdered: Decimal(ordered.quantity),
                        orderedUnit: ordered.unit ?? unit,
                        description: product?.description
                    )
                )
            }
            packages.append(
                Package(
                    packagingCode: "CTN25",
                    weight: package.weightGrams.map { Decimal($0) / 1000 },
                    weightUnit: package.weightGrams == nil ? nil : "KG",
                    marks: [Mark("GM", sscc.withApplicationIdentifier)]
                        + (package.trackingNumber.isEmpty ? [] : [Mark("CP", package.trackingNumber)]),
                    items: items
                )
            )
        }
        let weights = shipment.packages.compactMap(\.weightGrams)
        let allWeighed = !weights.isEmpty && weights.count == shipment.packages.count
        let scac = Self.scac(shipment.carrier)
        let shipped = X12DateFormat.iso(shipment.shippedAt)
        let destination = shipTo ?? order.shipTo
        var references: [Reference] = []
        if let billOfLading { references.append(Reference(qualifier: "BM", value: billOfLading)) }
        if let master = shipment.packages.first?.trackingNumber, !master.isEmpty { references.append(Reference(qualifier: "CN", value: master)) }
        self.init(
            purpose: "00",
            shipmentID: X12Identifier.compact(shipment.id),
            date: shipped.day,
            time: String(shipped.time.prefix(5)),
            structureCode: "0001",
            packagingCode: "CTN25",
            ladingQuantity: shipment.packages.count,
            weight: allWeighed ? Decimal(weights.reduce(0, +)) / 1000 : nil,
            weightUnit: allWeighed ? "KG" : nil,
            carrierSCAC: scac,
            transportationMethod: nil,
            routing: scac == nil ? ([shipment.carrier] + (shipment.service.map { [$0] } ?? [])).joined(separator: " ") : shipment.service,
            references: references,
            dates: [DateReference(qualifier: "011", date: shipped.day, time: shipped.time, timeCode: "UT")],
            parties: [
                Party(role: "SF", address: shipFrom, idQualifier: "91", id: warehouse.id),
                Party(role: "ST", address: destination.address, idQualifier: "92", id: destination.code),
            ],
            orders: [
                Order(
                    purchaseOrderNumber: order.customerPO ?? order.externalID,
                    purchaseOrderDate: X12DateFormat.iso(order.receivedAt).day,
                    packages: packages
                )
            ],
            hierarchyCount: nil
        )
    }

    /// The carrier as a SCAC (2 to 4 upper-case letters), or `nil` when it is a name.
    static func scac(_ carrier: String) -> String? {
        let upper = carrier.uppercased()
        guard (2...4).contains(upper.utf8.count), upper.utf8.allSatisfy(ASCII.isUpper) else { return nil }
        return upper
    }

    /// The packages as canonical shipment packages: tracking number (empty when absent), weight in grams (from KG, G/GR
    /// or LB, rounded) and contents (line number and units; lines without a numeric line number are left out).
    public var shipmentPackages: [Shipment.Package] {
        orders.flatMap(\.packages).map { package in
            Shipment.Package(
                trackingNumber: package.trackingNumber ?? "",
                weightGrams: package.weight.flatMap { Self.grams($0, unit: package.weightUnit) },
                contents: package.items.compactMap { item in
                    guard let line = item.lineNumber.flatMap({ Int($0) }) else { return nil }
                    return Shipment.Package.Content(lineNo: line, quantity: NSDecimalNumber(decimal: item.quantityShipped).intValue)
                }
            )
        }
    }

    /// The `011` shipped date and time (UTC when it has no time code), or `nil`.
    public var shippedAt: Date? {
        dates.first { $0.qualifier == "011" }.flatMap { shipped in shipped.date.flatMap { X12DateFormat.date(isoDay: $0, isoTime: shipped.time) } }
    }

    private static func grams(_ weight: Decimal, unit: String?) -> Int? {
        let factor: Decimal
        switch unit {
        case "KG"?: factor = 1000
        case "G"?, "GR"?: factor = 1
        case "LB"?: factor = Decimal(string: "453.59237")!
        default: return nil
        }
        var value = weight * factor
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        return NSDecimalNumber(decimal: rounded).intValue
    }
}

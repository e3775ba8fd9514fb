import CrossdockDomain
import Foundation

extension WarehouseShippingOrder {
    /// Builds the 940 for a released fulfilment order.
    ///
    /// Mapping: W05 `N`, the fulfilment order id as depositor order number, the customer PO (else the channel order
    /// id); N1 `ST` (the fulfilment order's ship-to, code with qualifier 92), `SF` (the warehouse, 91, with its address
    /// when given) and `BT` (the bill-to, when given); N9 `CO` the channel order id and `OQ` the hub order id; G62 `10`
    /// the requested ship date when there is one; W66 `PP` with the SCAC in W6610 (or the carrier name) and the
    /// service as routing, when a carrier is given; per line LX (sequence), W01 (quantity released, unit, `VN` SKU and
    /// the GTIN), G69 description and N9 `LI` the order line number; W76 the total quantity.
    /// - Parameters:
    ///   - fulfillmentOrder: the fulfilment order.
    ///   - order: its sales order.
    ///   - products: the product master by SKU.
    ///   - warehouse: the warehouse doing the work.
    ///   - warehouseAddress: its address, when known.
    ///   - billTo: the customer's bill-to, when the warehouse needs it.
    ///   - carrier: the carrier (SCAC or name), when chosen.
    ///   - service: the service level, e.g. `GROUND`.
    ///   - transportationMethod: W6602, `U` private parcel by default.
    public init(
        fulfillmentOrder: FulfillmentOrder,
        order: SalesOrder,
        products: [String: Product],
        warehouse: Warehouse,
        warehouseAddress: Address? = nil,
        billTo: Address? = nil,
        carrier: String? = nil,
        service: String? = nil,
        transportationMethod: String = "U"
    ) {
        var parties = [Party(role: "ST", address: fulfillmentOrder.shipTo.address, idQualifier: "92", id: fulfillmentOrder.shipTo.code)]
        if let warehouseAddress {
            parties.append(Party(role: "SF", address: warehouseAddress, idQualifier: "91", id: warehouse.id))
        } else {
            parties.append(Party(role: "SF", name: warehouse.name, idQualifier: "91", id: warehouse.id))
        }
        if let billTo { parties.append(Party(role: "BT", address: billTo, idQualifier: "91", id: order.customerID)) }
        let lines = fulfillmentOrder.lines.enumerated().map { index, line in
            let product = products[line.sku]
            return Line(
                number: String(index + 1),
                quantity: Decimal(line.quantity),
                unit: product?.unitOfMeasure ?? "EA",
                upcCaseCode: nil,
                ids: [ItemID("VN", line.sku)] + (product?.gtin.flatMap(ItemID.gtin).map { [$0] } ?? []),
                description: product?.description,
                references: [Reference(qualifier: "LI", value: String(line.lineNo))]
            )
        }
        let scac = carrier.flatMap(ShipNotice.scac)
        self.init(
            purpose: "N",
            depositorOrderNumber: X12Identifier.compact(fulfillmentOrder.id),
            purchaseOrderNumber: order.customerPO ?? order.externalID,
            parties: parties,
            references: [Reference(qualifier: "CO", value: order.externalID), Reference(qualifier: "OQ", value: X12Identifier.compact(order.id))],
            dates: fulfillmentOrder.requestedDate.map { [DateReference(qualifier: "10", date: $0)] } ?? [],
            carrier: carrier.map { name in
                Carrier(
                    paymentMethod: "PP",
                    transportationMethod: transportationMethod,
                    routing: scac == nil ? ([name] + [service].compactMap { $0 }).joined(separator: " ") : service,
                    scac: scac
                )
            },
            lines: lines,
            totalQuantity: Decimal(fulfillmentOrder.lines.reduce(0) { $0 + $1.quantity }),
            totalWeight: nil,
            weightUnit: nil
        )
    }

    /// The lines as canonical fulfilment lines: the `LI` order line number (else the LX number), the `VN` (or `VP`)
    /// SKU and the quantity; lines without a whole quantity or numeric line number are left out.
    public var fulfillmentLines: [FulfillmentOrder.Line] {
        lines.compactMap { line in
            guard let number = Int(line.references.first { $0.qualifier == "LI" }?.value ?? line.number),
                let quantity = Int(X12Number.format(line.quantity))
            else { return nil }
            return FulfillmentOrder.Line(lineNo: number, sku: line.id("VN") ?? line.id("VP") ?? "", quantity: quantity)
        }
    }
}

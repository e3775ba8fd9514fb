import Foundation

/// A 940 warehouse shipping order as values. Build one from a fulfilment order with
/// ``init(fulfillmentOrder:order:products:warehouse:warehouseAddress:billTo:carrier:service:)``, write it with
/// ``transactionSet()``, read one with ``init(transactionSet:)``; the round trip is lossless.
///
/// JSON shape (absent optionals omitted):
/// ```json
/// {"purpose": "N", "depositorOrderNumber": "FO-1", "purchaseOrderNumber": "PO-7781",
///  "parties": [{"role": "ST", ...}], "references": [{"qualifier": "CO", "value": "PO-7781"}],
///  "dates": [{"qualifier": "10", "date": "2025-03-21"}],
///  "carrier": {"paymentMethod": "PP", "transportationMethod": "U", "routing": "GROUND", "scac": "UPSN"},
///  "lines": [{"number": "1", "quantity": 12, "unit": "EA", "ids": [{"qualifier": "VN", "id": "WID-100"}],
///    "description": "WIDGET, BLUE", "references": [{"qualifier": "LI", "value": "1"}]}],
///  "totalQuantity": 115, "totalWeight": 7.35, "weightUnit": "KG"}
/// ```
public struct WarehouseShippingOrder: Hashable, Sendable, Codable {
    /// W66 carrier detail.
    public struct Carrier: Hashable, Sendable, Codable {
        /// W6601 shipment method of payment, e.g. `PP` prepaid.
        public var paymentMethod: String
        /// W6602 transportation method, e.g. `U` private parcel, `M` motor.
        public var transportationMethod: String
        /// W6605 routing.
        public var routing: String?
        /// W6610 SCAC.
        public var scac: String?
    }

    /// One LX loop: W01, G69, N9.
    public struct Line: Hashable, Sendable, Codable {
        /// LX01 assigned number.
        public var number: String
        /// W0101 quantity ordered.
        public var quantity: Decimal
        /// W0102 unit.
        public var unit: String
        /// W0103 UPC case code.
        public var upcCaseCode: String?
        /// W0104–W0107 identifier pairs (`VN` SKU, `UP`/`EN`/`UK` GTIN...).
        public var ids: [ItemID]
        /// G69 description.
        public var description: String?
        /// Line N9s: `LI` the order line number.
        public var references: [Reference]

        /// The first identifier with `qualifier`.
        public func id(_ qualifier: String) -> String? { ids.first { $0.qualifier == qualifier }?.id }
    }

    /// W0501 purpose, `N` original.
    public var purpose: String
    /// W0502 depositor order number (our fulfilment order id).
    public var depositorOrderNumber: String
    /// W0503 purchase order number.
    public var purchaseOrderNumber: String?
    /// N1 loops: `ST`, `SF`, `BT`...
    public var parties: [Party]
    /// Header N9s.
    public var references: [Reference]
    /// G62 dates: `10` requested ship, `02` deliver by.
    public var dates: [DateReference]
    /// W66.
    public var carrier: Carrier?
    /// The lines.
    public var lines: [Line]
    /// W7601 total quantity.
    public var totalQuantity: Decimal?
    /// W7602 total weight.
    public var totalWeight: Decimal?
    /// W7603 weight unit.
    public var weightUnit: String?
}

extension WarehouseShippingOrder {
    /// The 940: W05, N1 loops, N9, G62, W66, LX (W01, G69, N9) per line, W76.
    public func transactionSet() -> X12TransactionSet {
        func number(_ value: Decimal?) -> String { value.map(X12Number.format) ?? "" }
        var body = [X12Segment("W05", [purpose, depositorOrderNumber, purchaseOrderNumber ?? ""])]
        body += parties.flatMap(\.segments) + references.map(\.n9) + dates.map(\.g62)
        if let c = carrier {
            body.append(X12Segment("W66", [c.paymentMethod, c.transportationMethod, "", "", c.routing ?? "", "", "", "", "", c.scac ?? ""]))
        }
        for line in lines {
            body.append(X12Segment("LX", [line.number]))
            body.append(X12Segment("W01", optionals: [number(line.quantity), line.unit, line.upcCaseCode] + ItemID.elements(line.ids)))
            if let description = line.description { body.append(X12Segment("G69", [description])) }
            body += line.references.map(\.n9)
        }
        if totalQuantity != nil || totalWeight != nil {
            body.append(X12Segment("W76", [number(totalQuantity), number(totalWeight), totalWeight == nil ? "" : weightUnit ?? ""]))
        }
        return X12TransactionSet(id: "940", controlNumber: "0001", segments: body)
    }

    /// Reads a 940. Segments the model does not carry (N2 is kept; PER, G61, NTE, W09, PI, W20...) are skipped.
    /// - Parameter set: a 940 transaction set.
    /// - Throws: `wrong_set`, `missing_segment` (W05) or `invalid_value`.
    public init(transactionSet set: X12TransactionSet) throws(OutboundMappingError) {
        guard set.id == "940" else { throw OutboundMappingError(code: "wrong_set", message: "ST01 is \(set.id), not 940", segmentID: "ST") }
        guard let w05 = set.segments.first(where: { $0.id == "W05" }), let depositor = w05.value(2) else {
            throw OutboundMappingError(code: "missing_segment", message: "a 940 needs a W05 with W0502", segmentID: "W05")
        }
        self.init(
            purpose: w05.value(1) ?? "",
            depositorOrderNumber: depositor,
            purchaseOrderNumber: w05.value(3),
            parties: [],
            references: [],
            dates: [],
            carrier: nil,
            lines: [],
            totalQuantity: nil,
            totalWeight: nil,
            weightUnit: nil
        )
        for s in set.segments {
            switch s.id {
            case "N1" where lines.isEmpty: parties.append(Party(n1: s))
            case "N2", "N3", "N4":
                if lines.isEmpty && !parties.isEmpty { _ = parties[parties.count - 1].absorb(s) }
            case "N9":
                if lines.isEmpty { references.append(Reference(s)) } else { lines[lines.count - 1].references.append(Reference(s)) }
            case "G62" where lines.isEmpty: dates.append(try DateReference(checking: s))
            case "W66":
                carrier = Carrier(paymentMethod: s.value(1) ?? "", transportationMethod: s.value(2) ?? "", routing: s.value(5), scac: s.value(10))
            case "LX":
                lines.append(Line(number: s.value(1) ?? "", quantity: 0, unit: "", upcCaseCode: nil, ids: [], description: nil, references: []))
            case "W01":
                if lines.isEmpty {
                    lines.append(Line(number: "", quantity: 0, unit: "", upcCaseCode: nil, ids: [], description: nil, references: []))
                }
                lines[lines.count - 1].quantity = try X12Number.require(s.value(1), "W0101", segment: "W01")
                lines[lines.count - 1].unit = s.value(2) ?? ""
                lines[lines.count - 1].upcCaseCode = s.value(3)
                lines[lines.count - 1].ids = ItemID.pairs(in: s, from: 4, through: 8).filter(\.isComplete)
            case "G69" where !lines.isEmpty: lines[lines.count - 1].description = s.value(1)
            case "W76":
                totalQuantity = try X12Number.optional(s.value(1), "W7601", segment: "W76")
                totalWeight = try X12Number.optional(s.value(2), "W7602", segment: "W76")
                weightUnit = s.value(3)
            default: break
            }
        }
    }
}

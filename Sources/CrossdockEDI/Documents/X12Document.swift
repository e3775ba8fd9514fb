/// A decoded transaction set of any kind the hub reads, for `crossdock edi parse FILE` and the inbound pipeline.
///
/// JSON shape (stable): `{"type": "<ST01>", "document": {...}}`, where `document` is the kind's own `Codable` value:
/// ``PurchaseOrder`` (850), ``PurchaseOrderAcknowledgment`` (855), ``WarehouseShippingAdvice`` (945),
/// ``FunctionalAcknowledgment`` (997), ``ShipNotice`` (856), ``InvoiceDocument`` (810), ``WarehouseShippingOrder`` (940). Keys are the Swift property names; X12 numbers and dates are strings as written;
/// absent optional values are omitted.
///
/// Adding a kind (856, 810, 940): add a case here, its `type` in ``transactionSetID``, its value in `encode(to:)`, and
/// register its decoder in ``X12DocumentDecoders/standard``.
public enum X12Document: Hashable, Sendable, Encodable {
    /// 850.
    case purchaseOrder(PurchaseOrder)
    /// 855.
    case purchaseOrderAcknowledgment(PurchaseOrderAcknowledgment)
    /// 945.
    case warehouseShippingAdvice(WarehouseShippingAdvice)
    /// 997.
    case functionalAcknowledgment(FunctionalAcknowledgment)
    /// 856.
    case shipNotice(ShipNotice)
    /// 810.
    case invoice(InvoiceDocument)
    /// 940.
    case warehouseShippingOrder(WarehouseShippingOrder)

    /// ST01 of the kind.
    public var transactionSetID: String {
        switch self {
        case .purchaseOrder: "850"
        case .purchaseOrderAcknowledgment: "855"
        case .warehouseShippingAdvice: "945"
        case .functionalAcknowledgment: "997"
        case .shipNotice: "856"
        case .invoice: "810"
        case .warehouseShippingOrder: "940"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case type, document
    }

    /// Writes `{"type": ..., "document": ...}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(transactionSetID, forKey: .type)
        switch self {
        case .purchaseOrder(let value): try container.encode(value, forKey: .document)
        case .purchaseOrderAcknowledgment(let value): try container.encode(value, forKey: .document)
        case .warehouseShippingAdvice(let value): try container.encode(value, forKey: .document)
        case .functionalAcknowledgment(let value): try container.encode(value, forKey: .document)
        case .shipNotice(let value): try container.encode(value, forKey: .document)
        case .invoice(let value): try container.encode(value, forKey: .document)
        case .warehouseShippingOrder(let value): try container.encode(value, forKey: .document)
        }
    }
}

/// The decoders the inbound pipeline applies, by ST01.
///
/// ```swift
/// var decoders = X12DocumentDecoders.standard
/// decoders.register("856") { set throws(X12SetRejection) in .shipNotice(try ShipNotice.decode(set)) }
/// ```
public struct X12DocumentDecoders: Sendable {
    /// Decodes one set or throws every error that rejects it.
    public typealias Decode = @Sendable (X12TransactionSet) throws(X12SetRejection) -> X12Document

    /// Decoders by ST01.
    public var decoders: [String: Decode]

    /// Creates a registry.
    /// - Parameter decoders: decoders by ST01.
    public init(_ decoders: [String: Decode] = [:]) {
        self.decoders = decoders
    }

    /// 850, 855, 945 and 997, strict, and the hub's own outbound kinds (856, 810, 940) for reading them back.
    public static let standard = X12DocumentDecoders([
        "856": { set throws(X12SetRejection) in
            do throws(OutboundMappingError) { return .shipNotice(try ShipNotice(transactionSet: set)) } catch { throw error.rejection(in: set) }
        },
        "810": { set throws(X12SetRejection) in
            do throws(OutboundMappingError) { return .invoice(try InvoiceDocument(transactionSet: set)) } catch { throw error.rejection(in: set) }
        },
        "940": { set throws(X12SetRejection) in
            do throws(OutboundMappingError) {
                return .warehouseShippingOrder(try WarehouseShippingOrder(transactionSet: set))
            } catch { throw error.rejection(in: set) }
        },
        "850": { set throws(X12SetRejection) in .purchaseOrder(try PurchaseOrder.decode(set)) },
        "855": { set throws(X12SetRejection) in .purchaseOrderAcknowledgment(try PurchaseOrderAcknowledgment.decode(set)) },
        "945": { set throws(X12SetRejection) in .warehouseShippingAdvice(try WarehouseShippingAdvice.decode(set)) },
        "997": { set throws(X12SetRejection) in .functionalAcknowledgment(try FunctionalAcknowledgment.decode(set)) },
    ])

    /// Adds or replaces the decoder for `id`.
    /// - Parameters:
    ///   - id: ST01.
    ///   - decode: the decoder.
    public mutating func register(_ id: String, _ decode: @escaping Decode) {
        decoders[id] = decode
    }

    /// The GS01 functional identifier each ST01 belongs in.
    public static let functionalIDs: [String: String] = [
        "850": "PO", "855": "PR", "856": "SH", "810": "IN", "997": "FA", "940": "OW", "945": "SW", "860": "PC", "846": "IB",
    ]
}

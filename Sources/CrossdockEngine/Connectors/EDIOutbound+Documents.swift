import CrossdockDomain
import CrossdockEDI
import CrossdockStore
import Foundation

extension EDIOutbound {
    /// What an outbound document is written for.
    public enum Subject: Sendable {
        /// An 856 for a shipment.
        case shipment(String)
        /// An 810 for an invoice.
        case invoice(String)
        /// A 940 for a fulfilment order.
        case fulfillment(String)
    }

    /// The documents `event` calls for, per partner.
    func documents(for event: CloudEvent, partners: [TradingPartner]) async throws -> [(TradingPartner, [EDIIssuer.Document])] {
        switch event.type {
        case EventType.shipmentShipped.qualifiedName where partners.contains(where: { $0.role == .customer }):
            try await documents(for: .shipment(event.subject), partners: partners)
        case EventType.invoicePosted.qualifiedName where partners.contains(where: { $0.role == .customer }):
            try await documents(for: .invoice(event.subject), partners: partners)
        case EventType.fulfillmentReleased.qualifiedName:
            // Only a warehouse an X12 3PL operates gets a 940; the event names its warehouse.
            if case .string(let warehouse)? = event.data["warehouseId"],
                partners.contains(where: { $0.role == .warehouse && $0.warehouseID == warehouse })
            {
                try await documents(for: .fulfillment(event.subject), partners: partners)
            } else {
                []
            }
        default: []
        }
    }

    /// The document `subject` calls for, and the partner it goes to; empty when no partner takes it.
    public func documents(for subject: Subject, partners: [TradingPartner]) async throws -> [(TradingPartner, [EDIIssuer.Document])] {
        switch subject {
        case .shipment(let id):
            guard let shipment = try await store.shipment(id), let order = try await store.order(shipment.orderID),
                let partner = Self.customerPartner(of: order, in: partners, sending: "856")
            else { return [] }
            let set = try await shipNotice(shipment, order: order)
            return [(partner, [.init(set: set, reference: shipment.id, orderID: order.id)])]
        case .invoice(let id):
            guard let invoice = try await store.invoice(id), let order = try await store.order(invoice.orderID),
                let partner = Self.customerPartner(of: order, in: partners, sending: "810"),
                let customer = try await store.customer(order.customerID)
            else { return [] }
            let document = try InvoiceDocument(
                invoice: invoice,
                order: order,
                customer: customer,
                products: try await products(order.lines.map(\.sku)),
                remitTo: configuration.remitTo,
                shipment: try await store.shipment(invoice.shipmentID)
            )
            return [(partner, [.init(set: document.transactionSet(), reference: invoice.id, orderID: order.id)])]
        case .fulfillment(let id):
            guard let fulfillment = try await store.fulfillment(id),
                let partner = partners.first(where: {
                    $0.role == .warehouse && $0.warehouseID == fulfillment.warehouseID && $0.outbound.contains("940")
                }),
                let order = try await store.order(fulfillment.orderID)
            else { return [] }
            let warehouse = try await store.warehouses().first { $0.id == fulfillment.warehouseID }
            let document = WarehouseShippingOrder(
                fulfillmentOrder: fulfillment,
                order: order,
                products: try await products(fulfillment.lines.map(\.sku)),
                warehouse: warehouse ?? Warehouse(id: fulfillment.warehouseID, name: fulfillment.warehouseID, region: "", priority: 0),
                warehouseAddress: warehouse?.address
            )
            return [(partner, [.init(set: document.transactionSet(), reference: fulfillment.id, orderID: order.id)])]
        }
    }

    /// Whether `error` says the document can never be written (as opposed to a failure worth retrying).
    static func isPermanent(_ error: any Error) -> Bool {
        error is OutboundMappingError || error is X12Error || error is X12SetRejection
    }

    /// The X12 customer an order came from, if it wants `set`.
    static func customerPartner(of order: SalesOrder, in partners: [TradingPartner], sending set: String) -> TradingPartner? {
        guard order.channel == "edi", let colon = order.externalID.firstIndex(of: ":") else { return nil }
        let id = String(order.externalID[..<colon])
        return partners.first { $0.id == id && $0.role == .customer && $0.outbound.contains(set) }
    }

    /// The products of `skus`, by SKU.
    func products(_ skus: [String]) async throws -> [String: Product] {
        var products: [String: Product] = [:]
        for sku in skus where products[sku] == nil { products[sku] = try await store.product(sku) }
        return products
    }

    func shipNotice(_ shipment: Shipment, order: SalesOrder) async throws -> X12TransactionSet {
        let products = try await products(order.lines.map(\.sku))
        let warehouse =
            try await store.warehouses().first { $0.id == shipment.warehouseID }
            ?? Warehouse(id: shipment.warehouseID, name: shipment.warehouseID, region: "", priority: 0)
        var ssccs: [SSCC] = []
        for _ in shipment.packages { ssccs.append(try await nextSSCC()) }
        let notice = try ShipNotice(
            shipment: shipment,
            order: order,
            products: products,
            warehouse: warehouse,
            shipFrom: warehouse.address
                ?? Address(name: warehouse.name, lines: [], city: "", region: warehouse.region, postalCode: "", country: "US"),
            ssccs: ssccs
        )
        return notice.transactionSet()
    }

    /// The next SSCC: extension digit 0, the company prefix and a serial from the durable sequence.
    func nextSSCC() async throws -> SSCC {
        let prefix = configuration.companyPrefix
        let serial = try await store.nextControlNumber(partner: "sscc:\(prefix)", kind: "serial")
        let width = 16 - prefix.count
        let text = String(serial)
        return try SSCC(extensionDigit: 0, companyPrefix: prefix, serialReference: String(repeating: "0", count: max(0, width - text.count)) + text)
    }
}

import CrossdockDomain
import Foundation

/// A unit with its documents already encoded, so the writer's critical section does no JSON work.
struct EncodedUnit: Sendable {
    var unit: UnitOfWork
    var customers: [(Customer, Data)]
    var products: [(String, Data)]
    var warehouses: [(Warehouse, Data)]
    var priceLists: [(String, Data)]
    var legalEntities: [(String, Data)]
    var orders: [(UnitOfWork.Write<SalesOrder>, Data)]
    var fulfillments: [(UnitOfWork.Write<FulfillmentOrder>, Data)]
    var shipments: [(UnitOfWork.Write<Shipment>, Data)]
    var receipts: [(UnitOfWork.Write<ScheduledReceipt>, Data)]
    var invoices: [(Invoice, Data)]
    var creditMemos: [(CreditMemo, Data)]
    var returns: [(UnitOfWork.Write<ReturnAuthorization>, Data)]
    var exceptions: [(UnitOfWork.Write<OperationsException>, Data)]
    var regionPreferences: [(String, String)]
    var times: [String]
    var now: Double
    /// The W3C traceparent of the span this unit is committed in (the request's), stored with each of its events.
    var traceparent: String?
    var inboundMessages: [(InboundMessage, Data)]
    var quarantine: [(QuarantinedRecord, Data)]

    init(_ unit: UnitOfWork) throws {
        self.unit = unit
        customers = try unit.customers.map { ($0, try JSONCoding.encode($0)) }
        products = try unit.products.map { ($0.sku, try JSONCoding.encode($0)) }
        warehouses = try unit.warehouses.map { ($0, try JSONCoding.encode($0)) }
        priceLists = try unit.priceLists.map { ($0.id, try JSONCoding.encode($0)) }
        legalEntities = try unit.legalEntities.map { ($0.id, try JSONCoding.encode($0)) }
        orders = try unit.orders.map { ($0, try $0.document ?? JSONCoding.encode($0.value)) }
        fulfillments = try unit.fulfillments.map { ($0, try JSONCoding.encode($0.value)) }
        shipments = try unit.shipments.map { ($0, try JSONCoding.encode($0.value)) }
        receipts = try unit.receipts.map { ($0, try JSONCoding.encode($0.value)) }
        invoices = try unit.invoices.map { ($0, try JSONCoding.encode($0)) }
        creditMemos = try unit.creditMemos.map { ($0, try JSONCoding.encode($0)) }
        returns = try unit.returns.map { ($0, try JSONCoding.encode($0.value)) }
        exceptions = try unit.exceptions.map { ($0, try JSONCoding.encode($0.value)) }
        regionPreferences = try unit.regionPreferences.sorted { $0.key < $1.key }.map {
            ($0.key, String(decoding: try JSONCoding.encode($0.value), as: UTF8.self))
        }
        times = unit.events.map { JSONCoding.format($0.time) }
        now = Date().timeIntervalSince1970
        traceparent = unit.events.isEmpty ? nil : TraceContext.currentTraceparent()
        inboundMessages = try unit.inboundMessages.map { ($0, try JSONCoding.encode($0)) }
        quarantine = try unit.quarantine.map { ($0, try JSONCoding.encode($0)) }
    }
}

import CrossdockDomain
import CrossdockStore
import Foundation
import Tracing

/// The `data` of `return.authorized`, `return.received` and `return.closed`.
struct ReturnEventData: Codable, Sendable {
    var returnAuthorization: ReturnAuthorization
    /// Units received by this receipt, per line (`return.received`).
    var received: [LineQuantity]?
}

/// The reply to a return receipt.
struct ReturnReceiptReply: Encodable {
    var `return`: ReturnAuthorization
    var creditMemo: CreditMemo
}

extension OrderService {
    /// Authorises a return (RMA) of shipped units: never more per line than shipped less what earlier
    /// authorisations cover.
    /// - Returns: 201 with the return authorisation.
    public func authorizeReturn(
        orderID: String,
        lines: [(lineNo: Int, quantity: Int, reason: String)],
        warehouseID: String?,
        idempotency: IdempotencyContext?
    ) async throws -> Reply {
        try await withSpan("return.authorize") { _ in
            let commandID = IDs.make()
            return try await runner.run(idempotency: idempotency) {
                guard let order = try await store.order(orderID) else {
                    throw EngineError(
                        .invalid,
                        code: "invalid_return",
                        message: "order \(orderID) does not exist",
                        errors: [.init(field: "orderId", reason: "unknown order '\(orderID)'")]
                    )
                }
                try permit(order.status, .authorizeReturn)
                let existing = try await store.returns(orderID: orderID)
                let shipped = Dictionary(uniqueKeysWithValues: order.lines.map { ($0.lineNo, (sku: $0.sku, quantity: $0.shipped)) })
                let already = Returns.authorizedQuantities(existing)
                let authorized = try Self.billing(status: order.status.rawValue, action: OrderAction.authorizeReturn.rawValue) {
                    () throws(BillingError) in try Returns.authorize(request: lines, shipped: shipped, alreadyAuthorized: already)
                }
                let warehouses = try await store.warehouses()
                let shipments = try await store.shipments(orderID: orderID)
                let warehouse = warehouseID ?? shipments.first?.warehouseID ?? warehouses.first?.id ?? ""
                guard warehouses.contains(where: { $0.id == warehouse }) else {
                    throw EngineError(
                        .invalid,
                        code: "invalid_return",
                        message: "unknown warehouse '\(warehouse)'",
                        errors: [.init(field: "warehouseId", reason: "unknown warehouse '\(warehouse)'")]
                    )
                }
                let id = IDs.make()
                let rma = ReturnAuthorization(
                    id: id,
                    number: DocumentNumber.make("RMA", id: id),
                    orderID: order.id,
                    customerID: order.customerID,
                    warehouseID: warehouse,
                    lines: authorized,
                    authorizedAt: now()
                )
                var recorder = EventRecorder(correlationID: order.id, causationID: commandID, makeID: IDs.make)
                recorder.record(.returnAuthorized, subject: rma.id, at: now(), ReturnEventData(returnAuthorization: rma, received: nil))
                var unit = UnitOfWork()
                unit.returns = [.init(rma, expectedVersion: nil)]
                unit.events = recorder.events
                return (unit, Reply(status: 201, body: try encode(rma), location: "/v1/returns/\(rma.id)"))
            }
        }
    }

    /// Records goods received against a return: restocked units go back on hand (and may fill backorders), a
    /// credit memo is issued for the received units at the invoiced price and tax.
    /// - Returns: 201 with the return and the credit memo.
    public func receiveReturn(
        returnID: String,
        lines: [(lineNo: Int, quantity: Int, condition: ReturnAuthorization.Condition)],
        idempotency: IdempotencyContext?
    ) async throws -> Reply {
        try await withSpan("return.receive") { _ in
            let commandID = IDs.make()
            return try await runner.run(idempotency: idempotency) {
                guard let rma = try await store.returnAuthorization(returnID) else {
                    throw EngineError(.notFound, code: "not_found", message: "return \(returnID) does not exist")
                }
                let order = try await existingOrder(rma.orderID)
                try permit(order.status, .receiveReturn)
                let received = try Self.billing(status: rma.status.rawValue, action: "receive") { () throws(BillingError) in
                    try Returns.receive(rma, lines: lines)
                }
                let at = now()
                let memoID = IDs.make()
                let invoices = try await store.invoices(orderID: order.id)
                let previous = try await store.creditMemos(orderID: order.id)
                // Goods that came back were delivered: credit the invoices of delivered shipments first, so a
                // shipment lost or damaged in transit keeps its own invoice for its own credit.
                let delivered = invoices.filter { order.shipments[$0.shipmentID] == .delivered }
                func credit(_ against: [Invoice]) throws(BillingError) -> CreditMemo {
                    try Crediting.creditMemo(
                        id: memoID,
                        number: DocumentNumber.make("CM", id: memoID),
                        reason: .return,
                        returnID: rma.id,
                        quantities: received.received,
                        invoices: against,
                        previousCredits: previous,
                        issuedAt: at
                    )
                }
                let memo = try Self.billing(status: rma.status.rawValue, action: "receive") { () throws(BillingError) in
                    do { return try credit(delivered) } catch { return try credit(invoices) }
                }
                var updated = received.rma
                updated.version += 1
                var changed = order
                for (lineNo, quantity) in received.received {
                    changed.lines[changed.lines.firstIndex { $0.lineNo == lineNo }!].returned += quantity
                }
                for (lineNo, quantity) in memo.quantitiesByLine {
                    changed.lines[changed.lines.firstIndex { $0.lineNo == lineNo }!].credited += quantity
                }
                changed.version += 1
                var recorder = EventRecorder(correlationID: order.id, causationID: commandID, makeID: IDs.make)
                let receivedLines = received.received.sorted { $0.key < $1.key }.map { LineQuantity(lineNo: $0.key, quantity: $0.value) }
                recorder.record(.returnReceived, subject: rma.id, at: at, ReturnEventData(returnAuthorization: updated, received: receivedLines))
                var unit = UnitOfWork()
                for (sku, quantity) in received.restock where quantity > 0 {
                    unit.inventory.append(InventoryChange(warehouseID: rma.warehouseID, sku: sku, onHandDelta: quantity, reservedDelta: 0))
                    recorder.record(
                        .inventoryAdjusted,
                        subject: "\(sku):\(rma.warehouseID)",
                        at: at,
                        InventoryAdjustedData(
                            warehouseId: rma.warehouseID,
                            sku: sku,
                            onHandDelta: quantity,
                            reason: .returnRestock,
                            reference: rma.id
                        )
                    )
                }
                recorder.record(.creditMemoIssued, subject: memo.id, at: at, memo)
                if updated.status == .received {
                    recorder.record(.returnClosed, subject: rma.id, at: at, ReturnEventData(returnAuthorization: updated, received: nil))
                }
                unit.returns = [.init(updated, expectedVersion: rma.version)]
                unit.orders = [.init(changed, expectedVersion: order.version)]
                unit.creditMemos = [memo]
                unit.creditChanges = [CreditChange(customerID: order.customerID, openOrdersDelta: 0, openBalanceDelta: -memo.total.minorUnits)]
                unit.events = recorder.events
                if !unit.inventory.isEmpty {
                    try await reader.fillBackorders(skus: unit.inventory.map(\.sku), into: &unit, commandID: commandID)
                }
                let body = try encode(ReturnReceiptReply(return: updated, creditMemo: memo))
                return (unit, Reply(status: 201, body: body))
            }
        }
    }
}

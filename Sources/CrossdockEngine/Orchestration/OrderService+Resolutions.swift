import CrossdockDomain
import CrossdockStore
import Foundation

/// The changes of the resolutions that act on the order (see ``OrderService/resolveException(id:resolution:note:substituteSKU:actor:idempotency:)``).
extension OrderService {
    /// Adds a replacement order for the exception's shipment, allocated and released (``Reshipment``).
    func reship(
        _ exception: inout OperationsException,
        commandID: String,
        at: Date,
        unit: inout UnitOfWork,
        events: inout [EventDraft]
    ) async throws {
        guard let shipmentID = exception.shipmentID, let shipment = try await store.shipment(shipmentID) else {
            throw EngineError(.notFound, code: "not_found", message: "shipment \(exception.shipmentID ?? "") does not exist")
        }
        let order = try await existingOrder(shipment.orderID)
        let skus = Set(shipment.quantitiesByLine.keys.compactMap { lineNo in order.lines.first { $0.lineNo == lineNo }?.sku })
        let context = try await reader.context(skus: skus.sorted(), allowSubstitution: false)
        let outcome = Reshipment.reship(
            order,
            shipment: shipment,
            exceptionID: exception.id,
            replacementID: IDs.make(),
            context: context,
            commandID: commandID,
            now: at,
            makeID: IDs.make
        )
        exception.replacementOrderID = outcome.replacement.id
        unit.orders.append(.init(outcome.replacement, expectedVersion: nil))
        unit.inventory += outcome.inventory
        unit.fulfillments += outcome.fulfillmentOrders.map { .init($0, expectedVersion: nil) }
        events += outcome.events
        if exception.kind == .shipmentSilent {
            // The silent parcel is presumed lost and its units ship again: it no longer holds the order open (a delivery
            // exception's shipment is settled the same way, by ``settleShipment(_:exception:resolution:commandID:unit:)``).
            var changed = order
            changed.shipments[shipment.id] = .settled
            let before = changed.status
            changed.transition(to: changed.derivedStatus, at: at)
            if changed.status != before {
                var recorder = EventRecorder(correlationID: order.id, causationID: commandID, makeID: IDs.make)
                recorder.record(.orderStatusChanged, subject: order.id, at: at, OrderStatusData(changed))
                events += recorder.events
            }
            changed.version += 1
            unit.orders.append(.init(changed, expectedVersion: order.version))
        }
    }

    /// Adds the cancellation of every unshipped unit of the exception's order (released units by a request to their
    /// warehouses), then fills backorders from the stock it frees.
    func cancelRemainder(
        _ exception: OperationsException,
        commandID: String,
        at: Date,
        unit: inout UnitOfWork,
        events: inout [EventDraft]
    ) async throws {
        let order = try await existingOrder(exception.orderID)
        let remainder = order.lines.compactMap { line -> LineQuantity? in
            let units = line.open + line.allocated + line.released - line.cancelRequested
            return units > 0 ? LineQuantity(lineNo: line.lineNo, quantity: units) : nil
        }
        guard !remainder.isEmpty else {
            throw EngineError(
                .conflict,
                code: "nothing_to_cancel",
                message: "order \(order.id) has no unshipped units left to cancel",
                extra: ["currentStatus": order.status.rawValue, "action": "resolve"]
            )
        }
        let fulfillments = try await store.fulfillments(orderID: order.id)
        let outcome: OrderCancellation.Outcome
        do {
            outcome = try OrderCancellation.cancel(
                order,
                fulfillments: fulfillments,
                lines: remainder,
                reason: "exception \(exception.id): \(exception.kind.rawValue)",
                commandID: commandID,
                now: at,
                makeID: IDs.make
            )
        } catch {
            throw EngineError(error)
        }
        unit.orders.append(.init(outcome.order, expectedVersion: order.version))
        let previous = Dictionary(uniqueKeysWithValues: fulfillments.map { ($0.id, $0.version) })
        unit.fulfillments += outcome.fulfillments.map { .init($0, expectedVersion: previous[$0.id]) }
        unit.inventory += outcome.inventory
        unit.creditChanges += creditChanges(before: order, after: outcome.order, receivables: 0)
        events += outcome.events
        if !outcome.inventory.isEmpty {
            try await reader.fillBackorders(skus: outcome.inventory.map(\.sku), into: &unit, commandID: commandID)
        }
    }

    /// Puts `sku` on the exception's backordered line and allocates its open units (`order.line_substituted`).
    /// The SKU must be listed as a substitute of the item ordered (422 `substituteSku` otherwise); the line keeps the
    /// ordered item's price.
    func substitute(
        _ exception: inout OperationsException,
        sku: String,
        commandID: String,
        at: Date,
        unit: inout UnitOfWork,
        events: inout [EventDraft]
    ) async throws {
        let order = try await existingOrder(exception.orderID)
        guard let lineNo = exception.lineNo, let index = order.lines.firstIndex(where: { $0.lineNo == lineNo }) else {
            throw EngineError(.notFound, code: "not_found", message: "line \(exception.lineNo ?? 0) of order \(order.id) does not exist")
        }
        let line = order.lines[index]
        let listed = try await store.product(line.orderedSKU)?.substitutes.map(\.sku) ?? []
        guard listed.contains(sku), sku != line.sku else {
            let reason = listed.isEmpty ? "\(line.orderedSKU) has no substitutes" : "must be one of \(listed.joined(separator: ", "))"
            throw EngineError(
                .invalid,
                code: "invalid_resolution",
                message: "\(sku) is not a substitute of \(line.orderedSKU)",
                errors: [.init(field: "substituteSku", reason: reason)]
            )
        }
        guard line.open > 0 else {
            throw EngineError(
                .conflict,
                code: "nothing_to_substitute",
                message: "line \(lineNo) of order \(order.id) has no units waiting",
                extra: ["currentStatus": order.status.rawValue, "action": "resolve"]
            )
        }
        var changed = order
        var recorder = EventRecorder(correlationID: order.id, causationID: commandID, makeID: IDs.make)
        changed.lines[index].sku = sku
        recorder.record(
            .orderLineSubstituted,
            subject: order.id,
            at: at,
            OrderAllocation.SubstitutionData(
                orderId: order.id,
                lineNo: lineNo,
                fromSku: line.sku,
                toSku: sku,
                quantity: line.open,
                priceRule: "ordered_item_price"
            )
        )
        let context = try await reader.context(skus: [sku], allowSubstitution: false)
        let result = OrderAllocation.run(&changed, context: context, lines: [lineNo], now: at, recorder: &recorder, makeID: IDs.make)
        let before = changed.status
        changed.transition(to: changed.derivedStatus, at: at)
        if changed.status != before { recorder.record(.orderStatusChanged, subject: order.id, at: at, OrderStatusData(changed)) }
        changed.version += 1
        exception.substituteSKU = sku
        unit.orders.append(.init(changed, expectedVersion: order.version))
        unit.inventory += result.inventory
        unit.fulfillments += result.fulfillmentOrders.map { .init($0, expectedVersion: nil) }
        events += recorder.events
    }

    /// Adds `exception.customer_notified`, correlated to the order, with the message for the customer.
    func notifyCustomer(
        _ exception: OperationsException,
        message: String,
        actor: OperationsException.Actor,
        commandID: String,
        at: Date,
        events: inout [EventDraft]
    ) async throws {
        let order = try await existingOrder(exception.orderID)
        var recorder = EventRecorder(correlationID: order.id, causationID: commandID, makeID: IDs.make)
        recorder.record(
            .exceptionCustomerNotified,
            subject: exception.id,
            at: at,
            CustomerNotificationData(
                exceptionId: exception.id,
                orderId: order.id,
                channel: order.channel,
                externalId: order.externalID,
                customerId: order.customerID,
                kind: exception.kind,
                detail: exception.detail,
                message: message,
                notifiedBy: actor.name
            )
        )
        events += recorder.events
    }
}

import Foundation

/// Reships a lost or damaged shipment: a replacement order for exactly the shipment's units, at zero price (reason
/// `replacement`, DOMAIN.md 2.4 "Lost in transit"), allocated and released like any order (stock reserved, the rest
/// backordered). The original order keeps its lines, invoices and credits; `order.reshipped` on it names the
/// replacement. Pure.
public enum Reshipment {
    /// One reshipped line.
    public struct Line: Hashable, Sendable, Codable {
        /// The original order's line.
        public var lineNo: Int
        /// The SKU shipped (the substitute, if the line was substituted).
        public var sku: String
        /// Units reshipped.
        public var quantity: Int
    }

    /// The `data` of `order.reshipped`.
    public struct ReshippedData: Hashable, Sendable, Codable {
        public var orderId: String
        public var replacementOrderId: String
        public var exceptionId: String
        public var shipmentId: String
        public var lines: [Line]
        /// The replacement's fulfilment orders released now.
        public var fulfillmentOrderIds: [String]
        /// Units waiting for stock.
        public var backordered: Int
    }

    /// What a reship creates.
    public struct Outcome: Sendable {
        /// The replacement order, allocated and released.
        public var replacement: SalesOrder
        /// Reservations.
        public var inventory: [InventoryChange]
        /// Fulfilment orders released.
        public var fulfillmentOrders: [FulfillmentOrder]
        /// The replacement's events (correlated to it) and `order.reshipped` (correlated to the original).
        public var events: [EventDraft]
    }

    /// Builds and allocates the replacement of `shipment`.
    /// - Parameters:
    ///   - order: the original order.
    ///   - shipment: the shipment lost or damaged.
    ///   - exceptionID: the exception resolved.
    ///   - replacementID: the replacement order's id.
    ///   - context: stock and rules (substitution is not offered again).
    ///   - commandID: causation.
    ///   - now: the time.
    ///   - makeID: ids.
    public static func reship(
        _ order: SalesOrder,
        shipment: Shipment,
        exceptionID: String,
        replacementID: String,
        context: AllocationContext,
        commandID: String,
        now: Date,
        makeID: @escaping @Sendable () -> String
    ) -> Outcome {
        let zero = Money.zero(order.currency)
        let lines = shipment.quantitiesByLine.sorted { $0.key < $1.key }.compactMap { lineNo, quantity -> OrderLine? in
            guard quantity > 0, let original = order.lines.first(where: { $0.lineNo == lineNo }) else { return nil }
            var line = OrderLine(lineNo: lineNo, sku: original.sku, quantity: quantity, unitPrice: zero, priceSource: "replacement", tax: zero)
            line.orderedUnit = original.orderedUnit
            line.channelLineRef = original.channelLineRef
            return line
        }
        var replacement = SalesOrder(
            id: replacementID,
            channel: order.channel,
            externalID: "\(order.externalID)/reship-\(exceptionID)",
            customerID: order.customerID,
            customerPO: order.customerPO,
            shipTo: order.shipTo,
            requestedDate: nil,
            shipPolicy: .shipPartial,
            currency: order.currency,
            lines: lines,
            taxRatePPM: order.taxRatePPM,
            receivedAt: now
        )
        replacement.legalEntityID = order.legalEntityID
        replacement.reasons = [
            .init(code: "replacement", message: "reships shipment \(shipment.id) of order \(order.id) (exception \(exceptionID))")
        ]
        replacement.transition(to: .accepted, at: now)
        var context = context
        context.allowSubstitution = false
        var recorder = EventRecorder(correlationID: replacement.id, causationID: commandID, makeID: makeID)
        // Announced like any accepted order, so the ERP books the no-charge replacement and the channel can list it.
        recorder.record(.orderAccepted, subject: replacement.id, at: now, OrderEventData(replacement))
        let result = OrderAllocation.run(&replacement, context: context, now: now, recorder: &recorder, makeID: makeID)
        replacement.transition(to: replacement.derivedStatus, at: now)
        recorder.record(.orderStatusChanged, subject: replacement.id, at: now, OrderStatusData(replacement))
        var announce = EventRecorder(correlationID: order.id, causationID: commandID, makeID: makeID)
        announce.record(
            .orderReshipped,
            subject: order.id,
            at: now,
            ReshippedData(
                orderId: order.id,
                replacementOrderId: replacement.id,
                exceptionId: exceptionID,
                shipmentId: shipment.id,
                lines: lines.map { Line(lineNo: $0.lineNo, sku: $0.sku, quantity: $0.quantity) },
                fulfillmentOrderIds: result.fulfillmentOrders.map(\.id),
                backordered: replacement.lines.reduce(0) { $0 + $1.backordered }
            )
        )
        return Outcome(
            replacement: replacement,
            inventory: result.inventory,
            fulfillmentOrders: result.fulfillmentOrders,
            events: announce.events + recorder.events
        )
    }
}

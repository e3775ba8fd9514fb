import Foundation

/// What a warehouse reports about a fulfilment order.
public enum FulfillmentFeedback: Hashable, Sendable {
    /// Units picked, per line.
    case picked([LineQuantity])
    /// Units the warehouse could not find, per line; they go back to the order as backordered.
    case shortPicked([LineQuantity], reason: String)
    /// A shipment left the building.
    case shipped(carrier: String, service: String?, packages: [Shipment.Package], shippedAt: Date)

    /// The action's name, as used in errors (`picked`, `short_picked`, `shipped`).
    public var action: String {
        switch self {
        case .picked: "picked"
        case .shortPicked: "short_picked"
        case .shipped: "shipped"
        }
    }
}

/// Why a report cannot be applied. Nothing changes.
public struct FeedbackError: Error, Hashable, Sendable {
    /// `illegal_transition` (the fulfilment order's state forbids it) or `invalid_quantities`.
    public var code: String
    /// A sentence naming the state and the action, or the quantities.
    public var message: String
    /// The offending fields.
    public var errors: [IntakeError.FieldError]
    /// The fulfilment order's current status.
    public var currentStatus: FulfillmentOrder.Status
}

/// Applies warehouse feedback to a fulfilment order and its order. Pure.
public enum FulfillmentFeedbackApplier {
    /// What to commit.
    public struct Outcome: Sendable {
        /// The order after the report.
        public var order: SalesOrder
        /// The fulfilment order after the report.
        public var fulfillment: FulfillmentOrder
        /// A new shipment, for `shipped`.
        public var shipment: Shipment?
        /// Balance changes.
        public var inventory: [InventoryChange]
        /// Events, in order.
        public var events: [EventDraft]
    }

    /// Applies `feedback`.
    /// - Parameters:
    ///   - feedback: the report.
    ///   - fulfillment: the fulfilment order it is about.
    ///   - order: its sales order.
    ///   - commandID: the report's id (causation).
    ///   - now: the time it is applied.
    ///   - makeID: a source of unique ids.
    /// - Throws: ``FeedbackError`` when the state or the quantities forbid it.
    public static func apply(
        _ feedback: FulfillmentFeedback,
        to fulfillment: FulfillmentOrder,
        order: SalesOrder,
        commandID: String,
        now: Date,
        makeID: @escaping @Sendable () -> String
    ) throws(FeedbackError) -> Outcome {
        guard !fulfillment.status.isTerminal else {
            throw FeedbackError(
                code: "illegal_transition",
                message: "fulfillment order \(fulfillment.id) is \(fulfillment.status.rawValue); '\(feedback.action)' is not allowed",
                errors: [],
                currentStatus: fulfillment.status
            )
        }
        var fulfillment = fulfillment
        var order = order
        var recorder = EventRecorder(correlationID: order.id, causationID: commandID, makeID: makeID)
        var inventory: [InventoryChange] = []
        var shipment: Shipment?
        let before = order.status

        switch feedback {
        case .picked(let lines):
            let quantities = try validate(lines.map { ($0.lineNo, $0.quantity) }, against: fulfillment, field: "lines") { line in
                line.quantity - line.short - line.picked
            }
            for (lineNo, quantity) in quantities {
                fulfillment.lines[fulfillment.lines.firstIndex { $0.lineNo == lineNo }!].picked += quantity
                order.lines[order.lines.firstIndex { $0.lineNo == lineNo }!].picked += quantity
            }
            fulfillment.status = .inProgress
            recorder.record(.fulfillmentPicked, subject: fulfillment.id, at: now, data(fulfillment, lines, reason: nil))

        case .shortPicked(let lines, let reason):
            let quantities = try validate(lines.map { ($0.lineNo, $0.quantity) }, against: fulfillment, field: "lines") { $0.remaining }
            for (lineNo, quantity) in quantities {
                let fIndex = fulfillment.lines.firstIndex { $0.lineNo == lineNo }!
                fulfillment.lines[fIndex].short += quantity
                let sku = fulfillment.lines[fIndex].sku
                let index = order.lines.firstIndex { $0.lineNo == lineNo }!
                order.lines[index].released -= quantity
                order.lines[index].open += quantity
                order.lines[index].backordered += quantity
                order.lines[index].shortPicked += quantity
                order.lines[index].warehouseQuantities[fulfillment.warehouseID, default: 0] -= quantity
                if order.lines[index].warehouseQuantities[fulfillment.warehouseID] == 0 {
                    order.lines[index].warehouseQuantities[fulfillment.warehouseID] = nil
                }
                inventory.append(.issue(quantity, of: sku, from: fulfillment.warehouseID))
            }
            if fulfillment.status == .released { fulfillment.status = .inProgress }
            recorder.record(.fulfillmentShortPicked, subject: fulfillment.id, at: now, data(fulfillment, lines, reason: reason))
            for change in inventory {
                recorder.record(
                    .inventoryAdjusted,
                    subject: "\(change.sku):\(change.warehouseID)",
                    at: now,
                    InventoryAdjustedData(
                        warehouseId: change.warehouseID,
                        sku: change.sku,
                        onHandDelta: change.onHandDelta,
                        reason: .shortPick,
                        reference: fulfillment.id
                    )
                )
            }
            order.reasons = order.lines.filter { $0.backordered > 0 }.map {
                .init(code: "backordered", message: "\($0.backordered) unit(s) wait for stock", lineNo: $0.lineNo)
            }
            recorder.record(.orderBackordered, subject: order.id, at: now, OrderEventData(order))

        case .shipped(let carrier, let service, let packages, let shippedAt):
            guard !packages.isEmpty else {
                throw FeedbackError(
                    code: "invalid_quantities",
                    message: "a shipment needs at least one package",
                    errors: [.init(field: "packages", reason: "must not be empty")],
                    currentStatus: fulfillment.status
                )
            }
            var pairs: [(Int, Int)] = []
            for (p, package) in packages.enumerated() {
                if package.trackingNumber.isEmpty {
                    throw FeedbackError(
                        code: "invalid_quantities",
                        message: "every package needs a tracking number",
                        errors: [.init(field: "packages[\(p)].trackingNumber", reason: "must not be empty")],
                        currentStatus: fulfillment.status
                    )
                }
                pairs += package.contents.map { ($0.lineNo, $0.quantity) }
            }
            let quantities = try validate(pairs, against: fulfillment, field: "packages.contents") { $0.remaining }
            let new = Shipment(
                id: makeID(),
                fulfillmentOrderID: fulfillment.id,
                orderID: order.id,
                warehouseID: fulfillment.warehouseID,
                carrier: carrier,
                service: service,
                packages: packages,
                shippedAt: shippedAt
            )
            for (lineNo, quantity) in quantities {
                let fIndex = fulfillment.lines.firstIndex { $0.lineNo == lineNo }!
                fulfillment.lines[fIndex].shipped += quantity
                fulfillment.lines[fIndex].picked = max(fulfillment.lines[fIndex].picked, fulfillment.lines[fIndex].shipped)
                let index = order.lines.firstIndex { $0.lineNo == lineNo }!
                order.lines[index].released -= quantity
                order.lines[index].shipped += quantity
                order.lines[index].picked = max(order.lines[index].picked, order.lines[index].shipped)
                order.lines[index].warehouseQuantities[fulfillment.warehouseID, default: 0] -= quantity
                if order.lines[index].warehouseQuantities[fulfillment.warehouseID] == 0 {
                    order.lines[index].warehouseQuantities[fulfillment.warehouseID] = nil
                }
                inventory.append(.issue(quantity, of: fulfillment.lines[fIndex].sku, from: fulfillment.warehouseID))
            }
            fulfillment.shipmentIDs.append(new.id)
            fulfillment.status = .inProgress
            shipment = new
            recorder.record(.shipmentShipped, subject: new.id, at: now, new)
        }

        if fulfillment.lines.allSatisfy({ $0.remaining == 0 }) {
            fulfillment.status = fulfillment.lines.contains { $0.short > 0 } ? .incomplete : .closed
            recorder.record(.fulfillmentClosed, subject: fulfillment.id, at: now, data(fulfillment, [], reason: nil))
        }
        fulfillment.version += 1
        order.transition(to: order.fulfilmentStatus, at: now)
        if order.status != before {
            recorder.record(.orderStatusChanged, subject: order.id, at: now, OrderStatusData(order))
        }
        order.version += 1
        return Outcome(order: order, fulfillment: fulfillment, shipment: shipment, inventory: inventory, events: recorder.events)
    }

    /// Sums `pairs` per line and checks each line exists and stays within `limit`.
    private static func validate(
        _ pairs: [(Int, Int)],
        against fulfillment: FulfillmentOrder,
        field: String,
        limit: (FulfillmentOrder.Line) -> Int
    ) throws(FeedbackError) -> [(Int, Int)] {
        var errors: [IntakeError.FieldError] = []
        if pairs.isEmpty { errors.append(.init(field: field, reason: "must name at least one line")) }
        var sums: [Int: Int] = [:]
        for (index, (lineNo, quantity)) in pairs.enumerated() {
            if quantity <= 0 { errors.append(.init(field: "\(field)[\(index)].quantity", reason: "must be a positive integer")) }
            sums[lineNo, default: 0] += quantity
        }
        for (lineNo, quantity) in sums.sorted(by: { $0.key < $1.key }) {
            guard let line = fulfillment.lines.first(where: { $0.lineNo == lineNo }) else {
                errors.append(.init(field: field, reason: "line \(lineNo) is not on fulfillment order \(fulfillment.id)"))
                continue
            }
            if quantity > limit(line) {
                errors.append(.init(field: field, reason: "line \(lineNo): \(quantity) exceeds the \(limit(line)) unit(s) open"))
            }
        }
        guard errors.isEmpty else {
            throw FeedbackError(
                code: "invalid_quantities",
                message: "the report does not fit fulfillment order \(fulfillment.id)",
                errors: errors,
                currentStatus: fulfillment.status
            )
        }
        return sums.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private static func data(_ fulfillment: FulfillmentOrder, _ lines: [LineQuantity], reason: String?) -> FulfillmentEventData {
        FulfillmentEventData(
            fulfillmentOrderId: fulfillment.id,
            orderId: fulfillment.orderID,
            warehouseId: fulfillment.warehouseID,
            status: fulfillment.status,
            lines: lines,
            reason: reason
        )
    }
}

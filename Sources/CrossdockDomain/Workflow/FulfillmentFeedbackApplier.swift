import Foundation

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
        /// Fulfilment orders released for a short-pick remainder re-allocated elsewhere.
        public var released: [FulfillmentOrder] = []
        /// The invoice posted for a shipment.
        public var invoice: Invoice?
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
    ///   - reallocation: stock and rules for re-allocating a short-pick remainder elsewhere; `nil` backorders it.
    ///   - paymentNetDays: the account's payment terms, for the invoice's due date.
    ///   - commandID: the report's id (causation).
    ///   - now: the time it is applied.
    ///   - makeID: a source of unique ids.
    /// - Throws: ``CommandError`` when the state machines or the quantities forbid it.
    public static func apply(
        _ feedback: FulfillmentFeedback,
        to fulfillment: FulfillmentOrder,
        order: SalesOrder,
        reallocation: AllocationContext? = nil,
        paymentNetDays: Int = 30,
        commandID: String,
        now: Date,
        makeID: @escaping @Sendable () -> String
    ) throws(CommandError) -> Outcome {
        do {
            try FulfillmentLifecycle.table.check(fulfillment.status, feedback.fulfillmentAction)
            try OrderLifecycle.table.check(order.status, feedback.orderAction)
        } catch {
            // Name the report as the warehouse sent it (`shipped`, `picked`, …).
            var refused = CommandError(error)
            refused.action = feedback.action
            throw refused
        }
        var fulfillment = fulfillment
        var order = order
        var recorder = EventRecorder(correlationID: order.id, causationID: commandID, makeID: makeID)
        var inventory: [InventoryChange] = []
        var shipment: Shipment?
        var released: [FulfillmentOrder] = []
        var invoice: Invoice?
        let before = order.status
        let status = fulfillment.status.rawValue

        switch feedback {
        case .picked(let lines):
            let quantities = try validate(lines.map { ($0.lineNo, $0.quantity) }, against: fulfillment, status: status, feedback) { line in
                line.quantity - line.short - line.picked - line.cancelled
            }
            for (lineNo, quantity) in quantities {
                fulfillment.lines[fulfillment.lines.firstIndex { $0.lineNo == lineNo }!].picked += quantity
                order.lines[order.lines.firstIndex { $0.lineNo == lineNo }!].picked += quantity
            }
            settle(&fulfillment, &order)
            recorder.record(.fulfillmentPicked, subject: fulfillment.id, at: now, data(fulfillment, lines, reason: nil))

        case .shortPicked(let lines, let reason):
            let quantities = try validate(lines.map { ($0.lineNo, $0.quantity) }, against: fulfillment, status: status, feedback) { $0.remaining }
            var waiting: Set<Int> = []
            var cancelled: [LineQuantity] = []
            for (lineNo, quantity) in quantities {
                let fIndex = fulfillment.lines.firstIndex { $0.lineNo == lineNo }!
                // Units the customer asked to cancel are cancelled, not backordered: the request is met.
                let meetsCancel = min(quantity, fulfillment.lines[fIndex].cancelRequested)
                fulfillment.lines[fIndex].short += quantity
                fulfillment.lines[fIndex].cancelRequested -= meetsCancel
                let sku = fulfillment.lines[fIndex].sku
                let index = order.lines.firstIndex { $0.lineNo == lineNo }!
                order.lines[index].released -= quantity
                order.lines[index].cancelRequested -= meetsCancel
                order.lines[index].cancelled += meetsCancel
                order.lines[index].open += quantity - meetsCancel
                order.lines[index].backordered += quantity - meetsCancel
                order.lines[index].shortPicked += quantity
                order.lines[index].removeReservation(quantity, in: fulfillment.warehouseID)
                inventory.append(.issue(quantity, of: sku, from: fulfillment.warehouseID))
                if meetsCancel > 0 { cancelled.append(LineQuantity(lineNo: lineNo, quantity: meetsCancel)) }
                if quantity > meetsCancel { waiting.insert(lineNo) }
            }
            settle(&fulfillment, &order)
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
            if !cancelled.isEmpty {
                recorder.record(
                    .orderCancelled,
                    subject: order.id,
                    at: now,
                    CancellationData(
                        orderId: order.id,
                        stage: .postRelease,
                        lines: cancelled,
                        reason: "short at \(fulfillment.warehouseID) while cancelling"
                    )
                )
            }
            if let reallocation, !waiting.isEmpty {
                // The remainder goes to another warehouse if one has it, else it waits as a backorder.
                let result = OrderAllocation.run(
                    &order,
                    context: reallocation,
                    lines: waiting,
                    excludingWarehouse: fulfillment.warehouseID,
                    now: now,
                    recorder: &recorder,
                    makeID: makeID
                )
                inventory += result.inventory
                released = result.fulfillmentOrders
            } else if !waiting.isEmpty {
                order.reasons =
                    order.reasons.filter { $0.code != "backordered" }
                    + order.lines.filter { $0.backordered > 0 }.map {
                        .init(code: "backordered", message: "\($0.backordered) unit(s) wait for stock", lineNo: $0.lineNo)
                    }
                recorder.record(.orderBackordered, subject: order.id, at: now, OrderEventData(order))
            }

        case .shipped(let carrier, let service, let packages, let shippedAt):
            let pairs = try packagePairs(packages, status: status, feedback)
            let quantities = try validate(pairs, against: fulfillment, status: status, feedback) { $0.remaining }
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
                order.lines[index].removeReservation(quantity, in: fulfillment.warehouseID)
                inventory.append(.issue(quantity, of: fulfillment.lines[fIndex].sku, from: fulfillment.warehouseID))
            }
            settle(&fulfillment, &order)
            fulfillment.shipmentIDs.append(new.id)
            order.shipments[new.id] = .inTransit
            // Billing follows the shipment: one invoice for the units shipped, at the order's prices and tax rate; the
            // order's first invoice also bills the shipping the channel charged.
            let invoiceID = makeID()
            do {
                invoice = try Invoicing.invoice(
                    id: invoiceID,
                    number: DocumentNumber.make("INV", id: invoiceID),
                    order: order,
                    shipment: new,
                    taxRatePPM: order.taxRatePPM,
                    issuedAt: now,
                    netDays: paymentNetDays,
                    billsShipping: order.lines.allSatisfy { $0.invoiced == 0 }
                )
            } catch {
                throw CommandError(code: error.code, message: error.message, errors: error.errors, currentStatus: status, action: feedback.action)
            }
            var billed = new
            billed.invoiceID = invoiceID
            for (lineNo, quantity) in quantities {
                order.lines[order.lines.firstIndex { $0.lineNo == lineNo }!].invoiced += quantity
            }
            shipment = billed
            recorder.record(.shipmentShipped, subject: new.id, at: now, billed)
            recorder.record(.invoicePosted, subject: invoiceID, at: now, invoice!)

        case .cancelAccepted:
            var cancelled: [LineQuantity] = []
            for fIndex in fulfillment.lines.indices where fulfillment.lines[fIndex].cancelRequested > 0 {
                let line = fulfillment.lines[fIndex]
                let quantity = min(line.cancelRequested, line.remaining)
                fulfillment.lines[fIndex].cancelled += quantity
                fulfillment.lines[fIndex].cancelRequested = 0
                let index = order.lines.firstIndex { $0.lineNo == line.lineNo }!
                order.lines[index].cancelRequested -= line.cancelRequested
                order.lines[index].released -= quantity
                order.lines[index].cancelled += quantity
                order.lines[index].removeReservation(quantity, in: fulfillment.warehouseID)
                if quantity > 0 {
                    inventory.append(.reserve(-quantity, of: line.sku, in: fulfillment.warehouseID))
                    cancelled.append(LineQuantity(lineNo: line.lineNo, quantity: quantity))
                }
            }
            settle(&fulfillment, &order)
            recorder.record(.fulfillmentCancelled, subject: fulfillment.id, at: now, data(fulfillment, cancelled, reason: nil))
            recorder.record(
                .orderCancelled,
                subject: order.id,
                at: now,
                CancellationData(orderId: order.id, stage: .postRelease, lines: cancelled, reason: "confirmed by \(fulfillment.warehouseID)")
            )

        case .cancelRefused(let reason):
            var refused: [LineQuantity] = []
            for fIndex in fulfillment.lines.indices where fulfillment.lines[fIndex].cancelRequested > 0 {
                let line = fulfillment.lines[fIndex]
                fulfillment.lines[fIndex].cancelRequested = 0
                order.lines[order.lines.firstIndex { $0.lineNo == line.lineNo }!].cancelRequested -= line.cancelRequested
                refused.append(LineQuantity(lineNo: line.lineNo, quantity: line.cancelRequested))
            }
            settle(&fulfillment, &order)
            recorder.record(.fulfillmentCancelRefused, subject: fulfillment.id, at: now, data(fulfillment, refused, reason: reason))
            recorder.record(
                .orderCancelRefused,
                subject: order.id,
                at: now,
                CancellationData(orderId: order.id, stage: .postRelease, lines: refused, reason: reason)
            )
        }

        if fulfillment.status == .closed || fulfillment.status == .incomplete {
            recorder.record(.fulfillmentClosed, subject: fulfillment.id, at: now, data(fulfillment, [], reason: nil))
        }
        fulfillment.version += 1
        order.transition(to: order.derivedStatus, at: now)
        if order.status != before {
            recorder.record(.orderStatusChanged, subject: order.id, at: now, OrderStatusData(order))
        }
        order.version += 1
        return Outcome(
            order: order,
            fulfillment: fulfillment,
            shipment: shipment,
            released: released,
            invoice: invoice,
            inventory: inventory,
            events: recorder.events
        )
    }

    /// Clamps pending cancellation requests to what is left and sets the fulfilment order's status.
    private static func settle(_ fulfillment: inout FulfillmentOrder, _ order: inout SalesOrder) {
        for fIndex in fulfillment.lines.indices {
            let line = fulfillment.lines[fIndex]
            let excess = line.cancelRequested - max(0, line.remaining)
            if excess > 0 {
                // Units shipped or found short while the request was pending can no longer be cancelled.
                fulfillment.lines[fIndex].cancelRequested -= excess
                order.lines[order.lines.firstIndex { $0.lineNo == line.lineNo }!].cancelRequested -= excess
            }
        }
        let pending = fulfillment.lines.contains { $0.cancelRequested > 0 }
        fulfillment.status = pending ? .cancellationRequested : fulfillment.workStatus
    }

    private static func packagePairs(
        _ packages: [Shipment.Package],
        status: String,
        _ feedback: FulfillmentFeedback
    ) throws(CommandError) -> [(Int, Int)] {
        guard !packages.isEmpty else {
            throw CommandError(
                code: "invalid_quantities",
                message: "a shipment needs at least one package",
                errors: [.init(field: "packages", reason: "must not be empty")],
                currentStatus: status,
                action: feedback.action
            )
        }
        var pairs: [(Int, Int)] = []
        for (p, package) in packages.enumerated() {
            if package.trackingNumber.isEmpty {
                throw CommandError(
                    code: "invalid_quantities",
                    message: "every package needs a tracking number",
                    errors: [.init(field: "packages[\(p)].trackingNumber", reason: "must not be empty")],
                    currentStatus: status,
                    action: feedback.action
                )
            }
            if let reason = Identifier.problem(package.trackingNumber, .trackingNumber) {
                throw CommandError(
                    code: "invalid_fields",
                    message: "a tracking number is not a valid identifier",
                    errors: [.init(field: "packages[\(p)].trackingNumber", reason: reason)],
                    currentStatus: status,
                    action: feedback.action
                )
            }
            pairs += package.contents.map { ($0.lineNo, $0.quantity) }
        }
        return pairs
    }

    /// Sums `pairs` per line and checks each line exists and stays within `limit`.
    private static func validate(
        _ pairs: [(Int, Int)],
        against fulfillment: FulfillmentOrder,
        status: String,
        _ feedback: FulfillmentFeedback,
        limit: (FulfillmentOrder.Line) -> Int
    ) throws(CommandError) -> [(Int, Int)] {
        let field = feedback.fulfillmentAction == .ship ? "packages.contents" : "lines"
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
            throw CommandError(
                code: "invalid_quantities",
                message: "the report does not fit fulfillment order \(fulfillment.id)",
                errors: errors,
                currentStatus: status,
                action: feedback.action
            )
        }
        return sums.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func data(_ fulfillment: FulfillmentOrder, _ lines: [LineQuantity], reason: String?) -> FulfillmentEventData {
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

extension OrderLine {
    /// Takes `quantity` units off the warehouse's reservation record.
    mutating func removeReservation(_ quantity: Int, in warehouseID: String) {
        warehouseQuantities[warehouseID, default: 0] -= quantity
        if warehouseQuantities[warehouseID] == 0 { warehouseQuantities[warehouseID] = nil }
    }
}

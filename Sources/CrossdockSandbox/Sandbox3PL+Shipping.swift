import CrossdockDomain
import CrossdockEDI
import Foundation
import Logging
import Synchronization

/// The 3PL's floor: shipping fulfilment orders with 945s and answering cancellation requests.
extension Sandbox3PL {
    /// The `data` of `fulfillment.cancel_requested`.
    private struct CancelRequest: Decodable {
        var fulfillmentOrderId: String
        var lines: [LineQuantity]
    }

    /// Decides a cancellation request at once, under the lock, so the shipment sees it: accepted while the order has
    /// not started shipping (the units are taken off it), refused after.
    func handle(_ event: CloudEvent) throws {
        guard event.shortType == EventType.fulfillmentCancelRequested.name else { return }
        let request = try decodeData(CancelRequest.self, of: event)
        let id = request.fulfillmentOrderId
        let accept = state.withLock { state -> Bool in
            state.stats.cancellations.requests += 1
            var job = state.jobs[id] ?? Job()
            defer { state.jobs[id] = job }
            job.answering += 1
            guard job.phase == .queued else { return false }
            for line in request.lines { job.cancelled[line.lineNo, default: 0] += line.quantity }
            return true
        }
        enqueue(.answer(fulfillmentID: id, accept: accept, lines: request.lines, key: "\(id)-cancel-\(event.id)"))
    }

    /// Posts a cancellation answer; an accepted cancellation the hub did not take puts the units back on the order.
    func answer(_ id: String, accept: Bool, lines: [LineQuantity], key: String) async {
        let body = accept ? #"{"type":"cancel_accepted"}"# : #"{"type":"cancel_refused","reason":"already shipped"}"#
        let answer = await hub.postRetrying("/v1/fulfillments/\(id)/events", body: body, idempotencyKey: key, logger: logger)
        state.withLock { state in
            var job = state.jobs[id] ?? Job()
            job.answering -= 1
            if let answer, (200..<300).contains(answer.status) {
                if accept { state.stats.cancellations.accepted += 1 } else { state.stats.cancellations.refused += 1 }
            } else {
                if answer?.status == 409 { state.stats.cancellations.answersIgnored += 1 } else { state.stats.x12.postFailures += 1 }
                if accept { for line in lines { job.cancelled[line.lineNo, default: 0] -= line.quantity } }
            }
            state.jobs[id] = job
        }
    }

    /// Waits for the shipping delay and for cancellation answers under way, then ships what was not cancelled in one
    /// parcel and reports it with a 945.
    func ship(_ order: FulfillmentOrder) async {
        try? await Task.sleep(for: configuration.shipDelay)
        while shippingHeld.withLock({ $0 }), !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
        for _ in 0..<2000 {
            if state.withLock({ ($0.jobs[order.id]?.answering ?? 0) == 0 }) { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        let contents = state.withLock { state -> [Shipment.Package.Content] in
            var job = state.jobs[order.id] ?? Job()
            defer { state.jobs[order.id] = job }
            guard job.phase == .queued else { return [] }
            job.phase = .shipping
            return order.lines.compactMap { line in
                let quantity = line.quantity - job.cancelled[line.lineNo, default: 0]
                return quantity > 0 ? .init(lineNo: line.lineNo, quantity: quantity) : nil
            }
        }
        defer { state.withLock { $0.jobs[order.id]?.phase = .done } }
        guard !contents.isEmpty else {
            state.withLock { $0.stats.cancellations.fullyCancelled += 1 }
            return
        }
        let serial = String(order.id.filter { $0.isLetter || $0.isNumber }.suffix(18)).uppercased()
        let advice = WarehouseShippingAdvice(
            order: order,
            shipmentID: "AL" + serial,
            carrier: configuration.carrier,
            service: "GROUND",
            packages: [Shipment.Package(trackingNumber: "7489" + serial, weightGrams: 1_500, contents: contents)],
            shippedAt: Date()
        )
        guard let (_, text) = try? await mailbox.write([advice.transactionSet()], functionalID: "SW") else {
            state.withLock { $0.stats.x12.postFailures += 1 }
            return
        }
        let answer = await mailbox.post(text, receipt: true)
        let statuses = answer.acknowledgments.flatMap(\.sets).map(\.status)
        let applied = answer.outcomes.map(\.status) == ["accepted"]
        state.withLock { state in
            guard answer.status == 200 else {
                state.stats.x12.postFailures += 1
                return
            }
            state.stats.x12.sent["945", default: 0] += 1
            if statuses == [.accepted] && applied { state.stats.advicesAccepted += 1 } else { state.stats.advicesRejected += 1 }
        }
        if answer.status != 200 || statuses != [.accepted] || !applied {
            logger.warning(
                "945 not accepted",
                metadata: [LogKey.sandboxStatus: "\(answer.status)", LogKey.sandboxBody: "\(answer.text.prefix(300))"]
            )
        }
    }

    /// The fulfilment order a 940 describes, under the hub's id (W0502 carries it compacted, see ``X12Identifier``), so
    /// cancellation requests, which name the hub's id, find it.
    func fulfillmentOrder(_ shippingOrder: WarehouseShippingOrder) -> FulfillmentOrder {
        let shipTo = shippingOrder.parties.first { $0.role == "ST" }
        let address = shipTo.map { party in
            Address(
                name: party.name ?? "",
                lines: party.addressLines,
                city: party.city ?? "",
                region: [party.country ?? "US", party.state ?? ""].joined(separator: "-"),
                postalCode: party.postalCode ?? "",
                country: party.country ?? "US"
            )
        }
        return FulfillmentOrder(
            id: X12Identifier.expand(shippingOrder.depositorOrderNumber) ?? shippingOrder.depositorOrderNumber,
            orderID: shippingOrder.references.first { $0.qualifier == "OQ" }?.value ?? "",
            warehouseID: configuration.warehouseID,
            lines: shippingOrder.fulfillmentLines,
            shipTo: ShipTo(code: shipTo?.id ?? "", address: address ?? SandboxEDIPartner.pennsylvaniaStore),
            requestedDate: nil,
            releasedAt: Date()
        )
    }
}

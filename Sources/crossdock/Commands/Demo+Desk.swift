import CrossdockDomain
import CrossdockSandbox
import Foundation
import NIOHTTP1

/// Receipts for backorders, exceptions and returns: the parts of the operations desk that run until every order is
/// final.
extension DemoRun {
    private struct NewReceipt: Encodable {
        var warehouseId: String
        var sku: String
        var quantity: Int
        var expectedDate: String
        var reference: String
        var kind: String
    }

    private struct Arrival: Encodable { var quantity: Int }
    private struct Created: Decodable { var id: String }

    /// Backordered units per SKU of orders still waiting for stock (not on hold, not final), but for the item whose
    /// purchase order is late until that receipt is in (a short pick after it is covered like any other).
    private func backorders(_ orders: [SalesOrder]) -> [String: Int] {
        var units: [String: Int] = [:]
        let waiting = awaitsLateReceipt
        for order in orders where !order.status.isTerminal && order.status != .onHold {
            for line in order.lines where line.backordered > 0 && !(waiting && line.sku == Self.lateSKU) {
                units[line.sku, default: 0] += line.backordered
            }
        }
        return units
    }

    /// Schedules a receipt; nil (and a problem) unless 201.
    func schedule(sku: String, quantity: Int, expected: String) async throws -> Receipt? {
        receiptNumber += 1
        let warehouse = catalog.warehouses[0].id
        let body = NewReceipt(
            warehouseId: warehouse,
            sku: sku,
            quantity: quantity,
            expectedDate: expected,
            reference: "PO-DEMO-\(receiptNumber)",
            kind: "purchase_order"
        )
        let answer = try await send(.POST, "/v1/inventory/receipts", body, key: "demo-receipt-\(receiptNumber)")
        guard answer.status == 201, let created = try? decode(Created.self, answer) else {
            unexpected("schedule receipt for \(sku)", answer)
            return nil
        }
        let receipt = Receipt(id: created.id, sku: sku, warehouseID: warehouse, quantity: quantity, arrived: 0)
        receipts.append(receipt)
        return receipt
    }

    /// Posts an arrival of `quantity` units on receipt `index`.
    func arrive(_ index: Int, _ quantity: Int) async throws {
        let receipt = receipts[index]
        let answer = try await send(
            .POST,
            "/v1/inventory/receipts/\(receipt.id)/arrivals",
            Arrival(quantity: quantity),
            key: "demo-arrival-\(receipt.id)-\(receipt.arrived)"
        )
        if (200..<300).contains(answer.status) {
            receipts[index].arrived += quantity
        } else {
            unexpected("arrival on \(receipt.id)", answer)
        }
    }

    /// Schedules one purchase-order receipt per backordered SKU, due in three days, with two units to spare; then an
    /// order for a scarce SKU is promised for the receipt's date.
    func scheduleReceipts() async throws {
        let wanted = backorders(try await allOrders())
        let expected = JSONCoding.businessDay(Date().addingTimeInterval(3 * 86_400))
        for (sku, units) in wanted.sorted(by: { $0.key < $1.key }) {
            _ = try await schedule(sku: sku, quantity: units + 2, expected: expected)
        }
        note(
            "scheduled \(receipts.count) purchase-order receipt(s) for \(wanted.values.reduce(0, +)) backordered unit(s) of \(wanted.count) SKU(s), expected \(expected)"
        )
        if let order = try await submit("PROMISE", customer: 1, lines: [(1, 2)]), let line = order.lines.first {
            note("promise: \(order.id) wants \(line.sku) ×2 → \(order.status.rawValue), promised for \(line.promisedDate ?? "(no date)")")
        }
    }

    /// Receives every scheduled receipt in two arrivals (half, then the rest); the hub re-allocates backorders.
    func receiveScheduledReceipts() async throws {
        for index in receipts.indices {
            let first = (receipts[index].quantity + 1) / 2
            try await arrive(index, first)
            if receipts[index].quantity > first { try await arrive(index, receipts[index].quantity - first) }
        }
        let units = receipts.reduce(0) { $0 + $1.arrived }
        note("received \(receipts.count) receipt(s), \(units) unit(s), in two arrivals each; the hub re-allocated the backorders")
    }

    /// Covers backorders that appeared since (short picks) with a receipt that arrives at once.
    func topUpBackorders(_ orders: [SalesOrder]) async throws {
        let today = JSONCoding.businessDay(Date())
        for (sku, units) in backorders(orders).sorted(by: { $0.key < $1.key }) {
            guard try await schedule(sku: sku, quantity: units, expected: today) != nil else { continue }
            try await arrive(receipts.count - 1, units)
        }
    }

    // MARK: - Exceptions

    private struct ExceptionList: Decodable {
        struct Item: Decodable {
            var id: String
            var kind: String
            var detail: String?
            var orderId: String?
        }
        var items: [Item]
    }

    /// Resolves every open exception once the on-call was paged for it (or after 20 s, should alerts lag): the first
    /// lost parcel is reshipped, other delivery exceptions credited, the rest acknowledged. Returns how many were open.
    func resolveExceptions() async throws -> Int {
        struct Resolve: Encodable {
            var resolution: String
            var note: String?
        }
        struct Resolved: Decodable {
            var timeToResolveSeconds: Double?
            var replacementOrderId: String?
        }
        let answer = try await admin.send(.GET, "/v1/exceptions?status=open")
        guard answer.status == 200, let list = try? decode(ExceptionList.self, answer) else {
            unexpected("list exceptions", answer)
            return 0
        }
        for item in list.items {
            let seen = firstSeen[item.id] ?? Date()
            firstSeen[item.id] = seen
            if let onCall, !onCall.wasAlerted(item.id), Date().timeIntervalSince(seen) < 20 { continue }
            let resolution: Resolve
            switch (item.kind, item.detail) {
            case ("delivery_exception", "lost") where replacements.isEmpty:
                resolution = Resolve(resolution: "reship", note: "carrier claim filed; replacement ships")
            case ("delivery_exception", _): resolution = Resolve(resolution: "credit")
            case ("shipment_silent", _): resolution = Resolve(resolution: "reship", note: "no scan for a week: replacement ships")
            case ("fulfillment_unacknowledged", _):
                resolution = Resolve(resolution: "cancel_remainder", note: "the warehouse never picked it; the customer reorders")
            case ("edi_unacknowledged", _):
                resolution = Resolve(resolution: "acknowledge", note: "the retailer confirmed by phone that the ASN arrived")
            case ("backorder_overdue", _):
                resolution = Resolve(
                    resolution: "notify_customer",
                    note: "Your backordered item ships as soon as the supplier's late delivery arrives."
                )
            default: resolution = Resolve(resolution: "acknowledge")
            }
            let result = try await send(.POST, "/v1/exceptions/\(item.id)/resolve", resolution, key: "demo-resolve-\(item.id)")
            if (200..<300).contains(result.status) {
                resolved[item.kind == "delivery_exception" ? "\(item.kind)/\(item.detail ?? "?")" : item.kind, default: 0] += 1
                let answer = try? decode(Resolved.self, result)
                if let seconds = answer?.timeToResolveSeconds { timesToResolve[item.kind, default: []].append(seconds) }
                if let replacement = answer?.replacementOrderId { replacements.append(replacement) }
            } else {
                unexpected("resolve \(item.kind) \(item.id)", result)
            }
        }
        return list.items.count
    }

    /// Gives the warehouse of the fulfilment order the sandbox WMS sits on a one-minute acknowledgement deadline, and
    /// the EDI retailer (which leaves one 856 unanswered) a one-minute 997 deadline, so their watchdogs raise
    /// `fulfillment_unacknowledged` and `edi_unacknowledged` during the run.
    ///
    /// Waits (up to two minutes, on a loaded machine) for the WMS to receive the order it sits on: the bulk intake
    /// has ended, but its releases may still be on their way to the warehouse.
    func watchInjectedFaults(_ wms: SandboxWMS, retailer: SandboxEDIPartner) async throws {
        let patience = ContinuousClock.now + .seconds(120)
        while wms.stats.satOn == nil, ContinuousClock.now < patience { try await Task.sleep(for: .milliseconds(100)) }
        guard let held = wms.stats.satOn else {
            problems.append("the sandbox WMS received no fulfilment order to sit on within 2 minutes")
            return
        }
        struct Limits: Encodable {
            var fulfillmentAcknowledgementMinutes: Int?
            var ediAcknowledgementMinutes: Int?
        }
        struct Deadlines: Encodable {
            var warehouses: [String: Limits]
            var partners: [String: Limits]
        }
        let deadlines = Deadlines(
            warehouses: [held.warehouseID: Limits(fulfillmentAcknowledgementMinutes: 1)],
            partners: [retailer.id: Limits(ediAcknowledgementMinutes: 1)]
        )
        let answer = try await send(.PUT, "/v1/watchdog-deadlines", deadlines)
        guard answer.status == 200 else {
            unexpected("watchdog deadlines", answer)
            return
        }
        note("the sandbox WMS sits on fulfilment order \(held.id) at \(held.warehouseID); acknowledgement deadline there: 1 minute")
        note("the EDI retailer \(retailer.id) will leave one 856 without its 997; its 997 deadline: 1 minute")
    }

    /// Whether the run must wait for the watchdog of the 856 the retailer never acknowledged: it was sent and its
    /// exception has not been resolved yet.
    func awaitsUnacknowledgedShipNotice(_ retailer: SandboxEDIPartner) -> Bool {
        retailer.stats.unacknowledged != nil && resolved["edi_unacknowledged", default: 0] == 0
    }

    // MARK: - Returns

    private struct NewReturn: Encodable {
        struct Line: Encodable {
            var lineNo: Int
            var quantity: Int
            var reason: String
        }
        var orderId: String
        var lines: [Line]
    }

    private struct ReturnReceipt: Encodable {
        struct Line: Encodable {
            var lineNo: Int
            var quantity: Int
            var condition: String
        }
        var lines: [Line]
    }

    private struct ReceiptResult: Decodable {
        struct Memo: Decodable { var total: Money? }
        var creditMemo: Memo?
    }

    /// Takes one unit back on delivered, invoiced orders until `limit` returns were received: authorises the return,
    /// then receives it, restocking or scrapping the unit in turn.
    func takeReturns(_ orders: [SalesOrder], limit: Int) async throws {
        let candidates = orders.filter { order in
            order.status == .invoiced && !order.shipments.isEmpty && order.shipments.values.allSatisfy { $0 == .delivered }
                && !scripted.values.contains(order.id)
        }
        returnCandidates = candidates.count + returnsTaken
        for order in candidates.sorted(by: { $0.receivedAt < $1.receivedAt }) where returnsTaken < limit && !returnedOrders.contains(order.id) {
            guard let line = order.lines.first(where: { $0.shipped > $0.returned }) else { continue }
            returnedOrders.insert(order.id)
            let request = NewReturn(orderId: order.id, lines: [.init(lineNo: line.lineNo, quantity: 1, reason: "damaged")])
            let created = try await send(.POST, "/v1/returns", request, key: "demo-rma-\(order.id)")
            guard created.status == 201, let rma = try? decode(Created.self, created) else {
                unexpected("return on \(order.id)", created)
                continue
            }
            let condition = returnsTaken % 2 == 0 ? "restock" : "scrap"
            let receipt = ReturnReceipt(lines: [.init(lineNo: line.lineNo, quantity: 1, condition: condition)])
            let answer = try await send(.POST, "/v1/returns/\(rma.id)/receipts", receipt, key: "demo-rma-receipt-\(rma.id)")
            guard answer.status == 201 else {
                unexpected("return receipt \(rma.id)", answer)
                continue
            }
            returnsTaken += 1
            if condition == "restock" { restocked[line.sku, default: 0] += 1 } else { scrapped += 1 }
            if let memo = (try? decode(ReceiptResult.self, answer))?.creditMemo {
                returnCredits += 1
                returnCreditMinor += memo.total?.minorUnits ?? 0
            }
        }
    }
}

import CrossdockDomain
import CrossdockSandbox
import Foundation
import NIOHTTP1

/// Cancellations before release (effective at once) and right after (asked of the warehouse).
extension DemoRun {
    /// Cancels one backordered order whole and a few backordered units of another.
    func cancelBeforeRelease() async throws {
        struct Cancel: Encodable {
            var lines: [LineQuantity]?
            var reason: String
        }
        let waiting = try await allOrders().filter { [.backordered, .partiallyAllocated].contains($0.status) }
        var protected = Set(["SUBST", "BACKORDER", "COMPLETE"].compactMap { scripted[$0] })
        if let whole = waiting.first(where: { $0.status == .backordered && !protected.contains($0.id) }) {
            let answer = try await send(.POST, "/v1/orders/\(whole.id)/cancel", Cancel(reason: "customer request"), key: "demo-cancel-\(whole.id)")
            protected.insert(whole.id)
            if answer.status == 200, let after = try? decode(SalesOrder.self, answer) {
                cancelledWhole += 1
                note("cancelled before release: \(whole.id) (backordered) → \(after.status.rawValue)")
            } else {
                unexpected("cancel \(whole.id)", answer)
            }
        }
        let partial = waiting.first { order in
            !protected.contains(order.id) && order.lines.contains { $0.backordered >= 2 } && order.status != .cancelled
        }
        if let partial, let line = partial.lines.first(where: { $0.backordered >= 2 }) {
            let quantity = min(2, line.backordered)
            let body = Cancel(lines: [LineQuantity(lineNo: line.lineNo, quantity: quantity)], reason: "customer reduced quantity")
            let answer = try await send(.POST, "/v1/orders/\(partial.id)/cancel", body, key: "demo-cancel-\(partial.id)-\(line.lineNo)")
            if answer.status == 200, let after = try? decode(SalesOrder.self, answer) {
                cancelledPartly += 1
                note("cancelled \(quantity) backordered unit(s) of \(partial.id) line \(line.lineNo) → \(after.status.rawValue)")
            } else {
                unexpected("partial cancel \(partial.id)", answer)
            }
        }
    }

    /// Cancels orders right after release: two while the warehouse has them queued (it accepts), then orders caught
    /// between pick and ship until the warehouse has refused one (it accepts a share of those).
    func cancelAfterRelease(wms: SandboxWMS, expectRefusal: Bool) async throws {
        struct Cancel: Encodable {
            var lines: [LineQuantity]?
            var reason: String
        }
        let customers = [0, 1, 2]
        for index in 0..<2 {
            guard let order = try await submit("CXL-NOW-\(index)", customer: customers[index % 3], lines: [(41, 3), (42, 2)]) else { continue }
            let body = Cancel(lines: index == 0 ? nil : [LineQuantity(lineNo: 1, quantity: 3)], reason: "customer request")
            let answer = try await send(.POST, "/v1/orders/\(order.id)/cancel", body, key: "demo-cancel-\(order.id)")
            if answer.status == 200 {
                cancelsAfterRelease += 1
            } else {
                unexpected("cancel after release \(order.id)", answer)
            }
        }
        note("asked to cancel 2 orders right after release (\(cancelsAfterRelease) accepted by the hub; the WMS answers)")
        var attempts = 0
        var caught = 0
        // Keep asking until the WMS has both accepted and (when it may) refused one: on a loaded machine a request can
        // arrive after the goods shipped, and is then moot.
        while attempts < 40
            && ((expectRefusal && wms.stats.cancellations.refused == 0) || wms.stats.cancellations.accepted == 0 || caught < 3)
        {
            attempts += 1
            guard let order = try await submit("CXL-PICK-\(attempts)", customer: customers[attempts % 3], lines: [(43, 2)]) else { continue }
            var status = order.status
            let until = ContinuousClock.now + .seconds(5)
            while status == .released && ContinuousClock.now < until {
                try await Task.sleep(for: .milliseconds(5))
                status = try await self.order(order.id)?.status ?? status
            }
            guard status == .inFulfillment else {
                cancelsTooLate += 1
                continue
            }
            let before = wms.stats
            let answer = try await send(.POST, "/v1/orders/\(order.id)/cancel", Cancel(reason: "customer request"), key: "demo-cancel-\(order.id)")
            guard answer.status == 200 else {
                // Shipped between the look and the request: too late.
                if answer.status == 409 { cancelsTooLate += 1 } else { unexpected("cancel after pick \(order.id)", answer) }
                continue
            }
            cancelsAfterRelease += 1
            caught += 1
            // Wait for the warehouse's answer before deciding whether another is needed.
            let answered = ContinuousClock.now + .seconds(3)
            while ContinuousClock.now < answered {
                let now = wms.stats
                if now.cancellations.answered > before.cancellations.answered {
                    break
                }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let stats = wms.stats
        note(
            "asked to cancel \(caught) order(s) between pick and ship (\(cancelsTooLate) shipped first); WMS so far: \(stats.cancellations.accepted) accepted, \(stats.cancellations.refused) refused"
        )
    }
}

extension DemoRun {
    /// Orders an abundant SKU for the Pennsylvania store (the 3PL's region) and cancels it right after release: the
    /// hub asks the 3PL, which has not shipped it yet and accepts.
    func cancelAtThirdParty() async throws {
        struct Cancel: Encodable { var reason: String }
        let tag = "CXL-3PL"
        let request = OrderRequest(
            channel: "api",
            externalID: "DEMO-\(tag)",
            customerID: catalog.customers[1].id,
            customerPO: "PO-\(tag)",
            shipToAddress: SandboxEDIPartner.pennsylvaniaStore,
            lines: [OrderRequest.Line(lineNo: 1, sku: catalog.products[44].sku, quantity: 2)]
        )
        let answer = try await send(.POST, "/v1/orders", request, key: "demo-\(tag)")
        guard answer.status == 201, let order = try? decode(SalesOrder.self, answer) else {
            unexpected("order \(tag)", answer)
            return
        }
        scripted[tag] = order.id
        let cancel = try await send(.POST, "/v1/orders/\(order.id)/cancel", Cancel(reason: "store closed"), key: "demo-cancel-\(order.id)")
        if cancel.status == 200 {
            cancelsAfterRelease += 1
            note(
                "asked to cancel \(order.id) (\(order.status.rawValue) to \(order.fulfillmentOrderIDs.isEmpty ? "no warehouse" : "WH-3PL")) right after release; the 3PL answers"
            )
        } else {
            unexpected("cancel at the 3PL \(order.id)", cancel)
        }
    }
}

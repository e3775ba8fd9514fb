import CrossdockDomain
import CrossdockSandbox
import CrossdockStore
import Foundation
import NIOHTTP1

extension Demo {
    /// Prints what went through each partner, the order outcomes, the stock books and the reconciliation; true when
    /// the demo passed.
    func summarize(run: DemoRun, orders: [SalesOrder], submitted: LoadDriver.Result, partners: DemoPartners) async throws -> Bool {
        let wms = partners.wms
        let carrier = partners.carrier
        let store = run.hub.store
        say("\nsummary")
        var byStatus: [OrderStatus: Int] = [:]
        for order in orders { byStatus[order.status, default: 0] += 1 }
        say(
            "  orders: \(orders.count) (\(submitted.latencies.count) submitted in bulk, \(run.scripted.count) scripted) — "
                + byStatus.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        )
        let deliveries = try await store.deliveryCounts()
        // A count, not the last sequence number: on PostgreSQL sequence numbers are not dense (a rolled-back
        // transaction burns the ones it drew).
        say("  events appended: \(try await store.rowCounts()["events", default: 0])")
        say("  deliveries: \(deliveries.delivered) delivered, \(deliveries.retries) retries, \(deliveries.pending) pending, \(deliveries.dead) dead")
        if !run.deadLettersReplayed.isEmpty {
            say("  dead letters replayed by the desk: \(run.deadLettersReplayed.count) (\(run.deadLettersReplayed.values.reduce(0, +)) replays)")
        }

        let w = wms.stats
        say("  sandbox WMS")
        say(
            "    in:  \(w.fulfillmentsReceived) fulfilment orders, \(w.cancellations.requests) cancellation requests (\(w.webhooks.received) webhooks, \(w.webhooks.duplicates) duplicates ignored, \(w.webhooks.refused) refused with 503, \(w.webhooks.badSignatures) bad signatures)"
        )
        say(
            "    out: \(w.picked) picked, \(w.shortPicked) short-picked, \(w.shipped) shipped, \(w.cancellations.fullyCancelled) not shipped (cancelled); cancellations \(w.cancellations.accepted) accepted, \(w.cancellations.refused) refused, \(w.cancellations.answersIgnored) moot; \(w.reportFailures) reports refused"
        )
        let c = carrier.stats
        say("  sandbox carrier")
        say(
            "    in:  \(c.shipmentsReceived) shipments, \(c.packages) parcels (\(c.webhooks.received) webhooks, \(c.webhooks.duplicates) duplicates ignored, \(c.webhooks.refused) refused with 503, \(c.webhooks.badSignatures) bad signatures)"
        )
        say(
            "    out: \(c.milestonesSent) milestones; \(c.outcomes[.delivered, default: 0]) delivered, exceptions: lost \(c.outcomes[.lost, default: 0]), damaged \(c.outcomes[.damaged, default: 0]), returned to sender \(c.outcomes[.returnedToSender, default: 0]), silent \(c.outcomes[.silent, default: 0]); \(c.reportFailures) milestones refused"
        )
        let substituted = orders.flatMap(\.lines).filter(\.isSubstituted)
        say("  operations desk")
        say(
            "    credit: \(run.held) on hold, \(run.holdsReleased) released after raising the limit, \(run.creditRefused) release(s) refused (credit_refused)"
        )
        say(
            "    cancellations: \(run.cancelledWhole) whole and \(run.cancelledPartly) partial before release, \(run.cancelsAfterRelease) asked of the WMS after release (\(run.cancelsTooLate) too late)"
        )
        let arrived = run.receipts.reduce(0) { $0 + $1.arrived }
        say("    receipts: \(run.receipts.count) scheduled, \(arrived) of \(run.receipts.reduce(0) { $0 + $1.quantity }) unit(s) arrived")
        say(
            "    substitutions: \(substituted.count) line(s) (" + substituted.prefix(3).map { "\($0.orderedSKU) → \($0.sku)" }.joined(separator: ", ")
                + ")"
        )
        say(
            "    exceptions resolved: "
                + (run.resolved.isEmpty ? "none" : run.resolved.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        )
        say(
            "    time to resolve: "
                + run.timesToResolve.sorted { $0.key < $1.key }.map { kind, seconds in
                    "\(kind) p50 \(String(format: "%.1f", Percentiles.of(seconds, 50))) s, max \(String(format: "%.1f", seconds.max() ?? 0)) s (\(seconds.count))"
                }.joined(separator: "; ")
        )
        if !run.replacements.isEmpty {
            say("    reshipped: \(run.replacements.count) lost parcel(s) as replacement order(s) \(run.replacements.joined(separator: ", "))")
        }
        let pager = partners.onCall.log
        let unresolvedPages = Set(pager.alertedAt.keys).subtracting(pager.resolved)
        say(
            "    on-call: \(pager.firing) alert(s), \(pager.reminders) reminder(s), \(pager.resolvedMessages) resolved message(s) naming \(pager.alertedAt.count) exception(s), \(unresolvedPages.count) without their resolution\(unresolvedPages.isEmpty ? "" : " (\(unresolvedPages.sorted().prefix(3).joined(separator: ", ")))"); \(partners.onCall.counters.badSignatures) bad signature(s)"
        )
        say(
            "    returns: \(run.returnsTaken) received (\(run.restocked.values.reduce(0, +)) restocked, \(run.scrapped) scrapped), \(run.returnCredits) credit memo(s) \(String(format: "%.2f", Double(run.returnCreditMinor) / 100))"
        )
        let channelProblems =
            try await summarizeChannels(partners, run: run, orders: orders)
            + (try await summarizeChannelSync(partners, run: run, orders: orders))
        try await printRegionPreferences(store, orders)
        try await printLatencies(store, orders)

        var problems = try await books(run: run, orders: orders)
        for problem in problems.prefix(20) { say("  OVERSOLD OR UNBALANCED: \(problem)") }
        if problems.isEmpty {
            say("  no SKU oversold; every SKU's books balance (initial + received + restocked = on hand + shipped + short-picked)")
        }

        let coverage: [(String, Bool)] = [
            ("a substituted line", !substituted.isEmpty),
            ("a credit hold released", run.holdsReleased > 0),
            ("a release refused for credit", run.creditRefused > 0),
            ("a cancellation before release", run.cancelledWhole + run.cancelledPartly > 0),
            ("a cancellation accepted by the WMS", w.cancellations.accepted > 0),
            ("a cancellation refused by the WMS", cancelAcceptRate >= 1 || w.cancellations.refused > 0),
            ("a receipt arrived", arrived > 0),
            ("a parcel lost", lossRate <= 0 || run.resolved["delivery_exception/lost", default: 0] > 0),
            ("a lost parcel reshipped", lossRate <= 0 || !run.replacements.isEmpty),
            ("a fulfilment order the WMS sat on, found by its watchdog", run.resolved["fulfillment_unacknowledged", default: 0] > 0),
            ("a parcel gone silent, found by its watchdog", run.resolved["shipment_silent", default: 0] > 0),
            ("an 856 never acknowledged, found by its watchdog", run.resolved["edi_unacknowledged", default: 0] > 0),
            ("a backorder whose receipt is late, found by its watchdog", run.resolved["backorder_overdue", default: 0] > 0),
            ("the on-call paged for exceptions", pager.firing > 0),
            ("the on-call told of each resolution", unresolvedPages.isEmpty && partners.onCall.counters.badSignatures == 0),
            ("a parcel damaged", damageRate <= 0 || run.resolved["delivery_exception/damaged", default: 0] > 0),
            ("a parcel returned to sender", returnRate <= 0 || run.resolved["delivery_exception/returned_to_sender", default: 0] > 0),
            ("a refused cancellation acknowledged", cancelAcceptRate >= 1 || run.resolved["cancel_refused", default: 0] > 0),
            ("a return credited", returns <= 0 || run.returnCredits > 0),
            ("a channel price beyond the tolerance", run.resolved["price_mismatch", default: 0] > 0),
            ("channel totals that differ", run.resolved["channel_totals_mismatch", default: 0] > 0),
            ("an order in cases", run.casesOrderID != nil),
            ("an X12 order in cases answered in cases", partners.retailer.purchaseOrders.contains { $0.answeredInCases == true }),
        ]
        let missing = coverage.filter { !$0.1 }.map(\.0)
        if !missing.isEmpty { say("  NOT EXERCISED: \(missing.joined(separator: "; "))") }
        problems += missing.map { "not exercised: \($0)" }
        problems += run.problems
        problems += channelProblems

        let unsettled = orders.filter { !$0.status.isTerminal }
        if !unsettled.isEmpty {
            say("  NOT FINAL: \(unsettled.count) order(s):")
            for order in unsettled.prefix(20) {
                let lines = order.lines.map {
                    "l\($0.lineNo) open \($0.open)/bo \($0.backordered)/rel \($0.released)/shp \($0.shipped)/cxl \($0.cancelled)"
                }
                say("    \(order.id) \(order.status.rawValue) [\(lines.joined(separator: "; "))] shipments \(order.shipments.mapValues(\.rawValue))")
            }
        }
        let balanced = try await reconciliation(run.admin)
        let viaAPI = orders.filter { $0.channel == "api" && !run.replacements.contains($0.id) }.count
        let ok = problems.isEmpty && unsettled.isEmpty && balanced && viaAPI == self.orders + run.scripted.count && deliveries.pending == 0
        if !ok {
            // Every reason in one place, also those the sections above do not print.
            var reasons = problems
            if viaAPI != self.orders + run.scripted.count { reasons.append("\(viaAPI) API orders, expected \(self.orders + run.scripted.count)") }
            if deliveries.pending > 0 { reasons.append("\(deliveries.pending) deliveries pending") }
            if !balanced { reasons.append("the reconciliation does not balance") }
            if !unsettled.isEmpty { reasons.append("\(unsettled.count) order(s) not final") }
            for reason in reasons.prefix(20) { say("  FAILED CHECK: \(reason)") }
        }
        say(ok ? "demo passed" : "demo FAILED")
        return ok
    }

    /// Where the orders of the regions with a preference were fulfilled: at first release, and later (backorders
    /// filled by receipts, short-pick remainders).
    private func printRegionPreferences(_ store: any Store, _ orders: [SalesOrder]) async throws {
        func text(_ counts: [String: Int]) -> String {
            counts.isEmpty
                ? "none" : counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        for (region, preferred) in DemoRun.regionPreferences {
            var first: [String: Int] = [:]
            var later: [String: Int] = [:]
            for order in orders where order.shipTo.address.region == region {
                let fulfillments = try await store.fulfillments(orderID: order.id)
                guard let start = fulfillments.map(\.releasedAt).min() else { continue }
                for fulfillment in fulfillments {
                    if fulfillment.releasedAt == start {
                        first[fulfillment.warehouseID, default: 0] += 1
                    } else {
                        later[fulfillment.warehouseID, default: 0] += 1
                    }
                }
            }
            say(
                "  region \(region) (prefers \(preferred.joined(separator: ", "))): fulfilment orders at first release \(text(first)); later \(text(later))"
            )
        }
    }

    private func printLatencies(_ store: any Store, _ orders: [SalesOrder]) async throws {
        var toReleased: [Double] = []
        var toShipped: [Double] = []
        for order in orders where !order.fulfillmentOrderIDs.isEmpty {
            if let first = try await store.fulfillments(orderID: order.id).map(\.releasedAt).min() {
                toReleased.append(first.timeIntervalSince(order.receivedAt))
            }
            if let last = try await store.shipments(orderID: order.id).map(\.shippedAt).max() {
                toShipped.append(last.timeIntervalSince(order.receivedAt))
            }
        }
        say(
            "  received → released: p50 \(ms(Percentiles.of(toReleased, 50))), p99 \(ms(Percentiles.of(toReleased, 99))) (\(toReleased.count) orders)"
        )
        say(
            "  received → last shipment: p50 \(ms(Percentiles.of(toShipped, 50))), p99 \(ms(Percentiles.of(toShipped, 99))) (\(toShipped.count) orders)"
        )
    }

    /// The oversell check: every SKU's books balance and nothing left that was not there.
    private func books(run: DemoRun, orders: [SalesOrder]) async throws -> [String] {
        var problems: [String] = []
        let balances = try await run.hub.store.allBalances()
        let received = run.received
        for product in run.catalog.products {
            let initial = run.catalog.stock.filter { $0.sku == product.sku }.reduce(0) { $0 + $1.onHand }
            let came = initial + received[product.sku, default: 0] + run.restocked[product.sku, default: 0]
            let current = balances.filter { $0.sku == product.sku }
            let onHand = current.reduce(0) { $0 + $1.onHand }
            let reserved = current.reduce(0) { $0 + $1.reserved }
            let lines = orders.flatMap(\.lines).filter { $0.sku == product.sku }
            let shipped = lines.reduce(0) { $0 + $1.shipped }
            let short = lines.reduce(0) { $0 + $1.shortPicked }
            let open = lines.reduce(0) { $0 + $1.released + $1.allocated }
            if shipped + short > came { problems.append("\(product.sku): \(shipped) shipped + \(short) short of \(came) that came in") }
            if came - shipped - short != onHand { problems.append("\(product.sku): on hand \(onHand), books say \(came - shipped - short)") }
            if reserved != open { problems.append("\(product.sku): reserved \(reserved), open allocations \(open)") }
            if current.contains(where: { $0.reserved > $0.onHand || $0.onHand < 0 }) { problems.append("\(product.sku): reserved above on hand") }
        }
        for order in orders where order.lines.contains(where: { !$0.isBalanced }) { problems.append("order \(order.id): line buckets do not add up") }
        let scarce = run.catalog.scarceSKUs.map { sku in
            "\(sku) \(orders.flatMap(\.lines).filter { $0.sku == sku }.reduce(0) { $0 + $1.shipped })/\(run.catalog.stock.filter { $0.sku == sku }.reduce(0) { $0 + $1.onHand } + received[sku, default: 0])"
        }
        say("  scarce SKUs shipped/(stock + received): \(scarce.joined(separator: ", "))")
        return problems
    }

    /// Prints `GET /v1/reconciliation`'s line and mismatches; true when balanced.
    private func reconciliation(_ admin: HubClient) async throws -> Bool {
        let answer = try await admin.send(.GET, "/v1/reconciliation")
        guard answer.status == 200, let document = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any] else {
            say("  reconciliation: UNAVAILABLE (\(answer.status) \(answer.text.prefix(200)))")
            return false
        }
        let line = document["line"] as? String ?? "(no line)"
        let mismatches = document["mismatches"] as? [Any] ?? []
        say("  reconciliation: \(line)")
        for mismatch in mismatches.prefix(10) {
            let text = (try? JSONSerialization.data(withJSONObject: mismatch, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) }
            say("    MISMATCH \(text ?? "\(mismatch)")")
        }
        if mismatches.count > 10 { say("    … and \(mismatches.count - 10) more") }
        // Each legal entity balances on its own, in its own currency.
        let entities = document["entities"] as? [[String: Any]] ?? []
        for entity in entities {
            say(
                "    legal entity \(entity["legalEntityId"] as? String ?? "?"): \(entity["orders"] as? Int ?? 0) orders: \(entity["line"] as? String ?? "")"
            )
        }
        return mismatches.isEmpty && entities.allSatisfy { $0["balanced"] as? Bool == true }
    }
}

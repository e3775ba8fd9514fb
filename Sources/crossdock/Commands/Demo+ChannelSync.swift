import CrossdockDomain
import CrossdockSandbox
import CrossdockStore
import Foundation
import NIOHTTP1

/// Keeping the channels in sync: prices changed mid-run, the storefront down for a while, a replay the Salesforce org
/// refuses as stale, and at the end every channel order compared with the channel's own copy.
extension Demo {
    /// Reprices the standard list: one SKU up 10 % at once, one down from the day after tomorrow (a dated price that
    /// must not apply yet), and a promotion that ended two days ago. The dates are two days away so that a run crossing
    /// midnight (UTC) prices the same at its end as at its start, which the summary checks.
    func changePrices(_ run: DemoRun) async throws {
        var list = run.catalog.priceList
        let today = JSONCoding.businessDay(Date())
        let later = JSONCoding.businessDay(Date().addingTimeInterval(2 * 86_400))
        let earlier = JSONCoding.businessDay(Date().addingTimeInterval(-2 * 86_400))
        let up = run.catalog.products[29].sku
        let dated = run.catalog.products[30].sku
        for index in list.entries.indices where list.entries[index].sku == up {
            list.entries[index].unitPrice = list.entries[index].unitPrice * 110 / 100
        }
        list.entries.append(.init(sku: dated, unitPrice: 100, validFrom: later))
        list.entries.append(.init(sku: dated, unitPrice: 100, validTo: earlier))
        try await run.admin.expectSuccess(.PUT, "/v1/price-lists/\(list.id)", json: list)
        run.repriced[up] = list.unitPrice(sku: up, quantity: 1, on: today)?.minorUnits
        run.repriced[dated] = list.unitPrice(sku: dated, quantity: 1, on: today)?.minorUnits
        run.note("repriced \(list.id) on \(today): \(up) up 10 % now; \(dated) has a price from \(later) and one that ended \(earlier)")
    }

    /// Waits until the channels have the catalogue seeded before they subscribed (products, prices, stock): their
    /// subscriptions start at the beginning of the log. Done before the orders go in, so the first sync does not
    /// compete with the warehouses' traffic.
    func waitForInitialCatalogue(_ hub: LocalHub) async throws {
        let start = ContinuousClock.now
        while ContinuousClock.now < start + .seconds(60) {
            let last = try await hub.store.lastSequence()
            if try await hub.store.subscriptions().allSatisfy({ $0.cursor >= last }), try await hub.store.deliveryCounts().pending == 0 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let counts = try await hub.store.deliveryCounts()
        say(
            "  the shop and the org received the catalogue in \(ms(Double((ContinuousClock.now - start).components.seconds) + Double((ContinuousClock.now - start).components.attoseconds) / 1e18)) (\(counts.delivered) deliveries, \(counts.pending) pending)"
        )
    }

    /// An API order whose price is 10 % below the hub's: booked at the hub's price with a price_mismatch exception.
    func submitMispricedOrder(_ run: DemoRun) async throws {
        let product = run.catalog.products[20]
        let list = run.catalog.priceList.unitPrice(sku: product.sku, quantity: 2)?.minorUnits ?? 0
        let request = OrderRequest(
            channel: "api",
            externalID: "DEMO-PRICE",
            customerID: run.catalog.customers[2].id,
            customerPO: "PO-PRICE",
            lines: [.init(lineNo: 1, sku: product.sku, quantity: 2, unitPrice: list * 90 / 100)]
        )
        let answer = try await run.send(.POST, "/v1/orders", request, key: "demo-PRICE")
        guard answer.status == 201, let order = try? run.decode(SalesOrder.self, answer) else {
            run.unexpected("mispriced order", answer)
            return
        }
        run.scripted["PRICE"] = order.id
        run.note(
            "price: \(order.id) sent \(list * 90 / 100) for \(product.sku) (hub \(list)) → booked at \(order.lines[0].unitPrice.minorUnits), exception raised"
        )
    }

    /// Replays the Salesforce org's order updates from the start: the org already has every one, so all but the last
    /// of each order are refused as stale (409) and settled as superseded; none is retried.
    func replayToSalesforce(_ hub: LocalHub, run: DemoRun) async throws -> Int {
        guard let subscription = try await hub.store.subscriptions().first(where: { $0.settings.mapping == "salesforce-order-sync" }) else {
            run.problems.append("Salesforce: no order-sync subscription")
            return 0
        }
        struct Replay: Encodable {
            var fromSequence: Int64
            var confirm: Bool
        }
        let answer = try await run.send(.POST, "/v1/subscriptions/\(subscription.id)/replay", Replay(fromSequence: 0, confirm: true))
        guard answer.status == 200, let plan = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any] else {
            run.unexpected("replay to Salesforce", answer)
            return 0
        }
        let count = (plan["deliveries"] as? Int) ?? (plan["count"] as? Int) ?? 0
        run.note("replayed the Salesforce org's \(count) order update(s) from the start")
        return count
    }

    /// The channel-sync section of the summary; returns the failed expectations.
    func summarizeChannelSync(_ partners: DemoPartners, run: DemoRun, orders: [SalesOrder]) async throws -> [String] {
        var problems: [String] = []
        let store = run.hub.store
        let shop = partners.storefront.records
        let crm = partners.crm.crm
        var shopMatched = 0
        var crmMatched = 0
        // Replacement orders (a lost parcel reshipped) are the hub's own: the channel never placed them.
        let shopOrders = orders.filter { $0.channel == "shopify" && !run.replacements.contains($0.id) }
        let crmOrders = orders.filter { $0.channel == "salesforce" && !run.replacements.contains($0.id) }
        for order in shopOrders {
            let shopID = order.channelRef.flatMap { Int64($0.orderId.split(separator: ":").last ?? "") }
            let differences = ChannelMirror.shopDifferences(
                order: order,
                shipments: try await store.shipments(orderID: order.id),
                creditMemos: try await store.creditMemos(orderID: order.id),
                shop: shopID.flatMap { shop.orders[$0] }
            )
            if differences.isEmpty { shopMatched += 1 } else { problems.append("Shopify order \(order.id): " + differences.joined(separator: "; ")) }
        }
        for order in crmOrders {
            let differences = ChannelMirror.crmDifferences(
                order: order,
                shipments: try await store.shipments(orderID: order.id),
                creditMemos: try await store.creditMemos(orderID: order.id),
                crm: crm
            )
            if differences.isEmpty {
                crmMatched += 1
            } else {
                problems.append("Salesforce order \(order.id): " + differences.joined(separator: "; "))
            }
        }
        let c = shop.counters
        let w = partners.storefront.webhooks
        say("  order status back to the channels")
        say(
            "    Shopify: \(c.fulfillments) fulfillments with tracking, \(c.fulfillmentEvents) delivered events, \(c.cancellations) cancellations, \(c.refunds) refunds, \(c.metafieldWrites) status metafield writes; \(w.refused) refused with 503, \(w.refusedWhileDown) while down, \(w.duplicates) redeliveries (\(w.conflictingDuplicates) with other content), \(c.staleRefusals) refused as stale"
        )
        say("    Shopify: \(shopMatched)/\(shopOrders.count) orders' final state reached the shop and equals the hub's")
        let r = crm.counters
        let v = partners.crm.webhooks
        say(
            "    Salesforce: \(r.orderUpdates) Order updates, \(r.shipmentUpserts) Shipments; \(v.refused) refused with 503, \(v.duplicates) redeliveries (\(v.conflictingDuplicates) with other content); replay: \(r.staleRefusals) refused as stale (409, settled as superseded), \(r.alreadyApplied) already applied"
        )
        say("    Salesforce: \(crmMatched)/\(crmOrders.count) orders' final state reached the org and equals the hub's")
        if shopMatched != shopOrders.count || crmMatched != crmOrders.count {
            for problem in problems.prefix(10) { say("    MISMATCH \(problem)") }
        }
        var charged: Int64 = 0
        var billed: Int64 = 0
        for order in shopOrders where order.lines.contains(where: { $0.shipped > 0 }) {
            charged += order.shipping?.minorUnits ?? 0
            billed += try await store.invoices(orderID: order.id).reduce(0) { $0 + ($1.freight?.minorUnits ?? 0) }
        }
        say("    Shopify shipping charged \(String(format: "%.2f", Double(charged) / 100)), invoiced \(String(format: "%.2f", Double(billed) / 100))")
        if charged != billed || charged == 0 { problems.append("Shopify: shipping charged \(charged), invoiced \(billed)") }
        if c.staleRefusals > 0 || !c.refusals.isEmpty { problems.append("Shopify: refused \(c.staleRefusals) as stale, \(c.refusals.prefix(3))") }
        if !r.refusals.isEmpty { problems.append("Salesforce: refused \(r.refusals.prefix(3))") }
        if w.conflictingDuplicates + v.conflictingDuplicates > 0 { problems.append("a redelivery carried other content than the first delivery") }
        if w.badSignatures + v.badSignatures > 0 { problems.append("Shopify or Salesforce saw bad signatures") }
        if r.staleRefusals == 0 { problems.append("Salesforce: the replay was not refused as stale") }
        if w.refusedWhileDown == 0 { problems.append("Shopify: the outage was not exercised") }
        for record in partners.retailer.purchaseOrders where record.answeredInCases == false {
            problems.append("EDI: PO \(record.number) ordered in cases was answered in \(record.caseAnswers)")
        }
        problems += try await summarizeCatalogSync(partners, run: run)
        return problems
    }

    /// Availability, prices and credit standing in the channels, against the hub's.
    private func summarizeCatalogSync(_ partners: DemoPartners, run: DemoRun) async throws -> [String] {
        var problems: [String] = []
        let shop = partners.storefront.records
        let crm = partners.crm.crm
        let balances = try await run.hub.store.allBalances()
        var levels = 0
        var levelMismatches: [String] = []
        for balance in balances {
            guard let location = SandboxStorefront.locations[balance.warehouseID] else { continue }
            levels += 1
            let shown = shop.products[balance.sku]?.available[location]
            if shown != balance.availableToPromise {
                levelMismatches.append(
                    "\(balance.sku)@\(balance.warehouseID): shop \(shown.map(String.init) ?? "none"), hub \(balance.availableToPromise)"
                )
            }
        }
        // Availability computed before the shop subscribed came with its initial catalogue, not with a change; a figure
        // applied after the outage began and computed before the shop handled its first call after it waited for the
        // outage (and the circuit breaker's cooldown) to end.
        let measured = zip(shop.counters.availabilityLagsMs, shop.counters.availabilityChangedAt).filter { $0.1 >= run.connectedAt }
        let recovered = partners.storefront.recoveredAt ?? .distantPast
        let waited = { (lag: Double, asOf: Date) in asOf < recovered && asOf.addingTimeInterval(lag / 1000) >= run.outageStartedAt }
        let lags = measured.filter { !waited($0.0, $0.1) }.map(\.0)
        let outageLags = measured.filter { waited($0.0, $0.1) }.map(\.0)
        say("  availability and catalogue out")
        say(
            "    Shopify inventory: \(levels - levelMismatches.count)/\(levels) levels (SKU × location) equal the hub's ATP; \(shop.counters.inventoryWrites) inventory writes; sync lag (stock change → applied at the shop) while up: p50 \(ms(Percentiles.of(lags.map { $0 / 1000 }, 50))), p95 \(ms(Percentiles.of(lags.map { $0 / 1000 }, 95))), max \(ms((lags.max() ?? 0) / 1000)) (\(lags.count) changes); through the outage: max \(ms((outageLags.max() ?? 0) / 1000)) (\(outageLags.count) changes)"
        )
        problems += levelMismatches.prefix(5).map { "Shopify inventory \($0)" }
        let list = try await run.hub.store.priceList(run.catalog.priceList.id)
        let today = JSONCoding.businessDay(Date())
        var prices = 0
        var priceMismatches: [String] = []
        for product in run.catalog.products {
            let hub = list?.unitPrice(sku: product.sku, quantity: 1, on: today)?.minorUnits
            prices += 1
            let shopPrice = shop.products[product.sku]?.price
            let book = crm.priceBook["\(run.catalog.priceList.id):\(product.sku)"]?.unitPrice
            if shopPrice != hub || book != hub {
                priceMismatches.append(
                    "\(product.sku): shop \(shopPrice.map(String.init) ?? "none"), org \(book.map(String.init) ?? "none"), hub \(hub.map(String.init) ?? "none")"
                )
            }
        }
        say(
            "    prices: \(prices - priceMismatches.count)/\(prices) SKUs priced as the hub prices them today on the storefront and in the org's price book (repriced: \(run.repriced.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))"
        )
        problems += priceMismatches.prefix(5).map { "price \($0)" }
        var accounts = 0
        for customer in run.catalog.customers {
            guard let hub = try await run.hub.store.customer(customer.id) else { continue }
            let account = crm.accounts[customer.id]
            if account?.creditHold == (hub.creditHold != nil) && account?.creditLimit == hub.creditLimit.minorUnits {
                accounts += 1
            } else {
                problems.append("Salesforce account \(customer.id): hold \(account?.creditHold.description ?? "none"), hub \(hub.creditHold != nil)")
            }
        }
        let released = crm.accounts.values.filter { !$0.creditHold }.count
        say("    Salesforce accounts: \(accounts)/\(run.catalog.customers.count) show the hub's credit hold and limit (\(released) not on hold)")
        return problems
    }
}

import ArgumentParser
import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import Foundation
import Logging
import NIOHTTP1
import ServiceLifecycle

/// `crossdock demo`: the main job on the embedded default, end to end over loopback HTTP.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Run a hub and sandbox partners (WMS, 3PL, carrier, ERP, Shopify, Salesforce, EDI retailer) on a temporary database and push orders through every channel to the end.",
        discussion: """
            Seeds 4 warehouses (one run by a 3PL in Pennsylvania), 50 SKUs, 20 customers (one on credit hold, one near
            its limit, one accepting substitutes), scarce stock for a few SKUs and region preferences; registers the
            partners through the API; submits the orders concurrently through the HTTP API while a Shopify store posts
            signed orders/create webhooks (with redeliveries and one tampered body), a Salesforce org pushes signed
            Orders and a retailer sends X12 850s (one defective, one for an unknown item); then acts as operations
            would: releases credit holds, cancels some orders before and right after release, schedules purchase-order
            receipts for the backorders and receives them, resolves each exception once the sandbox on-call receiver
            was paged for it by the hub's alert route (reshipping one lost parcel, crediting the other delivery
            exceptions, cancelling what a warehouse sat on, reshipping a silent parcel, telling the customer of a
            backorder whose supplier's purchase order is late, acknowledging the rest), and takes a few returns back. The
            sandbox WMS picks, short-picks, ships and answers cancellations, and sits on one fulfilment order until its
            watchdog (a one-minute deadline) raises it; the 3PL takes 940s and ships with 945s; the carrier reports
            EasyPost tracking webhooks and loses, damages or returns a share of the parcels, and one goes silent (its
            scans dated a week back) until the "lost by silence" watchdog finds it and the desk reships it; the ERP
            books sales orders and invoices and answers its numbers; the
            retailer receives 855, 856 and 810 and acknowledges them with 997s. Waits until every order is final
            (invoiced, rejected or cancelled), prints what went through each partner in its own format and the
            reconciliation. Exits 0 only if every order is final, every channel did what it should, no SKU was
            oversold and the reconciliation is balanced.
            """
    )

    @Option(help: "Orders to submit (plus a few scripted ones).")
    var orders: Int = 200
    @Option(help: "Orders in flight at once.")
    var concurrency: Int = 50
    @Option(help: "Share of webhooks the sandbox partners refuse with 503 (0-1), to exercise retries.")
    var failureRate: Double = 0.1
    @Option(help: "Share of fulfilment orders the sandbox WMS short-picks by one unit (0-1).")
    var shortPickRate: Double = 0.05
    @Option(help: "Share of cancellation requests the sandbox WMS accepts once picking started (0-1).")
    var cancelAcceptRate: Double = 0.7
    @Option(
        help: """
            Sandbox WMS delay before picking and before shipping, in milliseconds (default 150, or 1000 with more than \
            one node: three nodes sharing this machine's cores deliver a cancellation more slowly, and it must reach \
            the warehouse between pick and ship).
            """
    )
    var wmsDelayMs: Int?
    @Option(help: "Sandbox carrier delay between two milestones of a parcel, in milliseconds.")
    var carrierStepMs: Int = 20
    @Option(help: "Share of parcels the sandbox carrier loses (0-1).")
    var lossRate: Double = 0.04
    @Option(help: "Share of parcels the sandbox carrier damages (0-1).")
    var damageRate: Double = 0.03
    @Option(help: "Share of parcels the sandbox carrier returns to sender (0-1).")
    var returnRate: Double = 0.02
    @Option(help: "Delivered orders to take a return on.")
    var returns: Int = 3
    @Option(help: "Seconds to wait for every order to be final.")
    var timeout: Int = 180
    @Option(help: "Random seed of the order stream and of the partners' decisions.")
    var seed: UInt64 = 42
    @Option(help: "Keep the hub's database: sqlite:PATH (a new file) or an empty postgres://… database, instead of a temporary file.")
    var db: String?
    @Option(help: "Hub nodes to run as separate processes on the --db PostgreSQL database; with more than one, one is killed with SIGKILL half-way.")
    var nodes: Int = 1
    @Flag(help: "After the summary, keep the hub and the sandbox partners running, print the console's address and a key for it, and stop on Ctrl-C.")
    var keep = false

    func validate() throws {
        guard nodes >= 1 else { throw ValidationError("--nodes must be at least 1") }
        if nodes > 1, !(db ?? "").hasPrefix("postgres") {
            throw ValidationError("--nodes needs --db postgres://…: several nodes share one PostgreSQL database")
        }
    }
    @OptionGroup var log: LogOptions

    /// The sandbox WMS's delay before picking and before shipping.
    var wmsDelay: Duration { .milliseconds(wmsDelayMs ?? (nodes > 1 ? 1_000 : 150)) }

    func run() async throws {
        log.bootstrap(default: .warning)
        let logger = Logger(label: "crossdock.demo")
        var hubConfiguration = Hub.Configuration()
        hubConfiguration.delivery.retry = RetryPolicy(maxAttempts: 10, base: .milliseconds(100), cap: .seconds(2))
        // The on-call hears of each exception within a second; the desk acts once it has.
        hubConfiguration.alerts = .init(interval: .seconds(1))
        // Watchdogs every 5 s, so the warehouse that sits on a fulfilment order is noticed soon after its deadline.
        hubConfiguration.watchdogs = .init(interval: .seconds(5))
        let box = PartnerBox()
        let ok = try await withDemoHub(database: db, nodes: nodes, configuration: hubConfiguration, logger: logger, extraServices: [box]) { hub in
            let ok = try await drive(hub, partners: box)
            if keep { try await keepRunning(hub) }
            return ok
        }
        if !ok { throw ExitCode(1) }
    }

    private func drive(_ hub: LocalHub, partners: PartnerBox) async throws -> Bool {
        let admin = HubClient(baseURL: hub.partnerURL(6), apiKey: hub.adminKey)
        if let nodes = hub.nodes {
            say("crossdock demo: \(nodes.urls.count) hub nodes at \(nodes.urls.joined(separator: ", ")), database \(hub.store.location)")
        } else {
            say("crossdock demo: hub at \(hub.baseURL), database \(hub.store.location)")
        }
        let catalog = Self.catalog()
        try await catalog.seed(admin) { say("  seeded \($0)") }
        let run = DemoRun(hub: hub, admin: admin, catalog: catalog)
        try await run.setRegionPreferences()

        let channels = try await makePartners(hub, catalog: catalog)
        run.onCall = channels.onCall
        partners.start(channels.services)
        try await connect(channels, admin: admin, catalog: catalog)
        try await waitForInitialCatalogue(hub)
        run.connectedAt = Date()
        let wms = channels.wms
        // One warehouse sits on one fulfilment order: nobody tells the hub, its watchdog notices.
        wms.sitOnNextFulfillment()
        // One parcel goes silent after its first scans.
        channels.carrier.silenceNextParcel()
        // The EDI retailer never answers one 856 with a 997.
        channels.retailer.withholdAcknowledgmentOfNextShipNotice()

        let requests = Self.bulkOrders(catalog, count: orders, seed: seed)
        say("submitting \(orders) orders, \(concurrency) at a time…")
        let load = await LoadDriver(hub: admin).run(requests, concurrency: concurrency) { done, total in
            progressLine("  submitted \(done)/\(total)")
        }
        endProgress()
        if let nodes = hub.nodes {
            // Half-way: one node dies without warning; its leases expire and the others carry on.
            let victim = nodes.urls.count - 1
            let pid = nodes.kill(victim)
            say("  killed hub node \(victim + 1) (pid \(pid), \(nodes.urls[victim])) with SIGKILL; the other nodes take over its work")
        }
        await feedChannels(channels, catalog: catalog)
        say(
            "  intake: \(load.statuses.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ")), \(load.errors) transport errors, \(String(format: "%.0f", load.throughput)) orders/s, p50 \(ms(Percentiles.of(load.latencies, 50))), p99 \(ms(Percentiles.of(load.latencies, 99)))"
        )

        say("operations:")
        try await run.watchInjectedFaults(wms, retailer: channels.retailer)
        try await run.submitScriptedOrders()
        try await submitMispricedOrder(run)
        try await changePrices(run)
        try await run.feedMasterData()
        try await run.cancelBeforeRelease()
        try await run.settleCreditHolds()
        try await run.scheduleReceipts()
        try await run.cancelAfterRelease(wms: wms, expectRefusal: cancelAcceptRate < 1)
        try await run.cancelAtThirdParty()
        // The storefront's Admin API goes down while the receipts fill the backorders and the warehouses ship them:
        // its updates wait and arrive, in order, after.
        let outage = ContinuousClock.now
        run.outageStartedAt = Date()
        channels.storefront.setDown(true)
        run.note("the Shopify shop's Admin API is down")
        try await run.receiveScheduledReceipts()
        try await run.injectLateReceipt()
        try await Task.sleep(until: outage + .seconds(2))
        channels.storefront.setDown(false)
        run.note("the Shopify shop's Admin API is back after \((ContinuousClock.now - outage).components.seconds) s")

        let deadline = ContinuousClock.now + .seconds(timeout)
        var all: [SalesOrder] = []
        var openExceptions = 0
        while true {
            all = try await run.allOrders()
            try await run.topUpBackorders(all)
            openExceptions = try await run.resolveExceptions()
            try await run.replayDeadLetters()
            try await run.receiveLateReceiptOnceResolved()
            try await run.takeReturns(all, limit: returns)
            let final = all.filter(\.status.isTerminal).count
            let deliveries = try await hub.store.deliveryCounts()
            progressLine(
                "  final \(final)/\(all.count) · open exceptions \(openExceptions) · deliveries \(deliveries.delivered) ok, \(deliveries.pending) pending, \(deliveries.retries) retries"
            )
            // The on-call has heard of every resolution it was paged for (alert.resolved written and delivered).
            let told = try await hub.store.exceptionsAwaitingResolvedAlert(limit: 1).isEmpty
            if final == all.count && openExceptions == 0 && told && deliveries.pending == 0
                && run.returnsTaken >= min(returns, run.returnCandidates) && !run.awaitsUnacknowledgedShipNotice(channels.retailer)
                && !run.awaitsLateReceipt,
                try await channelsSettled(channels, admin: admin, store: hub.store)
            {
                break
            }
            if ContinuousClock.now > deadline { break }
            try await Task.sleep(for: .milliseconds(300))
        }
        endProgress()
        // Every update reached the Salesforce org; replaying them all must change nothing there.
        if try await replayToSalesforce(hub, run: run) > 0 {
            while try await hub.store.deliveryCounts().pending > 0, ContinuousClock.now < deadline + .seconds(30) {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        return try await summarize(run: run, orders: all, submitted: load, partners: channels)
    }

    /// The catalog of the demo: the standard one, with a customer that accepts substitutes, a scarce SKU that has an
    /// abundant substitute, and the 3PL's warehouse in Pennsylvania (with stock and a tax rate).
    static func catalog() -> Catalog {
        var catalog = Catalog()
        catalog.products[DemoRun.substitutedIndex].substitutes = [
            Product.Substitute(sku: catalog.products[DemoRun.substituteIndex].sku, priority: 1)
        ]
        catalog.customers[DemoRun.substitutingCustomerIndex].allowSubstitution = true
        catalog.addWarehouse(Catalog.thirdPartyWarehouse())
        // An item no warehouse stocks, bought from a supplier whose purchase order comes in late (DemoRun.lateSKU).
        let late = Product(
            sku: DemoRun.lateSKU,
            description: "Item from a late supplier",
            unitOfMeasure: "EA",
            gtin: "000123499901",
            substitutes: [],
            units: []
        )
        catalog.products.append(late)
        catalog.priceList.entries.append(.init(sku: late.sku, minQuantity: 1, unitPrice: 2_450))
        catalog.unorderedSKUs.insert(late.sku)
        // Two legal entities, each with its ERP instance: the US accounts, and four European ones in EUR.
        catalog.addEuropeanEntity()
        return catalog
    }

    /// The bulk orders: one in ten from the European entity's accounts, spread through the US ones.
    static func bulkOrders(_ catalog: Catalog, count: Int, seed: UInt64) -> [OrderRequest] {
        let european = catalog.otherCustomers.isEmpty ? 0 : count / 10
        var requests = catalog.orders(count: count - european, seed: seed)
        let others = catalog.orders(count: european, seed: seed &+ 1, from: catalog.otherCustomers)
        for (index, request) in others.enumerated() { requests.insert(request, at: min(requests.count, index * 10 + 5)) }
        return requests
    }

    func partnerKey(_ hub: LocalHub, _ partner: String, _ scopes: [Scope]) async throws -> String {
        try await APIKeys.create(in: hub.store, name: partner, scopes: scopes.map(\.rawValue), partner: partner).1
    }
}

/// `0.1` as `10%`.
func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }

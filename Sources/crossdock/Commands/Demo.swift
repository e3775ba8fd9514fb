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
        abstract: "Run a hub and a sandbox WMS on a temporary database and push orders through them.",
        discussion: """
            Seeds 3 warehouses, 50 SKUs, 20 customers (one on credit hold, one near its limit) and scarce stock for a
            few SKUs; submits the orders concurrently through the HTTP API; waits until every order is settled (no
            work left at a warehouse) and prints a summary. Exits 0 only if every order settled and no SKU was oversold.
            """
    )

    @Option(help: "Orders to submit.")
    var orders: Int = 200
    @Option(help: "Orders in flight at once.")
    var concurrency: Int = 50
    @Option(help: "Share of webhooks the sandbox WMS refuses with 503 (0-1), to exercise retries.")
    var failureRate: Double = 0.1
    @Option(help: "Share of fulfilment orders the sandbox WMS short-picks by one unit (0-1).")
    var shortPickRate: Double = 0.05
    @Option(help: "Sandbox WMS delay before picking and before shipping, in milliseconds.")
    var wmsDelayMs: Int = 150
    @Option(help: "Seconds to wait for every order to settle.")
    var timeout: Int = 180
    @Option(help: "Random seed of the order stream.")
    var seed: UInt64 = 42
    @OptionGroup var log: LogOptions

    func run() async throws {
        log.bootstrap(default: .warning)
        let logger = Logger(label: "crossdock.demo")
        let ok = try await withTemporaryDirectory { directory in
            var hubConfiguration = Hub.Configuration()
            hubConfiguration.delivery.retry = RetryPolicy(maxAttempts: 10, base: .milliseconds(100), cap: .seconds(2))
            // The WMS needs the hub's URL and a key, which exist only once the hub runs: start it lazily.
            let box = WMSBox()
            return try await LocalHub.with(directory: directory, configuration: hubConfiguration, logger: logger, extraServices: [box]) { hub in
                try await drive(hub, wmsBox: box, logger: logger)
            }
        }
        if !ok { throw ExitCode(1) }
    }

    private func drive(_ hub: LocalHub, wmsBox: WMSBox, logger: Logger) async throws -> Bool {
        let admin = HubClient(baseURL: hub.baseURL, apiKey: hub.adminKey)
        print("crossdock demo: hub at \(hub.baseURL), database \(hub.store.path)")
        let catalog = Catalog()
        try await catalog.seed(admin) { print("  seeded \($0)") }

        let (_, wmsKey) = try await APIKeys.create(
            in: hub.store,
            name: "sandbox-wms",
            scopes: [Scope.fulfillmentWrite.rawValue, Scope.ordersRead.rawValue],
            partner: "sandbox-wms"
        )
        let wms = SandboxWMS(
            hubURL: hub.baseURL,
            apiKey: wmsKey,
            configuration: .init(
                pickDelay: .milliseconds(wmsDelayMs),
                shipDelay: .milliseconds(wmsDelayMs),
                failureRate: failureRate,
                shortPickRate: shortPickRate
            )
        )
        wmsBox.start(wms)
        let webhookURL = try await wms.subscribe(through: admin)
        print(
            "  sandbox WMS at \(webhookURL), subscribed to fulfillment.released (refuses \(Int(failureRate * 100))% of webhooks, short-picks \(Int(shortPickRate * 100))%)"
        )

        let requests = catalog.orders(count: orders, seed: seed)
        print("submitting \(orders) orders, \(concurrency) at a time…")
        let load = await LoadDriver(hub: admin).run(requests, concurrency: concurrency) { done, total in
            progressLine("  submitted \(done)/\(total)")
        }
        endProgress()
        print(
            "  intake: \(load.statuses.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ")), \(load.errors) transport errors, p50 \(ms(Percentiles.of(load.latencies, 50))), p99 \(ms(Percentiles.of(load.latencies, 99)))"
        )

        let deadline = ContinuousClock.now + .seconds(timeout)
        var settled = 0
        var all: [SalesOrder] = []
        while true {
            all = try await allOrders(hub.store)
            settled = all.filter(\.isSettled).count
            let deliveries = try await hub.store.deliveryCounts()
            progressLine(
                "  settled \(settled)/\(all.count) · deliveries \(deliveries.delivered) ok, \(deliveries.pending) pending, \(deliveries.retries) retries"
            )
            if settled == all.count && deliveries.pending == 0 { break }
            if ContinuousClock.now > deadline { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        endProgress()
        return try await summarize(hub: hub, catalog: catalog, orders: all, submitted: load, wms: wms)
    }

    private func allOrders(_ store: SQLiteStore) async throws -> [SalesOrder] {
        var result: [SalesOrder] = []
        var cursor: Int64?
        repeat {
            let page = try await store.orders(OrderQuery(afterCursor: cursor, limit: 500))
            result += page.orders
            cursor = page.next
        } while cursor != nil
        return result
    }

    private func summarize(hub: LocalHub, catalog: Catalog, orders: [SalesOrder], submitted: LoadDriver.Result, wms: SandboxWMS) async throws -> Bool
    {
        let store = hub.store
        print("\nsummary")
        var byStatus: [OrderStatus: Int] = [:]
        for order in orders { byStatus[order.status, default: 0] += 1 }
        print(
            "  orders: \(orders.count) — "
                + byStatus.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        )
        let events = try await store.lastSequence()
        let deliveries = try await store.deliveryCounts()
        print("  events appended: \(events)")
        print(
            "  deliveries: \(deliveries.delivered) delivered, \(deliveries.retries) retries, \(deliveries.pending) pending, \(deliveries.dead) dead"
        )
        let stats = wms.stats
        print(
            "  sandbox WMS: \(stats.webhooksReceived) webhooks accepted (\(stats.duplicates) duplicates ignored), \(stats.webhooksRefused) refused with 503, \(stats.picked) picked, \(stats.shortPicked) short-picked, \(stats.shipped) shipped, \(stats.reportFailures) reports refused"
        )

        var toReleased: [Double] = []
        var toShipped: [Double] = []
        for order in orders where !order.fulfillmentOrderIDs.isEmpty {
            let fulfillments = try await store.fulfillments(orderID: order.id)
            if let first = fulfillments.map(\.releasedAt).min() { toReleased.append(first.timeIntervalSince(order.receivedAt)) }
            if order.status == .shipped, let last = try await store.shipments(orderID: order.id).map(\.shippedAt).max() {
                toShipped.append(last.timeIntervalSince(order.receivedAt))
            }
        }
        print(
            "  received → released: p50 \(ms(Percentiles.of(toReleased, 50))), p99 \(ms(Percentiles.of(toReleased, 99))) (\(toReleased.count) orders; release commits with intake)"
        )
        print("  received → shipped:  p50 \(ms(Percentiles.of(toShipped, 50))), p99 \(ms(Percentiles.of(toShipped, 99))) (\(toShipped.count) orders)")

        // Oversell check: the books of every SKU balance and nothing left more than was there.
        var problems: [String] = []
        let balances = try await store.allBalances()
        for product in catalog.products {
            let initial = catalog.stock.filter { $0.sku == product.sku }.reduce(0) { $0 + $1.onHand }
            let current = balances.filter { $0.sku == product.sku }
            let onHand = current.reduce(0) { $0 + $1.onHand }
            let reserved = current.reduce(0) { $0 + $1.reserved }
            let lines = orders.flatMap(\.lines).filter { $0.sku == product.sku }
            let shipped = lines.reduce(0) { $0 + $1.shipped }
            let short = lines.reduce(0) { $0 + $1.shortPicked }
            let open = lines.reduce(0) { $0 + $1.released + $1.allocated }
            if shipped + short > initial { problems.append("\(product.sku): \(shipped) shipped + \(short) short of \(initial) on hand") }
            if initial - shipped - short != onHand { problems.append("\(product.sku): on hand \(onHand), books say \(initial - shipped - short)") }
            if reserved != open { problems.append("\(product.sku): reserved \(reserved), open allocations \(open)") }
            if current.contains(where: { $0.reserved > $0.onHand || $0.onHand < 0 }) { problems.append("\(product.sku): reserved above on hand") }
        }
        for order in orders where order.lines.contains(where: { !$0.isBalanced }) { problems.append("order \(order.id): line buckets do not add up") }
        let unsettled = orders.filter { !$0.isSettled }
        let scarce = catalog.scarceSKUs.map { sku in
            "\(sku) \(orders.flatMap(\.lines).filter { $0.sku == sku }.reduce(0) { $0 + $1.shipped })/\(catalog.stock.filter { $0.sku == sku }.reduce(0) { $0 + $1.onHand })"
        }
        print("  scarce SKUs shipped/stock: \(scarce.joined(separator: ", "))")
        if problems.isEmpty { print("  no SKU oversold; every SKU's books balance (initial = on hand + shipped + short-picked)") }
        for problem in problems.prefix(20) { print("  OVERSOLD OR UNBALANCED: \(problem)") }
        if !unsettled.isEmpty {
            print(
                "  NOT SETTLED: \(unsettled.count) order(s), e.g. \(unsettled.prefix(5).map { "\($0.id) (\($0.status.rawValue))" }.joined(separator: ", "))"
            )
        }
        let ok = problems.isEmpty && unsettled.isEmpty && orders.count == self.orders && deliveries.pending == 0
        print(ok ? "demo passed" : "demo FAILED")
        return ok
    }
}

/// Runs the sandbox WMS as a service of the demo's service group once it is configured.
final class WMSBox: Service, Sendable {
    private let (stream, sink) = AsyncStream.makeStream(of: SandboxWMS.self)

    func start(_ wms: SandboxWMS) {
        sink.yield(wms)
        sink.finish()
    }

    func run() async throws {
        var iterator = stream.makeAsyncIterator()
        let next: SandboxWMS? = await withGracefulShutdownHandler {
            await iterator.next()
        } onGracefulShutdown: {
            self.sink.finish()
        }
        try await next?.run()
    }
}

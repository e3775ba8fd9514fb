import ArgumentParser
import AsyncHTTPClient
import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Options of `crossdock bench --master-data`.
struct MasterDataBenchOptions: ParsableArguments {
    @Flag(
        help: """
            Measure a master-data snapshot instead of intake: --products products and --customers customers posted as \
            one batch (POST /v1/master-data/batches) while orders arrive at a steady --rate; prints the load's time and \
            intake latency before and while it loads.
            """
    )
    var masterData = false
    @Option(help: "Products in the snapshot (--master-data).")
    var products: Int = 100_000
    @Option(help: "Customers in the snapshot (--master-data).")
    var customers: Int = 20_000
    @Option(help: "Orders per second placed while measuring (--master-data).")
    var rate: Int = 50
    @Option(help: "Send the records as this many delta batches, one after the other, instead of one snapshot (--master-data).")
    var slices: Int = 1
}

extension Bench {
    /// `bench --master-data`: a hub on a temporary SQLite file (or one in-process node on a `--db` PostgreSQL database,
    /// emptied first), orders at `--rate` for 10 s, then the snapshot posted while the orders go on, then 5 s more;
    /// the load is applied twice (the second time it changes nothing).
    func runMasterData() async throws {
        let options = masterDataBench
        guard options.products >= 0, options.customers >= 0, options.rate > 0, options.slices > 0 else {
            throw ValidationError("--products and --customers take whole numbers, --rate a positive one")
        }
        let logger = Logger(label: "crossdock.bench")
        try await withTemporaryDirectory { directory in
            let store = try await emptiedBenchStore(logger: logger)
            try await LocalHub.with(directory: directory, store: store, configuration: Hub.Configuration(), logger: logger) { hub in
                say("hub: \(hub.baseURL) on \(hub.store.location)")
                let client = HubClient(baseURL: hub.baseURL, apiKey: hub.adminKey)
                let catalog = Catalog(scarce: 0, abundant: 10_000_000, prefix: "")
                try await catalog.seed(client) { _ in }
                // The batch's answer comes when it is applied: no read timeout for it.
                let loader = HTTPClient(
                    eventLoopGroupProvider: .singleton,
                    configuration: .init(timeout: .init(connect: .seconds(10), read: .seconds(3600)))
                )
                let feeder = HubClient(baseURL: hub.baseURL, apiKey: hub.adminKey, client: loader)
                let bodies = Self.batches(options, priceList: catalog.priceList.id)
                say(
                    String(
                        format: "%d products, %d customers in %d batch(es), %.1f MB of JSON",
                        options.products,
                        options.customers,
                        bodies.count,
                        Double(bodies.map(\.count).reduce(0, +)) / 1e6
                    )
                )
                do {
                    for round in ["first load", "same snapshot again"] {
                        let orders = catalog.orders(count: options.rate * 600, seed: UInt64(round.count), channel: "md-\(round.count)", scarceBias: 0)
                        let intake = PacedIntake(client: client, orders: orders, rate: options.rate)
                        let running = Task { await intake.run() }
                        try await Task.sleep(for: .seconds(10))
                        let began = ContinuousClock.now
                        var summaries: [FeedSummary] = []
                        for body in bodies {
                            let answer = try await feeder.send(.POST, "/v1/master-data/batches", body: body, timeout: .seconds(3600))
                            guard answer.status == 201, let summary = try? JSONCoding.decoder().decode(FeedSummary.self, from: Data(answer.body))
                            else {
                                throw CleanExit.message(
                                    "batch refused: HTTP \(answer.status) \(String(decoding: answer.body.prefix(300), as: UTF8.self))"
                                )
                            }
                            summaries.append(summary)
                        }
                        let loaded = ContinuousClock.now
                        try await Task.sleep(for: .seconds(5))
                        intake.stop()
                        await running.value
                        let seconds = LoadDriverSeconds.of(loaded - began)
                        var totals: [String: [Int]] = [:]
                        for summary in summaries {
                            for (kind, count) in summary.counts {
                                let row = [count.created, count.updated, count.unchanged, count.quarantined]
                                totals[kind] = zip(totals[kind] ?? [0, 0, 0, 0], row).map { $0 + $1 }
                            }
                        }
                        let counts = totals.sorted { $0.key < $1.key }.map { kind, count in
                            "\(kind) +\(count[0]) ~\(count[1]) =\(count[2]) !\(count[3])"
                        }
                        say(
                            String(
                                format: "%@: %d batch(es) in %.1f s (%.0f records/s), %@, versions %@; %@",
                                round,
                                summaries.count,
                                seconds,
                                Double(options.products + options.customers) / seconds,
                                Set(summaries.map(\.status.rawValue)).sorted().joined(separator: "/"),
                                summaries.compactMap(\.version).map(String.init).joined(separator: ",").nonEmpty ?? "unchanged",
                                counts.joined(separator: ", ")
                            )
                        )
                        intake.report(loadStart: began, loadEnd: loaded)
                    }
                } catch {
                    try? await loader.shutdown()
                    throw error
                }
                try await loader.shutdown()
            }
        }
    }

    /// The records as one snapshot batch, or as `slices` delta batches of consecutive records.
    static func batches(_ options: MasterDataBenchOptions, priceList: String) -> [[UInt8]] {
        guard options.slices > 1 else { return [snapshot(products: 0..<options.products, customers: 0..<options.customers, priceList: priceList)] }
        return (0..<options.slices).map { slice in
            func range(_ total: Int) -> Range<Int> { (total * slice / options.slices)..<(total * (slice + 1) / options.slices) }
            return snapshot(products: range(options.products), customers: range(options.customers), priceList: priceList, mode: "delta")
        }
    }

    /// A snapshot batch of products (`MDP-000001`…, each also sold in cases of 12) and customers (`MDC-00001`…) buying
    /// from `priceList`, as JSON.
    static func snapshot(products: Range<Int>, customers: Range<Int>, priceList: String, mode: String = "snapshot") -> [UInt8] {
        var text = #"{"source":"bench-erp","mode":"\#(mode)","products":["#
        text.reserveCapacity(products.count * 130 + customers.count * 520)
        for index in products {
            if index > products.lowerBound { text += "," }
            let sku = String(format: "MDP-%06d", index + 1)
            text += #"{"sku":"\#(sku)","description":"Bench item \#(index + 1)","unitOfMeasure":"EA","units":[{"code":"CS","quantity":12}]}"#
        }
        text += #"],"customers":["#
        for index in customers {
            if index > customers.lowerBound { text += "," }
            let id = String(format: "MDC-%05d", index + 1)
            let address =
                #"{"name":"Account \#(index + 1)","lines":["\#(index + 1) Dock Rd"],"city":"Reno","region":"US-NV","postalCode":"89501","country":"US"}"#
            text += #"{"id":"\#(id)","name":"Account \#(index + 1)","creditLimit":{"minorUnits":5000000,"currency":"USD"},"#
            text += #""billTo":\#(address),"shipTo":[{"code":"MAIN","address":\#(address)}],"priceListId":"\#(priceList)"}"#
        }
        text += "]}"
        return Array(text.utf8)
    }
}

/// Orders at a steady rate (open loop: each sent at its time whatever the earlier ones do), each latency kept with when
/// it was sent.
final class PacedIntake: Sendable {
    private let client: HubClient
    private let bodies: [[UInt8]]
    private let rate: Int
    private let stopped = Atomic<Bool>(false)
    private let samples = Mutex<[(sent: ContinuousClock.Instant, seconds: Double, status: Int)]>([])

    init(client: HubClient, orders: [OrderRequest], rate: Int) {
        self.client = client
        let encoder = JSONCoding.encoder()
        bodies = orders.map { Array(try! encoder.encode($0)) }
        self.rate = rate
    }

    func stop() { stopped.store(true, ordering: .relaxed) }

    func run() async {
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for (index, body) in bodies.enumerated() {
                let due = start + .milliseconds(index * 1000 / rate)
                try? await Task.sleep(until: due)
                if stopped.load(ordering: .relaxed) { break }
                group.addTask { [self] in
                    let sent = ContinuousClock.now
                    let status = (try? await self.client.send(.POST, "/v1/orders", body: body, timeout: .seconds(120)))?.status ?? 0
                    let seconds = LoadDriverSeconds.of(ContinuousClock.now - sent)
                    self.samples.withLock { $0.append((sent, seconds, status)) }
                }
            }
        }
    }

    /// Latency of the orders sent before the load and while it ran.
    func report(loadStart: ContinuousClock.Instant, loadEnd: ContinuousClock.Instant) {
        let all = samples.withLock { $0 }
        for (label, part) in [
            ("before the load", all.filter { $0.sent < loadStart }), ("while it loads", all.filter { $0.sent >= loadStart && $0.sent <= loadEnd }),
        ] {
            let latencies = part.map(\.seconds)
            let failed = part.filter { $0.status != 201 }.count
            say(
                String(
                    format: "  intake %@: %d orders, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d not 201",
                    label,
                    part.count,
                    Percentiles.of(latencies, 50) * 1000,
                    Percentiles.of(latencies, 99) * 1000,
                    (latencies.max() ?? 0) * 1000,
                    failed
                )
            )
        }
    }
}

extension String {
    /// Nil when empty.
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}

import ArgumentParser
import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import Foundation
import Logging

/// `crossdock bench`: intake throughput and latency.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure durable order intake: throughput and latency percentiles.",
        discussion: """
            Without --url it starts its own hub on a temporary SQLite database (WAL, synchronous=FULL: every 201 is on
            disk) with seeded master data and ample stock. With --url and --key it drives an existing hub, seeding its
            own bench-prefixed master data there first. --baseline also measures one-row-per-transaction inserts into a
            SQLite file on the same disk, the fsync-bound rate group commit has to beat.
            """
    )

    @Option(help: "Orders per concurrency level.")
    var orders: Int = 2000
    @Option(help: "Concurrency levels, comma-separated (e.g. 1,16,64).")
    var concurrency: String = "64"
    @Option(help: "Base URL of an existing hub.")
    var url: String?
    @Option(help: "API key for --url (needs admin or master:write, inventory:write, orders:write).")
    var key: String?
    @Flag(help: "Also measure raw one-row-per-transaction SQLite inserts on the same disk.")
    var baseline = false
    @Option(help: "Rows for --baseline.")
    var baselineRows: Int = 3000
    @Option(help: "Coalescing window of the availability feed in ms; 0 turns it off (own hub only).")
    var availabilityWindowMs: Int = 200
    @Flag(help: "Measure webhook delivery instead of intake: events/s to a loopback sink and its HTTP ceiling.")
    var deliveries = false
    @Option(
        help:
            "A PostgreSQL database to bench against (postgres://…; its name must contain 'bench': every table is dropped) instead of a temporary SQLite file."
    )
    var db: String?
    @Option(help: "With --db postgres://…: hub node counts to measure, comma-separated (e.g. 1,2,3); each runs as its own process.")
    var nodes: String = "1"
    @OptionGroup var delivery: DeliveryBenchOptions
    @OptionGroup var edi: EDIBenchOptions
    @OptionGroup var consoleBench: ConsoleBenchOptions
    @OptionGroup var masterDataBench: MasterDataBenchOptions
    @OptionGroup var log: LogOptions

    func run() async throws {
        log.bootstrap(default: .warning)
        if deliveries { return try await runDeliveries() }
        if edi.edi { return try await runEDI() }
        if consoleBench.console { return try await runConsole() }
        if masterDataBench.masterData { return try await runMasterData() }
        let levels = concurrency.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !levels.isEmpty, levels.allSatisfy({ $0 > 0 }) else { throw ValidationError("--concurrency takes positive integers, e.g. 1,16,64") }
        if let db {
            guard db.hasPrefix("postgres://") || db.hasPrefix("postgresql://") else { throw ValidationError("--db takes a postgres:// URL") }
            return try await runPostgres(url: db, levels: levels)
        }
        let logger = Logger(label: "crossdock.bench")
        try await withTemporaryDirectory { directory in
            var measured: Double?
            if baseline {
                let store = try SQLiteStore(path: directory.appendingPathComponent("baseline.sqlite").path, logger: logger)
                let start = ContinuousClock.now
                try await store.rawInsertBaseline(rows: baselineRows)
                let seconds = LoadDriverSeconds.of(ContinuousClock.now - start)
                measured = Double(baselineRows) / seconds
                print(
                    String(
                        format: "baseline: %d one-row transactions (WAL, synchronous=FULL) in %.2f s = %.0f commits/s",
                        baselineRows,
                        seconds,
                        measured!
                    )
                )
            }
            let baselineRate = measured
            if let url {
                guard let key else { throw ValidationError("--url needs --key") }
                try await measure(HubClient(baseURL: url, apiKey: key), levels: levels, baselineRate: baselineRate, prefix: "BENCH-")
            } else {
                var configuration = Hub.Configuration()
                configuration.availability = availabilityWindowMs > 0 ? .init(window: .milliseconds(availabilityWindowMs)) : nil
                try await LocalHub.with(directory: directory, configuration: configuration, logger: logger) { hub in
                    print("hub: \(hub.baseURL) on \(hub.store.location) (WAL, synchronous=FULL, group commit)")
                    try await measure(HubClient(baseURL: hub.baseURL, apiKey: hub.adminKey), levels: levels, baselineRate: baselineRate, prefix: "") {
                        (hub.store as? SQLiteStore)?.writerStatistics ?? WriterStatistics(transactions: 0, writes: 0, busy: .zero)
                    }
                    try await reportAvailabilityFeed(hub.store)
                }
            }
        }
    }

    private func measure(
        _ hub: HubClient,
        levels: [Int],
        baselineRate: Double?,
        prefix: String,
        writer: (@Sendable () -> WriterStatistics)? = nil
    ) async throws {
        let catalog = Catalog(scarce: 0, abundant: 10_000_000, prefix: prefix)
        try await catalog.seed(hub) { print("seeded \($0)") }
        let runID = UInt64(Date().timeIntervalSince1970 * 1000)
        let warm = catalog.orders(count: min(200, orders), seed: runID, channel: "bench-warmup", scarceBias: 0)
        _ = await LoadDriver(hub: hub).run(warm, concurrency: levels.max()!)
        for (index, level) in levels.enumerated() {
            let requests = catalog.orders(count: orders, seed: runID + UInt64(index) + 1, channel: "bench", scarceBias: 0)
            let before = writer?()
            let cpuBefore = processCPUSeconds()
            let result = await LoadDriver(hub: hub).run(requests, concurrency: level) { done, total in
                progressLine("concurrency \(level): \(done)/\(total)")
            }
            endProgress()
            var line = String(
                format: "intake c=%-3d %6d orders  %7.0f orders/s  p50 %6.1f ms  p90 %6.1f ms  p99 %6.1f ms  max %6.1f ms",
                level,
                result.latencies.count,
                result.throughput,
                Percentiles.of(result.latencies, 50) * 1000,
                Percentiles.of(result.latencies, 90) * 1000,
                Percentiles.of(result.latencies, 99) * 1000,
                Percentiles.of(result.latencies, 100) * 1000
            )
            if let baselineRate { line += String(format: "  (%.2f× baseline)", result.throughput / baselineRate) }
            print(line)
            let statuses = result.statuses.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ")
            print("             statuses: \(statuses)\(result.errors > 0 ? ", \(result.errors) transport errors" : "")")
            if let before, let after = writer?() {
                let transactions = after.transactions - before.transactions
                let writes = after.writes - before.writes
                let busy = LoadDriverSeconds.of(after.busy - before.busy)
                // Hub and load driver share this process: the CPU figure is both (compare it between builds).
                let cpu = processCPUSeconds() - cpuBefore
                print(
                    String(
                        format: "             writer: %d transactions for %d writes (%.1f per fsync), busy %.0f%% of the run; cpu %.0f µs per order",
                        transactions,
                        writes,
                        Double(writes) / Double(max(transactions, 1)),
                        busy / result.elapsed * 100,
                        cpu / Double(max(result.latencies.count, 1)) * 1e6
                    )
                )
            }
        }
    }
}

extension Bench {
    /// Prints how many `inventory.availability_changed` events the run published and their sync lag.
    func reportAvailabilityFeed(_ store: any Store) async throws {
        // Let the last window close.
        try await Task.sleep(for: .milliseconds(600))
        var lags: [Double] = []
        var after: Int64 = 0
        var total = 0
        while true {
            let page = try await store.events(after: after, limit: 1000)
            guard let last = page.last else { break }
            after = Int64(last.sequence) ?? after + Int64(page.count)
            total += page.count
            for event in page where event.type == EventType.inventoryAvailabilityChanged.qualifiedName {
                if case .number(let lag)? = event.data["syncLagMs"] { lags.append(lag / 1000) }
            }
        }
        print(
            String(
                format: "availability feed: %d inventory.availability_changed of %d events; sync lag p50 %.0f ms  p99 %.0f ms  max %.0f ms",
                lags.count,
                total,
                Percentiles.of(lags, 50) * 1000,
                Percentiles.of(lags, 99) * 1000,
                Percentiles.of(lags, 100) * 1000
            )
        )
    }
}

enum LoadDriverSeconds {
    static func of(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

import ArgumentParser
import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import Foundation
import Logging
import ServiceLifecycle

extension Bench {
    /// `bench --db postgres://…/…bench… --nodes 1,2,3`: for each node count, a fresh schema, that many `crossdock serve`
    /// processes, intake spread over them and webhook delivery by them; then, in the same run, the database's raw limits
    /// (single-row insert transactions at the same concurrency, a bare `SKIP LOCKED` claim loop).
    func runPostgres(url: String, levels: [Int]) async throws {
        guard let name = URLComponents(string: url)?.path.dropFirst(), name.contains("bench") else {
            throw ValidationError("bench drops and recreates every table of the --db database: its name must contain 'bench'")
        }
        let nodeCounts = nodes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !nodeCounts.isEmpty, nodeCounts.allSatisfy({ $0 > 0 }) else { throw ValidationError("--nodes takes positive integers, e.g. 1,2,3") }
        let logger = Logger(label: "crossdock.bench")
        let concurrency = levels.max() ?? 64
        var intake: [(nodes: Int, orders: Double)] = []
        var delivery: [(nodes: Int, deliveries: Double)] = []
        for count in nodeCounts {
            try await PostgresStore.dropSchema(url: url, logger: logger)
            let store = try await PostgresStore.open(url: url, logger: logger)
            let key = try await store.withRunning { try await APIKeys.create(in: store, name: "bench-admin", scopes: [Scope.admin.rawValue]).1 }
            try await withTemporaryDirectory { directory in
                let set = try await NodeSet(
                    count: count,
                    database: url,
                    arguments: ["--availability-window-ms", String(availabilityWindowMs)],
                    directory: directory
                )
                defer { set.stopAll() }
                let hubs = set.urls.map { HubClient(baseURL: $0, apiKey: key) }
                say("nodes=\(count): \(set.urls.joined(separator: ", ")) on \(store.location)")
                let catalog = Catalog(scarce: 0, abundant: 10_000_000, prefix: "")
                try await catalog.seed(hubs[0]) { _ in }
                let runID = UInt64(Date().timeIntervalSince1970 * 1000)
                _ = await LoadDriver(hubs: hubs).run(
                    catalog.orders(count: min(200, orders), seed: runID, channel: "bench-warmup", scarceBias: 0),
                    concurrency: concurrency
                )
                let before = try await PostgresBaseline.counters(url: url, logger: logger)
                let result = await LoadDriver(hubs: hubs).run(
                    catalog.orders(count: orders, seed: runID + 1, channel: "bench", scarceBias: 0),
                    concurrency: concurrency
                ) { done, total in progressLine("nodes=\(count) intake: \(done)/\(total)") }
                endProgress()
                let after = try await PostgresBaseline.counters(url: url, logger: logger)
                let accepted = max(1, result.statuses[201] ?? 0)
                say(
                    String(
                        format: "intake nodes=%-2d c=%-3d %6d orders  %7.0f orders/s  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms",
                        count,
                        concurrency,
                        result.latencies.count,
                        result.throughput,
                        Percentiles.of(result.latencies, 50) * 1000,
                        Percentiles.of(result.latencies, 99) * 1000,
                        Percentiles.of(result.latencies, 100) * 1000
                    )
                )
                let statuses = result.statuses.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ")
                say("             statuses: \(statuses)\(result.errors > 0 ? ", \(result.errors) transport errors" : "")")
                func per(_ key: String) -> Double { Double((after[key] ?? 0) - (before[key] ?? 0)) / Double(accepted) }
                say(
                    String(
                        format: "             per order: %.1f WAL records, %.0f WAL bytes, %.2f transactions, %.1f rows inserted, %.1f rows updated",
                        per("wal_records"),
                        per("wal_bytes"),
                        per("xact_commit"),
                        per("tup_inserted"),
                        per("tup_updated")
                    )
                )
                intake.append((count, result.throughput))
                delivery.append((count, try await deliveries(store: store, hubs: hubs, nodes: count, logger: logger)))
            }
        }
        let inserts = try await PostgresBaseline.inserts(url: url, rows: max(2000, orders), concurrency: concurrency, logger: logger)
        say(
            String(
                format: "baseline: %d single-row insert transactions, %d at a time: %.0f commits/s",
                inserts.operations,
                concurrency,
                inserts.perSecond
            )
        )
        let claims = try await PostgresBaseline.claims(url: url, rows: max(2000, delivery.count * 2000), workers: 32, logger: logger)
        say(String(format: "baseline: bare SKIP LOCKED claim loop, 32 workers: %.0f claims/s", claims.perSecond))
        for (count, rate) in intake {
            say(String(format: "ratio intake nodes=%-2d %7.0f orders/s = %.2f× the single-row insert rate", count, rate, rate / inserts.perSecond))
        }
        for (count, rate) in delivery {
            say(String(format: "ratio delivery nodes=%-2d %7.0f deliveries/s = %.2f× the bare claim loop", count, rate, rate / claims.perSecond))
        }
        try await PostgresStore.dropSchema(url: url, logger: logger)
    }

    /// Appends events through `store` while the nodes deliver them to a loopback sink; returns deliveries per second.
    private func deliveries(store: PostgresStore, hubs: [HubClient], nodes: Int, logger: Logger) async throws -> Double {
        let options = delivery
        let sink = BenchSink(logger: logger)
        let secret = WebhookSigner.makeSecret()
        return try await withRunningServices([sink, store], logger: logger) {
            let subscriptions = options.subscriptions.split(separator: ",").compactMap { Int($0) }.first ?? 1
            for index in 0..<subscriptions {
                _ = try await subscribe(
                    hubs[index % hubs.count],
                    url: await sink.url(channel: "s\(index)"),
                    secret: secret,
                    maxInFlight: options.inFlight
                )
            }
            let count = max(1, min(options.events, options.maxDeliveries / subscriptions))
            let drafts = Self.benchEvents(count: count, subjects: options.subjects)
            let start = ContinuousClock.now
            var offset = 0
            while offset < drafts.count {
                var unit = UnitOfWork()
                unit.events = Array(drafts[offset..<min(offset + options.batch, drafts.count)])
                guard case .committed = try await store.commit(unit) else { throw BenchFailure(description: "appending events conflicted") }
                offset += unit.events.count
            }
            let pairs = count * subscriptions
            var last = sink.counters.firstReceipts
            var stalled = ContinuousClock.now
            while sink.counters.firstReceipts < pairs {
                if sink.counters.firstReceipts != last {
                    last = sink.counters.firstReceipts
                    stalled = .now
                } else if ContinuousClock.now - stalled > .seconds(30) {
                    say("delivery nodes=\(nodes): no progress for 30 s at \(last)/\(pairs)")
                    break
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            let seconds = LoadDriverSeconds.of(ContinuousClock.now - start)
            let rate = Double(sink.counters.firstReceipts) / seconds
            say(
                String(
                    format: "delivery nodes=%-2d s=%-3d %7d deliveries  %7.0f deliveries/s  (%d duplicates)",
                    nodes,
                    subscriptions,
                    sink.counters.firstReceipts,
                    rate,
                    sink.counters.duplicates
                )
            )
            return rate
        }
    }
}

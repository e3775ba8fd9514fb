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
import ServiceLifecycle
import Synchronization

/// Options of `crossdock bench --deliveries`.
struct DeliveryBenchOptions: ParsableArguments {
    @Option(help: "Events appended per subscription level (--deliveries).")
    var events: Int = 20000
    @Option(help: "Subscription counts, comma-separated (--deliveries).")
    var subscriptions: String = "1,10,100"
    @Option(help: "At most this many (subscription, event) deliveries per level: fewer events are appended at large levels.")
    var maxDeliveries: Int = 20_000
    @Option(help: "Events per appended transaction (--deliveries).")
    var batch: Int = 100
    @Option(help: "Distinct subjects (ordering keys) the events are spread over (--deliveries).")
    var subjects: Int = 1000
    @Option(help: "Append rate in events/s; 0 appends as fast as the store commits (--deliveries).")
    var appendRate: Double = 0
    @Option(
        help: """
            Concurrency of the plain load generator measuring the sink's ceiling, and maxInFlight asked per subscription \
            when the hub accepts subscription settings (--deliveries).
            """
    )
    var inFlight: Int = 32
    @Flag(help: "Have the sink verify webhook signatures (off: measure delivery, not HMAC).")
    var verifySignatures = false
}

extension Bench {
    /// The outcome of one subscription level.
    struct DeliveryLevel {
        var subscriptions: Int
        var events: Int
        var pairs: Int
        var received: Int
        var elapsed: Double
        var appendSeconds: Double
        var latencies: [Double]
        var requests: Int
        var duplicates: Int
        var counts: DeliveryCounts?
        var cpuSeconds: Double
        var body: [UInt8]

        var throughput: Double { Double(received) / max(elapsed, 1e-9) }
    }

    /// `crossdock bench --deliveries`: events per second delivered to a loopback sink, append → receipt latency, and
    /// the same sink's ceiling under a plain load generator.
    func runDeliveries() async throws {
        let options = delivery
        let levels = options.subscriptions.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !levels.isEmpty, levels.allSatisfy({ $0 > 0 }) else { throw ValidationError("--subscriptions takes positive integers, e.g. 1,10,100") }
        guard options.events > 0, options.batch > 0, options.subjects > 0, options.inFlight > 0, options.maxDeliveries > 0 else {
            throw ValidationError("--events, --batch, --subjects, --in-flight and --max-deliveries must be positive")
        }
        let logger = Logger(label: "crossdock.bench")
        var results: [DeliveryLevel] = []
        for level in levels {
            let events = max(1, min(options.events, options.maxDeliveries / level))
            let result = try await withTemporaryDirectory { directory in
                try await measureDeliveries(subscriptions: level, events: events, options: options, directory: directory, logger: logger)
            }
            results.append(result)
        }
        guard let body = results.first?.body else { return }
        let requests = results.map(\.pairs).max() ?? 0
        var ceilings: [(String, Double)] = []
        for (name, connections) in [("worker's client (HTTPClient.shared)", 0), ("\(options.inFlight) connections", options.inFlight)] {
            let (rate, cpu, failures) = try await measureCeiling(
                requests: requests,
                concurrency: options.inFlight,
                connections: connections,
                body: body,
                logger: logger
            )
            ceilings.append((name, rate))
            say(
                String(
                    format: "ceiling: %d POSTs of the same %d-byte body, %d at a time, %@: %7.0f requests/s  cpu %.0f µs per request%@",
                    requests,
                    body.count,
                    options.inFlight,
                    name,
                    rate,
                    cpu * 1e6,
                    failures > 0 ? ", \(failures) failed" : ""
                )
            )
        }
        let ceiling = ceilings[0].1
        for result in results {
            say(
                String(
                    format: "ratio s=%-3d %7.0f deliveries/s = %.2f× the ceiling (%.2f× the %d-connection ceiling)",
                    result.subscriptions,
                    result.throughput,
                    result.throughput / max(ceiling, 1e-9),
                    result.throughput / max(ceilings[1].1, 1e-9),
                    options.inFlight
                )
            )
        }
    }

    private func measureDeliveries(
        subscriptions level: Int,
        events count: Int,
        options: DeliveryBenchOptions,
        directory: URL,
        logger: Logger
    ) async throws -> DeliveryLevel {
        let secret = WebhookSigner.makeSecret()
        let sink = BenchSink(verifySecret: options.verifySignatures ? secret : nil, logger: logger)
        var configuration = Hub.Configuration()
        configuration.availability = nil
        // With `--db`, each level starts on that PostgreSQL database, emptied.
        let store = try await emptiedBenchStore(logger: logger)
        return try await LocalHub.with(directory: directory, store: store, configuration: configuration, logger: logger, extraServices: [sink]) {
            hub in
            let client = HubClient(baseURL: hub.baseURL, apiKey: hub.adminKey)
            var settingsAccepted = true
            for index in 0..<level {
                settingsAccepted = try await subscribe(
                    client,
                    url: await sink.url(channel: "s\(index)"),
                    secret: secret,
                    maxInFlight: settingsAccepted ? options.inFlight : nil
                )
            }
            let drafts = Self.benchEvents(count: count, subjects: options.subjects)
            let pairs = count * level
            say(
                "deliveries s=\(level): \(count) events × \(level) subscriptions = \(pairs) deliveries; payload \(drafts.first?.data.count ?? 0) bytes, "
                    + "\(options.subjects) subjects, batches of \(options.batch)"
                    + (settingsAccepted ? ", maxInFlight \(options.inFlight) per subscription" : ", default subscription settings")
            )
            let cpuBefore = processCPUSeconds()
            let writerBefore = (hub.store as? SQLiteStore)?.writerStatistics ?? WriterStatistics(transactions: 0, writes: 0, busy: .zero)
            let start = ContinuousClock.now
            var committed: [String: ContinuousClock.Instant] = [:]
            committed.reserveCapacity(count)
            var offset = 0
            while offset < drafts.count {
                if options.appendRate > 0 {
                    let due = start + .seconds(Double(offset) / options.appendRate)
                    if due > ContinuousClock.now { try await Task.sleep(until: due, clock: .continuous) }
                }
                var unit = UnitOfWork()
                unit.events = Array(drafts[offset..<min(offset + options.batch, drafts.count)])
                guard case .committed = try await hub.store.commit(unit) else { throw BenchFailure(description: "appending events conflicted") }
                let now = ContinuousClock.now
                for draft in unit.events { committed[draft.id] = now }
                offset += unit.events.count
            }
            let appendSeconds = LoadDriverSeconds.of(ContinuousClock.now - start)
            var lastProgress = ContinuousClock.now
            var lastCount = -1
            var stalledSince = ContinuousClock.now
            while true {
                let received = sink.counters.firstReceipts
                if received >= pairs { break }
                if received != lastCount {
                    lastCount = received
                    stalledSince = ContinuousClock.now
                } else if ContinuousClock.now - stalledSince > .seconds(30) {
                    endProgress()
                    say("deliveries s=\(level): no progress for 30 s at \(received)/\(pairs); reporting what arrived")
                    break
                }
                if ContinuousClock.now - lastProgress > .seconds(1) {
                    lastProgress = ContinuousClock.now
                    progressLine("deliveries s=\(level): \(received)/\(pairs)")
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            endProgress()
            let cpu = processCPUSeconds() - cpuBefore
            let writerAfter = (hub.store as? SQLiteStore)?.writerStatistics ?? WriterStatistics(transactions: 0, writes: 0, busy: .zero)
            let counters = sink.counters
            var latencies: [Double] = []
            latencies.reserveCapacity(pairs)
            var last = start
            for (_, receipts) in sink.receipts() {
                for (id, received) in receipts {
                    guard let appended = committed[id] else { continue }
                    latencies.append(LoadDriverSeconds.of(received - appended))
                    if received > last { last = received }
                }
            }
            // Let the worker record the last attempts before reading the counts.
            try await Task.sleep(for: .milliseconds(300))
            let counts = try? await hub.store.deliveryCounts()
            let body = try await Self.sampleBody(hub.store)
            let result = DeliveryLevel(
                subscriptions: level,
                events: count,
                pairs: pairs,
                received: latencies.count,
                elapsed: LoadDriverSeconds.of(last - start),
                appendSeconds: appendSeconds,
                latencies: latencies,
                requests: counters.requests,
                duplicates: counters.duplicates,
                counts: counts,
                cpuSeconds: cpu,
                body: body
            )
            say(
                String(
                    format: "delivery s=%-3d %7d deliveries  %7.0f deliveries/s  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  (appended in %.2f s)",
                    level,
                    result.received,
                    result.throughput,
                    Percentiles.of(latencies, 50) * 1000,
                    Percentiles.of(latencies, 99) * 1000,
                    Percentiles.of(latencies, 100) * 1000,
                    appendSeconds
                )
            )
            let transactions = writerAfter.transactions - writerBefore.transactions
            let writes = writerAfter.writes - writerBefore.writes
            // The single writer's figures exist on SQLite only; on PostgreSQL the CPU is this process's, not the server's.
            let writer =
                hub.store is SQLiteStore
                ? String(
                    format: "writer: %d transactions for %d writes, busy %.0f%%",
                    transactions,
                    writes,
                    LoadDriverSeconds.of(writerAfter.busy - writerBefore.busy) / max(result.elapsed, 1e-9) * 100
                )
                : "PostgreSQL server's CPU not counted"
            say(
                String(
                    format: "             sink: %d requests, %d duplicates; hub: %@; %@; cpu %.0f µs per delivery",
                    counters.requests,
                    counters.duplicates,
                    counts.map { "\($0.delivered) delivered, \($0.retries) retries, \($0.dead) dead, \($0.pending) pending" } ?? "counts unavailable",
                    writer,
                    cpu / Double(max(result.received, 1)) * 1e6
                )
            )
            return result
        }
    }

    /// Creates a subscription of every event type to `url`; returns whether the hub took `maxInFlight` (hubs without
    /// subscription settings reject the unknown member; the subscription is then created with default settings).
    func subscribe(_ client: HubClient, url: String, secret: String, maxInFlight: Int?) async throws -> Bool {
        struct Settings: Encodable { var maxInFlight: Int }
        struct NewSubscription: Encodable {
            var url: String
            var eventTypes: [String]
            var secret: String
            var settings: Settings?
        }
        if let maxInFlight {
            let answer = try await client.send(
                .POST,
                "/v1/subscriptions",
                json: NewSubscription(url: url, eventTypes: ["*"], secret: secret, settings: Settings(maxInFlight: maxInFlight))
            )
            if (200..<300).contains(answer.status) { return true }
        }
        try await client.expectSuccess(.POST, "/v1/subscriptions", json: NewSubscription(url: url, eventTypes: ["*"], secret: secret))
        return false
    }

    /// A stored event as the worker posts it (CloudEvents JSON), the body the ceiling generator sends.
    private static func sampleBody(_ store: any Store) async throws -> [UInt8] {
        guard let event = try await store.events(after: 0, limit: 1).first else { return [] }
        return Array(try JSONCoding.encoder().encode(event))
    }

    /// `count` `shipment.in_transit` events of about 400 bytes of payload over `subjects` shipments.
    static func benchEvents(count: Int, subjects: Int) -> [EventDraft] {
        struct Location: Encodable {
            var city: String
            var region: String
            var country: String
            var postalCode: String
            var facility: String
        }
        struct Package: Encodable {
            var packageId: String
            var trackingNumber: String
            var weightGrams: Int
        }
        struct InTransit: Encodable {
            var shipmentId: String
            var orderId: String
            var fulfillmentOrderId: String
            var warehouseId: String
            var carrier: String
            var service: String
            var milestone: String
            var description: String
            var location: Location
            var occurredAt: Date
            var estimatedDeliveryDate: String
            var packages: [Package]
        }
        let now = Date()
        return (0..<count).map { index in
            let shipment = String(format: "SHP-%07d", index % subjects)
            let order = String(format: "ORD-%07d", index % subjects)
            let payload = InTransit(
                shipmentId: shipment,
                orderId: order,
                fulfillmentOrderId: String(format: "FO-%07d-1", index % subjects),
                warehouseId: ["WH-EAST", "WH-WEST", "WH-CENTRAL"][index % 3],
                carrier: "sandbox-carrier",
                service: "ground",
                milestone: "in_transit",
                description: "Departed sort facility",
                location: Location(city: "Columbus", region: "OH", country: "US", postalCode: "43215", facility: "CMH-SORT-02"),
                occurredAt: now,
                estimatedDeliveryDate: "2026-03-14",
                packages: [
                    Package(packageId: shipment + "-P1", trackingNumber: String(format: "1ZBENCH%011d", index), weightGrams: 1840),
                    Package(packageId: shipment + "-P2", trackingNumber: String(format: "1ZBENCH%011d", index + count), weightGrams: 920),
                ]
            )
            return EventDraft(
                id: IDs.make(),
                type: .shipmentInTransit,
                subject: shipment,
                time: now,
                correlationID: order,
                causationID: nil,
                payload: payload
            )
        }
    }

    /// Posts `body` to a fresh sink `requests` times, `concurrency` at a time, with headers like the worker's. With
    /// `connections` 0 it uses `HTTPClient.shared`, the client the hub delivers with; otherwise a client allowing that
    /// many connections per host. Returns requests/s, process CPU seconds per request and failures.
    private func measureCeiling(
        requests: Int,
        concurrency: Int,
        connections: Int,
        body: [UInt8],
        logger: Logger
    ) async throws -> (rate: Double, cpuPerRequest: Double, failures: Int) {
        let sink = BenchSink(logger: logger)
        return try await withRunningServices([sink], logger: logger) {
            let url = await sink.url(channel: "ceiling")
            let client: HTTPClient
            if connections > 0 {
                var configuration = HTTPClient.Configuration.singletonConfiguration
                configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
                client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            } else {
                client = HTTPClient.shared
            }
            let ids = (0..<requests).map { _ in IDs.make() }
            let counters = CeilingCounters()
            let buffer = ByteBuffer(bytes: body)
            let cpuBefore = processCPUSeconds()
            let start = ContinuousClock.now
            await withDiscardingTaskGroup { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        while true {
                            let index = counters.next.add(1, ordering: .relaxed).oldValue
                            guard index < requests else { return }
                            var request = HTTPClientRequest(url: url)
                            request.method = .POST
                            request.headers.add(name: "content-type", value: "application/cloudevents+json")
                            request.headers.add(name: "user-agent", value: "crossdock-webhooks/1")
                            request.headers.add(name: "webhook-id", value: ids[index])
                            request.headers.add(name: "webhook-timestamp", value: String(Int(Date().timeIntervalSince1970)))
                            request.body = .bytes(buffer)
                            do {
                                let response = try await client.execute(request, timeout: .seconds(10))
                                _ = try await response.body.collect(upTo: 4096)
                                if !(200..<300).contains(response.status.code) { counters.failures.add(1, ordering: .relaxed) }
                            } catch {
                                counters.failures.add(1, ordering: .relaxed)
                            }
                        }
                    }
                }
            }
            let seconds = LoadDriverSeconds.of(ContinuousClock.now - start)
            let cpu = processCPUSeconds() - cpuBefore
            if connections > 0 { try await client.shutdown() }
            return (Double(requests) / max(seconds, 1e-9), cpu / Double(max(requests, 1)), counters.failures.load(ordering: .relaxed))
        }
    }
}

/// Shared counters of the ceiling generator's tasks.
private final class CeilingCounters: Sendable {
    let next = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
}

/// A benchmark that could not run.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String
}

/// User plus system CPU time of this process so far, in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

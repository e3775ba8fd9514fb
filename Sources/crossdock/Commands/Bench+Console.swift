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

/// Options of `crossdock bench --console`.
struct ConsoleBenchOptions: ParsableArguments {
    @Flag(
        help: """
            Measure what operations read instead of intake: seed --orders orders through the API, then time search, \
            the order trace and the KPI overview (API and console pages) by the hub's Server-Timing.
            """
    )
    var console = false
    @Option(help: "Requests per measured page (--console).")
    var samples: Int = 200
}

extension Bench {
    /// `bench --console`: a hub on a temporary SQLite file (or, with `--db`, one in-process node on that PostgreSQL
    /// database, emptied first) with one subscription (accepted orders, to a loopback sink), `--orders` orders placed
    /// through `POST /v1/orders`, then each read of the console and its API asked `--samples` times, one at a time,
    /// for random orders, once the KPI rollup has reached the log's head.
    func runConsole() async throws {
        guard orders > 0, consoleBench.samples > 0 else { throw ValidationError("--orders and --samples take positive integers") }
        let logger = Logger(label: "crossdock.bench")
        try await withTemporaryDirectory { directory in
            let store = try await emptiedBenchStore(logger: logger)
            var configuration = Hub.Configuration()
            configuration.availability = availabilityWindowMs > 0 ? .init(window: .milliseconds(availabilityWindowMs)) : nil
            let sink = BenchSink(logger: logger)
            try await LocalHub.with(directory: directory, store: store, configuration: configuration, logger: logger, extraServices: [sink]) { hub in
                say("hub: \(hub.baseURL) on \(hub.store.location)")
                // A warehouse's webhook for accepted orders: the overview's delivery figures then count real attempts.
                let client = HubClient(baseURL: hub.baseURL, apiKey: hub.adminKey)
                try await client.expectSuccess(
                    .POST,
                    "/v1/subscriptions",
                    json: BenchSubscription(url: await sink.url(channel: "accepted"), eventTypes: [EventType.orderAccepted.name])
                )
                let seeded = try await seedForConsole(hub)
                try await awaitRollup(hub)
                try await measureConsole(hub, orders: seeded)
            }
        }
    }

    /// With `--db postgres://…`, that database emptied and opened for one in-process node (its name must contain
    /// `bench`); nil for the temporary SQLite file.
    func emptiedBenchStore(logger: Logger) async throws -> (any Store)? {
        guard let db else { return nil }
        guard let name = URLComponents(string: db)?.path.dropFirst(), name.contains("bench") else {
            throw ValidationError("bench drops and recreates every table of the --db database: its name must contain 'bench'")
        }
        try await PostgresStore.dropSchema(url: db, logger: logger)
        return try await PostgresStore.open(url: db, logger: logger)
    }

    /// Places `--orders` orders (64 at a time); the ids of those created.
    private func seedForConsole(_ hub: LocalHub) async throws -> [String] {
        let client = HubClient(baseURL: hub.baseURL, apiKey: hub.adminKey)
        let catalog = Catalog(scarce: 0, abundant: 10_000_000, prefix: "")
        try await catalog.seed(client) { _ in }
        let requests = catalog.orders(count: orders, seed: UInt64(Date().timeIntervalSince1970), channel: "bench", scarceBias: 0)
        let start = ContinuousClock.now
        let result = await LoadDriver(hub: client).run(requests, concurrency: 64) { done, total in
            progressLine("seeding: \(done)/\(total) orders")
        }
        endProgress()
        let seconds = LoadDriverSeconds.of(ContinuousClock.now - start)
        let created = result.statuses[201] ?? 0
        say(
            String(
                format: "seeded %d orders in %.0f s (%.0f orders/s); rows: %@",
                created,
                seconds,
                Double(created) / seconds,
                try await rows(hub.store)
            )
        )
        guard created > 0 else { throw CleanExit.message("no order was created: \(result.statuses)") }
        return result.orderIDs
    }

    /// Waits until the KPI rollup has folded the log through its last event (as a hub does within a fraction of a
    /// second under steady load) and the subscription's backlog is delivered, so that the overview is timed as it runs
    /// day to day; says how long that took.
    private func awaitRollup(_ hub: LocalHub) async throws {
        let head = try await hub.store.lastSequence()
        let client = HubClient(baseURL: hub.baseURL, apiKey: hub.adminKey)
        let start = ContinuousClock.now
        var rolledUp: Duration?
        var delivered: Duration?
        while true {
            let answer = try await client.send(.GET, "/v1/kpis")
            guard answer.status == 200 else { throw CleanExit.message("/v1/kpis answered \(answer.status): \(answer.text.prefix(300))") }
            let report = try JSONDecoder().decode(RollupHead.self, from: Data(answer.body))
            if rolledUp == nil && report.rollup.position >= head { rolledUp = ContinuousClock.now - start }
            if delivered == nil && report.subscriptions.allSatisfy({ $0.backlog == 0 }) { delivered = ContinuousClock.now - start }
            if let rolledUp, let delivered {
                say(
                    String(
                        format: "after seeding: KPI rollup at the log's head (%lld) in %.1f s; backlog delivered in %.1f s (%d attempts)",
                        head,
                        LoadDriverSeconds.of(rolledUp),
                        LoadDriverSeconds.of(delivered),
                        report.deliveries.attempts
                    )
                )
                return
            }
            guard ContinuousClock.now - start < .seconds(600) else {
                throw CleanExit.message("after 10 minutes the KPI rollup stood at \(report.rollup.position) of \(head), or deliveries were pending")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    private func rows(_ store: any Store) async throws -> String {
        let counts = try await store.rowCounts()
        return ["orders", "events", "fulfillment_orders"].map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: ", ")
    }

    /// Times each read `--samples` times for random seeded orders and prints server time (Server-Timing) and the
    /// client's time per page.
    private func measureConsole(_ hub: LocalHub, orders: [String]) async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            let cookie = try await signIn(http, hub)
            let bearer = ["authorization": "Bearer \(hub.adminKey)"]
            let session = ["cookie": cookie]
            var random = SystemRandomNumberGenerator()
            let picks = (0..<consoleBench.samples).map { _ in orders.randomElement(using: &random)! }
            // Each order's PO number, from its trace (the key an operator searches by).
            var poNumbers: [String] = []
            for id in picks {
                let answer = try await get(http, hub.baseURL + "/v1/orders/\(id)/trace", bearer)
                if let po = try? JSONDecoder().decode(TraceHead.self, from: Data(answer.body)).customerPo { poNumbers.append(po) }
            }
            guard !poNumbers.isEmpty else { throw CleanExit.message("no PO number came back from the traces") }
            say("page                       requests   server p50   server p99   server max   client p99")
            let pages: [(String, [String], [String: String])] = [
                ("GET /v1/search?q=PO", poNumbers.map { "/v1/search?q=\($0)" }, bearer),
                ("GET /v1/search?q=order", picks.map { "/v1/search?q=\($0)" }, bearer),
                ("GET /v1/orders/{id}/trace", picks.map { "/v1/orders/\($0)/trace" }, bearer),
                ("GET /v1/kpis (24 h)", Array(repeating: "/v1/kpis", count: consoleBench.samples), bearer),
                ("GET /console/search?q=PO", poNumbers.map { "/console/search?q=\($0)" }, session),
                ("GET /console/orders/{id}", picks.map { "/console/orders/\($0)" }, session),
                ("GET /console (24 h)", Array(repeating: "/console", count: consoleBench.samples), session),
            ]
            for (name, paths, headers) in pages {
                var server: [Double] = []
                var client: [Double] = []
                for path in paths {
                    let start = ContinuousClock.now
                    let answer = try await get(http, hub.baseURL + path, headers)
                    client.append(LoadDriverSeconds.of(ContinuousClock.now - start))
                    guard answer.status == 200 else { throw CleanExit.message("\(path) answered \(answer.status): \(answer.text.prefix(300))") }
                    guard let timing = answer.serverSeconds else { throw CleanExit.message("\(path) answered without Server-Timing") }
                    server.append(timing)
                }
                say(
                    String(
                        format: "%@ %8d   %7.1f ms   %7.1f ms   %7.1f ms   %7.1f ms",
                        name.padding(toLength: 26, withPad: " ", startingAt: 0),
                        paths.count,
                        Percentiles.of(server, 50) * 1000,
                        Percentiles.of(server, 99) * 1000,
                        Percentiles.of(server, 100) * 1000,
                        Percentiles.of(client, 99) * 1000
                    )
                )
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    /// Signs in to the console with the admin key as a browser would; the session cookie.
    private func signIn(_ http: HTTPClient, _ hub: LocalHub) async throws -> String {
        var request = HTTPClientRequest(url: hub.baseURL + "/console/sign-in")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "key=" + (hub.adminKey.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")))
        let response = try await http.execute(request, timeout: .seconds(30))
        guard let cookie = response.headers["set-cookie"].first?.split(separator: ";").first else {
            throw CleanExit.message("the console sign-in answered \(response.status.code) without a session cookie")
        }
        return String(cookie)
    }

    private func get(_ http: HTTPClient, _ url: String, _ headers: [String: String]) async throws -> TimedAnswer {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await http.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 64 << 20)
        return TimedAnswer(status: Int(response.status.code), body: Array(body.readableBytesView), headers: response.headers)
    }
}

/// An answer with its `Server-Timing`.
private struct TimedAnswer {
    var status: Int
    var body: [UInt8]
    var headers: HTTPHeaders
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The `app;dur=` of `Server-Timing`, in seconds.
    var serverSeconds: Double? {
        guard let value = headers["server-timing"].first, let range = value.range(of: "dur=") else { return nil }
        return Double(value[range.upperBound...].prefix { $0 != ";" && $0 != "," }).map { $0 / 1000 }
    }
}

/// A subscription the console bench makes.
private struct BenchSubscription: Encodable {
    var url: String
    var eventTypes: [String]
    var secret = WebhookSigner.makeSecret()
}

/// The part of a KPI report the bench reads.
private struct RollupHead: Decodable {
    struct Rollup: Decodable { var position: Int64 }
    struct Deliveries: Decodable { var attempts: Int }
    struct Backlog: Decodable { var backlog: Int }
    var rollup: Rollup
    var deliveries: Deliveries
    var subscriptions: [Backlog]
}

/// The part of an order trace the bench reads.
private struct TraceHead: Decodable {
    var customerPo: String?
}

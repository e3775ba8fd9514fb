import CrossdockDomain
import CrossdockEngine
import CrossdockSandbox
import CrossdockStore
import CrossdockTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The alerting rules shipped in `ops/prometheus` watch metrics the hub really exposes, and the exception gauges count
/// what is open. (`scripts/alert-rules.sh` runs `promtool check rules` and `promtool test rules` on the same file.)
@Suite struct AlertRulesTests {
    static let rulesFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ops/prometheus/crossdock-alerts.yml")

    /// The metric names the rules' expressions use, with a histogram's `_bucket` series named by its histogram.
    static func ruleMetrics() throws -> Set<String> {
        let text = try String(contentsOf: rulesFile, encoding: .utf8)
        let expressions = text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("expr:") }
        var names = Set<String>()
        for line in expressions {
            for match in line.matches(of: /crossdock_[a-z_]+/) { names.insert(String(match.output)) }
        }
        return names
    }

    @Test func everyMetricTheRulesWatchIsOnTheHubsMetricsPage() async throws {
        let names = try Self.ruleMetrics()
        #expect(names.count >= 6, "\(names)")
        let receiver = TestReceiver(mode: .refuse)
        try await withReceiver(receiver) { url in
            let database = try await TestDatabase()
            defer { database.remove() }
            // The availability feed on (the test hub turns it off by default), for the sync-lag rule.
            let process = try await HubProcess(database: database.url, arguments: ["--retry-base-ms", "20", "--availability-window-ms", "50"])
            let hub = HubClient(baseURL: process.baseURL, apiKey: try #require(process.bootstrapKey))
            _ = try await DispatcherTests().subscribe(hub, url, receiver, types: ["*"])
            try await hub.expectSuccess(
                .PUT,
                "/v1/warehouses/WH-A",
                json: ["name": "A", "region": "US-NY", "priority": 1] as [String: DispatcherTests.AnyEncodable]
            )
            // Stock moves, so the availability publisher records a sync lag.
            try await hub.expectSuccess(.PUT, "/v1/products/SKU-A", json: ["description": "A"] as [String: DispatcherTests.AnyEncodable])
            try await hub.expectSuccess(
                .POST,
                "/v1/inventory/adjustments",
                json: ["warehouseId": "WH-A", "sku": "SKU-A", "quantity": 5, "reason": "cycle_count"] as [String: DispatcherTests.AnyEncodable]
            )
            // Delivery gauges appear once the worker has tried the subscription; the exception gauges at start-up.
            let exposed = try await eventually(timeout: .seconds(90)) {
                let text = try await hub.send(.GET, "/metrics").text
                return names.allSatisfy { text.contains("\n\($0){") || text.contains("\n\($0) ") }
            }
            let text = try await hub.send(.GET, "/metrics").text
            for name in names {
                #expect(text.contains("\n\(name){") || text.contains("\n\(name) "), "\(name), used by the alerting rules, is not on /metrics")
            }
            #expect(exposed)
            for kind in OperationsException.Kind.allCases {
                #expect(text.contains("crossdock_exceptions_open{kind=\"\(kind.rawValue)\"} 0"), "every kind is reported, at 0 when none is open")
            }
            #expect(try await process.stop(SIGTERM) == 0)
        }
    }

    @Test func theGaugesCountOpenExceptionsByKindAndAgeTheOldest() async throws {
        try await withHub { _, database, _ in
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            var unit = UnitOfWork()
            unit.exceptions = [
                .init(
                    OperationsException(id: "X-1", kind: .shipmentSilent, detail: "no scan", orderID: "O-1", openedAt: start),
                    expectedVersion: nil
                ),
                .init(
                    OperationsException(id: "X-2", kind: .shipmentSilent, detail: "no scan", orderID: "O-2", openedAt: start.addingTimeInterval(600)),
                    expectedVersion: nil
                ),
                .init(
                    OperationsException(id: "X-3", kind: .priceMismatch, detail: "price", orderID: "O-3", openedAt: start.addingTimeInterval(900)),
                    expectedVersion: nil
                ),
            ]
            guard case .committed = try await database.store.commit(unit) else { throw TestFailure("exceptions not stored") }
            var resolved = OperationsException(
                id: "X-3",
                kind: .priceMismatch,
                detail: "price",
                orderID: "O-3",
                openedAt: start.addingTimeInterval(900)
            )
            let gauges = ExceptionGauges(store: database.store, now: { start.addingTimeInterval(3600) })
            let figures = try await gauges.step()
            #expect(figures[.shipmentSilent] == .init(open: 2, oldestAgeSeconds: 3600))
            #expect(figures[.priceMismatch] == .init(open: 1, oldestAgeSeconds: 2700))
            #expect(figures[.ediRejected] == .init(open: 0, oldestAgeSeconds: 0))
            #expect(figures.count == OperationsException.Kind.allCases.count)

            resolved.status = .resolved
            resolved.resolution = .acknowledge
            resolved.resolvedAt = start.addingTimeInterval(1000)
            resolved.version = 2
            var resolve = UnitOfWork()
            resolve.exceptions = [.init(resolved, expectedVersion: 1)]
            guard case .committed = try await database.store.commit(resolve) else { throw TestFailure("resolution not stored") }
            let after = try await gauges.step()
            #expect(after[.priceMismatch] == .init(open: 0, oldestAgeSeconds: 0), "a resolved exception leaves the gauges")
            #expect(after[.shipmentSilent]?.open == 2)
        }
    }
}

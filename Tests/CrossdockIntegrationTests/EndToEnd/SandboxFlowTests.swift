import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import Foundation
import Logging
import NIOHTTP1
import ServiceLifecycle
import Testing

/// The whole foundation path over real loopback HTTP: intake → release → webhook to the sandbox WMS →
/// picked/shipped reported back through the public API.
@Suite struct SandboxFlowTests {
    @Test func ordersTravelToTheSandboxWarehouseAndBack() async throws {
        var configuration = CrossdockHTTPConfiguration.fastRetries
        configuration.port = 0
        try await withLiveHub(configuration: configuration) { baseURL, adminKey, database in
            let admin = HubClient(baseURL: baseURL, apiKey: adminKey)
            let (_, wmsKey) = try await APIKeys.create(in: database.store, name: "wms", scopes: ["fulfillment:write"], partner: "sandbox-wms")
            let wms = SandboxWMS(
                hubURL: baseURL,
                apiKey: wmsKey,
                configuration: .init(pickDelay: .milliseconds(20), shipDelay: .milliseconds(20), failureRate: 0.2)
            )
            let wmsGroup = ServiceGroup(configuration: .init(services: [wms], logger: Logger(label: "wms")))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await wmsGroup.run() }
                try await wms.subscribe(through: admin)

                let requests = Catalog().orders(count: 30, seed: 7, scarceBias: 0)
                let result = await LoadDriver(hub: admin).run(requests, concurrency: 10)
                #expect(result.statuses[201] == 30)

                let settled = try await eventually(timeout: .seconds(60)) {
                    let page = try await database.store.orders(OrderQuery(limit: 100))
                    return page.orders.count == 30 && page.orders.allSatisfy(\.isSettled)
                }
                #expect(settled)
                let orders = try await database.store.orders(OrderQuery(limit: 100)).orders
                let released = orders.filter { !$0.fulfillmentOrderIDs.isEmpty }
                #expect(!released.isEmpty)
                for order in released {
                    let backordered = order.lines.contains { $0.backordered > 0 }
                    #expect(order.status == (backordered ? .partiallyShipped : .shipped), "order \(order.id) is \(order.status)")
                    #expect(order.lines.allSatisfy { $0.shipped + $0.open == $0.quantity }, "every released unit shipped")
                    let shipments = try await database.store.shipments(orderID: order.id)
                    #expect(!shipments.isEmpty)
                    #expect(order.lines.allSatisfy { $0.isBalanced && $0.released == 0 })
                }
                let stats = wms.stats
                #expect(stats.webhooks.badSignatures == 0)
                #expect(stats.webhooks.refused > 0, "the sandbox refused some webhooks, so retries happened")
                _ = try await eventually(timeout: .seconds(10)) { try await database.store.deliveryCounts().pending == 0 }
                let counts = try await database.store.deliveryCounts()
                #expect(counts.pending == 0 && counts.dead == 0)
                #expect(counts.delivered == released.reduce(0) { $0 + $1.fulfillmentOrderIDs.count })
                #expect(counts.retries >= stats.webhooks.refused)
                await wmsGroup.triggerGracefulShutdown()
            }
        }
    }
}

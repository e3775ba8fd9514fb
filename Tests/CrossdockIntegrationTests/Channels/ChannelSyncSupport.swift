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

/// A hub on loopback with a WMS, a carrier, a Shopify shop and a Salesforce org, the two channels subscribed to their
/// order updates and catalogue.
struct ChannelWorld: Sendable {
    let admin: HubClient
    let store: any Store
    let storefront: SandboxStorefront
    let crm: SandboxCRM
    let catalog: Catalog

    /// Runs `body` with the partners running; `shopDown` starts with the shop's Admin API down.
    static func with(
        shopOrders: Int = 3,
        crmOrders: Int = 2,
        pickDelay: Duration = .milliseconds(20),
        _ body: @Sendable (ChannelWorld) async throws -> Void
    ) async throws {
        let catalog = {
            var catalog = Catalog()
            catalog.taxRates["US-PA"] = 60_000
            return catalog
        }()
        var configuration = CrossdockHTTPConfiguration.fastRetries
        configuration.port = 0
        configuration.availability = .init(window: .milliseconds(20))
        try await withLiveHub(catalog: catalog, configuration: configuration) { baseURL, adminKey, database in
            let admin = HubClient(baseURL: baseURL, apiKey: adminKey)
            func key(_ partner: String, _ scopes: [String]) async throws -> String {
                try await APIKeys.create(in: database.store, name: partner, scopes: scopes, partner: partner).1
            }
            let wms = SandboxWMS(
                hubURL: baseURL,
                apiKey: try await key("sandbox-wms", ["fulfillment:write", "orders:read"]),
                configuration: .init(pickDelay: pickDelay, shipDelay: .milliseconds(20), cancelAcceptRate: 1)
            )
            let carrier = SandboxCarrier(
                hubURL: baseURL,
                apiKey: try await key("carrier", ["fulfillment:write"]),
                configuration: .init(stepDelay: .milliseconds(5), lossRate: 0, damageRate: 0, returnRate: 0)
            )
            let world = ChannelWorld(
                admin: admin,
                store: database.store,
                storefront: SandboxStorefront(hubURL: baseURL, configuration: .init(orders: shopOrders, redeliveries: 0)),
                crm: SandboxCRM(hubURL: baseURL, configuration: .init(orders: crmOrders)),
                catalog: catalog
            )
            let group = ServiceGroup(
                configuration: .init(services: [wms, carrier, world.storefront, world.crm], logger: Logger(label: "partners"))
            )
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                do {
                    _ = try await wms.subscribe(through: admin)
                    _ = try await carrier.subscribe(through: admin)
                    try await world.storefront.register(through: admin, catalog: catalog)
                    try await world.crm.register(through: admin, catalog: catalog)
                    try await world.storefront.subscribe(through: admin, priceListID: catalog.priceList.id)
                    try await world.crm.subscribe(through: admin)
                    try await body(world)
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
            }
        }
    }

    /// Places the shop's and the org's orders.
    func placeOrders() async {
        async let shop = storefront.placeOrders(from: catalog)
        async let org = crm.pushOrders(from: catalog)
        _ = await (shop, org)
    }

    /// Every order final, every order update published and fanned out, nothing left to deliver.
    func isSettled() async throws -> Bool {
        let orders = try await store.orders(OrderQuery(limit: 500)).orders
        guard !orders.isEmpty, orders.allSatisfy(\.status.isTerminal) else { return false }
        return try await isQuiet()
    }

    /// Every order update published, every event fanned out to every subscription, nothing left to deliver (orders
    /// may still be open).
    func isQuiet() async throws -> Bool {
        let last = try await store.lastSequence()
        guard try await store.connectorCursor(ChannelOutbound.cursorName) >= last else { return false }
        guard try await store.subscriptions().allSatisfy({ $0.cursor >= last }) else { return false }
        return try await store.deliveryCounts().pending == 0
    }

    /// Every difference between the channels' copies and the hub's orders, one line per order.
    func mirrorDifferences() async throws -> [String] {
        var differences: [String] = []
        let shop = storefront.records
        let org = crm.crm
        for order in try await store.orders(OrderQuery(limit: 500)).orders where order.channelRef != nil {
            let shipments = try await store.shipments(orderID: order.id)
            let memos = try await store.creditMemos(orderID: order.id)
            let found: [String]
            switch order.channel {
            case "shopify":
                let id = Int64(order.externalID.split(separator: ":").last ?? "") ?? 0
                found = ChannelMirror.shopDifferences(order: order, shipments: shipments, creditMemos: memos, shop: shop.orders[id])
            case "salesforce":
                found = ChannelMirror.crmDifferences(order: order, shipments: shipments, creditMemos: memos, crm: org)
            default:
                found = []
            }
            if !found.isEmpty { differences.append("\(order.channel) \(order.id) \(order.status.rawValue): \(found.joined(separator: "; "))") }
        }
        return differences
    }

    /// Authorises and receives a return of one unit of `line` (restocked): a credit memo follows.
    func takeReturn(_ order: SalesOrder, line: Int) async throws {
        struct Line: Encodable {
            var lineNo: Int
            var quantity = 1
            var reason: String?
            var condition: String?
        }
        struct Request: Encodable {
            var orderId: String
            var lines: [Line]
        }
        struct Receipt: Encodable { var lines: [Line] }
        struct Created: Decodable { var id: String }
        let created = try await admin.expectSuccess(
            .POST,
            "/v1/returns",
            json: Request(orderId: order.id, lines: [Line(lineNo: line, reason: "damaged")])
        )
        let rma = try JSONDecoder().decode(Created.self, from: Data(created.body))
        _ = try await admin.expectSuccess(.POST, "/v1/returns/\(rma.id)/receipts", json: Receipt(lines: [Line(lineNo: line, condition: "restock")]))
    }
}

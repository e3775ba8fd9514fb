import CrossdockDomain
import CrossdockEngine
import CrossdockSandbox
import CrossdockStore
import Foundation
import NIOHTTP1
import Testing

/// Availability, products, prices and credit standing out to the channels, and the pull feed for portals that poll.
@Suite("Channel sync: catalogue and feed", .serialized)
struct CatalogSyncTests {
    @Test func availabilityProductsPricesAndCreditReachTheChannels() async throws {
        try await ChannelWorld.with(shopOrders: 0, crmOrders: 0) { world in
            // Stock seeded at start is published per SKU; the shop's levels follow the hub's ATP per location.
            let published = try await eventually(timeout: .seconds(60)) {
                guard try await levelDifferences(world).isEmpty else { return false }
                return try await world.isQuiet()
            }
            #expect(published)
            try await world.admin.expectSuccess(
                .POST,
                "/v1/inventory/adjustments",
                json: Adjustment(warehouseId: "WH-EAST", sku: "SKU-0012", quantity: -7, reason: "cycle_count")
            )
            let followed = try await eventually(timeout: .seconds(60)) {
                guard try await levelDifferences(world).isEmpty else { return false }
                return try await world.isQuiet()
            }
            #expect(followed)
            let differences = try await levelDifferences(world)
            #expect(differences.isEmpty, "\(differences)")
            let lags = world.storefront.records.counters.availabilityLagsMs
            #expect(!lags.isEmpty && lags.allSatisfy { $0 >= 0 })

            // A product change and a price change reach the shop's product and the org's Product2 and price book.
            var product = try #require(world.catalog.products.first { $0.sku == "SKU-0002" })
            product.description = "Item 2, now in blue"
            product.units = [Product.Unit(code: "CA", quantity: 6)]
            try await world.admin.expectSuccess(.PUT, "/v1/products/SKU-0002", json: product)
            var list = world.catalog.priceList
            for index in list.entries.indices where list.entries[index].sku == "SKU-0002" { list.entries[index].unitPrice += 100 }
            let tomorrow = JSONCoding.businessDay(Date().addingTimeInterval(86_400))
            list.entries.append(.init(sku: "SKU-0003", unitPrice: 1, validFrom: tomorrow))
            try await world.admin.expectSuccess(.PUT, "/v1/price-lists/\(list.id)", json: list)
            let price = try #require(list.unitPrice(sku: "SKU-0002", quantity: 1, on: JSONCoding.businessDay(Date()))).minorUnits
            let oldSKU3 = try #require(world.catalog.priceList.unitPrice(sku: "SKU-0003", quantity: 1)).minorUnits
            #expect(
                try await eventually(timeout: .seconds(60)) {
                    let shop = world.storefront.records.products
                    let org = world.crm.crm
                    return shop["SKU-0002"]?.title == "Item 2, now in blue" && shop["SKU-0002"]?.price == price
                        && shop["SKU-0003"]?.price == oldSKU3 && org.priceBook["PL-STD:SKU-0002"]?.unitPrice == price
                        && org.priceBook["PL-STD:SKU-0003"]?.unitPrice == oldSKU3 && org.products["SKU-0002"]?.name == "Item 2, now in blue"
                }
            )
            #expect(world.crm.crm.priceBook["PL-STD:SKU-0004"] == nil, "only SKUs whose prices changed are sent")

            // Credit hold on, then off: the org's account follows.
            var customer = try #require(world.catalog.customers.first { $0.id == "CUST-002" })
            customer.creditHold = .init(reason: "cheque bounced")
            try await world.admin.expectSuccess(.PUT, "/v1/customers/CUST-002", json: customer)
            #expect(try await eventually { world.crm.crm.accounts["CUST-002"]?.creditHold == true })
            #expect(world.crm.crm.accounts["CUST-002"]?.creditHoldReason == "cheque bounced")
            customer.creditHold = nil
            try await world.admin.expectSuccess(.PUT, "/v1/customers/CUST-002", json: customer)
            #expect(try await eventually { world.crm.crm.accounts["CUST-002"]?.creditHold == false })
            #expect(world.crm.crm.counters.refusals.isEmpty && world.storefront.records.counters.refusals.isEmpty)
        }
    }

    @Test func thePullFeedServesASnapshotThenTheChangesAfterItsCursor() async throws {
        try await ChannelWorld.with(shopOrders: 0, crmOrders: 0) { world in
            // The snapshot's cursor is taken once the hub's start-up work (the first availability it publishes) is in
            // the log: on a loaded machine that work can land after a snapshot taken at once, and would then come
            // back as deltas of SKUs that "did not change".
            #expect(try await eventually(timeout: .seconds(60)) { try await world.isQuiet() })
            let first = try await page(world, "/v1/feeds/catalog?priceList=PL-STD&limit=20")
            #expect(first.kind == "snapshot" && first.items.count == 20 && first.more && first.next == "SKU-0020")
            let second = try await page(world, "/v1/feeds/catalog?priceList=PL-STD&limit=40&startAfter=SKU-0020")
            #expect(second.items.count == 30 && !second.more && second.items.first?.sku == "SKU-0021")
            let item = try #require(first.items.first { $0.sku == "SKU-0005" })
            let balances = try await world.store.balances(sku: "SKU-0005")
            #expect(item.availableToPromise == balances.reduce(0) { $0 + $1.availableToPromise })
            #expect(item.units == [Product.Unit(code: "CA", quantity: 12)])
            #expect(item.price?.source == "price_list:PL-STD" && item.price?.breaks.map(\.minQuantity) == [1, 50])

            // A change after the cursor comes back as a delta with the SKU as it stands; nothing else.
            try await world.admin.expectSuccess(
                .POST,
                "/v1/inventory/adjustments",
                json: Adjustment(warehouseId: "WH-WEST", sku: "SKU-0031", quantity: 5, reason: "receipt")
            )
            #expect(try await eventually { try await world.isQuiet() })
            let cursor = first.cursor
            let seen = try await eventually(timeout: .seconds(30)) {
                let delta = try await page(world, "/v1/feeds/catalog?priceList=PL-STD&after=\(cursor)&limit=5000")
                guard delta.kind == "delta", !delta.more, let item = delta.items.first(where: { $0.sku == "SKU-0031" }) else { return false }
                let balances = try await world.store.balances(sku: "SKU-0031")
                return item.availableToPromise == balances.reduce(0) { $0 + $1.availableToPromise }
            }
            #expect(seen, "the adjusted SKU comes back after the snapshot's cursor with its new figures")
            let unchanged = try await page(world, "/v1/feeds/catalog?priceList=PL-STD&after=\(cursor)&limit=5000")
            #expect(!unchanged.items.contains { $0.sku == "SKU-0032" }, "a SKU that did not change is not in the deltas")
            let latest = unchanged.cursor

            // A customer's feed prices with its contract first.
            var customer = try #require(world.catalog.customers.first { $0.id == "CUST-003" })
            customer.contracts = [PriceContract(id: "K-3", currency: .usd, entries: [.init(sku: "SKU-0006", unitPrice: 111)])]
            try await world.admin.expectSuccess(.PUT, "/v1/customers/CUST-003", json: customer)
            let priced = try await page(world, "/v1/feeds/catalog?customer=CUST-003&after=\(latest)")
            let contracted = try #require(priced.items.first { $0.sku == "SKU-0006" }, "the contract's SKU changed for the customer")
            #expect(contracted.price?.unitPrice == Money(111, .usd) && contracted.price?.source == "contract:K-3")

            for (query, field) in [
                ("after=x", "after"), ("priceList=PL-STD&customer=CUST-1", "customer"), ("limit=0", "limit"), ("after=1&startAfter=A", "startAfter"),
            ] {
                let answer = try await world.admin.send(.GET, "/v1/feeds/catalog?\(query)")
                #expect(answer.status == 400 && answer.text.contains("\"field\":\"\(field)\""), "\(query): \(answer.text)")
            }
            #expect(try await world.admin.send(.GET, "/v1/feeds/catalog?priceList=NOPE").status == 404)
        }
    }

    struct Adjustment: Encodable {
        var warehouseId: String
        var sku: String
        var quantity: Int
        var reason: String
    }

    func page(_ world: ChannelWorld, _ path: String) async throws -> CatalogFeed.Page {
        let answer = try await world.admin.send(.GET, path)
        #expect(answer.status == 200, "\(answer.text)")
        return try JSONCoding.decoder().decode(CatalogFeed.Page.self, from: Data(answer.body))
    }

    /// Every (SKU, location) whose level at the shop differs from the hub's available to promise.
    func levelDifferences(_ world: ChannelWorld) async throws -> [String] {
        let shop = world.storefront.records.products
        var differences: [String] = []
        for balance in try await world.store.allBalances() {
            guard let location = SandboxStorefront.locations[balance.warehouseID] else { continue }
            let shown = shop[balance.sku]?.available[location]
            if shown != balance.availableToPromise {
                differences.append("\(balance.sku)@\(balance.warehouseID) shop \(shown.map(String.init) ?? "none") hub \(balance.availableToPromise)")
            }
        }
        return differences
    }
}

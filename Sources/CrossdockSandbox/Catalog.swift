import CrossdockDomain
import Foundation
import NIOHTTP1

/// Seeded master data for the demo, the benchmark and tests: warehouses, SKUs (every fifth also sold by the case of
/// 12), a price list, tax rates, customers (one on credit hold, one near its limit) and stock (scarce for a few SKUs).
public struct Catalog: Sendable {
    public var warehouses: [Warehouse]
    public var products: [Product]
    public var priceList: PriceList
    public var taxRates: [String: Int64]
    public var customers: [Customer]
    /// Initial on-hand per (warehouse, sku).
    public var stock: [InventoryBalance]
    /// SKUs with little stock.
    public var scarceSKUs: [String]
    /// SKUs that no random or partner order asks for (a demo keeps one for a scripted case).
    public var unorderedSKUs: Set<String> = []
    /// Legal entities, seeded before the customers (see ``addEuropeanEntity(accounts:)``).
    public var legalEntities: [LegalEntity] = []
    /// Price lists besides ``priceList`` (another entity's, in its currency).
    public var otherPriceLists: [PriceList] = []
    /// Accounts of other legal entities: seeded, but not among ``customers``, whom the channels and random orders
    /// use (ask ``orders(count:seed:channel:scarceBias:from:)`` for theirs).
    public var otherCustomers: [Customer] = []

    /// The products random and partner orders may ask for: all but ``unorderedSKUs``.
    public var orderableProducts: [Product] { unorderedSKUs.isEmpty ? products : products.filter { !unorderedSKUs.contains($0.sku) } }
    /// The customer on credit hold.
    public var heldCustomerID: String
    /// The customer near its credit limit.
    public var nearLimitCustomerID: String

    /// Builds the catalog.
    /// - Parameters:
    ///   - skus: number of SKUs.
    ///   - customers: number of customers.
    ///   - scarce: how many SKUs get scarce stock.
    ///   - abundant: units per warehouse of the other SKUs.
    ///   - prefix: prefix of every id, so several catalogs can share a hub.
    public init(skus: Int = 50, customers customerCount: Int = 20, scarce: Int = 4, abundant: Int = 400, prefix: String = "") {
        let regions = ["US-NY", "US-IL", "US-CA", "US-TX", "US-WA"]
        warehouses = [
            Warehouse(id: "\(prefix)WH-EAST", name: "Newark DC", region: "US-NY", priority: 1),
            Warehouse(id: "\(prefix)WH-CENTRAL", name: "Joliet DC", region: "US-IL", priority: 2),
            Warehouse(id: "\(prefix)WH-WEST", name: "Ontario CA 3PL", region: "US-CA", priority: 3),
        ]
        products = (1...skus).map { index in
            let sku = "\(prefix)SKU-\(String(format: "%04d", index))"
            let substitute =
                index % 10 == 1 && index + 1 <= skus
                ? [Product.Substitute(sku: "\(prefix)SKU-\(String(format: "%04d", index + 1))", priority: 1)] : []
            // Every fifth item is also sold by the case of 12.
            return Product(
                sku: sku,
                description: "Item \(index)",
                unitOfMeasure: "EA",
                gtin: String(format: "0001234%05d", index),
                substitutes: substitute,
                units: index % 5 == 0 ? [Product.Unit(code: "CA", quantity: 12)] : []
            )
        }
        let currency = Currency.usd
        priceList = PriceList(
            id: "\(prefix)PL-STD",
            currency: currency,
            entries: products.enumerated().flatMap { index, product in
                let price = Int64(499 + (index * 137) % 9000)
                return [
                    PriceList.Entry(sku: product.sku, minQuantity: 1, unitPrice: price),
                    PriceList.Entry(sku: product.sku, minQuantity: 50, unitPrice: price * 95 / 100),
                ]
            }
        )
        taxRates = ["US-NY": 88_750, "US-IL": 62_500, "US-CA": 72_500, "US-TX": 62_500, "US-WA": 65_000]
        heldCustomerID = "\(prefix)CUST-013"
        nearLimitCustomerID = "\(prefix)CUST-007"
        customers = (1...customerCount).map { index in
            let id = "\(prefix)CUST-\(String(format: "%03d", index))"
            let region = regions[index % regions.count]
            let address = Address(
                name: "Customer \(index) Receiving",
                lines: ["\(100 + index) Commerce Way"],
                city: "City \(index)",
                region: region,
                postalCode: String(format: "%05d", 10000 + index * 37),
                country: "US"
            )
            var customer = Customer(
                id: id,
                name: "Customer \(index) Supply Co",
                creditLimit: Money(5_000_000_00, currency),
                openBalance: Money(Int64(index) * 10_000_00, currency),
                paymentTerms: .init(code: "NET30", netDays: 30),
                billTo: address,
                shipTo: [ShipTo(code: "ST-\(index)-1", address: address)],
                priceListID: "\(prefix)PL-STD",
                shipPolicy: index % 4 == 0 ? .shipComplete : .shipPartial
            )
            if id == "\(prefix)CUST-013" { customer.creditHold = .init(reason: "invoices 60 days past due") }
            if id == "\(prefix)CUST-007" {
                customer.creditLimit = Money(2_500_00, currency)
                customer.openBalance = Money(1_000_00, currency)
            }
            return customer
        }
        scarceSKUs = products.prefix(scarce).map(\.sku)
        var stock: [InventoryBalance] = []
        for (index, product) in products.enumerated() {
            for (w, warehouse) in warehouses.enumerated() {
                let units = index < scarce ? (w == 0 ? 3 : w == 1 ? 2 : 0) : abundant - (index * 7 + w * 13) % 100
                stock.append(InventoryBalance(warehouseID: warehouse.id, sku: product.sku, onHand: units, safetyStock: index < scarce ? 0 : 5))
            }
        }
        self.stock = stock
    }

    /// Writes the catalog through the hub's public API.
    public func seed(_ hub: HubClient, progress: @Sendable (String) -> Void = { _ in }) async throws {
        for warehouse in warehouses {
            try await hub.expectSuccess(.PUT, "/v1/warehouses/\(warehouse.id)", json: warehouse)
        }
        for (region, rate) in taxRates.sorted(by: { $0.key < $1.key }) {
            try await hub.expectSuccess(.PUT, "/v1/tax-rates/\(region)", json: ["ratePpm": rate])
        }
        for product in products { try await hub.expectSuccess(.PUT, "/v1/products/\(product.sku)", json: product) }
        for list in [priceList] + otherPriceLists { try await hub.expectSuccess(.PUT, "/v1/price-lists/\(list.id)", json: list) }
        for entity in legalEntities { try await hub.expectSuccess(.PUT, "/v1/legal-entities/\(entity.id)", json: entity) }
        for customer in customers + otherCustomers { try await hub.expectSuccess(.PUT, "/v1/customers/\(customer.id)", json: customer) }
        progress(
            "master data: \(warehouses.count) warehouses, \(products.count) SKUs, \(customers.count + otherCustomers.count) customers"
                + (legalEntities.isEmpty
                    ? ""
                    : " of \(legalEntities.count) legal entities (\(legalEntities.map { "\($0.id) in \($0.currency.code)" }.joined(separator: ", ")))")
        )
        struct Adjustment: Encodable {
            var warehouseId: String
            var sku: String
            var quantity: Int
            var reason: String
            var safetyStock: Int
        }
        for balance in stock where balance.onHand > 0 || balance.safetyStock > 0 {
            try await hub.expectSuccess(
                .POST,
                "/v1/inventory/adjustments",
                json: Adjustment(
                    warehouseId: balance.warehouseID,
                    sku: balance.sku,
                    quantity: balance.onHand,
                    reason: "receipt",
                    safetyStock: balance.safetyStock
                ),
                idempotencyKey: "seed-\(balance.warehouseID)-\(balance.sku)"
            )
        }
        progress("stock: \(stock.reduce(0) { $0 + $1.onHand }) units; scarce: \(scarceSKUs.joined(separator: ", "))")
    }

    /// A deterministic stream of order requests over the catalog.
    /// - Parameter from: the accounts to order for; ``customers`` by default.
    public func orders(
        count: Int,
        seed: UInt64,
        channel: String = "api",
        scarceBias: Double = 0.25,
        from accounts: [Customer]? = nil
    ) -> [OrderRequest] {
        var random = SplitMix64(seed: seed)
        let products = orderableProducts
        let customers = accounts ?? self.customers
        return (0..<count).map { index in
            let customer = customers[Int(random.next() % UInt64(customers.count))]
            let lineCount = 1 + Int(random.next() % 4)
            var skus: [String] = []
            for _ in 0..<lineCount {
                let sku =
                    Double(random.next() % 1000) / 1000 < scarceBias && !scarceSKUs.isEmpty
                    ? scarceSKUs[Int(random.next() % UInt64(scarceSKUs.count))]
                    : products[Int(random.next() % UInt64(products.count))].sku
                if !skus.contains(sku) { skus.append(sku) }
            }
            let lines = skus.enumerated().map { offset, sku in
                OrderRequest.Line(lineNo: offset + 1, sku: sku, quantity: 1 + Int(random.next() % 6))
            }
            return OrderRequest(
                channel: channel,
                externalID: "PO-\(seed)-\(index + 1)",
                customerID: customer.id,
                customerPO: "PO\(100000 + index)",
                currency: customer.creditLimit.currency,
                lines: lines
            )
        }
    }
}

/// A small deterministic random number generator (SplitMix64).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import CrossdockDomain
import CrossdockStore
import Foundation

/// The marketplace-style pull feed for portals that poll instead of receiving webhooks: a full snapshot of the
/// catalogue (products, units, available to promise per warehouse and in total, and a price) on demand, then the SKUs
/// that changed after a cursor.
///
/// The cursor is a position in the event log. A snapshot reads the log's last position *before* it reads the
/// catalogue, so a change that commits while the snapshot is read shows up in the next deltas too (at least once,
/// never lost). Deltas read the log after the cursor (`product.upserted`, `inventory.adjusted`,
/// `inventory.availability_changed`, `price_list.price_changed` of the feed's price list, `customer.upserted` of the
/// feed's customer) and answer each
/// affected SKU as it stands now, with the position to poll from next.
public struct CatalogFeed: Sendable {
    /// Whose prices the feed shows.
    public enum Pricing: Sendable {
        /// No prices.
        case none
        /// One price list's prices.
        case priceList(String)
        /// A customer's prices: its contracts, then its price list.
        case customer(String)
    }

    /// One SKU as a portal shows it.
    public struct Item: Hashable, Sendable, Codable {
        /// Stock of one warehouse.
        public struct Stock: Hashable, Sendable, Codable {
            /// The warehouse.
            public var warehouseId: String
            /// Available to promise.
            public var availableToPromise: Int
        }

        /// A price and the rule that gave it.
        public struct Price: Hashable, Sendable, Codable {
            /// The price per base unit for one unit, today.
            public var unitPrice: Money
            /// The rule (`price_list:<id>`, `contract:<id>`…).
            public var source: String
            /// Every price in force today for the SKU in the source (quantity breaks, other units).
            public var breaks: [PriceChangedData.Break]
        }

        /// The SKU.
        public var sku: String
        /// The description.
        public var description: String
        /// Active or discontinued.
        public var status: Product.Status
        /// The base unit.
        public var unitOfMeasure: String
        /// Other units it is sold in.
        public var units: [Product.Unit]
        /// The GTIN.
        public var gtin: String?
        /// Available to promise.
        public var availableToPromise: Int
        /// Available to promise per warehouse.
        public var warehouses: [Stock]
        /// The price, when the feed is priced.
        public var price: Price?
    }

    /// One answer of the feed.
    public struct Page: Hashable, Sendable, Codable {
        /// `snapshot` or `delta`.
        public var kind: String
        /// Poll deltas from here (`after=`).
        public var cursor: Int64
        /// The SKUs, sorted.
        public var items: [Item]
        /// For a snapshot: the last SKU of this page when more follow (`startAfter=`); for deltas: whether more events
        /// wait after `cursor` (poll again at once).
        public var next: String?
        /// Whether more follow.
        public var more: Bool
    }

    let store: any Store
    let now: @Sendable () -> Date

    /// Creates the feed.
    public init(store: any Store, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.now = now
    }

    /// The catalogue from the first SKU after `startAfter`, `limit` SKUs at most.
    public func snapshot(pricing: Pricing, startAfter: String?, limit: Int) async throws -> Page {
        let cursor = try await store.lastSequence()
        let context = try await priceContext(pricing)
        let products = try await store.products().filter { product in startAfter.map { product.sku > $0 } ?? true }
        let page = Array(products.prefix(limit))
        let balances = Dictionary(grouping: try await store.allBalances(), by: \.sku)
        let items = page.map { item($0, balances: balances[$0.sku] ?? [], context: context) }
        let more = products.count > limit
        return Page(kind: "snapshot", cursor: cursor, items: items, next: more ? page.last?.sku : nil, more: more)
    }

    /// The SKUs changed by events after `cursor`, reading at most `limit` events.
    public func deltas(pricing: Pricing, after cursor: Int64, limit: Int) async throws -> Page {
        let context = try await priceContext(pricing)
        let events = try await store.events(after: cursor, limit: limit)
        var skus: Set<String> = []
        for event in events {
            switch event.shortType {
            case EventType.productUpserted.name:
                skus.insert(event.subject)
            case EventType.inventoryAvailabilityChanged.name, EventType.inventoryAdjusted.name:
                if let sku = event.data["sku"]?.stringValue { skus.insert(sku) }
            case EventType.priceListPriceChanged.name:
                if case .string(let list)? = event.data["priceListId"], list == context.priceList?.id, let sku = event.data["sku"]?.stringValue {
                    skus.insert(sku)
                }
            case EventType.customerUpserted.name where event.subject == context.customer?.id:
                for contract in context.customer?.contracts ?? [] { skus.formUnion(contract.entries.map(\.sku)) }
            default: continue
            }
        }
        var items: [Item] = []
        for sku in skus.sorted() {
            guard let product = try await store.product(sku) else { continue }
            items.append(item(product, balances: try await store.balances(sku: sku), context: context))
        }
        let reached = events.last.flatMap { Int64($0.sequence) } ?? cursor
        return Page(kind: "delta", cursor: reached, items: items, next: nil, more: events.count == limit)
    }

    struct PriceContext {
        var priceList: PriceList?
        var customer: Customer?
    }

    func priceContext(_ pricing: Pricing) async throws -> PriceContext {
        switch pricing {
        case .none:
            return PriceContext()
        case .priceList(let id):
            guard let list = try await store.priceList(id) else {
                throw EngineError(.notFound, code: "not_found", message: "price list '\(id)' does not exist")
            }
            return PriceContext(priceList: list)
        case .customer(let id):
            guard let customer = try await store.customer(id) else {
                throw EngineError(.notFound, code: "not_found", message: "customer '\(id)' does not exist")
            }
            return PriceContext(priceList: try await store.priceList(customer.priceListID), customer: customer)
        }
    }

    func item(_ product: Product, balances: [InventoryBalance], context: PriceContext) -> Item {
        let stock = balances.sorted { $0.warehouseID < $1.warehouseID }.map {
            Item.Stock(warehouseId: $0.warehouseID, availableToPromise: $0.availableToPromise)
        }
        var price: Item.Price?
        if let list = context.priceList {
            let day = JSONCoding.businessDay(now())
            let contracts = context.customer?.contracts ?? []
            if let quote = CrossdockDomain.Pricing.quote(
                sku: product.sku,
                quantity: 1,
                unit: nil,
                baseUnit: product.unitOfMeasure,
                baseUnitsPerUnit: 1,
                contracts: contracts,
                priceList: list,
                currency: list.currency,
                on: day
            ) {
                let contract = contracts.first { quote.source.hasPrefix("contract:\($0.id)") }
                let entries = (contract?.entries ?? list.entries).filter { $0.sku == product.sku && $0.isValid(on: day) }
                let currency = contract?.currency ?? list.currency
                price = Item.Price(
                    unitPrice: quote.unitPrice,
                    source: quote.source,
                    breaks: entries.map {
                        .init(minQuantity: $0.minQuantity, unitPrice: Money($0.unitPrice, currency), unitOfMeasure: $0.unitOfMeasure)
                    }
                )
            }
        }
        return Item(
            sku: product.sku,
            description: product.description,
            status: product.status,
            unitOfMeasure: product.unitOfMeasure,
            units: product.units,
            gtin: product.gtin,
            availableToPromise: stock.reduce(0) { $0 + $1.availableToPromise },
            warehouses: stock,
            price: price
        )
    }
}

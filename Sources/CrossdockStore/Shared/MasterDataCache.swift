import CrossdockDomain
import Synchronization

/// Decoded master data (customers, products, price lists, warehouses, tax rates) kept in memory, so intake does
/// not decode the same documents for every order. Every commit that changes master data empties it; an entry
/// read before such a commit is never stored after it (the generation check), so the cache cannot serve a
/// value older than the last master-data commit. Balances and open orders are never cached.
final class MasterDataCache: Sendable {
    private struct State {
        var generation = 0
        var customers: [String: Customer] = [:]
        var products: [String: Product] = [:]
        var priceLists: [String: PriceList] = [:]
        var warehouses: [Warehouse]?
        var taxRates: TaxRateTable?
        var legalEntities: [String: LegalEntity]?
        var regionPreferences: [String: [String]]?
    }

    private let state = Mutex(State())

    /// The current generation; pass it back to the `store` calls of a read that started now.
    var generation: Int { state.withLock { $0.generation } }

    /// Drops everything; call after a commit that changed master data.
    func invalidate() {
        state.withLock { state in state = State(generation: state.generation + 1) }
    }

    func customer(_ id: String) -> Customer? { state.withLock { $0.customers[id] } }
    func product(_ sku: String) -> Product? { state.withLock { $0.products[sku] } }
    func priceList(_ id: String) -> PriceList? { state.withLock { $0.priceLists[id] } }
    var warehouses: [Warehouse]? { state.withLock { $0.warehouses } }
    var taxRates: TaxRateTable? { state.withLock { $0.taxRates } }
    var legalEntities: [String: LegalEntity]? { state.withLock { $0.legalEntities } }
    var regionPreferences: [String: [String]]? { state.withLock { $0.regionPreferences } }

    func store(customer: Customer, generation: Int) { update(generation) { $0.customers[customer.id] = customer } }
    func store(product: Product, generation: Int) { update(generation) { $0.products[product.sku] = product } }
    func store(priceList: PriceList, generation: Int) { update(generation) { $0.priceLists[priceList.id] = priceList } }
    func store(warehouses: [Warehouse], generation: Int) { update(generation) { $0.warehouses = warehouses } }
    func store(taxRates: TaxRateTable, generation: Int) { update(generation) { $0.taxRates = taxRates } }
    func store(legalEntities: [String: LegalEntity], generation: Int) { update(generation) { $0.legalEntities = legalEntities } }
    func store(regionPreferences: [String: [String]], generation: Int) { update(generation) { $0.regionPreferences = regionPreferences } }

    private func update(_ generation: Int, _ body: (inout State) -> Void) {
        state.withLock { state in
            if state.generation == generation { body(&state) }
        }
    }
}

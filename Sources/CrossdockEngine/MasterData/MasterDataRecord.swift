import CrossdockDomain
import CrossdockStore
import Foundation

/// The kinds of master data a feed carries, in the order a batch applies them (a record may refer only to kinds
/// before it or its own: products to products, price lists to products, customers to price lists and products).
public enum MasterDataKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case warehouse
    case product
    case priceList = "price_list"
    case customer

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One master-data record, as a feed or a PUT states it.
public enum MasterDataRecord: Sendable, Hashable {
    case warehouse(Warehouse)
    /// A product.
    case product(Product)
    /// A price list, whole.
    case priceList(PriceList)
    /// A customer; `keepsOpenBalance` when the sender did not state the receivables (the hub's figure stays).
    case customer(Customer, keepsOpenBalance: Bool)

    /// Its kind.
    public var kind: MasterDataKind {
        switch self {
        case .warehouse: .warehouse
        case .product: .product
        case .priceList: .priceList
        case .customer: .customer
        }
    }

    /// Its key within the kind.
    public var key: String {
        switch self {
        case .warehouse(let warehouse): warehouse.id
        case .product(let product): product.sku
        case .priceList(let list): list.id
        case .customer(let customer, _): customer.id
        }
    }

    /// The version it carries.
    var version: Int? {
        switch self {
        case .warehouse(let warehouse): warehouse.version
        case .product(let product): product.version
        case .priceList(let list): list.version
        case .customer(let customer, _): customer.version
        }
    }

    /// The legal entity a customer record names; nil for other kinds.
    var legalEntityID: String? {
        if case .customer(let customer, _) = self { return customer.legalEntityID }
        return nil
    }

    /// The system that masters it.
    var masteredBy: String? {
        switch self {
        case .warehouse(let warehouse): warehouse.masteredBy
        case .product(let product): product.masteredBy
        case .priceList(let list): list.masteredBy
        case .customer(let customer, _): customer.masteredBy
        }
    }

    /// The record mastered by `source`.
    func owned(by source: String?) -> MasterDataRecord {
        switch self {
        case .warehouse(var warehouse):
            warehouse.masteredBy = source
            return .warehouse(warehouse)
        case .product(var product):
            product.masteredBy = source
            return .product(product)
        case .priceList(var list):
            list.masteredBy = source
            return .priceList(list)
        case .customer(var customer, let keeps):
            customer.masteredBy = source
            return .customer(customer, keepsOpenBalance: keeps)
        }
    }

    /// The record with `version` set.
    func stamped(_ version: Int?) -> MasterDataRecord {
        switch self {
        case .warehouse(var warehouse):
            warehouse.version = version
            return .warehouse(warehouse)
        case .product(var product):
            product.version = version
            return .product(product)
        case .priceList(var list):
            list.version = version
            return .priceList(list)
        case .customer(var customer, let keeps):
            customer.version = version
            return .customer(customer, keepsOpenBalance: keeps)
        }
    }

    /// Whether storing this record over `stored` would change nothing (versions aside; a customer that keeps the
    /// hub's receivables compares without them).
    func isUnchanged(from stored: MasterDataRecord?) -> Bool {
        guard let stored else { return false }
        switch (self, stored) {
        case (.customer(var new, let keeps), .customer(var old, _)):
            if keeps { new.openBalance = old.openBalance }
            new.version = nil
            old.version = nil
            return new == old
        default:
            return stamped(nil) == stored.stamped(nil)
        }
    }
}

/// Builds the unit that stores master-data records stamped with one version, with their events: `*.upserted` for
/// each, `customer.credit_status_changed` when an account's standing for ordering changed, and
/// `price_list.price_changed` for each SKU whose prices changed.
struct MasterDataUnit {
    let now: Date

    /// The unit storing `records` (each with the record it replaces, if any) as `version`.
    func unit(_ records: [(new: MasterDataRecord, old: MasterDataRecord?)], version: Int) -> UnitOfWork {
        var unit = UnitOfWork()
        unit.cursor = CursorAdvance(name: masterDataVersionCursor, from: Int64(version - 1), to: Int64(version))
        let day = JSONCoding.businessDay(now)
        for (new, old) in records.sorted(by: { $0.new.kind < $1.new.kind }) {
            switch new.stamped(version) {
            case .warehouse(let warehouse):
                unit.warehouses.append(warehouse)
                unit.events.append(event(.warehouseUpserted, subject: warehouse.id, warehouse))
            case .product(let product):
                unit.products.append(product)
                unit.events.append(event(.productUpserted, subject: product.sku, product))
            case .priceList(let list):
                unit.priceLists.append(list)
                unit.events.append(event(.priceListUpserted, subject: list.id, list))
                guard case .priceList(let oldList)? = old else {
                    appendPriceChanges(from: nil, to: list, day: day, into: &unit)
                    continue
                }
                appendPriceChanges(from: oldList, to: list, day: day, into: &unit)
            case .customer(var customer, let keeps):
                var oldCustomer: Customer?
                if case .customer(let stored, _)? = old { oldCustomer = stored }
                if keeps {
                    unit.preservedOpenBalances.insert(customer.id)
                    if let oldCustomer { customer.openBalance = oldCustomer.openBalance }
                }
                unit.customers.append(customer)
                unit.events.append(event(.customerUpserted, subject: customer.id, customer))
                if let change = CreditStatusChangedData.change(from: oldCustomer, to: customer) {
                    unit.events.append(event(.customerCreditStatusChanged, subject: customer.id, change))
                }
            }
        }
        return unit
    }

    private func appendPriceChanges(from old: PriceList?, to new: PriceList, day: String, into unit: inout UnitOfWork) {
        for change in PriceChangedData.changes(from: old, to: new, on: day) {
            unit.events.append(event(.priceListPriceChanged, subject: "\(new.id):\(change.sku)", change))
        }
    }

    private func event(_ type: EventType, subject: String, _ payload: some Encodable) -> EventDraft {
        EventDraft(id: IDs.make(), type: type, subject: subject, time: now, correlationID: subject, causationID: nil, payload: payload)
    }
}

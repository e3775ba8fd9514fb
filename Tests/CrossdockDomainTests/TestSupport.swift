import CrossdockDomain
import Foundation
import Synchronization
import Testing

/// A deterministic, thread-safe id source: `prefix1`, `prefix2`, …
final class SequentialIDs: Sendable {
    private let counter = Mutex(0)
    let prefix: String

    init(_ prefix: String = "id-") { self.prefix = prefix }

    func next() -> String {
        let value = counter.withLock { count -> Int in
            count += 1
            return count
        }
        return "\(prefix)\(value)"
    }

    var generator: @Sendable () -> String { { [self] in self.next() } }
}

/// SplitMix64: a tiny seeded generator so randomised checks are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Shared reference data for intake and fulfilment tests.
enum Fixture {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static let t1 = Date(timeIntervalSince1970: 1_700_003_600)
    static let eur = Currency("EUR")!
    static let orderID = "SO-1"
    static let commandID = "CMD-1"

    static func usd(_ minorUnits: Int64) -> Money { Money(minorUnits, .usd) }

    static func address(_ region: String) -> Address {
        Address(name: "Dock \(region)", lines: ["1 Pier Rd"], city: "Town", region: region, postalCode: "00001", country: "US")
    }

    static let shipToNY = ShipTo(code: "ST-NY", address: address("US-NY"))
    static let shipToCA = ShipTo(code: "ST-CA", address: address("US-CA"))
    static let shipToNoTax = ShipTo(code: "ST-XX", address: address("XX-NOTAX"))

    static func customer(
        status: Customer.Status = .active,
        creditLimit: Int64 = 1_000_000,
        openBalance: Int64 = 0,
        creditHold: Customer.CreditHold? = nil,
        shipTo: [ShipTo] = [shipToNY, shipToCA, shipToNoTax],
        shipPolicy: ShipPolicy = .shipPartial,
        taxExempt: Bool = false
    ) -> Customer {
        Customer(
            id: "C-1",
            name: "Acme Retail",
            status: status,
            creditLimit: usd(creditLimit),
            openBalance: usd(openBalance),
            creditHold: creditHold,
            paymentTerms: .init(code: "NET30", netDays: 30),
            billTo: address("US-NY"),
            shipTo: shipTo,
            priceListID: "PL-STD",
            shipPolicy: shipPolicy,
            taxExempt: taxExempt
        )
    }

    static let products: [String: Product] = [
        "A": Product(sku: "A", description: "Widget"),
        "B": Product(sku: "B", description: "Gadget"),
        "D": Product(sku: "D", description: "Bulk only"),
        "NOPRICE": Product(sku: "NOPRICE", description: "Unpriced"),
        "OLD": Product(sku: "OLD", description: "Retired", status: .discontinued),
    ]

    /// A: 1000 (900 from 10), B: 250, D: 400 from 10 only, OLD: 500; NOPRICE unpriced.
    static let priceList = PriceList(
        id: "PL-STD",
        currency: .usd,
        entries: [
            .init(sku: "A", unitPrice: 1000),
            .init(sku: "A", minQuantity: 10, unitPrice: 900),
            .init(sku: "B", unitPrice: 250),
            .init(sku: "D", minQuantity: 10, unitPrice: 400),
            .init(sku: "OLD", unitPrice: 500),
        ]
    )

    /// US-NY 8.875 %, US-CA 7.25 %.
    static let taxRates = TaxRateTable(ratesPPM: ["US-NY": 88_750, "US-CA": 72_500])

    /// Deliberately listed out of priority order.
    static let warehouses = [
        Warehouse(id: "W2", name: "West", region: "US-CA", priority: 2),
        Warehouse(id: "W1", name: "East", region: "US-NY", priority: 1),
    ]

    static let ampleBalances = [
        InventoryBalance(warehouseID: "W1", sku: "A", onHand: 100),
        InventoryBalance(warehouseID: "W1", sku: "B", onHand: 100),
        InventoryBalance(warehouseID: "W2", sku: "A", onHand: 100),
        InventoryBalance(warehouseID: "W2", sku: "B", onHand: 100),
    ]

    static func context(
        customer: Customer = customer(),
        openOrders: Int64 = 0,
        balances: [InventoryBalance] = ampleBalances,
        warehouses: [Warehouse] = warehouses,
        toleranceBasisPoints: Int64 = 100
    ) -> OrderIntake.Context {
        OrderIntake.Context(
            customer: customer,
            openOrders: usd(openOrders),
            products: products,
            priceList: priceList,
            taxRates: taxRates,
            warehouses: warehouses,
            balances: balances,
            priceToleranceBasisPoints: toleranceBasisPoints
        )
    }

    /// Default: A×2 (list 1000) and B×4 (list 250) shipped to the first ship-to (US-NY).
    /// Subtotal 3000, tax 178 + 89 = 267, total 3267.
    static func request(
        lines: [OrderRequest.Line] = [.init(sku: "A", quantity: 2), .init(sku: "B", quantity: 4)],
        currency: Currency = .usd,
        shipPolicy: ShipPolicy? = nil,
        shipToCode: String? = nil,
        requestedDate: String? = "2024-03-01"
    ) -> OrderRequest {
        OrderRequest(
            channel: "api",
            externalID: "EXT-1",
            customerID: "C-1",
            customerPO: "PO-9",
            currency: currency,
            requestedDate: requestedDate,
            shipPolicy: shipPolicy,
            shipToCode: shipToCode,
            lines: lines
        )
    }

    static func decide(
        _ request: OrderRequest = request(),
        context: OrderIntake.Context = context(),
        ids: SequentialIDs = SequentialIDs()
    ) -> OrderIntake.Decision {
        OrderIntake.decide(request, context: context, orderID: orderID, commandID: commandID, now: t0, makeID: ids.generator)
    }
}

extension [EventDraft] {
    var shortNames: [String] { map(\.type.name) }
}

/// Every event shares `correlation`, the first is caused by `firstCause`, each next one by the previous; ids are unique.
func expectChained(
    _ events: [EventDraft],
    correlation: String,
    firstCause: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var cause: String? = firstCause
    for event in events {
        #expect(event.correlationID == correlation, sourceLocation: sourceLocation)
        #expect(event.causationID == cause, "\(event.type)", sourceLocation: sourceLocation)
        cause = event.id
    }
    #expect(Set(events.map(\.id)).count == events.count, sourceLocation: sourceLocation)
}

extension SalesOrder {
    var historyStatuses: [OrderStatus] { history.map(\.status) }
    var allLinesBalanced: Bool { lines.allSatisfy(\.isBalanced) }
}

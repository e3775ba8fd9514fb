import CrossdockDomain
import Foundation

/// Everything one command changes, committed atomically with its events, or not at all.
///
/// Guards (the conditional updates below) make concurrent commands race-free without relying on a single
/// writer: a reservation only applies while available-to-promise covers it, a credit reservation only while
/// the limit allows it, an aggregate update only at the version it was read. When a guard fails the store
/// rolls the whole unit back and answers ``CommitOutcome/conflict(_:)``; the engine re-reads and re-decides.
public struct UnitOfWork: Sendable {
    /// An aggregate to insert, or to update from `expectedVersion`.
    public struct Write<Value: Sendable>: Sendable {
        /// The new state.
        public var value: Value
        /// `nil` to insert; otherwise the version it was read at.
        public var expectedVersion: Int?
        /// The value already encoded with ``JSONCoding``, when the caller has it (saves encoding it twice).
        public var document: Data?

        /// Creates a write.
        public init(_ value: Value, expectedVersion: Int?, document: Data? = nil) {
            self.value = value
            self.expectedVersion = expectedVersion
            self.document = document
        }
    }

    /// Customers to upsert (their open-order exposure is kept).
    public var customers: [Customer] = []
    /// Customers whose stored receivables (`openBalance`) the upsert keeps instead of the document's figure.
    public var preservedOpenBalances: Set<String> = []
    /// Products to upsert.
    public var products: [Product] = []
    /// Warehouses to upsert.
    public var warehouses: [Warehouse] = []
    /// Price lists to upsert.
    public var priceLists: [PriceList] = []
    /// Tax rates to upsert, by region.
    public var taxRates: [String: Int64] = [:]
    /// Legal entities to upsert.
    public var legalEntities: [LegalEntity] = []
    /// Safety stock to set, per (warehouse, SKU); creates the balance when missing.
    public var safetyStock: [InventorySetting] = []
    /// Guarded balance changes.
    public var inventory: [InventoryChange] = []
    /// Guarded additions to customers' open orders.
    public var creditReservations: [CreditReservation] = []
    /// Orders.
    public var orders: [Write<SalesOrder>] = []
    /// Fulfilment orders.
    public var fulfillments: [Write<FulfillmentOrder>] = []
    /// Shipments (new, or updated from `expectedVersion` by carrier milestones).
    public var shipments: [Write<Shipment>] = []
    /// Region → preferred warehouse ids to set.
    public var regionPreferences: [String: [String]] = [:]
    /// Scheduled receipts.
    public var receipts: [Write<ScheduledReceipt>] = []
    /// Invoices posted.
    public var invoices: [Invoice] = []
    /// Credit memos issued.
    public var creditMemos: [CreditMemo] = []
    /// Return authorisations.
    public var returns: [Write<ReturnAuthorization>] = []
    /// Operations exceptions raised or resolved.
    public var exceptions: [Write<OperationsException>] = []
    /// Unguarded changes to customers' open orders and receivables (releases, invoices, credits).
    public var creditChanges: [CreditChange] = []
    /// Events to append, in order.
    public var events: [EventDraft] = []
    /// Outbound EDI interchanges written with the events that announce them (a partner/set/reference is written
    /// once: a second write of the same document is a ``Conflict/duplicateDocument(_:)``).
    public var ediOutbound: [EDIOutboundWrite] = []
    /// A connector's cursor to move with this unit.
    public var cursor: CursorAdvance?
    /// The response to remember under an idempotency key.
    public var idempotency: IdempotencyRecord?
    /// The channel messages that created the unit's orders (kept once per order).
    public var inboundMessages: [InboundMessage] = []
    /// The master-data feed batch this unit applies (its summary), if any.
    public var feedBatch: FeedBatchRow?
    /// Quarantined master-data records to insert, or to update (by id: resolved, discarded).
    public var quarantine: [QuarantinedRecord] = []

    /// An empty unit.
    public init() {}

    /// How many rows the unit writes, roughly: what sizes its transaction.
    public var rowCount: Int {
        customers.count + products.count + warehouses.count + priceLists.count + taxRates.count + legalEntities.count
            + safetyStock.count + inventory.count + creditReservations.count + orders.count + fulfillments.count + shipments.count
            + regionPreferences.count + receipts.count + invoices.count + creditMemos.count + returns.count + exceptions.count
            + creditChanges.count + events.count + ediOutbound.count + inboundMessages.count + quarantine.count
    }

    /// Whether the unit changes master data (which empties read caches).
    public var changesMasterData: Bool {
        !customers.isEmpty || !products.isEmpty || !warehouses.isEmpty || !priceLists.isEmpty || !taxRates.isEmpty
            || !regionPreferences.isEmpty || !legalEntities.isEmpty
    }
}

/// Safety stock for one balance.
public struct InventorySetting: Hashable, Sendable {
    public var warehouseID: String
    public var sku: String
    public var safetyStock: Int

    public init(warehouseID: String, sku: String, safetyStock: Int) {
        self.warehouseID = warehouseID
        self.sku = sku
        self.safetyStock = safetyStock
    }
}

/// An addition to a customer's open orders, applied only while exposure stays within the credit limit.
public struct CreditReservation: Hashable, Sendable {
    public var customerID: String
    public var amount: Money

    public init(customerID: String, amount: Money) {
        self.customerID = customerID
        self.amount = amount
    }
}

/// A change to a customer's credit figures that needs no guard because it lowers exposure or moves it from open
/// orders to receivables: invoices (open orders → receivables), credit memos, cancellations.
public struct CreditChange: Hashable, Sendable {
    public var customerID: String
    /// Change to the open (accepted, uninvoiced) order value, minor units.
    public var openOrdersDelta: Int64
    /// Change to open receivables, minor units.
    public var openBalanceDelta: Int64

    public init(customerID: String, openOrdersDelta: Int64, openBalanceDelta: Int64) {
        self.customerID = customerID
        self.openOrdersDelta = openOrdersDelta
        self.openBalanceDelta = openBalanceDelta
    }
}

/// The result of ``Store/commit(_:)``.
public enum CommitOutcome: Hashable, Sendable {
    /// Durable. `sequences` are the log sequence numbers given to the unit's events.
    case committed(sequences: [Int64])
    /// A guard failed; nothing was written.
    case conflict(Conflict)
}

/// Which guard failed.
public enum Conflict: Hashable, Sendable, CustomStringConvertible {
    /// Available-to-promise no longer covers a reservation, or a balance would go negative.
    case inventory(warehouseID: String, sku: String)
    /// The customer's credit no longer covers the order.
    case credit(customerID: String)
    /// The idempotency key is already used.
    case idempotencyKey(String)
    /// The channel already sent an order with this id.
    case externalOrder(channel: String, externalID: String)
    /// An aggregate changed since it was read.
    case staleVersion(kind: String, id: String)
    /// A referenced row does not exist.
    case missing(kind: String, id: String)
    /// The outbound document (partner, set, reference) was already written.
    case duplicateDocument(String)
    /// A connector's cursor moved since it was read.
    case cursorMoved(String)

    public var description: String {
        switch self {
        case .inventory(let warehouse, let sku): "inventory guard failed for \(sku) in \(warehouse)"
        case .credit(let customer): "credit guard failed for \(customer)"
        case .idempotencyKey(let key): "idempotency key \(key) already used"
        case .externalOrder(let channel, let external): "order \(external) from \(channel) already exists"
        case .staleVersion(let kind, let id): "\(kind) \(id) changed concurrently"
        case .missing(let kind, let id): "\(kind) \(id) does not exist"
        case .duplicateDocument(let key): "document \(key) already written"
        case .cursorMoved(let name): "cursor \(name) moved concurrently"
        }
    }
}

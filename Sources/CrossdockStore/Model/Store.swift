import CrossdockDomain
import Foundation
import ServiceLifecycle

/// The hub's storage: ``SQLiteStore`` (embedded, one process) and ``PostgresStore`` (any number of hub nodes on one
/// database) implement it, and one conformance suite runs against both.
///
/// Writes go through ``commit(_:)`` (and the few delivery and key operations below); each is durable when it returns.
/// ``run()`` drives the store's background work (SQLite's group-commit writer; PostgreSQL's connection pool and
/// notification listener) and must be running while the store is used: it is a ServiceLifecycle service, and
/// ``withRunning(_:)`` runs it around a block.
public protocol Store: Service, DeliveryAdminStore, ConnectorStore, CoordinationStore, CatalogStore, AuditStore, RateLimitStore,
    WatchdogStore, ConsoleStore, ConsoleSessionStore, MasterDataFeedStore
{
    /// Runs the store until graceful shutdown or cancellation; pending writes are finished first.
    func run() async throws
    /// Runs `body` with the store running, then stops it. For commands and tests.
    func withRunning<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T
    /// Writes waiting for the database (for intake back-pressure).
    var pendingWrites: Int { get }
    /// Whether the database answers and every migration is applied.
    func isReady() async -> Bool
    /// The database URL without credentials, for logs and summaries.
    var location: String { get }
    /// Rows per table and a few sums (reserved and on-hand units, open-order value), for diagnostics and for tests
    /// that prove a refused request wrote nothing.
    func rowCounts() async throws -> [String: Int]

    // MARK: Master data
    func customer(_ id: String) async throws -> Customer?
    func creditStanding(_ customerID: String) async throws -> CreditStanding?
    func product(_ sku: String) async throws -> Product?
    func warehouses() async throws -> [Warehouse]
    /// Every legal entity, by id.
    func legalEntities() async throws -> [LegalEntity]
    func priceList(_ id: String) async throws -> PriceList?
    func balances(sku: String) async throws -> [InventoryBalance]
    func allBalances() async throws -> [InventoryBalance]
    /// Reads all that intake needs in one snapshot: the customer and its credit, the SKUs and their balances,
    /// prices, tax rates, warehouses, the order already sent under (channel, external id) if any, and the
    /// idempotency record of `idempotency` if any.
    func intakeSnapshot(
        customerID: String,
        skus: [String],
        channel: String,
        externalID: String,
        idempotency: (scope: String, key: String)?
    ) async throws -> IntakeSnapshot

    // MARK: Orders
    func order(_ id: String) async throws -> SalesOrder?
    func orderID(channel: String, externalID: String) async throws -> String?
    /// Orders matching `query`, newest first, with the cursor of the last one.
    func orders(_ query: OrderQuery) async throws -> (orders: [SalesOrder], next: Int64?)
    /// Order counts by status.
    func orderCounts() async throws -> [OrderStatus: Int]
    func fulfillment(_ id: String) async throws -> FulfillmentOrder?
    func fulfillments(orderID: String) async throws -> [FulfillmentOrder]
    func shipment(_ id: String) async throws -> Shipment?
    func shipments(orderID: String) async throws -> [Shipment]

    // MARK: Orchestration
    /// Region code → preferred warehouse ids.
    func regionPreferences() async throws -> [String: [String]]
    /// Open scheduled receipts of `sku`, by expected date.
    func receipts(sku: String) async throws -> [ScheduledReceipt]
    func receipt(_ id: String) async throws -> ScheduledReceipt?
    /// Orders with backordered units of any of `skus`.
    func backorderedOrders(skus: [String]) async throws -> [SalesOrder]
    /// Backordered units of `sku` with their promise dates (committed demand for projected ATP).
    func backorderDemand(sku: String) async throws -> [(date: String?, quantity: Int)]
    func invoices(orderID: String) async throws -> [Invoice]
    func invoice(_ id: String) async throws -> Invoice?
    func creditMemos(orderID: String) async throws -> [CreditMemo]
    func returnAuthorization(_ id: String) async throws -> ReturnAuthorization?
    func returns(orderID: String) async throws -> [ReturnAuthorization]
    func operationsException(_ id: String) async throws -> OperationsException?
    func operationsExceptions(status: OperationsException.Status?, orderID: String?, limit: Int) async throws -> [OperationsException]
    /// Order ids in creation order after `cursor`, with the cursor of the last.
    func orderIDs(after cursor: Int64, limit: Int) async throws -> (ids: [String], last: Int64?)
    /// Publishes `inventory.availability_changed` for SKUs whose stock changed before `changedBefore` (one event per
    /// SKU per call, only when available-to-promise moved), in one transaction; returns each SKU's sync lag.
    func publishAvailability(
        changedBefore: Date,
        now: Date,
        limit: Int,
        makeID: @escaping @Sendable () -> String
    ) async throws -> [AvailabilityPublication]

    // MARK: Commands
    /// Commits `unit` atomically, or reports the guard that failed.
    func commit(_ unit: UnitOfWork) async throws -> CommitOutcome
    /// Holds `keys` against every other writer, runs `decide` (which reads through this store and sees everything
    /// committed before the hold), and commits the unit it returns before letting go: the path for a command that keeps
    /// losing its guards under contention, which cannot lose to a concurrent writer of the same keys. The unit may still
    /// conflict on a key it touches outside `keys` (retry with the union) or on a real shortage (re-decide).
    func commitSerialized<R: Sendable>(
        _ keys: ContentionKeys,
        _ decide: @escaping @Sendable () async throws -> (UnitOfWork, R)
    ) async throws -> (CommitOutcome, R)
    func idempotencyRecord(scope: String, key: String) async throws -> IdempotencyRecord?

    // MARK: Event log
    /// Events with sequence greater than `after`, in order.
    func events(after: Int64, limit: Int) async throws -> [CloudEvent]
    /// The events after `after` whose type (qualified name) is one of `types`, looking at `limit` events of any type at
    /// most; only those are decoded. Positions it passes are settled for good (on PostgreSQL it stops at the feed's
    /// fence), so a follower may start its next scan after `reached`.
    func events(after: Int64, limit: Int, types: Set<String>) async throws -> EventScan
    /// The events after `after` visible to `partner` (see ``PartnerVisibility``), looking at `limit` events at most;
    /// `reached` is the last position looked at, so a partner's feed moves past other partners' events.
    func events(after: Int64, limit: Int, visibleTo partner: String) async throws -> EventScan
    /// The highest sequence number, 0 when empty.
    func lastSequence() async throws -> Int64
    /// Waits until an event past `sequence` is committed or `timeout` passes.
    func waitForEvents(after sequence: Int64, timeout: Duration) async

    // MARK: Access
    func insertKey(_ key: APIKeyRecord) async throws
    func key(hash: String) async throws -> APIKeyRecord?
    func keyCount() async throws -> Int
    /// Every key, newest first (revoked ones included).
    func keys() async throws -> [APIKeyRecord]
    /// Revokes the key `id` for good; false when unknown or already revoked.
    func revokeKey(_ id: String, at: Date) async throws -> Bool
    /// Gives the key `id` a new secret (its hash): the old secret stops working; false when unknown or revoked.
    func rotateKey(_ id: String, hash: String) async throws -> Bool
    /// Records that the key `id` was used at `at`, unless a use within the minute before is already recorded.
    func touchKey(_ id: String, at: Date) async throws
    /// A number that changes as soon as this store learns that keys may have changed: at once for a revocation or
    /// rotation made through this store, and on PostgreSQL when any node's notification arrives. Key caches compare
    /// it with the number they read a key under and read the key again when it moved.
    var keysGeneration: Int { get }

    // MARK: Subscriptions and deliveries
    func insertSubscription(_ subscription: Subscription) async throws
    func subscriptions() async throws -> [Subscription]
    func subscription(_ id: String) async throws -> Subscription?
    /// Pauses, resumes or disables a subscription; false when unknown.
    func setSubscriptionStatus(_ id: String, status: Subscription.Status, reason: String?) async throws -> Bool
    /// Makes `secret` current and keeps the old one valid until `previousValidUntil`; false when unknown.
    func rotateSubscriptionSecret(_ id: String, secret: String, previousValidUntil: Date) async throws -> Bool
    /// Rewrites every stored secret (subscription secrets, secret members of partner profiles) under the store's
    /// current secret key (``SecretBox``), opening each with the key it names or reading it as legacy plaintext, in
    /// one transaction. Idempotent: what already is under the current key is left alone, and so is a previous
    /// subscription secret past its overlap that no configured key opens (counted as skipped).
    /// - Throws: ``SecretError`` when a secret does not open (nothing is written then).
    func resealSecrets() async throws -> SecretResealing
    /// Points a subscription at a new URL (its cursor, deliveries and settings stay); false when unknown.
    func setSubscriptionURL(_ id: String, url: String) async throws -> Bool
    /// Changes a subscription's URL, event types and settings in one transaction: `change` gets the subscription as
    /// stored, under its row lock, and returns it changed (or throws, and nothing is written). Its id, secret, cursor,
    /// status and partner stay; deliveries already queued keep their events. Nil when the subscription is unknown.
    func updateSubscription(_ id: String, _ change: @escaping @Sendable (Subscription) throws -> Subscription) async throws -> Subscription?
    /// Deletes a subscription and its pending deliveries; false when unknown.
    func deleteSubscription(_ id: String) async throws -> Bool
    /// Creates pending deliveries for the subscription's matching events after its cursor and advances the cursor;
    /// returns how many events it scanned (0 when the subscription is caught up).
    func fanOut(subscriptionID: String, limit: Int, now: Date) async throws -> Int
    /// Pending deliveries due at `now` of active subscriptions that no node holds a lease on, oldest event first: only
    /// the head of each (subscription, ordering key) — a later event waits while an earlier one is pending or dead.
    /// Deliveries of the subscriptions in `skipping` (those the caller could not start now) are left out.
    func dueDeliveries(now: Date, limit: Int, skipping: Set<String>) async throws -> [DueDelivery]
    /// Leases the deliveries `ids` (those still unleased heads) to `owner` for `lease`; a delivery another node took in
    /// the meantime is left out. Only the holder of a live lease may send a delivery.
    func claimDeliveries(_ ids: [Int64], owner: String, lease: Duration) async throws -> [DeliveryLease]
    /// The due heads (as ``dueDeliveries(now:limit:skipping:)``) leased to `owner` for `lease` in one step, oldest event
    /// first; a head another node took meanwhile is left out. The default reads, then claims.
    func claimDueDeliveries(now: Date, limit: Int, skipping: Set<String>, owner: String, lease: Duration) async throws -> [ClaimedDelivery]
    /// Records attempts and moves each delivery on (delivered, retry later, or dead), each only while its lease is still
    /// the current one; returns the ids whose attempt was recorded (a lost lease records nothing).
    @discardableResult
    func recordAttempts(_ attempts: [DeliveryAttemptRecord]) async throws -> Set<Int64>
    /// Gives leases back unused (the delivery is due again at once for any node).
    func releaseDeliveries(_ leases: [DeliveryLease]) async throws
    func deliveries(status: Delivery.Status?, limit: Int) async throws -> [Delivery]
    func deliveryCounts() async throws -> DeliveryCounts
    /// Pending and dead deliveries and the oldest pending event, per subscription.
    func deliveryStatistics() async throws -> [SubscriptionDeliveryStatistics]
    /// The earliest `nextAttemptAt` of pending deliveries.
    func nextDeliveryDue() async throws -> Date?
}

extension Store {
    /// The due deliveries of every subscription (``dueDeliveries(now:limit:skipping:)`` skipping none).
    public func dueDeliveries(now: Date, limit: Int) async throws -> [DueDelivery] {
        try await dueDeliveries(now: now, limit: limit, skipping: [])
    }
}

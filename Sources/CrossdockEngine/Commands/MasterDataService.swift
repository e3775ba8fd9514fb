import CrossdockDomain
import CrossdockStore
import Foundation

/// Upserts master data (customers, products, warehouses, price lists, tax rates) and posts inventory
/// adjustments, each change with its event.
public struct MasterDataService: Sendable {
    let store: any Store
    let now: @Sendable () -> Date

    /// Creates the service.
    public init(store: any Store, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.now = now
    }

    /// Creates or replaces a customer.
    /// - Parameters:
    ///   - customer: the account.
    ///   - keepingOpenBalance: keep the stored receivables (moved by invoices and credit memos) instead of
    ///     `customer.openBalance`; the ERP sends `openBalance` when it states the figure.
    ///
    /// A change of the credit hold, status or limit (and a new account) also publishes
    /// `customer.credit_status_changed`, which CRMs and portals follow.
    public func put(_ customer: Customer, keepingOpenBalance: Bool = false) async throws -> Reply {
        try await put(.customer(customer, keepsOpenBalance: keepingOpenBalance))
    }

    /// Creates or replaces a product.
    public func put(_ product: Product) async throws -> Reply { try await put(.product(product)) }

    /// Creates or replaces a warehouse.
    public func put(_ warehouse: Warehouse) async throws -> Reply { try await put(.warehouse(warehouse)) }

    /// Creates or replaces a price list.
    ///
    /// Every SKU whose entries changed also gets a `price_list.price_changed` with the prices in force today, which
    /// storefronts and CRM price books follow.
    public func put(_ priceList: PriceList) async throws -> Reply { try await put(.priceList(priceList)) }

    /// The record as stored now, if any.
    func stored(_ kind: MasterDataKind, _ key: String) async throws -> MasterDataRecord? {
        switch kind {
        case .warehouse: try await store.warehouses().first { $0.id == key }.map(MasterDataRecord.warehouse)
        case .product: try await store.product(key).map(MasterDataRecord.product)
        case .priceList: try await store.priceList(key).map(MasterDataRecord.priceList)
        case .customer: try await store.customer(key).map { .customer($0, keepsOpenBalance: false) }
        }
    }

    /// Stores one record as the next master-data version (a PUT is one version) and answers it as stored.
    private func put(_ record: MasterDataRecord) async throws -> Reply {
        // Every master-data write answers 200; its audit entry is written with the unit.
        AuditContext.note(status: 200, location: nil)
        let decide: @Sendable () async throws -> (UnitOfWork, MasterDataRecord) = { [self] in
            let version = Int(try await store.connectorCursor(masterDataVersionCursor)) + 1
            let old = try await stored(record.kind, record.key)
            // A PUT is the operator's word: it keeps the record's master system.
            let record = record.owned(by: old?.masteredBy)
            var answer = record.stamped(version)
            if case .customer(var customer, true) = answer, case .customer(let stored, _)? = old {
                customer.openBalance = stored.openBalance
                answer = .customer(customer, keepsOpenBalance: true)
            }
            return (MasterDataUnit(now: now()).unit([(record, old)], version: version), answer)
        }
        let answer = try await Self.commitVersioned(store, decide)
        switch answer {
        case .warehouse(let warehouse): return Reply(status: 200, body: try encode(warehouse))
        case .product(let product): return Reply(status: 200, body: try encode(product))
        case .priceList(let list): return Reply(status: 200, body: try encode(list))
        case .customer(let customer, _): return Reply(status: 200, body: try encode(customer))
        }
    }

    /// Commits what `decide` makes of the current master-data version. Optimistic first; a writer that keeps losing
    /// the version to concurrent ones decides again while holding every other master-data writer back
    /// (``Store/commitSerialized(_:_:)``: the writer itself on SQLite, an advisory lock on PostgreSQL), so a burst of
    /// writers ends in order instead of answering `contention`.
    static func commitVersioned<R: Sendable>(_ store: any Store, _ decide: @escaping @Sendable () async throws -> (UnitOfWork, R)) async throws -> R {
        for attempt in 0..<versionAttempts {
            let outcome: CommitOutcome
            let result: R
            if attempt < optimisticAttempts {
                let (unit, decided) = try await decide()
                (outcome, result) = (try await store.commit(unit), decided)
            } else {
                (outcome, result) = try await store.commitSerialized(versionKeys, decide)
            }
            switch outcome {
            case .committed: return result
            case .conflict(.cursorMoved): continue  // another master-data change took the version: stamp the next
            case .conflict(let conflict): throw EngineError(.conflict, code: "conflict", message: conflict.description)
            }
        }
        throw EngineError(.conflict, code: "contention", message: "the master-data version kept moving; try again")
    }

    /// How often a master-data write tries in all, and how many of those without holding other writers back.
    static let versionAttempts = 50
    static let optimisticAttempts = 4
    /// What a serialized master-data write holds.
    static let versionKeys = ContentionKeys(names: ["cursor:\(masterDataVersionCursor)"])

    /// Sets the tax rate of a region, in parts per million.
    public func putTaxRate(region: String, ratePPM: Int64) async throws -> Reply {
        struct Rate: Codable {
            var region: String
            var ratePpm: Int64
        }
        var unit = UnitOfWork()
        unit.taxRates = [region: ratePPM]
        unit.events = [event(.taxRateUpserted, subject: region, Rate(region: region, ratePpm: ratePPM))]
        try await commit(unit)
        return Reply(status: 200, body: try encode(Rate(region: region, ratePpm: ratePPM)))
    }

    /// An inventory adjustment request.
    public struct Adjustment: Sendable, Codable {
        public var warehouseId: String
        public var sku: String
        /// Change to on hand (positive for receipts and found stock).
        public var quantity: Int
        public var reason: AdjustmentReason
        public var reference: String?
        /// New safety stock for the balance, if it changes.
        public var safetyStock: Int?
    }

    /// The largest change of on hand (and the largest safety stock) one adjustment may make, so balances stay far
    /// inside 64-bit integers.
    public static let maxAdjustment = 1_000_000_000

    /// Posts an adjustment; on hand may not fall below what is reserved.
    public func adjust(_ adjustment: Adjustment, idempotency: IdempotencyContext?) async throws -> Reply {
        if let idempotency, let record = try await store.idempotencyRecord(scope: idempotency.scope, key: idempotency.key) {
            return try Idempotency.replay(record, for: idempotency)
        }
        var errors: [IntakeError.FieldError] = []
        if !(try await store.warehouses()).contains(where: { $0.id == adjustment.warehouseId }) {
            errors.append(.init(field: "warehouseId", reason: "unknown warehouse '\(adjustment.warehouseId)'"))
        }
        if try await store.product(adjustment.sku) == nil {
            errors.append(.init(field: "sku", reason: "unknown SKU '\(adjustment.sku)'"))
        }
        if adjustment.quantity == 0 && adjustment.safetyStock == nil {
            errors.append(.init(field: "quantity", reason: "must not be zero unless safetyStock is set"))
        }
        if adjustment.quantity < -Self.maxAdjustment || adjustment.quantity > Self.maxAdjustment {
            errors.append(.init(field: "quantity", reason: "must be within ±\(Self.maxAdjustment)"))
        }
        if let safety = adjustment.safetyStock, safety < 0 || safety > Self.maxAdjustment {
            errors.append(.init(field: "safetyStock", reason: "must be 0...\(Self.maxAdjustment)"))
        }
        guard errors.isEmpty else {
            throw EngineError(.invalid, code: "invalid_adjustment", message: "The adjustment has \(errors.count) problem(s).", errors: errors)
        }
        let commandID = IDs.make()
        let runner = CommandRunner(store: store, maxAttempts: 12, now: now)
        let reader = AllocationReader(store: store, now: now)
        let reply = Reply(status: 201, body: try encode(adjustment))
        return try await runner.run(idempotency: idempotency) {
            var unit = UnitOfWork()
            if let safety = adjustment.safetyStock {
                unit.safetyStock = [InventorySetting(warehouseID: adjustment.warehouseId, sku: adjustment.sku, safetyStock: safety)]
            }
            if adjustment.quantity < 0 {
                // A decrease must leave on hand at or above what is reserved; say so rather than retry.
                let balance = try await store.balances(sku: adjustment.sku).first { $0.warehouseID == adjustment.warehouseId }
                if (balance?.onHand ?? 0) + adjustment.quantity < (balance?.reserved ?? 0) {
                    throw EngineError(
                        .conflict,
                        code: "insufficient_stock",
                        message: "on hand of \(adjustment.sku) in \(adjustment.warehouseId) cannot fall below what is reserved",
                        errors: [.init(field: "quantity", reason: "would leave on hand below reserved")]
                    )
                }
            }
            if adjustment.quantity != 0 {
                unit.inventory = [
                    InventoryChange(warehouseID: adjustment.warehouseId, sku: adjustment.sku, onHandDelta: adjustment.quantity, reservedDelta: 0)
                ]
            }
            unit.events = [
                event(
                    .inventoryAdjusted,
                    subject: "\(adjustment.sku):\(adjustment.warehouseId)",
                    InventoryAdjustedData(
                        warehouseId: adjustment.warehouseId,
                        sku: adjustment.sku,
                        onHandDelta: adjustment.quantity,
                        reason: adjustment.reason,
                        reference: adjustment.reference
                    )
                )
            ]
            if adjustment.quantity > 0 || adjustment.safetyStock != nil {
                try await reader.fillBackorders(skus: [adjustment.sku], into: &unit, commandID: commandID)
            }
            return (unit, reply)
        }
    }

    func event(_ type: EventType, subject: String, _ payload: some Encodable) -> EventDraft {
        EventDraft(id: IDs.make(), type: type, subject: subject, time: now(), correlationID: subject, causationID: nil, payload: payload)
    }

    private func commit(_ unit: UnitOfWork) async throws {
        // Every master-data write answers 200; its audit entry is written with the unit.
        AuditContext.note(status: 200, location: nil)
        if case .conflict(let conflict) = try await store.commit(unit) {
            throw EngineError(.conflict, code: "conflict", message: conflict.description)
        }
    }
}

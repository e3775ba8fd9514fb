import CrossdockDomain
import CrossdockStore
import Foundation

/// The `data` of `inventory.receipt_scheduled`.
struct ReceiptEventData: Codable, Sendable {
    var receipt: ScheduledReceipt
}

/// Scheduled receipts (expected inbound stock), their arrival, and the region-to-warehouse preferences
/// allocation follows.
public struct InventoryService: Sendable {
    let store: any Store
    let now: @Sendable () -> Date
    let maxAttempts: Int

    /// Creates the service.
    /// - Parameters:
    ///   - store: where state lives.
    ///   - maxAttempts: re-decisions after a guard conflict before answering 503 (default 12).
    ///   - now: the clock.
    public init(store: any Store, maxAttempts: Int = 12, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.now = now
        self.maxAttempts = maxAttempts
    }

    var runner: CommandRunner { CommandRunner(store: store, maxAttempts: maxAttempts, now: now) }
    var reader: AllocationReader { AllocationReader(store: store, now: now) }

    /// Schedules an expected receipt (open purchase order, transfer or in-transit stock); it feeds projected ATP.
    /// - Returns: 201 with the receipt.
    public func schedule(_ request: ScheduledReceipt.Request, idempotency: IdempotencyContext?) async throws -> Reply {
        try await runner.run(idempotency: idempotency) {
            var errors = ScheduledReceipt.validate(request)
            if !request.warehouseID.isEmpty, !(try await store.warehouses()).contains(where: { $0.id == request.warehouseID }) {
                errors.append(.init(field: "warehouseId", reason: "unknown warehouse '\(request.warehouseID)'"))
            }
            if !request.sku.isEmpty, try await store.product(request.sku) == nil {
                errors.append(.init(field: "sku", reason: "unknown SKU '\(request.sku)'"))
            }
            guard errors.isEmpty else {
                throw EngineError(.invalid, code: "invalid_receipt", message: "The receipt has \(errors.count) problem(s).", errors: errors)
            }
            let receipt: ScheduledReceipt
            do {
                receipt = try ScheduledReceipt(request: request, id: IDs.make(), createdAt: now())
            } catch let error as IntakeError {
                throw EngineError(.invalid, code: error.code, message: error.message, errors: error.errors)
            }
            var unit = UnitOfWork()
            unit.receipts = [.init(receipt, expectedVersion: nil)]
            unit.events = [
                EventDraft(
                    id: IDs.make(),
                    type: .inventoryReceiptScheduled,
                    subject: "\(receipt.sku):\(receipt.warehouseID)",
                    time: now(),
                    correlationID: receipt.id,
                    causationID: nil,
                    payload: ReceiptEventData(receipt: receipt)
                )
            ]
            // Orders already waiting for the SKU get promise dates from the new projection.
            let waiting = try await store.backorderedOrders(skus: [receipt.sku])
            if !waiting.isEmpty {
                let balances = try await store.balances(sku: receipt.sku)
                let receipts = try await store.receipts(sku: receipt.sku) + [receipt]
                let supply = AllocationReader.supply(sku: receipt.sku, balances: balances, receipts: receipts).map(\.input)
                let changes = BackorderPromise.run(
                    waiting,
                    sku: receipt.sku,
                    supply: supply,
                    today: BusinessDay(containing: now()),
                    commandID: unit.events[0].id,
                    now: now(),
                    makeID: IDs.make
                )
                for change in changes {
                    unit.orders.append(.init(change.order, expectedVersion: change.before.version))
                    unit.events += change.events
                }
            }
            return (unit, Reply(status: 201, body: try encode(receipt), location: "/v1/inventory/receipts/\(receipt.id)"))
        }
    }

    /// Records goods arriving against a receipt: on hand rises, backordered orders for the SKU are re-allocated
    /// (oldest promise first) in the same commit.
    /// - Returns: 200 with the receipt.
    public func arrive(receiptID: String, quantity: Int, idempotency: IdempotencyContext?) async throws -> Reply {
        let commandID = IDs.make()
        return try await runner.run(idempotency: idempotency) {
            guard let receipt = try await store.receipt(receiptID) else {
                throw EngineError(.notFound, code: "not_found", message: "receipt \(receiptID) does not exist")
            }
            guard receipt.status == .open else {
                throw EngineError(
                    .conflict,
                    code: "illegal_transition",
                    message: "receipt \(receiptID) is \(receipt.status.rawValue); 'arrive' is not allowed",
                    extra: ["currentStatus": receipt.status.rawValue, "action": "arrive"]
                )
            }
            guard quantity > 0, quantity <= receipt.remaining else {
                throw EngineError(
                    .invalid,
                    code: "invalid_quantities",
                    message: "quantity must be between 1 and the \(receipt.remaining) unit(s) still expected",
                    errors: [.init(field: "quantity", reason: "must be 1…\(receipt.remaining)")]
                )
            }
            var updated = receipt
            updated.receivedQuantity += quantity
            if updated.remaining == 0 { updated.status = .received }
            updated.version += 1
            var unit = UnitOfWork()
            unit.receipts = [.init(updated, expectedVersion: receipt.version)]
            unit.inventory = [InventoryChange(warehouseID: receipt.warehouseID, sku: receipt.sku, onHandDelta: quantity, reservedDelta: 0)]
            unit.events = [
                EventDraft(
                    id: IDs.make(),
                    type: .inventoryAdjusted,
                    subject: "\(receipt.sku):\(receipt.warehouseID)",
                    time: now(),
                    correlationID: receipt.id,
                    causationID: commandID,
                    payload: InventoryAdjustedData(
                        warehouseId: receipt.warehouseID,
                        sku: receipt.sku,
                        onHandDelta: quantity,
                        reason: .receipt,
                        reference: receipt.reference ?? receipt.id
                    )
                )
            ]
            try await reader.fillBackorders(skus: [receipt.sku], into: &unit, commandID: commandID)
            return (unit, Reply(status: 200, body: try encode(updated)))
        }
    }

    /// Projected available-to-promise of `sku` by date: the network schedule (available now, open receipts and
    /// backorders already promised) and one schedule per warehouse (its stock and receipts).
    public func projectedAvailability(sku: String) async throws -> (network: ATPSchedule, warehouses: [String: ATPSchedule]) {
        let today = BusinessDay(containing: now())
        let balances = try await store.balances(sku: sku)
        let receipts = try await store.receipts(sku: sku)
        var perWarehouse: [String: ATPSchedule] = [:]
        for (warehouse, input) in AllocationReader.supply(sku: sku, balances: balances, receipts: receipts) {
            perWarehouse[warehouse] = ATPSchedule(input, today: today)
        }
        return (try await reader.schedule(sku: sku, balances: balances, today: today), perWarehouse)
    }

    /// Sets which warehouses serve a ship-to region, most preferred first.
    /// - Returns: 200 with `{"region","warehouses"}`.
    public func setRegionPreference(region: String, warehouses: [String], idempotency: IdempotencyContext?) async throws -> Reply {
        try await runner.run(idempotency: idempotency) {
            let known = Set(try await store.warehouses().map(\.id))
            var errors: [IntakeError.FieldError] = []
            if region.isEmpty { errors.append(.init(field: "region", reason: "must not be empty")) }
            if warehouses.isEmpty { errors.append(.init(field: "warehouses", reason: "must list at least one warehouse")) }
            if Set(warehouses).count != warehouses.count { errors.append(.init(field: "warehouses", reason: "must not repeat a warehouse")) }
            for (index, id) in warehouses.enumerated() where !known.contains(id) {
                errors.append(.init(field: "warehouses[\(index)]", reason: "unknown warehouse '\(id)'"))
            }
            guard errors.isEmpty else {
                throw EngineError(
                    .invalid,
                    code: "invalid_region_preference",
                    message: "The preference has \(errors.count) problem(s).",
                    errors: errors
                )
            }
            var unit = UnitOfWork()
            unit.regionPreferences = [region: warehouses]
            struct Body: Encodable {
                var region: String
                var warehouses: [String]
            }
            return (unit, Reply(status: 200, body: try encode(Body(region: region, warehouses: warehouses))))
        }
    }
}

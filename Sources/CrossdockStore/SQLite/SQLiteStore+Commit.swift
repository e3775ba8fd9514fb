import CrossdockDomain
import Foundation
import GRDB

extension SQLiteStore {
    public func commit(_ unit: UnitOfWork) async throws -> CommitOutcome {
        try await commit(unit, privileged: false)
    }

    /// SQLite has one writer: holding it is holding every key. The decision is made while the group-commit writer
    /// holds every other write back, so nothing can change between its reads and its commit.
    public func commitSerialized<R: Sendable>(
        _ keys: ContentionKeys,
        _ decide: @escaping @Sendable () async throws -> (UnitOfWork, R)
    ) async throws -> (CommitOutcome, R) {
        try await writer.withExclusive {
            let (unit, reply) = try await decide()
            return (try await commit(unit, privileged: true), reply)
        }
    }

    private func commit(_ unit: UnitOfWork, privileged: Bool) async throws -> CommitOutcome {
        let encoded = try EncodedUnit(unit)
        // The request's audit entry, when this is its first commit, goes into the unit's own savepoint.
        let audit = try AuditClaim()
        var committed = false
        defer { audit.settle(committed: committed) }
        do {
            let row = audit.row
            let sequences = try await writer.write(privileged: privileged, large: unit.rowCount > Self.largeWrite) { db in
                let sequences = try Self.apply(encoded, db)
                if let row { _ = try Self.insertAudit(row, db) }
                return sequences
            }
            committed = true
            if unit.changesMasterData { cache.invalidate() }
            if let last = sequences.last { signal.publish(last) }
            return .committed(sequences: sequences)
        } catch let error as ConflictError {
            return .conflict(error.conflict)
        }
    }

    /// Rows past which a unit's savepoint journal goes to a temporary file rather than memory (see
    /// ``GroupCommitWriter/commitOne(_:_:)``): an order writes about 15.
    static let largeWrite = 1_000

    static func apply(_ encoded: EncodedUnit, _ db: Database) throws -> [Int64] {
        let unit = encoded.unit
        if let record = unit.idempotency {
            try guarded(.idempotencyKey(record.key)) {
                try db.exec(
                    "INSERT INTO idempotency_keys(scope, key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [record.scope, record.key, record.requestHash, record.status, record.body, record.createdAt.timeIntervalSince1970]
                )
            }
        }
        // Positional statements: a feed batch may carry 100 000 products, all inside the writer's hold.
        for (customer, doc) in encoded.customers {
            let keep = unit.preservedOpenBalances.contains(customer.id)
            try db.exec(
                """
                INSERT INTO customers(id, doc, currency, credit_limit, open_balance) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, currency = excluded.currency,
                credit_limit = excluded.credit_limit,
                open_balance = CASE WHEN ? THEN customers.open_balance ELSE excluded.open_balance END
                """,
                [customer.id, doc, customer.creditLimit.currency.code, customer.creditLimit.minorUnits, customer.openBalance.minorUnits, keep]
            )
        }
        for (sku, doc) in encoded.products {
            try db.exec("INSERT INTO products(sku, doc) VALUES (?, ?) ON CONFLICT(sku) DO UPDATE SET doc = excluded.doc", [sku, doc])
            try db.exec("DELETE FROM product_gtins WHERE sku = ?", [sku])
        }
        for product in unit.products {
            // The item's own GTIN and those of its pack levels (a case's GTIN-14) all find the SKU.
            for gtin in [product.gtin] + product.units.map(\.gtin) {
                if let gtin, !gtin.isEmpty { try db.exec("INSERT OR REPLACE INTO product_gtins(gtin, sku) VALUES (?, ?)", [gtin, product.sku]) }
            }
        }
        for (warehouse, doc) in encoded.warehouses {
            try db.run(
                """
                INSERT INTO warehouses(id, priority, doc) VALUES (\(warehouse.id), \(warehouse.priority), \(doc))
                ON CONFLICT(id) DO UPDATE SET priority = excluded.priority, doc = excluded.doc
                """
            )
        }
        for (id, doc) in encoded.priceLists {
            try db.run("INSERT INTO price_lists(id, doc) VALUES (\(id), \(doc)) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc")
        }
        for (id, doc) in encoded.legalEntities {
            try db.run("INSERT INTO legal_entities(id, doc) VALUES (\(id), \(doc)) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc")
        }
        for (region, rate) in unit.taxRates.sorted(by: { $0.key < $1.key }) {
            try db.run(
                "INSERT INTO tax_rates(region, rate_ppm) VALUES (\(region), \(rate)) ON CONFLICT(region) DO UPDATE SET rate_ppm = excluded.rate_ppm"
            )
        }
        for setting in unit.safetyStock {
            try db.run(
                """
                INSERT INTO balances(warehouse_id, sku, on_hand, reserved, safety_stock) VALUES (\(setting.warehouseID), \(setting.sku), 0, 0, \(setting.safetyStock))
                ON CONFLICT(sku, warehouse_id) DO UPDATE SET safety_stock = excluded.safety_stock
                """
            )
            try db.exec("INSERT OR IGNORE INTO availability_dirty(sku, first_changed_at) VALUES (?, ?)", [setting.sku, encoded.now])
        }
        for (region, ids) in encoded.regionPreferences {
            try db.run(
                "INSERT INTO region_preferences(region, warehouse_ids) VALUES (\(region), \(ids)) ON CONFLICT(region) DO UPDATE SET warehouse_ids = excluded.warehouse_ids"
            )
        }
        for change in unit.inventory {
            try applyInventory(change, db)
            try db.exec("INSERT OR IGNORE INTO availability_dirty(sku, first_changed_at) VALUES (?, ?)", [change.sku, encoded.now])
        }
        for change in unit.creditChanges {
            try db.exec(
                "UPDATE customers SET open_orders = open_orders + ?, open_balance = open_balance + ? WHERE id = ?",
                [change.openOrdersDelta, change.openBalanceDelta, change.customerID]
            )
            if db.changesCount != 1 { throw ConflictError(conflict: .missing(kind: "customer", id: change.customerID)) }
        }
        for reservation in unit.creditReservations {
            try db.exec(
                """
                UPDATE customers SET open_orders = open_orders + ?1
                WHERE id = ?2 AND currency = ?3 AND open_balance + open_orders + ?1 <= credit_limit
                """,
                [reservation.amount.minorUnits, reservation.customerID, reservation.amount.currency.code]
            )
            if db.changesCount != 1 { throw ConflictError(conflict: .credit(customerID: reservation.customerID)) }
        }
        for (write, doc) in encoded.orders {
            let order = write.value
            if let expected = write.expectedVersion {
                try db.exec(
                    "UPDATE orders SET status = ?, version = ?, doc = ? WHERE id = ? AND version = ?",
                    [order.status.rawValue, order.version, doc, order.id, expected]
                )
                if db.changesCount != 1 { throw ConflictError(conflict: .staleVersion(kind: "order", id: order.id)) }
            } else {
                try guarded(.externalOrder(channel: order.channel, externalID: order.externalID)) {
                    try db.exec(
                        """
                        INSERT INTO orders(id, channel, external_id, customer_id, status, version, doc, partner, customer_po)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        [
                            order.id, order.channel, order.externalID, order.customerID, order.status.rawValue, order.version, doc,
                            order.channelRef?.partner, order.customerPO,
                        ]
                    )
                }
            }
            try indexBackorders(order, isNew: write.expectedVersion == nil, db)
        }
        for (write, doc) in encoded.fulfillments {
            let fulfillment = write.value
            if let expected = write.expectedVersion {
                try db.exec(
                    "UPDATE fulfillment_orders SET status = ?, version = ?, doc = ? WHERE id = ? AND version = ?",
                    [fulfillment.status.rawValue, fulfillment.version, doc, fulfillment.id, expected]
                )
                if db.changesCount != 1 { throw ConflictError(conflict: .staleVersion(kind: "fulfillment_order", id: fulfillment.id)) }
            } else {
                try db.exec(
                    "INSERT INTO fulfillment_orders(id, order_id, warehouse_id, status, version, doc) VALUES (?, ?, ?, ?, ?, ?)",
                    [fulfillment.id, fulfillment.orderID, fulfillment.warehouseID, fulfillment.status.rawValue, fulfillment.version, doc]
                )
            }
        }
        for (write, doc) in encoded.shipments {
            let shipment = write.value
            if let expected = write.expectedVersion {
                try db.exec(
                    "UPDATE shipments SET version = ?, doc = ? WHERE id = ? AND version = ?",
                    [shipment.version, doc, shipment.id, expected]
                )
                if db.changesCount != 1 { throw ConflictError(conflict: .staleVersion(kind: "shipment", id: shipment.id)) }
            } else {
                try db.run(
                    """
                    INSERT INTO shipments(id, order_id, fulfillment_order_id, version, doc)
                    VALUES (\(shipment.id), \(shipment.orderID), \(shipment.fulfillmentOrderID), \(shipment.version), \(doc))
                    """
                )
                for number in Set(shipment.packages.map(\.trackingNumber)) {
                    try db.run("INSERT OR IGNORE INTO shipment_tracking_numbers(tracking_number, shipment_id) VALUES (\(number), \(shipment.id))")
                }
            }
        }
        try applyDocuments(encoded, db)
        try applyConnectorWrites(unit, db)
        for (message, doc) in encoded.inboundMessages {
            try db.exec(
                "INSERT INTO inbound_messages(order_id, received_at, doc) VALUES (?, ?, ?) ON CONFLICT(order_id) DO NOTHING",
                [message.orderID, message.receivedAt.timeIntervalSince1970, doc]
            )
        }
        try applyFeedWrites(encoded, db)
        var sequences: [Int64] = []
        sequences.reserveCapacity(unit.events.count)
        for (event, time) in zip(unit.events, encoded.times) {
            try db.exec(
                "INSERT INTO events(id, type, subject, time, correlation_id, causation_id, data, traceparent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [event.id, event.type.qualifiedName, event.subject, time, event.correlationID, event.causationID, event.data, encoded.traceparent]
            )
            sequences.append(db.lastInsertedRowID)
        }
        return sequences
    }

    /// Writes receipts, invoices, credit memos, returns and operations exceptions.
    static func applyDocuments(_ encoded: EncodedUnit, _ db: Database) throws {
        for (write, doc) in encoded.receipts {
            let receipt = write.value
            try versioned(write.expectedVersion, kind: "receipt", id: receipt.id, db) {
                try db.exec(
                    "UPDATE scheduled_receipts SET status = ?, version = ?, doc = ? WHERE id = ? AND version = ?",
                    [receipt.status.rawValue, receipt.version, doc, receipt.id, write.expectedVersion]
                )
            } insert: {
                try db.exec(
                    "INSERT INTO scheduled_receipts(id, warehouse_id, sku, status, expected_date, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [receipt.id, receipt.warehouseID, receipt.sku, receipt.status.rawValue, receipt.expectedDate.description, receipt.version, doc]
                )
            }
        }
        for (invoice, doc) in encoded.invoices {
            try db.exec(
                "INSERT INTO invoices(id, number, order_id, shipment_id, customer_id, total, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [invoice.id, invoice.number, invoice.orderID, invoice.shipmentID, invoice.customerID, invoice.total.minorUnits, doc]
            )
        }
        for (memo, doc) in encoded.creditMemos {
            try db.exec(
                "INSERT INTO credit_memos(id, number, order_id, return_id, customer_id, total, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [memo.id, memo.number, memo.orderID, memo.returnID, memo.customerID, memo.total.minorUnits, doc]
            )
        }
        for (write, doc) in encoded.returns {
            let rma = write.value
            try versioned(write.expectedVersion, kind: "return", id: rma.id, db) {
                try db.exec(
                    "UPDATE returns SET status = ?, version = ?, doc = ? WHERE id = ? AND version = ?",
                    [rma.status.rawValue, rma.version, doc, rma.id, write.expectedVersion]
                )
            } insert: {
                try db.exec(
                    "INSERT INTO returns(id, number, order_id, status, version, doc) VALUES (?, ?, ?, ?, ?, ?)",
                    [rma.id, rma.number, rma.orderID, rma.status.rawValue, rma.version, doc]
                )
            }
        }
        for (write, doc) in encoded.exceptions {
            let exception = write.value
            try versioned(write.expectedVersion, kind: "exception", id: exception.id, db) {
                try db.exec(
                    "UPDATE operations_exceptions SET status = ?, version = ?, doc = ?, alert_pending = ? WHERE id = ? AND version = ?",
                    [exception.status.rawValue, exception.version, doc, exception.awaitsResolvedAlert, exception.id, write.expectedVersion]
                )
            } insert: {
                try db.exec(
                    "INSERT INTO operations_exceptions(id, kind, order_id, status, version, doc, watchdog_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        exception.id, exception.kind.rawValue, exception.orderID, exception.status.rawValue, exception.version, doc,
                        exception.watchdogKey,
                    ]
                )
            }
        }
    }

    /// Runs `update` (which must change exactly one row) when `expected` is set, else `insert`.
    static func versioned(_ expected: Int?, kind: String, id: String, _ db: Database, update: () throws -> Void, insert: () throws -> Void) throws {
        if expected != nil {
            try update()
            if db.changesCount != 1 { throw ConflictError(conflict: .staleVersion(kind: kind, id: id)) }
        } else {
            try insert()
        }
    }

    /// Keeps the `backorders` index (order lines waiting for stock) in step with the order document.
    static func indexBackorders(_ order: SalesOrder, isNew: Bool, _ db: Database) throws {
        if !isNew { try db.exec("DELETE FROM backorders WHERE order_id = ?", [order.id]) }
        guard order.status != .onHold else { return }
        for line in order.lines where line.backordered > 0 {
            try db.exec(
                "INSERT INTO backorders(order_id, line_no, sku, quantity, promised_date) VALUES (?, ?, ?, ?, ?)",
                [order.id, line.lineNo, line.sku, line.backordered, line.promisedDate]
            )
        }
    }

    /// Applies one guarded balance change; see ``InventoryChange``.
    static func applyInventory(_ change: InventoryChange, _ db: Database) throws {
        let onHand = change.onHandDelta
        let reserved = change.reservedDelta
        try db.exec(
            """
            UPDATE balances SET on_hand = on_hand + ?1, reserved = reserved + ?2
            WHERE sku = ?3 AND warehouse_id = ?4
            AND on_hand + ?1 >= 0 AND reserved + ?2 >= 0 AND reserved + ?2 <= on_hand + ?1
            AND (?2 <= 0 OR on_hand + ?1 - reserved - ?2 - safety_stock >= 0)
            """,
            [onHand, reserved, change.sku, change.warehouseID]
        )
        if db.changesCount == 1 { return }
        let exists = try db.one(Bool.self, "SELECT 1 FROM balances WHERE sku = \(change.sku) AND warehouse_id = \(change.warehouseID)") ?? false
        if !exists, onHand >= 0, reserved == 0 {
            try db.run(
                """
                INSERT INTO balances(warehouse_id, sku, on_hand, reserved, safety_stock) VALUES (\(change.warehouseID), \(change.sku), \(onHand), 0, 0)
                """
            )
            return
        }
        throw ConflictError(conflict: .inventory(warehouseID: change.warehouseID, sku: change.sku))
    }

    /// Maps a uniqueness violation in `body` to `conflict`.
    static func guarded(_ conflict: Conflict, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw ConflictError(conflict: conflict)
        }
    }
}

import CrossdockDomain
import Foundation
import GRDB

/// Thrown inside a savepoint to roll one unit back.
struct ConflictError: Error {
    let conflict: Conflict
}

extension SQLiteStore {
    public func commit(_ unit: UnitOfWork) async throws -> CommitOutcome {
        let encoded = try EncodedUnit(unit)
        do {
            let sequences = try await writer.write { db in try Self.apply(encoded, db) }
            if let last = sequences.last { signal.publish(last) }
            return .committed(sequences: sequences)
        } catch let error as ConflictError {
            return .conflict(error.conflict)
        }
    }

    /// A unit with its documents already encoded, so the writer's critical section does no JSON work.
    struct EncodedUnit: Sendable {
        var unit: UnitOfWork
        var customers: [(Customer, Data)]
        var products: [(String, Data)]
        var warehouses: [(Warehouse, Data)]
        var priceLists: [(String, Data)]
        var orders: [(UnitOfWork.Write<SalesOrder>, Data)]
        var fulfillments: [(UnitOfWork.Write<FulfillmentOrder>, Data)]
        var shipments: [(Shipment, Data)]
        var times: [String]

        init(_ unit: UnitOfWork) throws {
            self.unit = unit
            customers = try unit.customers.map { ($0, try SQLiteStore.encode($0)) }
            products = try unit.products.map { ($0.sku, try SQLiteStore.encode($0)) }
            warehouses = try unit.warehouses.map { ($0, try SQLiteStore.encode($0)) }
            priceLists = try unit.priceLists.map { ($0.id, try SQLiteStore.encode($0)) }
            orders = try unit.orders.map { ($0, try SQLiteStore.encode($0.value)) }
            fulfillments = try unit.fulfillments.map { ($0, try SQLiteStore.encode($0.value)) }
            shipments = try unit.shipments.map { ($0, try SQLiteStore.encode($0)) }
            times = unit.events.map { JSONCoding.format($0.time) }
        }
    }

    static func apply(_ encoded: EncodedUnit, _ db: Database) throws -> [Int64] {
        let unit = encoded.unit
        if let record = unit.idempotency {
            try guarded(.idempotencyKey(record.key)) {
                try db.execute(literal: """
                    INSERT INTO idempotency_keys(scope, key, request_hash, status, body, created_at)
                    VALUES (\(record.scope), \(record.key), \(record.requestHash), \(record.status), \(record.body), \(record.createdAt.timeIntervalSince1970))
                    """)
            }
        }
        for (customer, doc) in encoded.customers {
            try db.execute(literal: """
                INSERT INTO customers(id, doc, currency, credit_limit, open_balance) VALUES
                (\(customer.id), \(doc), \(customer.creditLimit.currency.code), \(customer.creditLimit.minorUnits), \(customer.openBalance.minorUnits))
                ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, currency = excluded.currency,
                credit_limit = excluded.credit_limit, open_balance = excluded.open_balance
                """)
        }
        for (sku, doc) in encoded.products {
            try db.execute(literal: "INSERT INTO products(sku, doc) VALUES (\(sku), \(doc)) ON CONFLICT(sku) DO UPDATE SET doc = excluded.doc")
        }
        for (warehouse, doc) in encoded.warehouses {
            try db.execute(literal: """
                INSERT INTO warehouses(id, priority, doc) VALUES (\(warehouse.id), \(warehouse.priority), \(doc))
                ON CONFLICT(id) DO UPDATE SET priority = excluded.priority, doc = excluded.doc
                """)
        }
        for (id, doc) in encoded.priceLists {
            try db.execute(literal: "INSERT INTO price_lists(id, doc) VALUES (\(id), \(doc)) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc")
        }
        for (region, rate) in unit.taxRates.sorted(by: { $0.key < $1.key }) {
            try db.execute(literal: "INSERT INTO tax_rates(region, rate_ppm) VALUES (\(region), \(rate)) ON CONFLICT(region) DO UPDATE SET rate_ppm = excluded.rate_ppm")
        }
        for setting in unit.safetyStock {
            try db.execute(literal: """
                INSERT INTO balances(warehouse_id, sku, on_hand, reserved, safety_stock) VALUES (\(setting.warehouseID), \(setting.sku), 0, 0, \(setting.safetyStock))
                ON CONFLICT(sku, warehouse_id) DO UPDATE SET safety_stock = excluded.safety_stock
                """)
        }
        for change in unit.inventory { try applyInventory(change, db) }
        for reservation in unit.creditReservations {
            try db.execute(literal: """
                UPDATE customers SET open_orders = open_orders + \(reservation.amount.minorUnits)
                WHERE id = \(reservation.customerID) AND currency = \(reservation.amount.currency.code)
                AND open_balance + open_orders + \(reservation.amount.minorUnits) <= credit_limit
                """)
            if db.changesCount != 1 { throw ConflictError(conflict: .credit(customerID: reservation.customerID)) }
        }
        for (write, doc) in encoded.orders {
            let order = write.value
            if let expected = write.expectedVersion {
                try db.execute(literal: """
                    UPDATE orders SET status = \(order.status.rawValue), version = \(order.version), doc = \(doc)
                    WHERE id = \(order.id) AND version = \(expected)
                    """)
                if db.changesCount != 1 { throw ConflictError(conflict: .staleVersion(kind: "order", id: order.id)) }
            } else {
                try guarded(.externalOrder(channel: order.channel, externalID: order.externalID)) {
                    try db.execute(literal: """
                        INSERT INTO orders(id, channel, external_id, customer_id, status, version, doc)
                        VALUES (\(order.id), \(order.channel), \(order.externalID), \(order.customerID), \(order.status.rawValue), \(order.version), \(doc))
                        """)
                }
            }
        }
        for (write, doc) in encoded.fulfillments {
            let fulfillment = write.value
            if let expected = write.expectedVersion {
                try db.execute(literal: """
                    UPDATE fulfillment_orders SET status = \(fulfillment.status.rawValue), version = \(fulfillment.version), doc = \(doc)
                    WHERE id = \(fulfillment.id) AND version = \(expected)
                    """)
                if db.changesCount != 1 { throw ConflictError(conflict: .staleVersion(kind: "fulfillment_order", id: fulfillment.id)) }
            } else {
                try db.execute(literal: """
                    INSERT INTO fulfillment_orders(id, order_id, warehouse_id, status, version, doc)
                    VALUES (\(fulfillment.id), \(fulfillment.orderID), \(fulfillment.warehouseID), \(fulfillment.status.rawValue), \(fulfillment.version), \(doc))
                    """)
            }
        }
        for (shipment, doc) in encoded.shipments {
            try db.execute(literal: """
                INSERT INTO shipments(id, order_id, fulfillment_order_id, doc)
                VALUES (\(shipment.id), \(shipment.orderID), \(shipment.fulfillmentOrderID), \(doc))
                """)
        }
        var sequences: [Int64] = []
        sequences.reserveCapacity(unit.events.count)
        for (event, time) in zip(unit.events, encoded.times) {
            try db.execute(literal: """
                INSERT INTO events(id, type, subject, time, correlation_id, causation_id, data)
                VALUES (\(event.id), \(event.type.qualifiedName), \(event.subject), \(time), \(event.correlationID), \(event.causationID), \(event.data))
                """)
            sequences.append(db.lastInsertedRowID)
        }
        return sequences
    }

    /// Applies one guarded balance change; see ``InventoryChange``.
    static func applyInventory(_ change: InventoryChange, _ db: Database) throws {
        let onHand = change.onHandDelta
        let reserved = change.reservedDelta
        try db.execute(literal: """
            UPDATE balances SET on_hand = on_hand + \(onHand), reserved = reserved + \(reserved)
            WHERE sku = \(change.sku) AND warehouse_id = \(change.warehouseID)
            AND on_hand + \(onHand) >= 0 AND reserved + \(reserved) >= 0 AND reserved + \(reserved) <= on_hand + \(onHand)
            AND (\(reserved) <= 0 OR on_hand + \(onHand) - reserved - \(reserved) - safety_stock >= 0)
            """)
        if db.changesCount == 1 { return }
        let exists = try db.one(Bool.self, "SELECT 1 FROM balances WHERE sku = \(change.sku) AND warehouse_id = \(change.warehouseID)") ?? false
        if !exists, onHand >= 0, reserved == 0 {
            try db.execute(literal: """
                INSERT INTO balances(warehouse_id, sku, on_hand, reserved, safety_stock) VALUES (\(change.warehouseID), \(change.sku), \(onHand), 0, 0)
                """)
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

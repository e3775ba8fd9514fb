import CrossdockDomain
import Foundation
import NIOCore
import PostgresNIO
import Synchronization

extension PostgresStore {
    public func commit(_ unit: UnitOfWork) async throws -> CommitOutcome {
        let encoded = try EncodedUnit(unit)
        // The request's audit entry, when this is its first commit, is written in the unit's transaction.
        let audit = try AuditClaim()
        var committed = false
        defer { audit.settle(committed: committed) }
        let row = audit.row
        // A deadlock between two nodes' transactions aborts one of them; it wrote nothing, so it is simply run again.
        for attempt in 1...5 {
            do {
                let sequences = try await transaction { connection in
                    try await Self.lock(ContentionKeys(unit), connection)
                    let sequences = try await Self.apply(encoded, connection)
                    if let row { _ = try await Self.insertAudit(row, connection) }
                    return sequences
                }
                committed = true
                didCommit(unit, sequences: sequences)
                return .committed(sequences: sequences)
            } catch let error as ConflictError {
                return .conflict(error.conflict)
            } catch let error as PSQLError where Self.isRetryable(error) && attempt < 5 {
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
            }
        }
        preconditionFailure("unreachable: the last attempt returns or throws")
    }

    /// Holds the advisory locks of `keys` in one transaction, runs `decide`, and commits its unit in the same
    /// transaction. The decision's reads run on the same connection (a task-local hands it to every store call the
    /// decision makes), after the locks and before any write, so they see every commit made before the locks were
    /// granted, and the transaction gets its id, hence its events' positions, only after them. Every commit takes the
    /// advisory locks of the keys it touches (``commit(_:)``), so nothing can change them in between. A unit that touches
    /// keys outside `keys` takes them only if they are free (waiting could deadlock against a committer holding those
    /// and waiting for ours) and is decided again with them held; when one is taken, the turn ends as a conflict and the
    /// caller holds the union next time. The wait for the locks is bounded
    /// (`lock_timeout` 5 s), after which the whole transaction runs again.
    public func commitSerialized<R: Sendable>(
        _ keys: ContentionKeys,
        _ decide: @escaping @Sendable () async throws -> (UnitOfWork, R)
    ) async throws -> (CommitOutcome, R) {
        try await serializedTurns.withLock { try await serialized(keys, decide) }
    }

    private func serialized<R: Sendable>(
        _ keys: ContentionKeys,
        _ decide: @escaping @Sendable () async throws -> (UnitOfWork, R)
    ) async throws -> (CommitOutcome, R) {
        var attempt = 0
        // Read on the caller's side; the entry is claimed once the decision has noted its status.
        let auditContext = AuditContext.current
        while true {
            attempt += 1
            let box = ReplyBox<R>()
            let audit = AuditClaimHolder()
            var committed = false
            defer { audit.settle(committed: committed) }
            do {
                let sequences = try await transaction { connection -> [Int64]? in
                    // A bounded wait for the keys: a holder stuck longer gives its connection back and this runs again.
                    try await connection.run("SET LOCAL lock_timeout = '5s'")
                    try await Self.lock(keys, connection)
                    var held = keys
                    var (unit, reply) = try await Self.$heldConnection.withValue(connection) { try await decide() }
                    // A decision that reaches past the held keys (a fill of backorders picks orders that others keep
                    // changing) takes the extra keys without waiting, then decides again with them held; a key another
                    // transaction holds ends the turn as a conflict, and the caller waits for the union next time.
                    for _ in 0..<Self.heldSetGrowth {
                        let extra = ContentionKeys(names: ContentionKeys(unit).names.subtracting(held.names))
                        guard !extra.isEmpty else { break }
                        guard try await Self.tryLock(extra, connection) else { break }
                        held.formUnion(extra)
                        (unit, reply) = try await Self.$heldConnection.withValue(connection) { try await decide() }
                    }
                    box.set(reply, unit)
                    guard held.covers(ContentionKeys(unit)) else { return nil }
                    let sequences = try await Self.apply(try EncodedUnit(unit), connection)
                    if let row = try audit.claim(auditContext) { _ = try await Self.insertAudit(row, connection) }
                    return sequences
                }
                committed = sequences != nil
                guard let (reply, unit) = box.take() else { throw CancellationError() }
                guard let sequences else { return (.conflict(.staleVersion(kind: "contention keys", id: "outside the held set")), reply) }
                didCommit(unit, sequences: sequences)
                return (.committed(sequences: sequences), reply)
            } catch let error as ConflictError {
                guard let (reply, _) = box.take() else { throw error }
                return (.conflict(error.conflict), reply)
            } catch let error as PSQLError where Self.isRetryable(error) && attempt < 5 {
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
            }
        }
    }

    /// Local effects of a commit: wake this node's waiters at once and empty its caches.
    private func didCommit(_ unit: UnitOfWork, sequences: [Int64]) {
        if unit.changesMasterData { cache.invalidate() }
        if let last = sequences.max() { signal.publish(last) }
    }

    /// Deadlocks and serialization failures: the transaction was rolled back and may run again.
    static func isRetryable(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001" || state == "55P03"
    }

    /// How many times one serialized turn may take more keys and decide again before it gives up as a conflict.
    static let heldSetGrowth = 4

    /// Takes the advisory locks of `keys` that are free, without waiting; whether all of them were.
    static func tryLock(_ keys: ContentionKeys, _ connection: PostgresConnection) async throws -> Bool {
        let taken = try await connection.one(
            Bool.self,
            "SELECT bool_and(pg_try_advisory_xact_lock(k)) FROM unnest(\(keys.lockIDs)::bigint[]) AS t(k)"
        )
        return taken ?? false
    }

    /// Takes the transaction-scoped advisory locks of `keys`, in ascending order (every holder takes them in the same
    /// order, so these locks alone never deadlock).
    static func lock(_ keys: ContentionKeys, _ connection: PostgresConnection) async throws {
        let ids = keys.lockIDs
        guard !ids.isEmpty else { return }
        try await connection.run("SELECT pg_advisory_xact_lock(k) FROM unnest(\(ids)::bigint[]) AS t(k)")
    }

    /// Writes `encoded` on `connection`, inside its transaction; throws ``ConflictError`` when a guard fails.
    static func apply(_ encoded: EncodedUnit, _ connection: PostgresConnection) async throws -> [Int64] {
        let unit = encoded.unit
        if let record = unit.idempotency {
            let inserted = try await connection.count(
                """
                INSERT INTO idempotency_keys(scope, key, request_hash, status, body, created_at)
                VALUES (\(record.scope), \(record.key), \(record.requestHash), \(record.status), \(record.body), \(record.createdAt.timeIntervalSince1970))
                ON CONFLICT DO NOTHING RETURNING 1
                """
            )
            if inserted == 0 { throw ConflictError(conflict: .idempotencyKey(record.key)) }
        }
        try await applyMasterData(encoded, connection)
        var dirty = Set<String>()
        for change in unit.inventory {
            try await applyInventory(change, connection)
            dirty.insert(change.sku)
        }
        for setting in unit.safetyStock { dirty.insert(setting.sku) }
        if !dirty.isEmpty {
            // DO UPDATE … WHERE false writes nothing but locks a row that is already there until this transaction ends:
            // the publisher (FOR UPDATE SKIP LOCKED) then skips the SKU instead of publishing the figures before this
            // change and deleting the mark this change relies on. A row the publisher holds makes this insert wait, then
            // mark the SKU again once the publisher's delete commits.
            try await connection.run(
                """
                INSERT INTO availability_dirty(sku, first_changed_at) SELECT s, \(encoded.now) FROM unnest(\(dirty.sorted())::text[]) AS t(s)
                ON CONFLICT (sku) DO UPDATE SET first_changed_at = availability_dirty.first_changed_at WHERE false
                """
            )
        }
        for change in unit.creditChanges {
            let changed = try await connection.count(
                """
                UPDATE customers SET open_orders = open_orders + \(change.openOrdersDelta), open_balance = open_balance + \(change.openBalanceDelta)
                WHERE id = \(change.customerID) RETURNING 1
                """
            )
            if changed != 1 { throw ConflictError(conflict: .missing(kind: "customer", id: change.customerID)) }
        }
        for reservation in unit.creditReservations {
            let amount = reservation.amount.minorUnits
            let changed = try await connection.count(
                """
                UPDATE customers SET open_orders = open_orders + \(amount)
                WHERE id = \(reservation.customerID) AND currency = \(reservation.amount.currency.code)
                AND open_balance + open_orders + \(amount) <= credit_limit RETURNING 1
                """
            )
            if changed != 1 { throw ConflictError(conflict: .credit(customerID: reservation.customerID)) }
        }
        try await applyAggregates(encoded, connection)
        try await applyDocuments(encoded, connection)
        try await applyConnectorWrites(unit, connection)
        try await applyFeedWrites(encoded, connection)
        for (message, doc) in encoded.inboundMessages {
            try await connection.run(
                """
                INSERT INTO inbound_messages(order_id, received_at, doc) VALUES (\(message.orderID), \(message.receivedAt.timeIntervalSince1970), \(doc))
                ON CONFLICT(order_id) DO NOTHING
                """
            )
        }
        let sequences = try await appendEvents(unit.events, times: encoded.times, traceparent: encoded.traceparent, connection)
        if unit.changesMasterData {
            try await connection.run("UPDATE hub_state SET master_version = master_version + 1 WHERE id = 1")
            try await connection.run("SELECT pg_notify('crossdock_cache', 'master')")
        }
        return sequences
    }

    /// Appends `events` in one statement: `seq = txid << 20 | n` (see ``PostgresStore``), each with `traceparent`, and
    /// notifies listeners, who hear it when the transaction commits.
    static func appendEvents(
        _ events: [EventDraft],
        times: [String],
        traceparent: String? = nil,
        _ connection: PostgresConnection
    ) async throws -> [Int64] {
        guard !events.isEmpty else { return [] }
        precondition(events.count < 1 << 20, "a unit appends fewer than 2^20 events")
        let sequences = try await connection.all(
            Int64.self,
            """
            INSERT INTO events(seq, id, type, subject, time, correlation_id, causation_id, data, traceparent)
            SELECT (pg_current_xact_id()::text::bigint << 20) + t.n, t.id, t.type, t.subject, t.time, t.correlation, NULLIF(t.causation, ''), t.data,
                \(traceparent)::text
            FROM unnest(\(events.map(\.id))::text[], \(events.map(\.type.qualifiedName))::text[], \(events.map(\.subject))::text[],
                \(times)::text[], \(events.map(\.correlationID))::text[], \(events.map { $0.causationID ?? "" })::text[],
                \(events.map { $0.data.buffer })::bytea[]) WITH ORDINALITY AS t(id, type, subject, time, correlation, causation, data, n)
            RETURNING seq
            """
        ).sorted()
        try await connection.run("SELECT pg_notify('crossdock_events', \(String(sequences.last ?? 0)))")
        return sequences
    }

    private static func applyMasterData(_ encoded: EncodedUnit, _ connection: PostgresConnection) async throws {
        let unit = encoded.unit
        // One statement per table whatever the unit's size (a feed batch may carry 100 000 products): a round trip
        // per row would hold the transaction for minutes.
        if !encoded.customers.isEmpty {
            let customers = encoded.customers.map(\.0)
            try await connection.run(
                """
                INSERT INTO customers(id, doc, currency, credit_limit, open_balance)
                SELECT * FROM unnest(\(customers.map(\.id))::text[], \(encoded.customers.map { ByteBuffer(bytes: $0.1) })::bytea[],
                    \(customers.map(\.creditLimit.currency.code))::text[], \(customers.map(\.creditLimit.minorUnits))::bigint[],
                    \(customers.map(\.openBalance.minorUnits))::bigint[])
                ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, currency = excluded.currency, credit_limit = excluded.credit_limit,
                open_balance = CASE WHEN excluded.id = ANY(\(unit.preservedOpenBalances.sorted())::text[]) THEN customers.open_balance
                    ELSE excluded.open_balance END
                """
            )
        }
        if !encoded.products.isEmpty {
            let skus = encoded.products.map(\.0)
            try await connection.run(
                """
                INSERT INTO products(sku, doc) SELECT * FROM unnest(\(skus)::text[], \(encoded.products.map { ByteBuffer(bytes: $0.1) })::bytea[])
                ON CONFLICT(sku) DO UPDATE SET doc = excluded.doc
                """
            )
            try await connection.run("DELETE FROM product_gtins WHERE sku = ANY(\(skus)::text[])")
            // The item's own GTIN and those of its pack levels (a case's GTIN-14) all find the SKU; a GTIN claimed
            // twice in the unit goes to the later product, as one statement per product would leave it.
            var gtins: [String: String] = [:]
            var order: [String] = []
            for product in unit.products {
                for gtin in [product.gtin] + product.units.map(\.gtin) {
                    guard let gtin, !gtin.isEmpty else { continue }
                    if gtins.updateValue(product.sku, forKey: gtin) == nil { order.append(gtin) }
                }
            }
            if !order.isEmpty {
                try await connection.run(
                    """
                    INSERT INTO product_gtins(gtin, sku) SELECT * FROM unnest(\(order)::text[], \(order.map { gtins[$0]! })::text[])
                    ON CONFLICT(gtin) DO UPDATE SET sku = excluded.sku
                    """
                )
            }
        }
        for (warehouse, doc) in encoded.warehouses {
            try await connection.run(
                """
                INSERT INTO warehouses(id, priority, doc) VALUES (\(warehouse.id), \(warehouse.priority), \(doc))
                ON CONFLICT(id) DO UPDATE SET priority = excluded.priority, doc = excluded.doc
                """
            )
        }
        for (id, doc) in encoded.priceLists {
            try await connection.run("INSERT INTO price_lists(id, doc) VALUES (\(id), \(doc)) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc")
        }
        for (id, doc) in encoded.legalEntities {
            try await connection.run("INSERT INTO legal_entities(id, doc) VALUES (\(id), \(doc)) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc")
        }
        for (region, rate) in unit.taxRates.sorted(by: { $0.key < $1.key }) {
            try await connection.run(
                "INSERT INTO tax_rates(region, rate_ppm) VALUES (\(region), \(rate)) ON CONFLICT(region) DO UPDATE SET rate_ppm = excluded.rate_ppm"
            )
        }
        for setting in unit.safetyStock {
            try await connection.run(
                """
                INSERT INTO balances(warehouse_id, sku, on_hand, reserved, safety_stock) VALUES (\(setting.warehouseID), \(setting.sku), 0, 0, \(setting.safetyStock))
                ON CONFLICT(sku, warehouse_id) DO UPDATE SET safety_stock = excluded.safety_stock
                """
            )
        }
        for (region, ids) in encoded.regionPreferences {
            try await connection.run(
                "INSERT INTO region_preferences(region, warehouse_ids) VALUES (\(region), \(ids)) ON CONFLICT(region) DO UPDATE SET warehouse_ids = excluded.warehouse_ids"
            )
        }
    }

    /// Applies one guarded balance change; see ``InventoryChange``.
    private static func applyInventory(_ change: InventoryChange, _ connection: PostgresConnection) async throws {
        let onHand = Int64(change.onHandDelta)
        let reserved = Int64(change.reservedDelta)
        let changed = try await connection.count(
            """
            UPDATE balances SET on_hand = on_hand + \(onHand), reserved = reserved + \(reserved)
            WHERE sku = \(change.sku) AND warehouse_id = \(change.warehouseID)
            AND on_hand + \(onHand) >= 0 AND reserved + \(reserved) >= 0 AND reserved + \(reserved) <= on_hand + \(onHand)
            AND (\(reserved) <= 0 OR on_hand + \(onHand) - reserved - \(reserved) - safety_stock >= 0)
            RETURNING 1
            """
        )
        if changed == 1 { return }
        if onHand >= 0, reserved == 0 {
            let inserted = try await connection.count(
                """
                INSERT INTO balances(warehouse_id, sku, on_hand, reserved, safety_stock) VALUES (\(change.warehouseID), \(change.sku), \(onHand), 0, 0)
                ON CONFLICT DO NOTHING RETURNING 1
                """
            )
            if inserted == 1 { return }
        }
        throw ConflictError(conflict: .inventory(warehouseID: change.warehouseID, sku: change.sku))
    }

    /// Orders, fulfilment orders and shipments: inserts, or updates at the version they were read at.
    private static func applyAggregates(_ encoded: EncodedUnit, _ connection: PostgresConnection) async throws {
        for (write, doc) in encoded.orders {
            let order = write.value
            if let expected = write.expectedVersion {
                try await versioned(
                    connection,
                    """
                    UPDATE orders SET status = \(order.status.rawValue), version = \(order.version), doc = \(doc)
                    WHERE id = \(order.id) AND version = \(expected) RETURNING 1
                    """,
                    kind: "order",
                    id: order.id
                )
                try await connection.run("DELETE FROM backorders WHERE order_id = \(order.id)")
            } else {
                let inserted = try await connection.count(
                    """
                    INSERT INTO orders(id, channel, external_id, customer_id, status, version, doc, partner, customer_po)
                    VALUES (\(order.id), \(order.channel), \(order.externalID), \(order.customerID), \(order.status.rawValue), \(order.version), \(doc),
                    \(order.channelRef?.partner), \(order.customerPO))
                    ON CONFLICT DO NOTHING RETURNING 1
                    """
                )
                if inserted == 0 { throw ConflictError(conflict: .externalOrder(channel: order.channel, externalID: order.externalID)) }
            }
            let waiting = order.status == .onHold ? [] : order.lines.filter { $0.backordered > 0 }
            if !waiting.isEmpty {
                try await connection.run(
                    """
                    INSERT INTO backorders(order_id, line_no, sku, quantity, promised_date)
                    SELECT \(order.id), t.line, t.sku, t.quantity, NULLIF(t.promised, '')
                    FROM unnest(\(waiting.map { $0.lineNo })::bigint[], \(waiting.map(\.sku))::text[], \(waiting.map { Int64($0.backordered) })::bigint[],
                        \(waiting.map { $0.promisedDate ?? "" })::text[]) AS t(line, sku, quantity, promised)
                    """
                )
            }
        }
        for (write, doc) in encoded.fulfillments {
            let fulfillment = write.value
            if let expected = write.expectedVersion {
                try await versioned(
                    connection,
                    """
                    UPDATE fulfillment_orders SET status = \(fulfillment.status.rawValue), version = \(fulfillment.version), doc = \(doc)
                    WHERE id = \(fulfillment.id) AND version = \(expected) RETURNING 1
                    """,
                    kind: "fulfillment_order",
                    id: fulfillment.id
                )
            } else {
                try await connection.run(
                    """
                    INSERT INTO fulfillment_orders(id, order_id, warehouse_id, status, version, doc)
                    VALUES (\(fulfillment.id), \(fulfillment.orderID), \(fulfillment.warehouseID), \(fulfillment.status.rawValue), \(fulfillment.version), \(doc))
                    """
                )
            }
        }
        for (write, doc) in encoded.shipments {
            let shipment = write.value
            if let expected = write.expectedVersion {
                try await versioned(
                    connection,
                    "UPDATE shipments SET version = \(shipment.version), doc = \(doc) WHERE id = \(shipment.id) AND version = \(expected) RETURNING 1",
                    kind: "shipment",
                    id: shipment.id
                )
            } else {
                try await connection.run(
                    """
                    INSERT INTO shipments(id, order_id, fulfillment_order_id, version, doc)
                    VALUES (\(shipment.id), \(shipment.orderID), \(shipment.fulfillmentOrderID), \(shipment.version), \(doc))
                    """
                )
                let numbers = Set(shipment.packages.map(\.trackingNumber)).sorted()
                try await connection.run(
                    """
                    INSERT INTO shipment_tracking_numbers(tracking_number, shipment_id) SELECT n, \(shipment.id) FROM unnest(\(numbers)::text[]) AS t(n)
                    ON CONFLICT DO NOTHING
                    """
                )
            }
        }
    }

    /// Receipts, invoices, credit memos, returns and operations exceptions.
    private static func applyDocuments(_ encoded: EncodedUnit, _ connection: PostgresConnection) async throws {
        for (write, doc) in encoded.receipts {
            let receipt = write.value
            if let expected = write.expectedVersion {
                try await versioned(
                    connection,
                    """
                    UPDATE scheduled_receipts SET status = \(receipt.status.rawValue), version = \(receipt.version), doc = \(doc)
                    WHERE id = \(receipt.id) AND version = \(expected) RETURNING 1
                    """,
                    kind: "receipt",
                    id: receipt.id
                )
            } else {
                try await connection.run(
                    """
                    INSERT INTO scheduled_receipts(id, warehouse_id, sku, status, expected_date, version, doc)
                    VALUES (\(receipt.id), \(receipt.warehouseID), \(receipt.sku), \(receipt.status.rawValue), \(receipt.expectedDate.description),
                    \(receipt.version), \(doc))
                    """
                )
            }
        }
        for (invoice, doc) in encoded.invoices {
            try await connection.run(
                """
                INSERT INTO invoices(id, number, order_id, shipment_id, customer_id, total, doc)
                VALUES (\(invoice.id), \(invoice.number), \(invoice.orderID), \(invoice.shipmentID), \(invoice.customerID), \(invoice.total.minorUnits), \(doc))
                """
            )
        }
        for (memo, doc) in encoded.creditMemos {
            try await connection.run(
                """
                INSERT INTO credit_memos(id, number, order_id, return_id, customer_id, total, doc)
                VALUES (\(memo.id), \(memo.number), \(memo.orderID), \(memo.returnID), \(memo.customerID), \(memo.total.minorUnits), \(doc))
                """
            )
        }
        for (write, doc) in encoded.returns {
            let rma = write.value
            if let expected = write.expectedVersion {
                try await versioned(
                    connection,
                    """
                    UPDATE returns SET status = \(rma.status.rawValue), version = \(rma.version), doc = \(doc)
                    WHERE id = \(rma.id) AND version = \(expected) RETURNING 1
                    """,
                    kind: "return",
                    id: rma.id
                )
            } else {
                try await connection.run(
                    """
                    INSERT INTO returns(id, number, order_id, status, version, doc)
                    VALUES (\(rma.id), \(rma.number), \(rma.orderID), \(rma.status.rawValue), \(rma.version), \(doc))
                    """
                )
            }
        }
        for (write, doc) in encoded.exceptions {
            let exception = write.value
            if let expected = write.expectedVersion {
                try await versioned(
                    connection,
                    """
                    UPDATE operations_exceptions SET status = \(exception.status.rawValue), version = \(exception.version), doc = \(doc),
                        alert_pending = \(exception.awaitsResolvedAlert)
                    WHERE id = \(exception.id) AND version = \(expected) RETURNING 1
                    """,
                    kind: "exception",
                    id: exception.id
                )
            } else {
                try await connection.run(
                    """
                    INSERT INTO operations_exceptions(id, kind, order_id, status, version, doc, watchdog_key)
                    VALUES (\(exception.id), \(exception.kind.rawValue), \(exception.orderID), \(exception.status.rawValue), \(exception.version), \(doc),
                        \(exception.watchdogKey))
                    """
                )
            }
        }
    }

    /// Runs a versioned `UPDATE … RETURNING 1`; a stale version is a conflict.
    private static func versioned(_ connection: PostgresConnection, _ query: PostgresQuery, kind: String, id: String) async throws {
        if try await connection.count(query) != 1 { throw ConflictError(conflict: .staleVersion(kind: kind, id: id)) }
    }

    /// Writes a unit's outbound EDI and moves its connector cursor.
    static func applyConnectorWrites(_ unit: UnitOfWork, _ connection: PostgresConnection) async throws {
        if let cursor = unit.cursor {
            try await connection.run("INSERT INTO connector_cursors(name, seq) VALUES (\(cursor.name), 0) ON CONFLICT DO NOTHING")
            let moved = try await connection.count(
                "UPDATE connector_cursors SET seq = \(cursor.to) WHERE name = \(cursor.name) AND seq = \(cursor.from) RETURNING 1"
            )
            if moved != 1 { throw ConflictError(conflict: .cursorMoved(cursor.name)) }
        }
        for write in unit.ediOutbound {
            _ = try await insert(write.interchange, connection, orIgnore: false)
            for document in write.documents {
                guard try await insert(document, connection) else {
                    throw ConflictError(conflict: .duplicateDocument("\(document.partnerID)/\(document.transactionSet)/\(document.reference)"))
                }
            }
        }
    }
}

/// Carries a decision's reply (and its unit) out of a transaction closure.
final class ReplyBox<R: Sendable>: Sendable {
    private let value = Mutex<(R, UnitOfWork)?>(nil)

    func set(_ reply: R, _ unit: UnitOfWork) {
        value.withLock { $0 = (reply, unit) }
    }

    func take() -> (R, UnitOfWork)? {
        value.withLock { $0 }
    }
}

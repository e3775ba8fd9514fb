import CrossdockDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    public func customer(_ id: String) async throws -> Customer? {
        try await withConnection { try await Self.customer($0, id) }
    }

    public func creditStanding(_ customerID: String) async throws -> CreditStanding? {
        try await withConnection { connection in
            guard let customer = try await Self.customer(connection, customerID) else { return nil }
            return CreditStanding(customer: customer, openOrders: try await Self.openOrders(connection, customer))
        }
    }

    public func product(_ sku: String) async throws -> Product? {
        try await withConnection { connection in
            try await connection.one(Data.self, "SELECT doc FROM products WHERE sku = \(sku)").map { try Self.decode(Product.self, $0) }
        }
    }

    public func warehouses() async throws -> [Warehouse] {
        try await withConnection { try await Self.warehouses($0) }
    }

    public func legalEntities() async throws -> [LegalEntity] {
        try await withConnection { try await Self.legalEntities($0) }
    }

    public func priceList(_ id: String) async throws -> PriceList? {
        try await withConnection { try await Self.priceList($0, id) }
    }

    public func balances(sku: String) async throws -> [InventoryBalance] {
        try await withConnection { try await Self.balances($0, skus: [sku]) }
    }

    public func allBalances() async throws -> [InventoryBalance] {
        try await withConnection { connection in
            try await connection.rows("SELECT warehouse_id, sku, on_hand, reserved, safety_stock FROM balances ORDER BY sku, warehouse_id").map(
                Self.balance
            )
        }
    }

    public func intakeSnapshot(
        customerID: String,
        skus: [String],
        channel: String,
        externalID: String,
        idempotency: (scope: String, key: String)?
    ) async throws -> IntakeSnapshot {
        let cache = self.cache
        let generation = cache.generation
        let key = idempotency.map { [$0.scope, $0.key] }
        return try await withConnection { connection in
            let record = try await key.asyncFlatMap { try await Self.idempotencyRecord(connection, scope: $0[0], key: $0[1]) }
            let existing =
                Self.canBeStored(channel, externalID)
                ? try await connection.one(String.self, "SELECT id FROM orders WHERE channel = \(channel) AND external_id = \(externalID)") : nil
            // Receivables and open orders move with every order and invoice: always read fresh.
            let figures =
                Self.canBeStored(customerID)
                ? try await connection.rows("SELECT doc, open_balance, open_orders FROM customers WHERE id = \(customerID)").first?.columns : nil
            var customer: Customer?
            var openOrders: Money?
            if let figures {
                var found =
                    try cache.customer(customerID)
                    ?? {
                        let decoded = try Self.decode(Customer.self, try figures.get(0, Data.self))
                        cache.store(customer: decoded, generation: generation)
                        return decoded
                    }()
                let currency = found.creditLimit.currency
                found.openBalance = Money(try figures.get(1, Int64.self), currency)
                openOrders = Money(try figures.get(2, Int64.self), currency)
                customer = found
            }
            var products: [String: Product] = [:]
            var missing: [String] = []
            for sku in Set(skus) {
                if let product = cache.product(sku) { products[sku] = product } else { missing.append(sku) }
            }
            if !missing.isEmpty {
                for data in try await connection.all(Data.self, "SELECT doc FROM products WHERE sku = ANY(\(missing)::text[])") {
                    let product = try Self.decode(Product.self, data)
                    cache.store(product: product, generation: generation)
                    products[product.sku] = product
                }
            }
            var priceList: PriceList?
            if let id = customer?.priceListID {
                priceList = cache.priceList(id)
                if priceList == nil, let loaded = try await Self.priceList(connection, id) {
                    cache.store(priceList: loaded, generation: generation)
                    priceList = loaded
                }
            }
            var taxRates = cache.taxRates
            if taxRates == nil {
                var rates: [String: Int64] = [:]
                for row in try await connection.rows("SELECT region, rate_ppm FROM tax_rates") {
                    let (region, rate) = try row.decode((String, Int64).self)
                    rates[region] = rate
                }
                let table = TaxRateTable(ratesPPM: rates)
                cache.store(taxRates: table, generation: generation)
                taxRates = table
            }
            var legalEntity: LegalEntity?
            if let id = customer?.legalEntityID {
                var entities = cache.legalEntities
                if entities == nil {
                    let all = Dictionary(try await Self.legalEntities(connection).map { ($0.id, $0) }) { $1 }
                    cache.store(legalEntities: all, generation: generation)
                    entities = all
                }
                legalEntity = entities?[id]
            }
            var warehouses = cache.warehouses
            if warehouses == nil {
                let list = try await Self.warehouses(connection)
                cache.store(warehouses: list, generation: generation)
                warehouses = list
            }
            return IntakeSnapshot(
                customer: customer,
                openOrders: openOrders,
                products: products,
                priceList: priceList,
                taxRates: taxRates ?? TaxRateTable(ratesPPM: [:]),
                legalEntity: legalEntity,
                warehouses: warehouses ?? [],
                balances: try await Self.balances(connection, skus: Array(products.keys)),
                existingOrderID: existing,
                idempotencyRecord: record
            )
        }
    }

    public func order(_ id: String) async throws -> SalesOrder? {
        try await document(SalesOrder.self, "SELECT doc FROM orders WHERE id = \(id)")
    }

    public func orderID(channel: String, externalID: String) async throws -> String? {
        guard Self.canBeStored(channel, externalID) else { return nil }
        return try await withConnection {
            try await $0.one(String.self, "SELECT id FROM orders WHERE channel = \(channel) AND external_id = \(externalID)")
        }
    }

    public func orders(_ query: OrderQuery) async throws -> (orders: [SalesOrder], next: Int64?) {
        try await withConnection { connection in
            let rows = try await connection.rows(
                """
                SELECT pos, doc FROM orders
                WHERE (\(query.status?.rawValue)::text IS NULL OR status = \(query.status?.rawValue))
                AND (\(query.customerID)::text IS NULL OR customer_id = \(query.customerID))
                AND (\(query.channel)::text IS NULL OR channel = \(query.channel))
                AND (\(query.partner)::text IS NULL OR partner = \(query.partner))
                AND (\(query.afterCursor)::bigint IS NULL OR pos < \(query.afterCursor))
                ORDER BY pos DESC LIMIT \(query.limit)
                """
            )
            var orders: [SalesOrder] = []
            var last: Int64?
            for row in rows {
                let (pos, doc) = try row.decode((Int64, Data).self)
                orders.append(try Self.decode(SalesOrder.self, doc))
                last = pos
            }
            return (orders, rows.count == query.limit ? last : nil)
        }
    }

    public func orderCounts() async throws -> [OrderStatus: Int] {
        try await withConnection { connection in
            var counts: [OrderStatus: Int] = [:]
            for row in try await connection.rows("SELECT status, COUNT(*)::bigint FROM orders GROUP BY status") {
                let (status, count) = try row.decode((String, Int).self)
                if let status = OrderStatus(rawValue: status) { counts[status] = count }
            }
            return counts
        }
    }

    public func fulfillment(_ id: String) async throws -> FulfillmentOrder? {
        try await document(FulfillmentOrder.self, "SELECT doc FROM fulfillment_orders WHERE id = \(id)")
    }

    public func fulfillments(orderID: String) async throws -> [FulfillmentOrder] {
        try await documents(FulfillmentOrder.self, "SELECT doc FROM fulfillment_orders WHERE order_id = \(orderID) ORDER BY pos")
    }

    public func shipment(_ id: String) async throws -> Shipment? {
        try await document(Shipment.self, "SELECT doc FROM shipments WHERE id = \(id)")
    }

    public func shipments(orderID: String) async throws -> [Shipment] {
        try await documents(Shipment.self, "SELECT doc FROM shipments WHERE order_id = \(orderID) ORDER BY pos")
    }

    public func idempotencyRecord(scope: String, key: String) async throws -> IdempotencyRecord? {
        try await withConnection { try await Self.idempotencyRecord($0, scope: scope, key: key) }
    }

    public func events(after: Int64, limit: Int) async throws -> [CloudEvent] {
        try await withConnection { connection in
            let fence = try await Self.fence(connection, catchUp: true)
            return try await connection.rows(
                """
                SELECT seq, id, type, subject, time, correlation_id, causation_id, data, traceparent FROM events
                WHERE seq > \(after) AND seq < \(fence) ORDER BY seq LIMIT \(limit)
                """
            ).map { try EventEnvelope.cloudEvent(try Self.storedEvent($0)) }
        }
    }

    public func events(after: Int64, limit: Int, types: Set<String>) async throws -> EventScan {
        try await withConnection { connection in
            let fence = try await Self.fence(connection, catchUp: false)
            // One statement: how far the scan reaches, and the wanted events up to there (one row of NULLs when none
            // is wanted). Every position below the fence is settled, so both halves see the same range.
            let rows = try await connection.rows(
                """
                WITH scan AS (SELECT seq FROM events WHERE seq > \(after) AND seq < \(fence) ORDER BY seq LIMIT \(limit)),
                bound AS (SELECT count(*) AS n, max(seq) AS last FROM scan)
                SELECT b.n, b.last, e.seq, e.id, e.type, e.subject, e.time, e.correlation_id, e.causation_id, e.data, e.traceparent
                FROM bound b LEFT JOIN events e ON e.seq > \(after) AND e.seq <= b.last AND e.type = ANY(\(types.sorted()))
                ORDER BY e.seq
                """
            )
            var scan = EventScan(events: [], reached: after, scanned: 0)
            for row in rows {
                let (count, last, seq) = try row.decode((Int64, Int64?, Int64?).self)
                scan.scanned = Int(count)
                scan.reached = last ?? after
                guard seq != nil else { continue }
                let stored = try Self.storedEvent(row, from: 2)
                scan.events.append(try EventEnvelope.cloudEvent(stored))
            }
            return scan
        }
    }

    public func events(after: Int64, limit: Int, visibleTo partner: String) async throws -> EventScan {
        try await withConnection { connection in
            let fence = try await Self.fence(connection, catchUp: true)
            let rows = try await connection.rows(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT e.seq, e.id, e.type, e.subject, e.time, e.correlation_id, e.causation_id, e.data, e.traceparent,
                        \(PartnerVisibility.predicate(placeholder: "$1")) AS visible
                        FROM events e WHERE e.seq > $2 AND e.seq < $3 ORDER BY e.seq LIMIT $4
                        """,
                    binds: try Self.binds(partner, after, fence, Int64(limit))
                )
            )
            var scan = EventScan(events: [], reached: after, scanned: rows.count)
            for row in rows {
                let stored = try Self.storedEvent(row)
                scan.reached = stored.sequence
                if try row.columns.get(9, Bool.self) { scan.events.append(try EventEnvelope.cloudEvent(stored)) }
            }
            return scan
        }
    }

    public func lastSequence() async throws -> Int64 {
        try await withConnection { connection in
            let fence = try await Self.fence(connection, catchUp: true)
            return try await connection.one(Int64.self, "SELECT seq FROM events WHERE seq < \(fence) ORDER BY seq DESC LIMIT 1") ?? 0
        }
    }

    public func waitForEvents(after sequence: Int64, timeout: Duration) async {
        await signal.wait(after: sequence, timeout: timeout)
    }

    // MARK: Row mapping

    /// Binds for a query written with `$n` placeholders.
    static func binds(_ values: any PostgresEncodable...) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { try bindings.append(value) }
        return bindings
    }

    /// The event in `row`'s columns `seq, id, type, subject, time, correlation_id, causation_id, data, traceparent`, the
    /// first at `offset`.
    static func storedEvent(_ row: PostgresRow, from offset: Int = 0) throws -> EventEnvelope.Stored {
        let columns = row.columns
        return EventEnvelope.Stored(
            sequence: try columns.get(offset),
            id: try columns.get(offset + 1),
            type: try columns.get(offset + 2),
            subject: try columns.get(offset + 3),
            time: try columns.get(offset + 4),
            correlationID: try columns.get(offset + 5),
            causationID: try columns.get(offset + 6),
            data: try columns.get(offset + 7),
            traceparent: try columns.get(offset + 8)
        )
    }

    func document<T: Decodable & Sendable>(_ type: T.Type, _ query: PostgresQuery) async throws -> T? {
        try await withConnection { connection in try await connection.one(Data.self, query).map { try Self.decode(T.self, $0) } }
    }

    func documents<T: Decodable & Sendable>(_ type: T.Type, _ query: PostgresQuery) async throws -> [T] {
        try await withConnection { connection in try await connection.all(Data.self, query).map { try Self.decode(T.self, $0) } }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        try JSONCoding.decoder().decode(type, from: data)
    }

    static func idempotencyRecord(_ connection: PostgresConnection, scope: String, key: String) async throws -> IdempotencyRecord? {
        guard
            let row = try await connection.rows(
                "SELECT request_hash, status, body, created_at FROM idempotency_keys WHERE scope = \(scope) AND key = \(key)"
            ).first
        else { return nil }
        let (hash, status, body, created) = try row.decode((String, Int, Data, Double).self)
        return IdempotencyRecord(
            scope: scope,
            key: key,
            requestHash: hash,
            status: status,
            body: body,
            createdAt: Date(timeIntervalSince1970: created)
        )
    }

    static func customer(_ connection: PostgresConnection, _ id: String) async throws -> Customer? {
        guard let row = try await connection.rows("SELECT doc, open_balance FROM customers WHERE id = \(id)").first else { return nil }
        let (doc, balance) = try row.decode((Data, Int64).self)
        var customer = try decode(Customer.self, doc)
        customer.openBalance = Money(balance, customer.creditLimit.currency)
        return customer
    }

    static func openOrders(_ connection: PostgresConnection, _ customer: Customer) async throws -> Money {
        Money(try await connection.one(Int64.self, "SELECT open_orders FROM customers WHERE id = \(customer.id)") ?? 0, customer.creditLimit.currency)
    }

    static func legalEntities(_ connection: PostgresConnection) async throws -> [LegalEntity] {
        try await connection.all(Data.self, "SELECT doc FROM legal_entities ORDER BY id").map { try decode(LegalEntity.self, $0) }
    }

    static func warehouses(_ connection: PostgresConnection) async throws -> [Warehouse] {
        try await connection.all(Data.self, "SELECT doc FROM warehouses ORDER BY priority, id").map { try decode(Warehouse.self, $0) }
    }

    static func priceList(_ connection: PostgresConnection, _ id: String) async throws -> PriceList? {
        try await connection.one(Data.self, "SELECT doc FROM price_lists WHERE id = \(id)").map { try decode(PriceList.self, $0) }
    }

    static func balances(_ connection: PostgresConnection, skus: [String]) async throws -> [InventoryBalance] {
        guard !skus.isEmpty else { return [] }
        return try await connection.rows(
            "SELECT warehouse_id, sku, on_hand, reserved, safety_stock FROM balances WHERE sku = ANY(\(skus)::text[]) ORDER BY sku, warehouse_id"
        ).map(balance)
    }

    static func balance(_ row: PostgresRow) throws -> InventoryBalance {
        let (warehouse, sku, onHand, reserved, safety) = try row.decode((String, String, Int, Int, Int).self)
        return InventoryBalance(warehouseID: warehouse, sku: sku, onHand: onHand, reserved: reserved, safetyStock: safety)
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

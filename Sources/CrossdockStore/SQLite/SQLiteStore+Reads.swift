import CrossdockDomain
import Foundation
import GRDB

extension SQLiteStore {
    public func customer(_ id: String) async throws -> Customer? {
        try await pool.read { db in try Self.customer(db, id) }
    }

    public func creditStanding(_ customerID: String) async throws -> CreditStanding? {
        try await pool.read { db in
            guard let customer = try Self.customer(db, customerID) else { return nil }
            return CreditStanding(customer: customer, openOrders: try Self.openOrders(db, customer))
        }
    }

    public func product(_ sku: String) async throws -> Product? {
        try await pool.read { db in
            try db.one(Data.self, "SELECT doc FROM products WHERE sku = \(sku)").map { try Self.decode(Product.self, $0) }
        }
    }

    public func warehouses() async throws -> [Warehouse] {
        try await pool.read { db in try Self.warehouses(db) }
    }

    public func legalEntities() async throws -> [LegalEntity] {
        try await pool.read { db in try Self.legalEntities(db) }
    }

    public func priceList(_ id: String) async throws -> PriceList? {
        try await pool.read { db in try Self.priceList(db, id) }
    }

    public func balances(sku: String) async throws -> [InventoryBalance] {
        try await pool.read { db in try Self.balances(db, skus: [sku]) }
    }

    public func allBalances() async throws -> [InventoryBalance] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM balances ORDER BY sku, warehouse_id").map(Self.balance)
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
        return try await pool.read { db in
            let record = try idempotency.flatMap { try Self.idempotencyRecord(db, scope: $0.scope, key: $0.key) }
            let existing = try db.one(String.self, sql: "SELECT id FROM orders WHERE channel = ? AND external_id = ?", [channel, externalID])
            // Receivables and open orders move with every order, invoice and credit memo: always read them fresh,
            // in one statement.
            let figures = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT open_balance, open_orders FROM customers WHERE id = ?"),
                arguments: [customerID]
            )
            var customer =
                try figures == nil
                ? nil
                : cache.customer(customerID)
                    ?? Self.customer(db, customerID).map {
                        cache.store(customer: $0, generation: generation)
                        return $0
                    }
            var openOrders: Money?
            if let current = customer, let figures {
                customer?.openBalance = Money(figures[0], current.creditLimit.currency)
                openOrders = Money(figures[1], current.creditLimit.currency)
            }
            var products: [String: Product] = [:]
            for sku in Set(skus) {
                if let product = cache.product(sku) {
                    products[sku] = product
                } else if let data = try db.one(Data.self, "SELECT doc FROM products WHERE sku = \(sku)") {
                    let product = try Self.decode(Product.self, data)
                    cache.store(product: product, generation: generation)
                    products[sku] = product
                }
            }
            var priceList: PriceList?
            if let id = customer?.priceListID {
                priceList =
                    try cache.priceList(id)
                    ?? Self.priceList(db, id).map {
                        cache.store(priceList: $0, generation: generation)
                        return $0
                    }
            }
            let taxRates =
                try cache.taxRates
                ?? {
                    let rows = try Row.fetchAll(db, sql: "SELECT region, rate_ppm FROM tax_rates")
                    let table = TaxRateTable(ratePPM: rows)
                    cache.store(taxRates: table, generation: generation)
                    return table
                }()
            var legalEntity: LegalEntity?
            if let id = customer?.legalEntityID {
                let entities =
                    try cache.legalEntities
                    ?? {
                        let all = Dictionary(try Self.legalEntities(db).map { ($0.id, $0) }) { $1 }
                        cache.store(legalEntities: all, generation: generation)
                        return all
                    }()
                legalEntity = entities[id]
            }
            let warehouses =
                try cache.warehouses
                ?? {
                    let list = try Self.warehouses(db)
                    cache.store(warehouses: list, generation: generation)
                    return list
                }()
            return IntakeSnapshot(
                customer: customer,
                openOrders: openOrders,
                products: products,
                priceList: priceList,
                taxRates: taxRates,
                legalEntity: legalEntity,
                warehouses: warehouses,
                balances: try Self.balances(db, skus: Array(products.keys)),
                existingOrderID: existing,
                idempotencyRecord: record
            )
        }
    }

    public func order(_ id: String) async throws -> SalesOrder? {
        try await pool.read { db in
            try db.one(Data.self, "SELECT doc FROM orders WHERE id = \(id)").map { try Self.decode(SalesOrder.self, $0) }
        }
    }

    public func orderID(channel: String, externalID: String) async throws -> String? {
        try await pool.read { db in
            try db.one(String.self, "SELECT id FROM orders WHERE channel = \(channel) AND external_id = \(externalID)")
        }
    }

    public func orders(_ query: OrderQuery) async throws -> (orders: [SalesOrder], next: Int64?) {
        try await pool.read { db in
            var sql: SQL = "SELECT pos, doc FROM orders WHERE 1"
            if let status = query.status { sql += " AND status = \(status.rawValue)" }
            if let customer = query.customerID { sql += " AND customer_id = \(customer)" }
            if let channel = query.channel { sql += " AND channel = \(channel)" }
            if let partner = query.partner { sql += " AND partner = \(partner)" }
            if let cursor = query.afterCursor { sql += " AND pos < \(cursor)" }
            sql += " ORDER BY pos DESC LIMIT \(query.limit)"
            let rows = try db.rows(sql)
            let orders = try rows.map { try Self.decode(SalesOrder.self, $0["doc"]) }
            let next: Int64? = rows.count == query.limit ? rows.last?["pos"] : nil
            return (orders, next)
        }
    }

    public func orderCounts() async throws -> [OrderStatus: Int] {
        try await pool.read { db in
            var counts: [OrderStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM orders GROUP BY status") {
                if let status = OrderStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    public func fulfillment(_ id: String) async throws -> FulfillmentOrder? {
        try await pool.read { db in
            try db.one(Data.self, "SELECT doc FROM fulfillment_orders WHERE id = \(id)").map { try Self.decode(FulfillmentOrder.self, $0) }
        }
    }

    public func fulfillments(orderID: String) async throws -> [FulfillmentOrder] {
        try await pool.read { db in
            try db.all(Data.self, "SELECT doc FROM fulfillment_orders WHERE order_id = \(orderID) ORDER BY rowid").map {
                try Self.decode(FulfillmentOrder.self, $0)
            }
        }
    }

    public func shipment(_ id: String) async throws -> Shipment? {
        try await pool.read { db in
            try db.one(Data.self, "SELECT doc FROM shipments WHERE id = \(id)").map { try Self.decode(Shipment.self, $0) }
        }
    }

    public func shipments(orderID: String) async throws -> [Shipment] {
        try await pool.read { db in
            try db.all(Data.self, "SELECT doc FROM shipments WHERE order_id = \(orderID) ORDER BY rowid").map { try Self.decode(Shipment.self, $0) }
        }
    }

    public func idempotencyRecord(scope: String, key: String) async throws -> IdempotencyRecord? {
        try await pool.read { db in try Self.idempotencyRecord(db, scope: scope, key: key) }
    }

    static func idempotencyRecord(_ db: Database, scope: String, key: String) throws -> IdempotencyRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM idempotency_keys WHERE scope = ? AND key = ?"), arguments: [scope, key]).map { row in
            IdempotencyRecord(
                scope: row["scope"],
                key: row["key"],
                requestHash: row["request_hash"],
                status: row["status"],
                body: row["body"],
                createdAt: Date(timeIntervalSince1970: row["created_at"])
            )
        }
    }

    public func events(after: Int64, limit: Int) async throws -> [CloudEvent] {
        try await pool.read { db in
            try db.rows("SELECT * FROM events WHERE seq > \(after) ORDER BY seq LIMIT \(limit)").map(Self.cloudEvent)
        }
    }

    public func events(after: Int64, limit: Int, types: Set<String>) async throws -> EventScan {
        let types = types.sorted()
        let placeholders = Array(repeating: "?", count: max(types.count, 1)).joined(separator: ", ")
        return try await pool.read { db in
            let bound = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT count(*) AS n, max(seq) AS last FROM (SELECT seq FROM events WHERE seq > ? ORDER BY seq LIMIT ?)"),
                arguments: [after, limit]
            )
            guard let bound, let last: Int64 = bound["last"] else { return EventScan(events: [], reached: after, scanned: 0) }
            let events =
                types.isEmpty
                ? []
                : try db.rows(
                    sql: "SELECT * FROM events WHERE seq > ? AND seq <= ? AND type IN (\(placeholders)) ORDER BY seq",
                    StatementArguments([after, last]) + StatementArguments(types)
                ).map(Self.cloudEvent)
            return EventScan(events: events, reached: last, scanned: bound["n"])
        }
    }

    public func events(after: Int64, limit: Int, visibleTo partner: String) async throws -> EventScan {
        try await pool.read { db in
            let rows = try db.rows(
                sql: """
                    SELECT e.*, \(PartnerVisibility.predicate(placeholder: "?")) AS visible
                    FROM events e WHERE e.seq > ? ORDER BY e.seq LIMIT ?
                    """,
                [partner, after, limit]
            )
            var scan = EventScan(events: [], reached: rows.last?["seq"] ?? after, scanned: rows.count)
            for row in rows where row["visible"] as Bool { scan.events.append(try Self.cloudEvent(row)) }
            return scan
        }
    }

    public func lastSequence() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM events") ?? 0 }
    }

    public func waitForEvents(after sequence: Int64, timeout: Duration) async {
        await signal.wait(after: sequence, timeout: timeout)
    }

    // MARK: Row mapping

    static func customer(_ db: Database, _ id: String) throws -> Customer? {
        guard let row = try db.rows("SELECT doc, open_balance FROM customers WHERE id = \(id)").first else { return nil }
        var customer = try decode(Customer.self, row["doc"])
        customer.openBalance = Money(row["open_balance"], customer.creditLimit.currency)
        return customer
    }

    static func openOrders(_ db: Database, _ customer: Customer) throws -> Money {
        Money(try db.one(Int64.self, sql: "SELECT open_orders FROM customers WHERE id = ?", [customer.id]) ?? 0, customer.creditLimit.currency)
    }

    static func warehouses(_ db: Database) throws -> [Warehouse] {
        try Data.fetchAll(db, sql: "SELECT doc FROM warehouses ORDER BY priority, id").map { try decode(Warehouse.self, $0) }
    }

    static func legalEntities(_ db: Database) throws -> [LegalEntity] {
        try Data.fetchAll(db, sql: "SELECT doc FROM legal_entities ORDER BY id").map { try decode(LegalEntity.self, $0) }
    }

    static func priceList(_ db: Database, _ id: String) throws -> PriceList? {
        try db.one(Data.self, "SELECT doc FROM price_lists WHERE id = \(id)").map { try decode(PriceList.self, $0) }
    }

    static func balances(_ db: Database, skus: [String]) throws -> [InventoryBalance] {
        var result: [InventoryBalance] = []
        let statement = try db.cachedStatement(sql: "SELECT warehouse_id, sku, on_hand, reserved, safety_stock FROM balances WHERE sku = ?")
        for sku in skus {
            let rows = try Row.fetchCursor(statement, arguments: [sku])
            while let row = try rows.next() {
                result.append(InventoryBalance(warehouseID: row[0], sku: row[1], onHand: row[2], reserved: row[3], safetyStock: row[4]))
            }
        }
        return result
    }

    static func balance(_ row: Row) -> InventoryBalance {
        InventoryBalance(
            warehouseID: row["warehouse_id"],
            sku: row["sku"],
            onHand: row["on_hand"],
            reserved: row["reserved"],
            safetyStock: row["safety_stock"]
        )
    }

    static func cloudEvent(_ row: Row) throws -> CloudEvent {
        try EventEnvelope.cloudEvent(
            EventEnvelope.Stored(
                sequence: row["seq"],
                id: row["id"],
                type: row["type"],
                subject: row["subject"],
                time: row["time"],
                correlationID: row["correlation_id"],
                causationID: row["causation_id"],
                data: row["data"],
                traceparent: row["traceparent"]
            )
        )
    }
}

extension TaxRateTable {
    init(ratePPM rows: [Row]) {
        self.init(ratesPPM: Dictionary(uniqueKeysWithValues: rows.map { ($0["region"], $0["rate_ppm"]) }))
    }
}

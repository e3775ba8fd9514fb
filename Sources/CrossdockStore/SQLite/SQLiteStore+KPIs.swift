import CrossdockDomain
import Foundation
import GRDB

/// The KPI rollup on SQLite: the follower folds the log on a reader and writes the result with its cursor in one
/// transaction on the writer; a report reads
/// the cells, the tail and the states in one read transaction (a WAL snapshot). Lists of ids travel as one JSON
/// argument, so each statement is prepared once whatever the batch's size.
extension SQLiteStore {
    public func rollUpKPIs(limit: Int) async throws -> Int {
        // Read and fold on a reader (a WAL snapshot: every event up to its last one is committed, and only this
        // follower writes the rollup), then write the rows on the writer, which is held only for the writes, not for
        // reading and decoding the events. The write checks that the cursor has not moved since the read.
        let planned = try await pool.read { db -> (cursor: Int64, last: Int64, scanned: Int, fold: KPIFold)? in
            let cursor = try db.one(Int64.self, "SELECT seq FROM connector_cursors WHERE name = \(KPIRollup.cursor)") ?? 0
            guard
                let bound = try db.row(
                    "SELECT count(*) AS n, max(seq) AS last FROM (SELECT seq FROM events WHERE seq > \(cursor) ORDER BY seq LIMIT \(limit))"
                ),
                let last = bound["last"] as Int64?
            else { return nil }
            let facts = try Self.kpiFacts(db, after: cursor, through: last, limit: nil)
            var fold = KPIFold(
                orders: try Self.kpiOrders(db, KPIFold.orderIDs(facts)),
                fulfillments: try Self.kpiFulfillments(db, KPIFold.fulfillmentIDs(facts))
            )
            for fact in facts { fold.apply(fact) }
            return (cursor, last, bound["n"], fold)
        }
        guard let planned else { return 0 }
        let fold = planned.fold
        return try await writer.write { db -> Int in
            let cursor = try db.one(Int64.self, "SELECT seq FROM connector_cursors WHERE name = \(KPIRollup.cursor)") ?? 0
            // Another step moved it since the read (not with one follower per process): fold again from there.
            guard cursor == planned.cursor else { return 0 }
            for row in fold.rows {
                try db.exec(
                    """
                    INSERT INTO kpi_rollup(grain, metric, start, bucket, n) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(grain, metric, start, bucket) DO UPDATE SET n = n + excluded.n
                    """,
                    [row.grain, row.metric, row.start, row.bucket, row.n]
                )
            }
            for id in fold.changedOrders {
                guard let state = fold.orders[id] else { continue }
                try db.exec(
                    "INSERT OR REPLACE INTO kpi_orders(order_id, received_at, mask, invoiced_at) VALUES (?, ?, ?, ?)",
                    [id, state.receivedAt, state.mask, state.invoicedAt]
                )
            }
            for id in fold.changedFulfillments {
                guard let state = fold.fulfillments[id] else { continue }
                try db.exec(
                    "INSERT OR REPLACE INTO kpi_fulfillments(fulfillment_order_id, released_at, first_shipped_at) VALUES (?, ?, ?)",
                    [id, state.releasedAt, state.firstShippedAt]
                )
            }
            try db.run("INSERT OR IGNORE INTO connector_cursors(name, seq) VALUES (\(KPIRollup.cursor), 0)")
            try db.run("UPDATE connector_cursors SET seq = \(planned.last) WHERE name = \(KPIRollup.cursor)")
            return planned.scanned
        }
    }

    public func kpiSnapshot(_ window: KPIWindow, tailLimit: Int) async throws -> KPISnapshot {
        try await pool.read { db in
            var snapshot = KPISnapshot()
            snapshot.position = try db.one(Int64.self, "SELECT seq FROM connector_cursors WHERE name = \(KPIRollup.cursor)") ?? 0
            let counted = try Self.json(KPIRollup.countedMetrics)
            for row in try db.rows(
                sql: """
                    SELECT metric, (start - ?) / ? AS b, sum(n) AS n FROM kpi_rollup
                    WHERE grain = 60 AND metric IN (SELECT value FROM json_each(?)) AND start >= ? AND start < ? GROUP BY metric, b
                    """,
                [window.from, window.bucketSeconds, counted, window.from, window.to]
            ) {
                snapshot.counts.append((row["metric"], row["b"], row["n"]))
            }
            let totals = try Self.json(KPIRollup.totalMetrics)
            for range in window.ranges {
                for row in try db.rows(
                    sql: """
                        SELECT metric, bucket, sum(n) AS n FROM kpi_rollup
                        WHERE grain = ? AND metric IN (SELECT value FROM json_each(?)) AND start >= ? AND start < ? GROUP BY metric, bucket
                        """,
                    [range.grain, totals, range.lo, range.hi]
                ) {
                    snapshot.totals.append((row["metric"], row["bucket"], row["n"]))
                }
            }
            let tail = try Self.kpiFacts(db, after: snapshot.position, through: nil, limit: tailLimit + 1)
            snapshot.complete = tail.count <= tailLimit
            snapshot.tail = Array(tail.prefix(tailLimit))
            let tailOrders = KPIFold.orderIDs(snapshot.tail)
            snapshot.orders = try Self.kpiOrders(db, tailOrders)
            snapshot.fulfillments = try Self.kpiFulfillments(db, KPIFold.fulfillmentIDs(snapshot.tail))
            // Operations exceptions are few: read from them towards the orders' states, not from the window's orders.
            for row in try db.rows(
                sql: """
                    SELECT o.order_id, o.kind, k.received_at, k.mask, k.invoiced_at FROM operations_exceptions o CROSS JOIN kpi_orders k
                    ON k.order_id = o.order_id WHERE k.received_at >= ? AND k.received_at < ?
                    """,
                [Double(window.from), Double(window.to)]
            ) {
                let state = KPIOrderState(receivedAt: row["received_at"], mask: row["mask"], invoicedAt: row["invoiced_at"])
                snapshot.operations.append((row["order_id"], row["kind"], state))
            }
            for row in try db.rows(
                sql: "SELECT order_id, kind FROM operations_exceptions WHERE order_id IN (SELECT value FROM json_each(?))",
                [try Self.json(tailOrders.sorted())]
            ) {
                let order: String = row["order_id"]
                snapshot.operations.append((order, row["kind"], snapshot.orders[order]))
            }
            return snapshot
        }
    }

    /// The facts in `(after, through]` (or after `after`, at most `limit`), oldest first. `+type` keeps the planner on
    /// the log's order instead of the (type, time) index, which would visit every event of those types.
    static func kpiFacts(_ db: Database, after: Int64, through: Int64?, limit: Int?) throws -> [KPIFact] {
        try db.rows(
            sql: """
                SELECT e.type, e.time, e.correlation_id, e.subject, s.fulfillment_order_id FROM events e
                LEFT JOIN shipments s ON e.type = ? AND s.id = e.subject
                WHERE e.seq > ? AND e.seq <= ? AND +e.type IN (SELECT value FROM json_each(?)) ORDER BY e.seq LIMIT ?
                """,
            [KPIRollup.shipmentShipped, after, through ?? Int64.max, try json(KPIRollup.factTypes), limit ?? -1]
        ).compactMap { row in
            guard let time = JSONCoding.parse(row["time"]) else { return nil }
            return KPIFact(
                type: row["type"],
                time: time.timeIntervalSince1970,
                correlationID: row["correlation_id"],
                subject: row["subject"],
                fulfillmentOrderID: row["fulfillment_order_id"]
            )
        }
    }

    static func kpiOrders(_ db: Database, _ ids: Set<String>) throws -> [String: KPIOrderState] {
        guard !ids.isEmpty else { return [:] }
        var states: [String: KPIOrderState] = [:]
        for row in try db.rows(
            sql: "SELECT order_id, received_at, mask, invoiced_at FROM kpi_orders WHERE order_id IN (SELECT value FROM json_each(?))",
            [try json(ids.sorted())]
        ) {
            states[row["order_id"]] = KPIOrderState(receivedAt: row["received_at"], mask: row["mask"], invoicedAt: row["invoiced_at"])
        }
        return states
    }

    static func kpiFulfillments(_ db: Database, _ ids: Set<String>) throws -> [String: KPIFulfillmentState] {
        guard !ids.isEmpty else { return [:] }
        var states: [String: KPIFulfillmentState] = [:]
        for row in try db.rows(
            sql: """
                SELECT fulfillment_order_id, released_at, first_shipped_at FROM kpi_fulfillments
                WHERE fulfillment_order_id IN (SELECT value FROM json_each(?))
                """,
            [try json(ids.sorted())]
        ) {
            states[row["fulfillment_order_id"]] = KPIFulfillmentState(releasedAt: row["released_at"], firstShippedAt: row["first_shipped_at"])
        }
        return states
    }

    static func json(_ values: [String]) throws -> String { String(decoding: try JSONCoding.encode(values), as: UTF8.self) }
}

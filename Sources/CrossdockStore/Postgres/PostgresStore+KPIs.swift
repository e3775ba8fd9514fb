import CrossdockDomain
import Foundation
import PostgresNIO

/// The KPI rollup on PostgreSQL. The follower's step reads below the feed's fence, where no event can still appear,
/// and moves the rollup's cursor with a guard before it writes, so a second node folding the same events at the same
/// moment rolls back instead of counting them twice. A report reads in one REPEATABLE READ snapshot taken after its fence. Nullable times travel in arrays as NaN.
extension PostgresStore {
    public func rollUpKPIs(limit: Int) async throws -> Int {
        do {
            return try await rollUpKPIStep(limit: limit)
        } catch is ConflictError {
            return 0
        }
    }

    private func rollUpKPIStep(limit: Int) async throws -> Int {
        try await transaction { connection in
            let name = KPIRollup.cursor
            let cursor = try await connection.one(Int64.self, "SELECT seq FROM connector_cursors WHERE name = \(name)") ?? 0
            let fence = try await Self.fence(connection, catchUp: false)
            // The scan in log order by the primary key; the types are picked here, not by the planner.
            let rows = try await connection.rows(
                """
                SELECT e.seq, e.type, e.time, e.correlation_id, e.subject, s.fulfillment_order_id
                FROM (SELECT seq, type, time, correlation_id, subject FROM events WHERE seq > \(cursor) AND seq < \(fence) ORDER BY seq LIMIT \(limit)) e
                LEFT JOIN shipments s ON e.type = \(KPIRollup.shipmentShipped) AND s.id = e.subject ORDER BY e.seq
                """
            )
            guard !rows.isEmpty else { return 0 }
            let wanted = Set(KPIRollup.factTypes)
            var last = cursor
            var facts: [KPIFact] = []
            for row in rows {
                let (seq, type, time, correlation, subject, fulfillment) = try row.decode((Int64, String, String, String, String, String?).self)
                last = seq
                guard wanted.contains(type), let at = JSONCoding.parse(time) else { continue }
                facts.append(
                    KPIFact(type: type, time: at.timeIntervalSince1970, correlationID: correlation, subject: subject, fulfillmentOrderID: fulfillment)
                )
            }
            var fold = KPIFold(
                orders: try await Self.kpiOrders(connection, KPIFold.orderIDs(facts)),
                fulfillments: try await Self.kpiFulfillments(connection, KPIFold.fulfillmentIDs(facts))
            )
            for fact in facts { fold.apply(fact) }
            // The cursor first, guarded: a node that folded these events meanwhile wins and this step rolls back. Only
            // from here on does the transaction hold an id (and so the feed's fence), for a few statements.
            try await connection.run("INSERT INTO connector_cursors(name, seq) VALUES (\(name), 0) ON CONFLICT DO NOTHING")
            guard try await connection.count("UPDATE connector_cursors SET seq = \(last) WHERE name = \(name) AND seq = \(cursor) RETURNING 1") == 1
            else { throw ConflictError(conflict: .cursorMoved(name)) }
            let cells = fold.rows
            if !cells.isEmpty {
                try await connection.run(
                    """
                    INSERT INTO kpi_rollup(grain, metric, start, bucket, n)
                    SELECT * FROM unnest(\(cells.map(\.grain))::bigint[], \(cells.map(\.metric))::text[], \(cells.map(\.start))::bigint[],
                        \(cells.map(\.bucket))::int[], \(cells.map { Int64($0.n) })::bigint[])
                    ON CONFLICT (grain, metric, start, bucket) DO UPDATE SET n = kpi_rollup.n + excluded.n
                    """
                )
            }
            let orders = fold.changedOrders.sorted().compactMap { id in fold.orders[id].map { (id, $0) } }
            if !orders.isEmpty {
                try await connection.run(
                    """
                    INSERT INTO kpi_orders(order_id, received_at, mask, invoiced_at)
                    SELECT o, NULLIF(r, 'NaN'), m, NULLIF(i, 'NaN')
                    FROM unnest(\(orders.map(\.0))::text[], \(orders.map { $0.1.receivedAt ?? .nan })::float8[], \(orders.map { $0.1.mask })::int[],
                        \(orders.map { $0.1.invoicedAt ?? .nan })::float8[]) AS t(o, r, m, i)
                    ON CONFLICT (order_id) DO UPDATE SET received_at = excluded.received_at, mask = excluded.mask, invoiced_at = excluded.invoiced_at
                    """
                )
            }
            let fulfillments = fold.changedFulfillments.sorted().compactMap { id in fold.fulfillments[id].map { (id, $0) } }
            if !fulfillments.isEmpty {
                try await connection.run(
                    """
                    INSERT INTO kpi_fulfillments(fulfillment_order_id, released_at, first_shipped_at)
                    SELECT f, NULLIF(r, 'NaN'), NULLIF(s, 'NaN')
                    FROM unnest(\(fulfillments.map(\.0))::text[], \(fulfillments.map { $0.1.releasedAt ?? .nan })::float8[],
                        \(fulfillments.map { $0.1.firstShippedAt ?? .nan })::float8[]) AS t(f, r, s)
                    ON CONFLICT (fulfillment_order_id) DO UPDATE SET released_at = excluded.released_at, first_shipped_at = excluded.first_shipped_at
                    """
                )
            }
            return rows.count
        }
    }

    public func kpiSnapshot(_ window: KPIWindow, tailLimit: Int) async throws -> KPISnapshot {
        try await withConnection { connection in
            // The fence first, outside the snapshot: it waits for the commands in flight (a client that got its 201
            // sees its order counted), and the snapshot taken after it holds every event below it.
            let fence = try await Self.fence(connection, catchUp: true)
            try await connection.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let snapshot = try await Self.kpiSnapshot(connection, window, fence: fence, tailLimit: tailLimit)
                try await connection.run("COMMIT")
                return snapshot
            } catch {
                await Task { try? await connection.run("ROLLBACK") }.value
                throw error
            }
        }
    }

    /// The snapshot's reads, in one REPEATABLE READ transaction begun after `fence` was read.
    private static func kpiSnapshot(_ connection: PostgresConnection, _ window: KPIWindow, fence: Int64, tailLimit: Int) async throws -> KPISnapshot {
        var snapshot = KPISnapshot()
        snapshot.position = try await connection.one(Int64.self, "SELECT seq FROM connector_cursors WHERE name = \(KPIRollup.cursor)") ?? 0
        for row in try await connection.rows(
            """
            SELECT metric, ((start - \(window.from)) / \(window.bucketSeconds))::int, sum(n)::bigint FROM kpi_rollup
            WHERE grain = 60 AND metric = ANY(\(KPIRollup.countedMetrics)::text[]) AND start >= \(window.from) AND start < \(window.to)
            GROUP BY 1, 2
            """
        ) {
            let (metric, bucket, n) = try row.decode((String, Int, Int64).self)
            snapshot.counts.append((metric, bucket, Int(n)))
        }
        for range in window.ranges {
            for row in try await connection.rows(
                """
                SELECT metric, bucket, sum(n)::bigint FROM kpi_rollup
                WHERE grain = \(range.grain) AND metric = ANY(\(KPIRollup.totalMetrics)::text[]) AND start >= \(range.lo) AND start < \(range.hi)
                GROUP BY 1, 2
                """
            ) {
                let (metric, bucket, n) = try row.decode((String, Int, Int64).self)
                snapshot.totals.append((metric, bucket, Int(n)))
            }
        }
        var tail: [KPIFact] = []
        for row in try await connection.rows(
            """
            SELECT e.type, e.time, e.correlation_id, e.subject, s.fulfillment_order_id
            FROM (SELECT seq, type, time, correlation_id, subject FROM events WHERE seq > \(snapshot.position) AND seq < \(fence)
                AND type = ANY(\(KPIRollup.factTypes)::text[]) ORDER BY seq LIMIT \(tailLimit + 1)) e
            LEFT JOIN shipments s ON e.type = \(KPIRollup.shipmentShipped) AND s.id = e.subject ORDER BY e.seq
            """
        ) {
            let (type, time, correlation, subject, fulfillment) = try row.decode((String, String, String, String, String?).self)
            guard let at = JSONCoding.parse(time) else { continue }
            tail.append(
                KPIFact(type: type, time: at.timeIntervalSince1970, correlationID: correlation, subject: subject, fulfillmentOrderID: fulfillment)
            )
        }
        snapshot.complete = tail.count <= tailLimit
        snapshot.tail = Array(tail.prefix(tailLimit))
        let tailOrders = KPIFold.orderIDs(snapshot.tail)
        snapshot.orders = try await kpiOrders(connection, tailOrders)
        snapshot.fulfillments = try await kpiFulfillments(connection, KPIFold.fulfillmentIDs(snapshot.tail))
        // Operations exceptions are few: read from them towards the orders' states, not from the window's orders.
        for row in try await connection.rows(
            """
            SELECT o.order_id, o.kind, k.received_at, k.mask, k.invoiced_at FROM operations_exceptions o
            JOIN kpi_orders k ON k.order_id = o.order_id
            WHERE k.received_at >= \(Double(window.from)) AND k.received_at < \(Double(window.to))
            """
        ) {
            let (order, kind, received, mask, invoiced) = try row.decode((String, String, Double?, Int, Double?).self)
            snapshot.operations.append((order, kind, KPIOrderState(receivedAt: received, mask: mask, invoicedAt: invoiced)))
        }
        if !tailOrders.isEmpty {
            for row in try await connection.rows(
                "SELECT order_id, kind FROM operations_exceptions WHERE order_id = ANY(\(tailOrders.sorted())::text[])"
            ) {
                let (order, kind) = try row.decode((String, String).self)
                snapshot.operations.append((order, kind, snapshot.orders[order]))
            }
        }
        return snapshot
    }

    static func kpiOrders(_ connection: PostgresConnection, _ ids: Set<String>) async throws -> [String: KPIOrderState] {
        guard !ids.isEmpty else { return [:] }
        var states: [String: KPIOrderState] = [:]
        for row in try await connection.rows(
            "SELECT order_id, received_at, mask, invoiced_at FROM kpi_orders WHERE order_id = ANY(\(ids.sorted())::text[])"
        ) {
            let (id, received, mask, invoiced) = try row.decode((String, Double?, Int, Double?).self)
            states[id] = KPIOrderState(receivedAt: received, mask: mask, invoicedAt: invoiced)
        }
        return states
    }

    static func kpiFulfillments(_ connection: PostgresConnection, _ ids: Set<String>) async throws -> [String: KPIFulfillmentState] {
        guard !ids.isEmpty else { return [:] }
        var states: [String: KPIFulfillmentState] = [:]
        for row in try await connection.rows(
            """
            SELECT fulfillment_order_id, released_at, first_shipped_at FROM kpi_fulfillments
            WHERE fulfillment_order_id = ANY(\(ids.sorted())::text[])
            """
        ) {
            let (id, released, shipped) = try row.decode((String, Double?, Double?).self)
            states[id] = KPIFulfillmentState(releasedAt: released, firstShippedAt: shipped)
        }
        return states
    }
}

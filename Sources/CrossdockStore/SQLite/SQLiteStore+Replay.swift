import CrossdockDomain
import Foundation
import GRDB

extension SQLiteStore {
    public func deliveryDetails(_ query: DeliveryQuery) async throws -> [DeliveryDetail] {
        try await pool.read { db in
            var conditions: [SQL] = []
            if let status = query.status { conditions.append("d.status = \(status.rawValue)") }
            if let subscription = query.subscriptionID { conditions.append("d.subscription_id = \(subscription)") }
            if let partner = query.partner { conditions.append("d.subscription_id IN (SELECT id FROM subscriptions WHERE partner = \(partner))") }
            if let after = query.afterID { conditions.append("d.id > \(after)") }
            if let order = query.orderID { conditions.append("e.correlation_id = \(order)") }
            let filter: SQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Self.details(db, filter: filter, limit: query.limit)
        }
    }

    public func deliveryDetail(id: Int64) async throws -> DeliveryDetail? {
        try await pool.read { db in try Self.details(db, filter: "WHERE d.id = \(id)", limit: 1).first }
    }

    public func replayDelivery(id: Int64, now: Date) async throws -> DeliveryReplayOutcome {
        try await writer.write { db in
            guard let text = try db.one(String.self, "SELECT status FROM deliveries WHERE id = \(id)") else { return .notFound }
            let status = Delivery.Status(rawValue: text) ?? .pending
            guard status != .pending else { return .notReplayable(currentStatus: status) }
            try Self.reset(db, ids: [id], now: now)
            guard let detail = try Self.details(db, filter: "WHERE d.id = \(id)", limit: 1).first else { return .notFound }
            return .replayed(detail)
        }
    }

    public func replay(_ selection: ReplaySelection, confirm: Bool, now: Date) async throws -> ReplayPlan? {
        try await replay(selection, confirm: confirm, now: now, partner: nil)
    }

    public func replay(_ selection: ReplaySelection, confirm: Bool, now: Date, partner: String?) async throws -> ReplayPlan? {
        guard confirm else {
            return try await pool.read { db in try Self.replayTargets(db, selection, partner: partner).map { $0.plan(confirmed: false) } }
        }
        return try await writer.write { db in
            guard let targets = try Self.replayTargets(db, selection, partner: partner) else { return nil }
            try Self.reset(db, ids: targets.resets.map(\.id), now: now)
            for missing in targets.missing {
                try db.run(
                    """
                    INSERT INTO deliveries(subscription_id, event_seq, status, next_attempt_at, ordering_key)
                    VALUES (\(missing.subscriptionID), \(missing.eventSequence), 'pending', \(now.timeIntervalSince1970), \(missing.orderingKey))
                    ON CONFLICT DO NOTHING
                    """
                )
            }
            return targets.plan(confirmed: true)
        }
    }
}

// MARK: - Reading

extension SQLiteStore {
    /// The targets of `selection`, only those of `partner`'s subscriptions when given.
    fileprivate static func replayTargets(_ db: Database, _ selection: ReplaySelection, partner: String?) throws -> ReplayTargets? {
        let owned = try partner.map { Set(try db.all(String.self, "SELECT id FROM subscriptions WHERE partner = \($0)")) }
        return try replayTargets(db, selection)?.limited(to: owned)
    }
}

extension SQLiteStore {
    /// Deliveries matching `filter` (a `WHERE` clause over `d`, or empty) by id, with history and parking.
    fileprivate static func details(_ db: Database, filter: SQL, limit: Int) throws -> [DeliveryDetail] {
        let rows = try db.rows(
            """
            SELECT d.*, e.id AS event_id, e.type AS event_type,
                CASE WHEN d.status = 'pending' THEN (
                    SELECT p.id FROM deliveries p
                    WHERE p.subscription_id = d.subscription_id AND p.ordering_key = d.ordering_key
                    AND p.event_seq < d.event_seq AND p.status IN ('pending', 'dead')
                    ORDER BY p.event_seq LIMIT 1
                ) END AS parked_by
            FROM deliveries d JOIN events e ON e.seq = d.event_seq
            \(filter)
            ORDER BY d.id LIMIT \(limit)
            """
        )
        guard !rows.isEmpty else { return [] }
        let ids: [Int64] = rows.map { $0["id"] }
        var history: [Int64: [DeliveryAttempt]] = [:]
        // Not cached: the statement's shape changes with the number of ids.
        let attempts = SQLRequest<Row>(literal: "SELECT * FROM delivery_attempts WHERE delivery_id IN \(ids) ORDER BY delivery_id, attempt")
        for row in try attempts.fetchAll(db) {
            history[row["delivery_id"], default: []].append(
                DeliveryAttempt(
                    attempt: row["attempt"],
                    at: Date(timeIntervalSince1970: row["at"]),
                    statusCode: row["status_code"],
                    latencyMs: row["latency_ms"],
                    error: row["error"]
                )
            )
        }
        return rows.map { row in
            let delivery = Delivery(
                id: row["id"],
                subscriptionID: row["subscription_id"],
                eventSequence: row["event_seq"],
                eventID: row["event_id"],
                orderingKey: row["ordering_key"] ?? "",
                status: Delivery.Status(rawValue: row["status"]) ?? .pending,
                attempts: row["attempts"],
                nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]),
                lastStatusCode: row["last_status"],
                lastError: row["last_error"],
                deliveredAt: (row["delivered_at"] as Double?).map(Date.init(timeIntervalSince1970:))
            )
            let parkedBy: Int64? = row["parked_by"]
            return DeliveryDetail(
                delivery: delivery,
                eventType: row["event_type"],
                history: history[delivery.id] ?? [],
                parked: delivery.status == .pending ? parkedBy != nil : nil,
                parkedBy: parkedBy
            )
        }
    }
}

extension SQLiteStore {
    /// Sets deliveries back to pending for a new round of retries, due now; `last_error` and history stay.
    fileprivate static func reset(_ db: Database, ids: [Int64], now: Date) throws {
        let nowSeconds = now.timeIntervalSince1970
        for id in ids {
            try db.run(
                """
                UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = \(nowSeconds), delivered_at = NULL
                WHERE id = \(id) AND status IN ('dead', 'delivered')
                """
            )
        }
    }

    /// What `selection` covers; nil when its subscription or order does not exist.
    fileprivate static func replayTargets(_ db: Database, _ selection: ReplaySelection) throws -> ReplayTargets? {
        var targets = ReplayTargets()
        switch selection {
        case .deliveries(let filter):
            guard filter.status != .pending else { return targets }  // already on their way
            var conditions: [SQL] = ["d.status = \(filter.status.rawValue)"]
            if let subscription = filter.subscriptionID { conditions.append("d.subscription_id = \(subscription)") }
            if let since = filter.since { conditions.append("e.time >= \(JSONCoding.format(since))") }
            let rows = try db.rows(
                """
                SELECT d.id, d.subscription_id, e.type, s.url FROM deliveries d
                JOIN events e ON e.seq = d.event_seq JOIN subscriptions s ON s.id = d.subscription_id
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY d.id
                """
            )
            for row in rows where filter.matches(type: row["type"]) {
                targets.resets.append(.init(id: row["id"], subscriptionID: row["subscription_id"]))
                targets.urls[row["subscription_id"]] = row["url"]
            }
        case .subscription(let id, let point):
            guard let row = try db.row("SELECT * FROM subscriptions WHERE id = \(id)") else { return nil }
            let subscription = try Self.subscription(row)
            targets.urls[id] = subscription.url
            let from: SQL =
                switch point {
                case .sequence(let sequence): "e.seq >= \(sequence)"
                case .time(let time): "e.time >= \(JSONCoding.format(time))"
                }
            let filtered = !subscription.settings.attributes.isEmpty
            let data: SQL = filtered ? "e.data" : "NULL"
            let rows = try db.rows(
                """
                SELECT e.seq, e.type, e.subject, e.correlation_id, \(data) AS data, d.id AS d_id, d.status AS d_status
                FROM events e LEFT JOIN deliveries d ON d.event_seq = e.seq AND d.subscription_id = \(id)
                WHERE \(from) AND e.seq <= \(subscription.cursor) ORDER BY e.seq
                """
            )
            for event in rows {
                guard EventEnvelope.wants(subscription, type: event["type"], subject: event["subject"], data: { (event["data"] as Data?) ?? Data() })
                else {
                    continue
                }
                if let deliveryID: Int64 = event["d_id"] {
                    guard (event["d_status"] as String?) != "pending" else { continue }  // already on its way
                    targets.resets.append(.init(id: deliveryID, subscriptionID: id))
                } else {
                    let key: String = subscription.settings.orderingKey == .subject ? event["subject"] : event["correlation_id"]
                    targets.missing.append(.init(subscriptionID: id, eventSequence: event["seq"], orderingKey: key))
                }
            }
        case .order(let id):
            guard try db.one(Int.self, "SELECT 1 FROM orders WHERE id = \(id)") != nil else { return nil }
            let rows = try db.rows(
                """
                SELECT d.id, d.subscription_id, s.url FROM events e
                JOIN deliveries d ON d.event_seq = e.seq JOIN subscriptions s ON s.id = d.subscription_id
                WHERE e.correlation_id = \(id) AND d.status IN ('dead', 'delivered') ORDER BY d.id
                """
            )
            for row in rows {
                targets.resets.append(.init(id: row["id"], subscriptionID: row["subscription_id"]))
                targets.urls[row["subscription_id"]] = row["url"]
            }
        }
        return targets
    }
}

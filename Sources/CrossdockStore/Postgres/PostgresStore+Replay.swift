import CrossdockDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    public func deliveryDetails(_ query: DeliveryQuery) async throws -> [DeliveryDetail] {
        try await withConnection { connection in
            try await Self.details(
                connection,
                filter: """
                    WHERE (\(query.status?.rawValue)::text IS NULL OR d.status = \(query.status?.rawValue))
                    AND (\(query.subscriptionID)::text IS NULL OR d.subscription_id = \(query.subscriptionID))
                    AND (\(query.partner)::text IS NULL OR d.subscription_id IN (SELECT id FROM subscriptions WHERE partner = \(query.partner)))
                    AND (\(query.afterID)::bigint IS NULL OR d.id > \(query.afterID))
                    AND (\(query.orderID)::text IS NULL OR e.correlation_id = \(query.orderID))
                    """,
                limit: query.limit
            )
        }
    }

    public func deliveryDetail(id: Int64) async throws -> DeliveryDetail? {
        try await withConnection { connection in try await Self.details(connection, filter: "WHERE d.id = \(id)", limit: 1).first }
    }

    public func replayDelivery(id: Int64, now: Date) async throws -> DeliveryReplayOutcome {
        try await transaction { connection in
            guard let text = try await connection.one(String.self, "SELECT status FROM deliveries WHERE id = \(id) FOR UPDATE") else {
                return .notFound
            }
            let status = Delivery.Status(rawValue: text) ?? .pending
            guard status != .pending else { return .notReplayable(currentStatus: status) }
            try await Self.reset(connection, ids: [id], now: now)
            guard let detail = try await Self.details(connection, filter: "WHERE d.id = \(id)", limit: 1).first else { return .notFound }
            return .replayed(detail)
        }
    }

    public func replay(_ selection: ReplaySelection, confirm: Bool, now: Date) async throws -> ReplayPlan? {
        try await replay(selection, confirm: confirm, now: now, partner: nil)
    }

    public func replay(_ selection: ReplaySelection, confirm: Bool, now: Date, partner: String?) async throws -> ReplayPlan? {
        @Sendable func targets(_ connection: PostgresConnection) async throws -> ReplayTargets? {
            var owned: Set<String>?
            if let partner { owned = Set(try await connection.all(String.self, "SELECT id FROM subscriptions WHERE partner = \(partner)")) }
            return try await Self.replayTargets(connection, selection)?.limited(to: owned)
        }
        guard confirm else {
            return try await withConnection { connection in try await targets(connection).map { $0.plan(confirmed: false) } }
        }
        return try await transaction { connection in
            guard let targets = try await targets(connection) else { return nil }
            try await Self.reset(connection, ids: targets.resets.map(\.id), now: now)
            if !targets.missing.isEmpty {
                try await connection.run(
                    """
                    INSERT INTO deliveries(subscription_id, event_seq, status, next_attempt_at, ordering_key)
                    SELECT s, e, 'pending', \(now.timeIntervalSince1970), k
                    FROM unnest(\(targets.missing.map(\.subscriptionID))::text[], \(targets.missing.map(\.eventSequence))::bigint[],
                        \(targets.missing.map(\.orderingKey))::text[]) AS t(s, e, k)
                    ON CONFLICT DO NOTHING
                    """
                )
            }
            return targets.plan(confirmed: true)
        }
    }

    /// Deliveries matching `filter` (a `WHERE` clause over `d`) by id, with history and parking.
    private static func details(_ connection: PostgresConnection, filter: PostgresQuery, limit: Int) async throws -> [DeliveryDetail] {
        var query = PostgresQuery(
            unsafeSQL: """
                SELECT \(deliveryColumns), e.id, e.type,
                    CASE WHEN d.status = 'pending' THEN (
                        SELECT p.id FROM deliveries p
                        WHERE p.subscription_id = d.subscription_id AND p.ordering_key = d.ordering_key
                        AND p.event_seq < d.event_seq AND p.status IN ('pending', 'dead')
                        ORDER BY p.event_seq LIMIT 1
                    ) END
                FROM deliveries d JOIN events e ON e.seq = d.event_seq
                """
        )
        query.sql += " " + filter.sql
        query.binds = filter.binds
        query.binds.append(limit)
        query.sql += " ORDER BY d.id LIMIT $\(query.binds.count)"
        let rows = try await connection.rows(query)
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.columns.get(0, Int64.self) }
        var history: [Int64: [DeliveryAttempt]] = [:]
        for row in try await connection.rows(
            """
            SELECT delivery_id, attempt, at, status_code, latency_ms, error FROM delivery_attempts
            WHERE delivery_id = ANY(\(ids)::bigint[]) ORDER BY delivery_id, attempt
            """
        ) {
            let (id, attempt, at, code, latency, error) = try row.decode((Int64, Int, Double, Int?, Double, String?).self)
            history[id, default: []].append(
                DeliveryAttempt(attempt: attempt, at: Date(timeIntervalSince1970: at), statusCode: code, latencyMs: latency, error: error)
            )
        }
        return try rows.map { row in
            let columns = row.columns
            let delivery = try Self.delivery(columns, eventIDColumn: 11)
            let parkedBy = try columns.get(13, Int64?.self)
            return DeliveryDetail(
                delivery: delivery,
                eventType: try columns.get(12),
                history: history[delivery.id] ?? [],
                parked: delivery.status == .pending ? parkedBy != nil : nil,
                parkedBy: parkedBy
            )
        }
    }

    /// Sets deliveries back to pending for a new round of retries, due now; `last_error` and history stay.
    private static func reset(_ connection: PostgresConnection, ids: [Int64], now: Date) async throws {
        guard !ids.isEmpty else { return }
        try await connection.run(
            """
            UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = \(now.timeIntervalSince1970), delivered_at = NULL,
            lease_owner = NULL, lease_until = NULL, lease_token = NULL
            WHERE id = ANY(\(ids)::bigint[]) AND status IN ('dead', 'delivered')
            """
        )
    }

    /// What `selection` covers; nil when its subscription or order does not exist.
    private static func replayTargets(_ connection: PostgresConnection, _ selection: ReplaySelection) async throws -> ReplayTargets? {
        var targets = ReplayTargets()
        switch selection {
        case .deliveries(let filter):
            guard filter.status != .pending else { return targets }  // already on their way
            let since = filter.since.map(JSONCoding.format)
            let rows = try await connection.rows(
                """
                SELECT d.id, d.subscription_id, e.type, s.url FROM deliveries d
                JOIN events e ON e.seq = d.event_seq JOIN subscriptions s ON s.id = d.subscription_id
                WHERE d.status = \(filter.status.rawValue) AND (\(filter.subscriptionID)::text IS NULL OR d.subscription_id = \(filter.subscriptionID))
                AND (\(since)::text IS NULL OR e.time >= \(since)) ORDER BY d.id
                """
            )
            for row in rows {
                let (id, subscription, type, url) = try row.decode((Int64, String, String, String).self)
                guard filter.matches(type: type) else { continue }
                targets.resets.append(.init(id: id, subscriptionID: subscription))
                targets.urls[subscription] = url
            }
        case .subscription(let id, let point):
            guard let row = try await connection.rows("SELECT \(unescaped: subscriptionColumns) FROM subscriptions WHERE id = \(id)").first else {
                return nil
            }
            let subscription = try Self.subscription(row)
            targets.urls[id] = subscription.url
            let (fromSequence, fromTime): (Int64?, String?) =
                switch point {
                case .sequence(let sequence): (sequence, nil)
                case .time(let time): (nil, JSONCoding.format(time))
                }
            let rows = try await connection.rows(
                """
                SELECT e.seq, e.type, e.subject, e.correlation_id, e.data, d.id, d.status
                FROM events e LEFT JOIN deliveries d ON d.event_seq = e.seq AND d.subscription_id = \(id)
                WHERE (\(fromSequence)::bigint IS NULL OR e.seq >= \(fromSequence)) AND (\(fromTime)::text IS NULL OR e.time >= \(fromTime))
                AND e.seq <= \(subscription.cursor) ORDER BY e.seq
                """
            )
            for event in rows {
                let (seq, type, subject, correlation, data, deliveryID, status) = try event.decode(
                    (Int64, String, String, String, Data, Int64?, String?).self
                )
                guard EventEnvelope.wants(subscription, type: type, subject: subject, data: { data }) else { continue }
                if let deliveryID {
                    guard status != "pending" else { continue }  // already on its way
                    targets.resets.append(.init(id: deliveryID, subscriptionID: id))
                } else {
                    let key = EventEnvelope.orderingKey(subscription, subject: subject, correlationID: correlation)
                    targets.missing.append(.init(subscriptionID: id, eventSequence: seq, orderingKey: key))
                }
            }
        case .order(let id):
            guard try await connection.one(Int.self, "SELECT 1 FROM orders WHERE id = \(id)") != nil else { return nil }
            let rows = try await connection.rows(
                """
                SELECT d.id, d.subscription_id, s.url FROM events e
                JOIN deliveries d ON d.event_seq = e.seq JOIN subscriptions s ON s.id = d.subscription_id
                WHERE e.correlation_id = \(id) AND d.status IN ('dead', 'delivered') ORDER BY d.id
                """
            )
            for row in rows {
                let (delivery, subscription, url) = try row.decode((Int64, String, String).self)
                targets.resets.append(.init(id: delivery, subscriptionID: subscription))
                targets.urls[subscription] = url
            }
        }
        return targets
    }
}

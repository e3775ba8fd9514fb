import CrossdockDomain
import Foundation
import NIOCore
import PostgresNIO

extension PostgresStore {
    public func insertSubscription(_ subscription: Subscription) async throws {
        let types = try JSONCoding.encode(subscription.eventTypes)
        let settings = try JSONCoding.encode(subscription.settings)
        let secret = secrets.seal(subscription.secret, for: .subscription(subscription.id))
        try await withConnection { connection in
            try await connection.run(
                """
                INSERT INTO subscriptions(id, url, event_types, secret, created_at, cursor, settings, status, partner)
                VALUES (\(subscription.id), \(subscription.url), \(types), \(secret), \(subscription.createdAt.timeIntervalSince1970),
                \(subscription.cursor), \(settings), \(subscription.status.rawValue), \(subscription.partner))
                """
            )
        }
    }

    public func setSubscriptionStatus(_ id: String, status: Subscription.Status, reason: String?) async throws -> Bool {
        try await withConnection { connection in
            try await connection.count(
                "UPDATE subscriptions SET status = \(status.rawValue), status_reason = \(reason) WHERE id = \(id) RETURNING 1"
            ) == 1
        }
    }

    public func rotateSubscriptionSecret(_ id: String, secret: String, previousValidUntil: Date) async throws -> Bool {
        // `previous_secret = secret` copies the ciphertext, which opens there: the binding names the row, not the column.
        let secret = secrets.seal(secret, for: .subscription(id))
        return try await withConnection { connection in
            try await connection.count(
                """
                UPDATE subscriptions SET previous_secret = secret, previous_secret_expires_at = \(previousValidUntil.timeIntervalSince1970),
                secret = \(secret) WHERE id = \(id) RETURNING 1
                """
            ) == 1
        }
    }

    public func subscriptions() async throws -> [Subscription] {
        try await withConnection { connection in
            try await connection.rows("SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions ORDER BY created_at, id").map(
                self.subscription
            )
        }
    }

    public func subscription(_ id: String) async throws -> Subscription? {
        try await withConnection { connection in
            try await connection.rows("SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions WHERE id = \(id)").first.map(
                self.subscription
            )
        }
    }

    public func setSubscriptionURL(_ id: String, url: String) async throws -> Bool {
        try await withConnection { try await $0.count("UPDATE subscriptions SET url = \(url) WHERE id = \(id) RETURNING 1") == 1 }
    }

    public func updateSubscription(
        _ id: String,
        _ change: @escaping @Sendable (Subscription) throws -> Subscription
    ) async throws -> Subscription? {
        try await transaction { connection -> Subscription? in
            guard
                let row = try await connection.rows(
                    "SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions WHERE id = \(id) FOR UPDATE"
                ).first
            else { return nil }
            let changed = try change(try self.subscription(row))
            try await connection.run(
                """
                UPDATE subscriptions SET url = \(changed.url), event_types = \(try JSONCoding.encode(changed.eventTypes)),
                settings = \(try JSONCoding.encode(changed.settings)) WHERE id = \(id)
                """
            )
            return changed
        }
    }

    public func deleteSubscription(_ id: String) async throws -> Bool {
        try await withConnection { try await $0.count("DELETE FROM subscriptions WHERE id = \(id) RETURNING 1") == 1 }
    }

    public func fanOut(subscriptionID: String, limit: Int, now: Date) async throws -> Int {
        let nowSeconds = now.timeIntervalSince1970
        return try await transaction { connection in
            // One node fans a subscription out at a time; the others skip it instead of waiting.
            guard
                let row = try await connection.rows(
                    "SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions WHERE id = \(subscriptionID) FOR UPDATE SKIP LOCKED"
                ).first
            else { return 0 }
            let subscription = try Self.subscription(row)
            let filtered = !subscription.settings.attributes.isEmpty
            let fence = try await Self.fence(connection, catchUp: false)
            // A partner's subscription gets only the events that partner may see.
            let visible = subscription.partner == nil ? "true" : PartnerVisibility.predicate(placeholder: "$4")
            var binds = try Self.binds(subscription.cursor, fence, limit)
            if let partner = subscription.partner { binds.append(partner) }
            let events = try await connection.rows(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT e.seq, e.type, e.subject, e.correlation_id, \(filtered ? "e.data" : "''::bytea"), \(visible) FROM events e
                        WHERE e.seq > $1 AND e.seq < $2 ORDER BY e.seq LIMIT $3
                        """,
                    binds: binds
                )
            )
            guard !events.isEmpty else { return 0 }
            var sequences: [Int64] = []
            var keys: [String] = []
            var last: Int64 = subscription.cursor
            for event in events {
                let (seq, type, subject, correlation, data, visible) = try event.decode((Int64, String, String, String, Data, Bool).self)
                last = seq
                guard visible, EventEnvelope.wants(subscription, type: type, subject: subject, data: { data }) else { continue }
                sequences.append(seq)
                keys.append(EventEnvelope.orderingKey(subscription, subject: subject, correlationID: correlation))
            }
            if !sequences.isEmpty {
                try await connection.run(
                    """
                    INSERT INTO deliveries(subscription_id, event_seq, status, next_attempt_at, ordering_key)
                    SELECT \(subscriptionID), s, 'pending', \(nowSeconds), k FROM unnest(\(sequences)::bigint[], \(keys)::text[]) AS t(s, k)
                    ON CONFLICT DO NOTHING
                    """
                )
            }
            try await connection.run("UPDATE subscriptions SET cursor = \(last) WHERE id = \(subscriptionID) AND cursor < \(last)")
            return events.count
        }
    }

    public func dueDeliveries(now: Date, limit: Int, skipping: Set<String>) async throws -> [DueDelivery] {
        let nowSeconds = now.timeIntervalSince1970
        let skipped = skipping.sorted()
        return try await transaction { connection in
            // The due heads are read off the pending index (`deliveries_pending_seq`) in sequence order, stopping at
            // `limit`. Left to itself the planner, misled by the statistics of a table that grew by thousands of rows
            // since autovacuum last analysed it, fetched every pending delivery, probed each one's key and sorted
            // them all for the first `limit` (160 ms at 15 000 pending, against 1 ms for the walk): no sort here, and
            // the events are joined for the chosen rows only.
            try await connection.run("SET LOCAL enable_sort = off")
            let rows = try await connection.rows(
                """
                WITH due AS MATERIALIZED (
                    SELECT d.id FROM deliveries d
                    WHERE d.status = 'pending' AND d.next_attempt_at <= \(nowSeconds)
                    AND (d.lease_until IS NULL OR d.lease_until < extract(epoch FROM clock_timestamp()))
                    AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = d.subscription_id AND s.status = 'active')
                    AND d.subscription_id <> ALL(\(skipped)::text[])
                    AND NOT EXISTS (
                        SELECT 1 FROM deliveries p
                        WHERE p.subscription_id = d.subscription_id AND p.ordering_key = d.ordering_key
                        AND p.event_seq < d.event_seq AND p.status IN ('pending', 'dead')
                    )
                    ORDER BY d.event_seq, d.id LIMIT \(limit)
                )
                SELECT d.id, d.subscription_id, d.event_seq, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.ordering_key,
                       e.seq, e.id, e.type, e.subject, e.time, e.correlation_id, e.causation_id, e.data, e.traceparent
                FROM due JOIN deliveries d ON d.id = due.id JOIN events e ON e.seq = d.event_seq
                """
            ).sorted {
                try ($0.columns.get(2, Int64.self), $0.columns.get(0, Int64.self)) < ($1.columns.get(2, Int64.self), $1.columns.get(0, Int64.self))
            }
            guard !rows.isEmpty else { return [] }
            var subscriptions: [String: Subscription] = [:]
            let ids = Array(Set(try rows.map { try $0.columns.get(1, String.self) }))
            for row in try await connection.rows(
                "SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions WHERE id = ANY(\(ids)::text[])"
            ) {
                let subscription = try self.subscription(row)
                subscriptions[subscription.id] = subscription
            }
            return try rows.compactMap { row in
                guard let subscription = subscriptions[try row.columns.get(1, String.self)] else { return nil }
                return try Self.dueDelivery(row, eventFrom: 8, subscription: subscription)
            }
        }
    }

    /// The pending delivery in `row` ready to send: its columns first (id, subscription id, event sequence, attempts, next
    /// attempt, last status, last error, ordering key), its event's from column `eventFrom` on.
    static func dueDelivery(_ row: PostgresRow, eventFrom: Int, subscription: Subscription) throws -> DueDelivery {
        let columns = row.columns
        let stored = try storedEvent(row, from: eventFrom)
        let delivery = Delivery(
            id: try columns.get(0),
            subscriptionID: try columns.get(1),
            eventSequence: try columns.get(2),
            eventID: stored.id,
            orderingKey: try columns.get(7),
            status: .pending,
            attempts: try columns.get(3),
            nextAttemptAt: Date(timeIntervalSince1970: try columns.get(4)),
            lastStatusCode: try columns.get(5),
            lastError: try columns.get(6),
            deliveredAt: nil
        )
        return DueDelivery(
            delivery: delivery,
            subscription: subscription,
            eventID: stored.id,
            eventType: stored.type,
            body: try EventEnvelope.body(stored),
            traceparent: stored.traceparent
        )
    }

    public func claimDeliveries(_ ids: [Int64], owner: String, lease: Duration) async throws -> [DeliveryLease] {
        guard !ids.isEmpty else { return [] }
        // The holder's deadline starts before the database grants the lease, so it ends before the database's expiry
        // whatever the skew between this node's clock and the database's.
        let start = ContinuousClock.now
        let seconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
        let granted = try await withConnection { connection in
            try await connection.rows(
                """
                WITH c AS (
                    SELECT d.id FROM deliveries d
                    WHERE d.id = ANY(\(ids)::bigint[]) AND d.status = 'pending'
                    AND (d.lease_until IS NULL OR d.lease_until < extract(epoch FROM clock_timestamp()))
                    AND NOT EXISTS (
                        SELECT 1 FROM deliveries p
                        WHERE p.subscription_id = d.subscription_id AND p.ordering_key = d.ordering_key
                        AND p.event_seq < d.event_seq AND p.status IN ('pending', 'dead')
                    )
                    FOR UPDATE OF d SKIP LOCKED
                )
                UPDATE deliveries SET lease_owner = \(owner), lease_until = extract(epoch FROM clock_timestamp()) + \(seconds),
                lease_token = nextval('delivery_lease_tokens')
                FROM c WHERE deliveries.id = c.id RETURNING deliveries.id, deliveries.lease_token
                """
            ).map { try $0.decode((Int64, Int64).self) }
        }
        return granted.map { DeliveryLease(deliveryID: $0.0, token: $0.1, deadline: start + lease) }
    }

    public func releaseDeliveries(_ leases: [DeliveryLease]) async throws {
        guard !leases.isEmpty else { return }
        try await withConnection { connection in
            try await connection.run(
                """
                UPDATE deliveries d SET lease_owner = NULL, lease_until = NULL, lease_token = NULL
                FROM unnest(\(leases.map(\.deliveryID))::bigint[], \(leases.map(\.token))::bigint[]) AS t(id, token)
                WHERE d.id = t.id AND d.lease_token = t.token
                """
            )
        }
    }

    public func recordAttempts(_ attempts: [DeliveryAttemptRecord]) async throws -> Set<Int64> {
        // One record per delivery (a batch never holds two attempts of one delivery under one lease).
        var latest: [Int64: DeliveryAttemptRecord] = [:]
        for record in attempts { latest[record.lease.deliveryID] = record }
        let records = latest.values.sorted { $0.lease.deliveryID < $1.lease.deliveryID }
        guard !records.isEmpty else { return [] }
        var columns = AttemptColumns()
        for record in records {
            columns.ids.append(record.lease.deliveryID)
            columns.tokens.append(record.lease.token)
            let atSeconds = record.at.timeIntervalSince1970
            columns.at.append(atSeconds)
            switch record.result {
            case .delivered(let status, let elapsed):
                columns.statuses.append("delivered")
                columns.codes.append(Int64(status))
                columns.errors.append("")
                columns.hasError.append(false)
                columns.next.append(atSeconds)
                columns.latency.append(elapsed.milliseconds)
            case .superseded(let status, let reason, let elapsed):
                // Settled like a delivery, with the receiver's reason kept as the last error.
                columns.statuses.append("delivered")
                columns.codes.append(Int64(status))
                columns.errors.append(String(reason.prefix(500)))
                columns.hasError.append(true)
                columns.next.append(atSeconds)
                columns.latency.append(elapsed.milliseconds)
            case .failed(let status, let error, let elapsed, let retryAt):
                columns.statuses.append(retryAt == nil ? "dead" : "pending")
                columns.codes.append(status.map(Int64.init) ?? -1)
                columns.errors.append(String(error.prefix(500)))
                columns.hasError.append(true)
                columns.next.append(retryAt?.timeIntervalSince1970 ?? atSeconds)
                columns.latency.append(elapsed.milliseconds)
            }
        }
        let (ids, tokens, statuses, codes, errors, hasError, next, at, latency) = (
            columns.ids, columns.tokens, columns.statuses, columns.codes, columns.errors, columns.hasError, columns.next, columns.at, columns.latency
        )
        // The per-minute attempt counts (``AttemptCounts``) take one of 16 rows per minute, chosen per transaction,
        // so that concurrent batches (of this node and others) seldom wait on each other's counter.
        let shard = Int64.random(in: 0..<16)
        let recorded = try await transaction { connection in
            try await connection.all(
                Int64.self,
                """
                WITH t AS (
                    SELECT * FROM unnest(\(ids)::bigint[], \(tokens)::bigint[], \(statuses)::text[], \(codes)::bigint[], \(errors)::text[],
                        \(hasError)::bool[], \(next)::float8[], \(at)::float8[], \(latency)::float8[])
                        AS t(id, token, status, code, error, has_error, next_at, at, latency)
                ), u AS (
                    UPDATE deliveries d SET status = t.status, attempts = d.attempts + 1, last_status = NULLIF(t.code, -1),
                        last_error = CASE WHEN t.has_error THEN t.error END,
                        next_attempt_at = CASE WHEN t.status = 'delivered' THEN d.next_attempt_at ELSE t.next_at END,
                        delivered_at = CASE WHEN t.status = 'delivered' THEN t.at ELSE d.delivered_at END,
                        lease_owner = NULL, lease_until = NULL, lease_token = NULL
                    FROM t WHERE d.id = t.id AND d.lease_token = t.token AND d.status = 'pending'
                    RETURNING d.id, t.at, t.code, t.latency, t.error, t.has_error
                ), a AS (
                    INSERT INTO delivery_attempts(delivery_id, attempt, at, status_code, latency_ms, error)
                    SELECT u.id, COALESCE((SELECT MAX(a.attempt) FROM delivery_attempts a WHERE a.delivery_id = u.id), 0) + 1,
                        u.at, NULLIF(u.code, -1), u.latency, CASE WHEN u.has_error THEN u.error END FROM u
                    RETURNING delivery_id, at, status_code
                ), m AS (
                    INSERT INTO delivery_attempt_minutes(minute, shard, attempts, succeeded)
                    SELECT floor(a.at / 60)::bigint, \(shard), count(*), count(*) FILTER (WHERE a.status_code BETWEEN 200 AND 299)
                    FROM a GROUP BY 1 ORDER BY 1
                    ON CONFLICT (minute, shard) DO UPDATE SET attempts = delivery_attempt_minutes.attempts + excluded.attempts,
                        succeeded = delivery_attempt_minutes.succeeded + excluded.succeeded
                )
                SELECT delivery_id FROM a
                """
            )
        }
        return Set(recorded)
    }

    public func deliveries(status: Delivery.Status?, limit: Int) async throws -> [Delivery] {
        try await withConnection { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.deliveryColumns), e.id FROM deliveries d JOIN events e ON e.seq = d.event_seq
                WHERE (\(status?.rawValue)::text IS NULL OR d.status = \(status?.rawValue)) ORDER BY d.id LIMIT \(limit)
                """
            ).map { try Self.delivery($0.columns, eventIDColumn: 11) }
        }
    }

    public func deliveryCounts() async throws -> DeliveryCounts {
        try await withConnection { connection in
            var counts = DeliveryCounts(pending: 0, delivered: 0, dead: 0, retries: 0)
            for row in try await connection.rows(
                "SELECT status, COUNT(*)::bigint, COALESCE(SUM(GREATEST(attempts - 1, 0)), 0)::bigint FROM deliveries GROUP BY status"
            ) {
                let (status, count, retries) = try row.decode((String, Int, Int).self)
                switch status {
                case "pending": counts.pending = count
                case "delivered": counts.delivered = count
                default: counts.dead = count
                }
                counts.retries += retries
            }
            return counts
        }
    }

    public func deliveryStatistics() async throws -> [SubscriptionDeliveryStatistics] {
        try await withConnection { connection in
            var result: [String: SubscriptionDeliveryStatistics] = [:]
            for id in try await connection.all(String.self, "SELECT id FROM subscriptions") {
                result[id] = SubscriptionDeliveryStatistics(subscriptionID: id, pending: 0, dead: 0, oldestPendingEventTime: nil)
            }
            for row in try await connection.rows(
                """
                SELECT p.subscription_id, p.n, (SELECT time FROM events WHERE seq = p.oldest) FROM (
                    SELECT subscription_id, COUNT(*)::bigint AS n, MIN(event_seq) AS oldest FROM deliveries WHERE status = 'pending'
                    GROUP BY subscription_id) p
                """
            ) {
                let (id, count, time) = try row.decode((String, Int, String?).self)
                result[id]?.pending = count
                result[id]?.oldestPendingEventTime = time.flatMap(JSONCoding.parse)
            }
            for row in try await connection.rows(
                "SELECT subscription_id, COUNT(*)::bigint FROM deliveries WHERE status = 'dead' GROUP BY subscription_id"
            ) {
                let (id, count) = try row.decode((String, Int).self)
                result[id]?.dead = count
            }
            return result.values.sorted { $0.subscriptionID < $1.subscriptionID }
        }
    }

    public func nextDeliveryDue() async throws -> Date? {
        try await withConnection { connection in
            try await connection.one(Double.self, "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending'")
                .map(Date.init(timeIntervalSince1970:))
        }
    }

    static let subscriptionColumns =
        "id, url, event_types, secret, created_at, cursor, settings, status, status_reason, previous_secret, previous_secret_expires_at, partner"

    /// The subscription in `row` with its secrets opened.
    func subscription(_ row: PostgresRow) throws -> Subscription {
        secrets.opening(try Self.subscription(row))
    }

    /// The subscription in `row`, its secrets as stored.
    static func subscription(_ row: PostgresRow, from offset: Int = 0) throws -> Subscription {
        let columns = row.columns
        return Subscription(
            id: try columns.get(offset),
            url: try columns.get(offset + 1),
            eventTypes: try DecodedColumns.eventTypes(try columns.get(offset + 2)),
            secret: try columns.get(offset + 3),
            createdAt: Date(timeIntervalSince1970: try columns.get(offset + 4)),
            cursor: try columns.get(offset + 5),
            settings: try (try columns.get(offset + 6, Data?.self)).map(DecodedColumns.settings) ?? .init(),
            status: Subscription.Status(rawValue: try columns.get(offset + 7)) ?? .active,
            statusReason: try columns.get(offset + 8),
            previousSecret: try columns.get(offset + 9),
            previousSecretExpiresAt: (try columns.get(offset + 10, Double?.self)).map(Date.init(timeIntervalSince1970:)),
            partner: try columns.get(offset + 11)
        )
    }

    static let deliveryColumns =
        "d.id, d.subscription_id, d.event_seq, d.ordering_key, d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.delivered_at, d.lease_owner"

    static func delivery(_ columns: PostgresRandomAccessRow, eventIDColumn: Int) throws -> Delivery {
        Delivery(
            id: try columns.get(0),
            subscriptionID: try columns.get(1),
            eventSequence: try columns.get(2),
            eventID: try columns.get(eventIDColumn),
            orderingKey: try columns.get(3),
            status: Delivery.Status(rawValue: try columns.get(4)) ?? .pending,
            attempts: try columns.get(5),
            nextAttemptAt: Date(timeIntervalSince1970: try columns.get(6)),
            lastStatusCode: try columns.get(7),
            lastError: try columns.get(8),
            deliveredAt: (try columns.get(9, Double?.self)).map(Date.init(timeIntervalSince1970:))
        )
    }
}

/// The columns of a batch of attempts, for one `unnest`.
private struct AttemptColumns {
    var ids: [Int64] = [], tokens: [Int64] = [], statuses: [String] = [], codes: [Int64] = [], errors: [String] = []
    var hasError: [Bool] = [], next: [Double] = [], at: [Double] = [], latency: [Double] = []
}

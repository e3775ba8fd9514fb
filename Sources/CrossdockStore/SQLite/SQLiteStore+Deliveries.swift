import CrossdockDomain
import Foundation
import GRDB

extension SQLiteStore {
    public func insertSubscription(_ subscription: Subscription) async throws {
        let types = try Self.encode(subscription.eventTypes)
        let settings = try Self.encode(subscription.settings)
        let secret = secrets.seal(subscription.secret, for: .subscription(subscription.id))
        try await writer.write { db in
            try db.run(
                """
                INSERT INTO subscriptions(id, url, event_types, secret, created_at, cursor, settings, status, partner)
                VALUES (\(subscription.id), \(subscription.url), \(types), \(secret), \(subscription.createdAt.timeIntervalSince1970),
                \(subscription.cursor), \(settings), \(subscription.status.rawValue), \(subscription.partner))
                """
            )
        }
    }

    public func setSubscriptionStatus(_ id: String, status: Subscription.Status, reason: String?) async throws -> Bool {
        try await writer.write { db in
            try db.run("UPDATE subscriptions SET status = \(status.rawValue), status_reason = \(reason) WHERE id = \(id)")
            return db.changesCount == 1
        }
    }

    public func rotateSubscriptionSecret(_ id: String, secret: String, previousValidUntil: Date) async throws -> Bool {
        // `previous_secret = secret` copies the ciphertext, which opens there: the binding names the row, not the column.
        let secret = secrets.seal(secret, for: .subscription(id))
        return try await writer.write { db in
            try db.run(
                """
                UPDATE subscriptions SET previous_secret = secret, previous_secret_expires_at = \(previousValidUntil.timeIntervalSince1970),
                secret = \(secret) WHERE id = \(id)
                """
            )
            return db.changesCount == 1
        }
    }

    public func subscriptions() async throws -> [Subscription] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM subscriptions ORDER BY created_at, id").map(self.subscription) }
    }

    public func subscription(_ id: String) async throws -> Subscription? {
        try await pool.read { db in try db.row("SELECT * FROM subscriptions WHERE id = \(id)").map(self.subscription) }
    }

    public func setSubscriptionURL(_ id: String, url: String) async throws -> Bool {
        try await writer.write { db in
            try db.run("UPDATE subscriptions SET url = \(url) WHERE id = \(id)")
            return db.changesCount == 1
        }
    }

    public func updateSubscription(
        _ id: String,
        _ change: @escaping @Sendable (Subscription) throws -> Subscription
    ) async throws -> Subscription? {
        try await writer.write { db -> Subscription? in
            guard let row = try db.row("SELECT * FROM subscriptions WHERE id = \(id)") else { return nil }
            let changed = try change(try self.subscription(row))
            try db.run(
                """
                UPDATE subscriptions SET url = \(changed.url), event_types = \(try Self.encode(changed.eventTypes)),
                settings = \(try Self.encode(changed.settings)) WHERE id = \(id)
                """
            )
            return changed
        }
    }

    public func deleteSubscription(_ id: String) async throws -> Bool {
        try await writer.write { db in
            try db.run("DELETE FROM subscriptions WHERE id = \(id)")
            return db.changesCount == 1
        }
    }

    public func fanOut(subscriptionID: String, limit: Int, now: Date) async throws -> Int {
        let nowSeconds = now.timeIntervalSince1970
        return try await writer.write { db in
            guard let row = try db.row("SELECT * FROM subscriptions WHERE id = \(subscriptionID)") else { return 0 }
            let subscription = try Self.subscription(row)
            let filtered = !subscription.settings.attributes.isEmpty
            var columns = filtered ? "e.seq, e.type, e.subject, e.correlation_id, e.data" : "e.seq, e.type, e.subject, e.correlation_id"
            var arguments: StatementArguments = []
            // A partner's subscription gets only the events that partner may see.
            if let partner = subscription.partner {
                columns += ", \(PartnerVisibility.predicate(placeholder: "?")) AS visible"
                arguments += [partner]
            }
            let events = try db.rows(
                sql: "SELECT \(columns) FROM events e WHERE e.seq > ? ORDER BY e.seq LIMIT ?",
                arguments + [subscription.cursor, limit]
            )
            guard let last: Int64 = events.last?["seq"] else { return 0 }
            for event in events {
                if subscription.partner != nil, !(event["visible"] as Bool) { continue }
                guard EventEnvelope.wants(subscription, type: event["type"], subject: event["subject"], data: { event["data"] }) else { continue }
                let seq: Int64 = event["seq"]
                let key = EventEnvelope.orderingKey(subscription, subject: event["subject"], correlationID: event["correlation_id"])
                try db.exec(
                    """
                    INSERT INTO deliveries(subscription_id, event_seq, status, next_attempt_at, ordering_key)
                    VALUES (?, ?, 'pending', ?, ?) ON CONFLICT DO NOTHING
                    """,
                    [subscriptionID, seq, nowSeconds, key]
                )
            }
            try db.run("UPDATE subscriptions SET cursor = \(last) WHERE id = \(subscriptionID) AND cursor < \(last)")
            return events.count
        }
    }

    public func dueDeliveries(now: Date, limit: Int, skipping: Set<String>) async throws -> [DueDelivery] {
        let nowSeconds = now.timeIntervalSince1970
        // The subscriptions the caller cannot start now and the deliveries in flight on this node, as JSON arrays for
        // `json_each` (one statement for any number). The leased ones are left out by the walk itself, on the index
        // entry: read and then passed over, each cost a probe of its key and a read of its event, and they are the
        // oldest pending rows, so every scan began with them.
        let skipped = skipping.isEmpty ? "[]" : String(decoding: try JSONEncoder().encode(skipping.sorted()), as: UTF8.self)
        let leased = leases.leased()
        let inFlight = leased.isEmpty ? "[]" : "[" + leased.map(String.init).joined(separator: ",") + "]"
        return try await pool.read { db in
            // Columns are read by position: name lookups (case-insensitive in GRDB) cost more than the rest of the row.
            // The rows are stepped through, not copied, and the walk stops at `limit`.
            let rows = try SQLRequest<Row>(
                literal: """
                    SELECT d.id, d.subscription_id, d.event_seq, d.attempts, d.next_attempt_at, d.last_status, d.last_error,
                           d.ordering_key, e.id, e.type, e.subject, e.time, e.correlation_id, e.causation_id, e.data, e.traceparent
                    FROM deliveries d INDEXED BY deliveries_pending_seq JOIN events e ON e.seq = d.event_seq
                    JOIN subscriptions s ON s.id = d.subscription_id AND s.status = 'active'
                    WHERE d.status = 'pending' AND d.id NOT IN (SELECT value FROM json_each(\(inFlight)))
                    AND d.next_attempt_at <= \(nowSeconds)
                    AND d.subscription_id NOT IN (SELECT value FROM json_each(\(skipped)))
                    AND NOT EXISTS (
                        SELECT 1 FROM deliveries p
                        WHERE p.subscription_id = d.subscription_id AND p.ordering_key = d.ordering_key
                        AND p.event_seq < d.event_seq AND p.status IN ('pending', 'dead')
                    )
                    ORDER BY d.event_seq, d.id LIMIT \(limit)
                    """,
                cached: true
            ).fetchCursor(db)
            var subscriptions: [String: Subscription] = [:]
            var result: [DueDelivery] = []
            while let row = try rows.next() {
                let id: Int64 = row[0]
                let subscriptionID: String = row[1]
                let eventID: String = row[8]
                let delivery = Delivery(
                    id: id,
                    subscriptionID: subscriptionID,
                    eventSequence: row[2],
                    eventID: eventID,
                    orderingKey: row[7],
                    status: .pending,
                    attempts: row[3],
                    nextAttemptAt: Date(timeIntervalSince1970: row[4]),
                    lastStatusCode: row[5],
                    lastError: row[6],
                    deliveredAt: nil
                )
                if subscriptions[subscriptionID] == nil {
                    subscriptions[subscriptionID] = try db.row("SELECT * FROM subscriptions WHERE id = \(subscriptionID)").map(self.subscription)
                }
                guard let subscription = subscriptions[subscriptionID] else { continue }
                let stored = EventEnvelope.Stored(
                    sequence: delivery.eventSequence,
                    id: eventID,
                    type: row[9],
                    subject: row[10],
                    time: row[11],
                    correlationID: row[12],
                    causationID: row[13],
                    data: row[14],
                    traceparent: row[15]
                )
                result.append(
                    DueDelivery(
                        delivery: delivery,
                        subscription: subscription,
                        eventID: eventID,
                        eventType: stored.type,
                        body: try EventEnvelope.body(stored),
                        traceparent: stored.traceparent
                    )
                )
            }
            return result
        }
    }

    public func claimDeliveries(_ ids: [Int64], owner: String, lease: Duration) async throws -> [DeliveryLease] {
        leases.claim(ids, lease: lease)
    }

    public func releaseDeliveries(_ leases: [DeliveryLease]) async throws {
        self.leases.release(leases)
    }

    public func recordAttempts(_ attempts: [DeliveryAttemptRecord]) async throws -> Set<Int64> {
        let current = attempts.filter { leases.isCurrent($0.lease) }
        guard !current.isEmpty else { return [] }
        defer { leases.release(current.map(\.lease)) }
        return try await writer.write { db in
            var recorded = Set<Int64>()
            var counted: [(at: Double, status: Int?)] = []
            for record in current where try Self.recordAttempt(record, db) {
                recorded.insert(record.lease.deliveryID)
                counted.append((record.at.timeIntervalSince1970, record.result.statusCode))
            }
            for (minute, counts) in AttemptCounts.perMinute(counted) {
                try db.run(
                    """
                    INSERT INTO delivery_attempt_minutes(minute, shard, attempts, succeeded) VALUES (\(minute), 0, \(counts.attempts), \(counts.succeeded))
                    ON CONFLICT(minute, shard) DO UPDATE SET attempts = attempts + excluded.attempts, succeeded = succeeded + excluded.succeeded
                    """
                )
            }
            return recorded
        }
    }

    /// Writes one attempt and moves its delivery on; false when the delivery is gone or already settled.
    ///
    /// Two statements with positional arguments, prepared once: the delivery moves on (`RETURNING` tells whether it was
    /// still pending), and the attempt is numbered after the delivery's last one in its own insert.
    private static func recordAttempt(_ record: DeliveryAttemptRecord, _ db: Database) throws -> Bool {
        let deliveryID = record.lease.deliveryID
        let at = record.at.timeIntervalSince1970
        let status: Int?
        let latency: Duration
        let error: String?
        // `attempts` counts this round (a replay starts a new one); the history numbers every attempt.
        let moved: Int64?
        switch record.result {
        case .delivered(let code, let elapsed), .superseded(let code, _, let elapsed):
            // A superseded delivery is settled like a delivered one, with the receiver's reason kept as its last error.
            var reason: String?
            if case .superseded(_, let text, _) = record.result { reason = String(text.prefix(500)) }
            (status, latency, error) = (code, elapsed, reason)
            moved = try db.one(
                Int64.self,
                sql: """
                    UPDATE deliveries SET status = 'delivered', attempts = attempts + 1, last_status = ?, last_error = ?,
                    delivered_at = ? WHERE id = ? AND status = 'pending' RETURNING id
                    """,
                [code, reason, at, deliveryID]
            )
        case .failed(let code, let message, let elapsed, let retryAt):
            (status, latency, error) = (code, elapsed, String(message.prefix(500)))
            moved = try db.one(
                Int64.self,
                sql: """
                    UPDATE deliveries SET status = ?, attempts = attempts + 1, last_status = ?, last_error = ?,
                    next_attempt_at = ? WHERE id = ? AND status = 'pending' RETURNING id
                    """,
                [retryAt == nil ? "dead" : "pending", code, error, retryAt?.timeIntervalSince1970 ?? at, deliveryID]
            )
        }
        guard moved != nil else { return false }  // deleted with its subscription, or already settled
        try db.exec(
            """
            INSERT INTO delivery_attempts(delivery_id, attempt, at, status_code, latency_ms, error)
            SELECT ?, COALESCE(MAX(attempt), 0) + 1, ?, ?, ?, ? FROM delivery_attempts WHERE delivery_id = ?
            """,
            [deliveryID, at, status, latency.milliseconds, error, deliveryID]
        )
        return true
    }

    public func deliveries(status: Delivery.Status?, limit: Int) async throws -> [Delivery] {
        try await pool.read { db in
            var sql: SQL = "SELECT d.*, e.id AS event_id FROM deliveries d JOIN events e ON e.seq = d.event_seq"
            if let status { sql += " WHERE d.status = \(status.rawValue)" }
            sql += " ORDER BY d.id LIMIT \(limit)"
            return try db.rows(sql).map { Self.delivery($0, idColumn: "id", statusColumn: "status", eventID: $0["event_id"]) }
        }
    }

    public func deliveryCounts() async throws -> DeliveryCounts {
        try await pool.read { db in
            var counts = DeliveryCounts(pending: 0, delivered: 0, dead: 0, retries: 0)
            for row in try Row.fetchAll(
                db,
                sql: "SELECT status, COUNT(*) AS n, COALESCE(SUM(MAX(attempts - 1, 0)), 0) AS r FROM deliveries GROUP BY status"
            ) {
                let n: Int = row["n"]
                switch row["status"] as String {
                case "pending": counts.pending = n
                case "delivered": counts.delivered = n
                default: counts.dead = n
                }
                counts.retries += row["r"] as Int
            }
            return counts
        }
    }

    public func deliveryStatistics() async throws -> [SubscriptionDeliveryStatistics] {
        try await pool.read { db in
            var result: [String: SubscriptionDeliveryStatistics] = [:]
            for id in try db.all(String.self, "SELECT id FROM subscriptions") {
                result[id] = SubscriptionDeliveryStatistics(subscriptionID: id, pending: 0, dead: 0, oldestPendingEventTime: nil)
            }
            for row in try db.rows(
                "SELECT subscription_id, COUNT(*) AS n, MIN(event_seq) AS oldest FROM deliveries WHERE status = 'pending' GROUP BY subscription_id"
            ) {
                let id: String = row["subscription_id"]
                result[id]?.pending = row["n"]
                if let seq: Int64 = row["oldest"], let time = try db.one(String.self, "SELECT time FROM events WHERE seq = \(seq)") {
                    result[id]?.oldestPendingEventTime = JSONCoding.parse(time)
                }
            }
            for row in try db.rows("SELECT subscription_id, COUNT(*) AS n FROM deliveries WHERE status = 'dead' GROUP BY subscription_id") {
                result[row["subscription_id"] as String]?.dead = row["n"]
            }
            return result.values.sorted { $0.subscriptionID < $1.subscriptionID }
        }
    }

    public func nextDeliveryDue() async throws -> Date? {
        try await pool.read { db in
            try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending'").map(
                Date.init(timeIntervalSince1970:)
            )
        }
    }

    /// The subscription in `row` with its secrets opened.
    func subscription(_ row: Row) throws -> Subscription {
        secrets.opening(try Self.subscription(row))
    }

    /// The subscription in `row`, its secrets as stored.
    static func subscription(_ row: Row) throws -> Subscription {
        Subscription(
            id: row["id"],
            url: row["url"],
            eventTypes: try DecodedColumns.eventTypes(row["event_types"]),
            secret: row["secret"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            cursor: row["cursor"],
            settings: try (row["settings"] as Data?).map(DecodedColumns.settings) ?? .init(),
            status: Subscription.Status(rawValue: row["status"]) ?? .active,
            statusReason: row["status_reason"],
            previousSecret: row["previous_secret"],
            previousSecretExpiresAt: (row["previous_secret_expires_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            partner: row["partner"]
        )
    }

    static func delivery(_ row: Row, idColumn: String, statusColumn: String, eventID: String) -> Delivery {
        Delivery(
            id: row[idColumn],
            subscriptionID: row["subscription_id"],
            eventSequence: row["event_seq"],
            eventID: eventID,
            orderingKey: row["ordering_key"] ?? "",
            status: Delivery.Status(rawValue: row[statusColumn]) ?? .pending,
            attempts: row["attempts"],
            nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]),
            lastStatusCode: row["last_status"],
            lastError: row["last_error"],
            deliveredAt: (row["delivered_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        )
    }
}

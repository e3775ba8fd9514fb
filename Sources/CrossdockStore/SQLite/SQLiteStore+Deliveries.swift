import CrossdockDomain
import Foundation
import GRDB

extension SQLiteStore {
    public func insertKey(_ key: APIKeyRecord) async throws {
        let scopes = key.scopes.joined(separator: ",")
        try await writer.write { db in
            try db.run(
                """
                INSERT INTO api_keys(id, name, hash, scopes, partner, created_at)
                VALUES (\(key.id), \(key.name), \(key.hash), \(scopes), \(key.partner), \(key.createdAt.timeIntervalSince1970))
                """
            )
        }
    }

    public func key(hash: String) async throws -> APIKeyRecord? {
        try await pool.read { db in
            try db.row("SELECT * FROM api_keys WHERE hash = \(hash)").map { row in
                APIKeyRecord(
                    id: row["id"],
                    name: row["name"],
                    hash: row["hash"],
                    scopes: (row["scopes"] as String).split(separator: ",").map(String.init),
                    partner: row["partner"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"])
                )
            }
        }
    }

    public func keyCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_keys") ?? 0 }
    }

    public func insertSubscription(_ subscription: Subscription) async throws {
        let types = try Self.encode(subscription.eventTypes)
        try await writer.write { db in
            try db.run(
                """
                INSERT INTO subscriptions(id, url, event_types, secret, created_at, cursor)
                VALUES (\(subscription.id), \(subscription.url), \(types), \(subscription.secret), \(subscription.createdAt.timeIntervalSince1970), \(subscription.cursor))
                """
            )
        }
    }

    public func subscriptions() async throws -> [Subscription] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM subscriptions ORDER BY created_at, id").map(Self.subscription) }
    }

    public func subscription(_ id: String) async throws -> Subscription? {
        try await pool.read { db in try db.row("SELECT * FROM subscriptions WHERE id = \(id)").map(Self.subscription) }
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
            let events = try db.rows("SELECT seq, type FROM events WHERE seq > \(subscription.cursor) ORDER BY seq LIMIT \(limit)")
            guard let last: Int64 = events.last?["seq"] else { return 0 }
            for event in events {
                let type: String = event["type"]
                guard subscription.matches(EventType(qualifiedName: type)?.name ?? type) else { continue }
                let seq: Int64 = event["seq"]
                try db.run(
                    """
                    INSERT INTO deliveries(subscription_id, event_seq, status, next_attempt_at)
                    VALUES (\(subscriptionID), \(seq), 'pending', \(nowSeconds)) ON CONFLICT DO NOTHING
                    """
                )
            }
            try db.run("UPDATE subscriptions SET cursor = \(last) WHERE id = \(subscriptionID) AND cursor < \(last)")
            return events.count
        }
    }

    public func dueDeliveries(now: Date, limit: Int, excluding: Set<Int64>) async throws -> [DueDelivery] {
        let nowSeconds = now.timeIntervalSince1970
        let fetch = limit + excluding.count
        return try await pool.read { db in
            let rows = try db.rows(
                """
                SELECT d.id AS d_id, d.subscription_id, d.event_seq, d.status AS d_status, d.attempts, d.next_attempt_at,
                       d.last_status, d.last_error, d.delivered_at, e.*
                FROM deliveries d JOIN events e ON e.seq = d.event_seq
                WHERE d.status = 'pending' AND d.next_attempt_at <= \(nowSeconds)
                ORDER BY d.event_seq, d.id LIMIT \(fetch)
                """
            )
            var subscriptions: [String: Subscription] = [:]
            var result: [DueDelivery] = []
            for row in rows {
                let delivery = Self.delivery(row, idColumn: "d_id", statusColumn: "d_status", eventID: row["id"])
                guard !excluding.contains(delivery.id), result.count < limit else { continue }
                if subscriptions[delivery.subscriptionID] == nil {
                    subscriptions[delivery.subscriptionID] = try db.row("SELECT * FROM subscriptions WHERE id = \(delivery.subscriptionID)").map(
                        Self.subscription
                    )
                }
                guard let subscription = subscriptions[delivery.subscriptionID] else { continue }
                result.append(DueDelivery(delivery: delivery, subscription: subscription, event: try Self.cloudEvent(row)))
            }
            return result
        }
    }

    public func recordAttempt(deliveryID: Int64, result: DeliveryAttemptResult, at: Date) async throws {
        let atSeconds = at.timeIntervalSince1970
        try await writer.write { db in
            guard let attempts = try db.one(Int.self, "SELECT attempts FROM deliveries WHERE id = \(deliveryID) AND status = 'pending'") else {
                return  // deleted with its subscription, or already settled
            }
            let attempt = attempts + 1
            switch result {
            case .delivered(let status, let latency):
                try db.run(
                    """
                    INSERT INTO delivery_attempts(delivery_id, attempt, at, status_code, latency_ms, error)
                    VALUES (\(deliveryID), \(attempt), \(atSeconds), \(status), \(latency.milliseconds), NULL)
                    """
                )
                try db.run(
                    """
                    UPDATE deliveries SET status = 'delivered', attempts = \(attempt), last_status = \(status), last_error = NULL,
                    delivered_at = \(atSeconds) WHERE id = \(deliveryID)
                    """
                )
            case .failed(let status, let error, let latency, let retryAt):
                let excerpt = String(error.prefix(500))
                try db.run(
                    """
                    INSERT INTO delivery_attempts(delivery_id, attempt, at, status_code, latency_ms, error)
                    VALUES (\(deliveryID), \(attempt), \(atSeconds), \(status), \(latency.milliseconds), \(excerpt))
                    """
                )
                let next = retryAt?.timeIntervalSince1970 ?? atSeconds
                let newStatus = retryAt == nil ? "dead" : "pending"
                try db.run(
                    """
                    UPDATE deliveries SET status = \(newStatus), attempts = \(attempt), last_status = \(status), last_error = \(excerpt),
                    next_attempt_at = \(next) WHERE id = \(deliveryID)
                    """
                )
            }
        }
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

    public func nextDeliveryDue() async throws -> Date? {
        try await pool.read { db in
            try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending'").map(
                Date.init(timeIntervalSince1970:)
            )
        }
    }

    static func subscription(_ row: Row) throws -> Subscription {
        Subscription(
            id: row["id"],
            url: row["url"],
            eventTypes: try decode([String].self, row["event_types"]),
            secret: row["secret"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            cursor: row["cursor"]
        )
    }

    static func delivery(_ row: Row, idColumn: String, statusColumn: String, eventID: String) -> Delivery {
        Delivery(
            id: row[idColumn],
            subscriptionID: row["subscription_id"],
            eventSequence: row["event_seq"],
            eventID: eventID,
            status: Delivery.Status(rawValue: row[statusColumn]) ?? .pending,
            attempts: row["attempts"],
            nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]),
            lastStatusCode: row["last_status"],
            lastError: row["last_error"],
            deliveredAt: (row["delivered_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        )
    }
}

extension Duration {
    /// The duration in milliseconds, fractional.
    var milliseconds: Double { Double(nanoseconds) / 1_000_000 }
}

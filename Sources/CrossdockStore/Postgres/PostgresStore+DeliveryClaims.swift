import CrossdockDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Finds the due heads, locks them, leases them to `owner` and reads their events and subscriptions, in one
    /// statement.
    ///
    /// The worker used to read the heads in one transaction (with a second query for their subscriptions) and lease
    /// them in another: seven round trips between a finished delivery and the next one started, which bounded a node
    /// at about 2 000 deliveries a second whatever the endpoint could take. The heads are found as
    /// ``dueDeliveries(now:limit:skipping:)`` finds them (off the pending index, without a sort); each is then locked,
    /// skipping those another node is claiming, and checked again under the lock (still pending, unleased, still the
    /// head of its key), as ``claimDeliveries(_:owner:lease:)`` checks.
    public func claimDueDeliveries(
        now: Date,
        limit: Int,
        skipping: Set<String>,
        owner: String,
        lease: Duration
    ) async throws -> [ClaimedDelivery] {
        guard limit > 0 else { return [] }
        let nowSeconds = now.timeIntervalSince1970
        let skipped = skipping.sorted()
        // The holder's deadline starts before the database grants the lease (see claimDeliveries).
        let start = ContinuousClock.now
        let seconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
        let subscriptionColumns = Self.subscriptionColumns.split(separator: ",").map { "s." + $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: ", ")
        let rows = try await transaction { connection in
            // As in dueDeliveries: no sort, the heads are walked off the index in sequence order.
            try await connection.run("SET LOCAL enable_sort = off")
            return try await connection.rows(
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
                ),
                locked AS (
                    SELECT d.id FROM due JOIN deliveries d ON d.id = due.id
                    WHERE d.status = 'pending'
                    AND (d.lease_until IS NULL OR d.lease_until < extract(epoch FROM clock_timestamp()))
                    AND NOT EXISTS (
                        SELECT 1 FROM deliveries p
                        WHERE p.subscription_id = d.subscription_id AND p.ordering_key = d.ordering_key
                        AND p.event_seq < d.event_seq AND p.status IN ('pending', 'dead')
                    )
                    FOR UPDATE OF d SKIP LOCKED
                ),
                claimed AS (
                    UPDATE deliveries SET lease_owner = \(owner), lease_until = extract(epoch FROM clock_timestamp()) + \(seconds),
                    lease_token = nextval('delivery_lease_tokens')
                    FROM locked WHERE deliveries.id = locked.id
                    RETURNING deliveries.id, deliveries.subscription_id, deliveries.event_seq, deliveries.attempts,
                    deliveries.next_attempt_at, deliveries.last_status, deliveries.last_error, deliveries.ordering_key,
                    deliveries.lease_token
                )
                SELECT c.id, c.subscription_id, c.event_seq, c.attempts, c.next_attempt_at, c.last_status, c.last_error,
                       c.ordering_key, c.lease_token,
                       e.seq, e.id, e.type, e.subject, e.time, e.correlation_id, e.causation_id, e.data, e.traceparent,
                       \(unescaped: subscriptionColumns)
                FROM claimed c JOIN events e ON e.seq = c.event_seq JOIN subscriptions s ON s.id = c.subscription_id
                """
            )
        }
        var subscriptions: [String: Subscription] = [:]
        var claimed: [(sequence: Int64, id: Int64, value: ClaimedDelivery)] = []
        for row in rows {
            let columns = row.columns
            let subscriptionID = try columns.get(1, String.self)
            let subscription: Subscription
            if let known = subscriptions[subscriptionID] {
                subscription = known
            } else {
                subscription = secrets.opening(try Self.subscription(row, from: 18))
                subscriptions[subscriptionID] = subscription
            }
            let stored = try Self.storedEvent(row, from: 9)
            let id: Int64 = try columns.get(0)
            let delivery = Delivery(
                id: id,
                subscriptionID: subscriptionID,
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
            let item = DueDelivery(
                delivery: delivery,
                subscription: subscription,
                eventID: stored.id,
                eventType: stored.type,
                body: try EventEnvelope.body(stored),
                traceparent: stored.traceparent
            )
            let granted = DeliveryLease(deliveryID: id, token: try columns.get(8), deadline: start + lease)
            claimed.append((delivery.eventSequence, id, ClaimedDelivery(item: item, lease: granted)))
        }
        return claimed.sorted { ($0.sequence, $0.id) < ($1.sequence, $1.id) }.map(\.value)
    }
}

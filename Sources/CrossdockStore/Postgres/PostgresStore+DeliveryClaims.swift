import CrossdockDomain
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Finds the due heads, locks them, leases them to `owner` and reads their events and subscriptions, in one
    /// statement and one round trip (the function `crossdock_claim_due`, see ``PostgresSchema/deliveryClaim``).
    ///
    /// The worker used to read the heads in one transaction (with a second query for their subscriptions) and lease
    /// them in another: seven round trips between a finished delivery and the next one started, each slowed by the busy
    /// cores it shared, which bounded a node at about 2 000 deliveries a second whatever the endpoint could take. The
    /// heads are found as ``dueDeliveries(now:limit:skipping:)`` finds them (off the pending index, without a sort); each
    /// is then locked, skipping those another node is claiming, and checked again under the lock, as
    /// ``claimDeliveries(_:owner:lease:)`` checks.
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
        let rows = try await withConnection { connection in
            try await connection.rows(
                """
                SELECT c.o_id, c.o_subscription_id, c.o_event_seq, c.o_attempts, c.o_next_attempt_at, c.o_last_status,
                       c.o_last_error, c.o_ordering_key, c.o_lease_token,
                       e.seq, e.id, e.type, e.subject, e.time, e.correlation_id, e.causation_id, e.data, e.traceparent,
                       \(unescaped: Self.claimedSubscriptionColumns)
                FROM crossdock_claim_due(\(nowSeconds), \(limit), \(skipped)::text[], \(owner), \(seconds)) c
                JOIN events e ON e.seq = c.o_event_seq JOIN subscriptions s ON s.id = c.o_subscription_id
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
            let item = try Self.dueDelivery(row, eventFrom: 9, subscription: subscription)
            let id = item.delivery.id
            let granted = DeliveryLease(deliveryID: id, token: try columns.get(8), deadline: start + lease)
            claimed.append((item.delivery.eventSequence, id, ClaimedDelivery(item: item, lease: granted)))
        }
        return claimed.sorted { ($0.sequence, $0.id) < ($1.sequence, $1.id) }.map(\.value)
    }

    /// ``subscriptionColumns`` of the subscriptions table aliased `s`.
    static let claimedSubscriptionColumns = subscriptionColumns.split(separator: ",")
        .map { "s." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
}

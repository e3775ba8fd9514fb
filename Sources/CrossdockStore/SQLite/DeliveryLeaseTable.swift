import Foundation
import Synchronization

/// The delivery leases of a SQLite store. One process owns a SQLite file, so the leases live in its memory: a claim
/// costs no write, and a crash ends every lease with the process that held it.
final class DeliveryLeaseTable: Sendable {
    private struct Grant {
        var token: Int64
        var deadline: ContinuousClock.Instant
    }

    private let grants = Mutex<(next: Int64, byDelivery: [Int64: Grant])>((1, [:]))

    /// The deliveries under a live lease.
    func leased(at now: ContinuousClock.Instant = .now) -> Set<Int64> {
        grants.withLock { state in Set(state.byDelivery.filter { $0.value.deadline > now }.keys) }
    }

    /// Grants a lease on each of `ids` that nobody holds; returns the grants.
    func claim(_ ids: [Int64], lease: Duration) -> [DeliveryLease] {
        let now = ContinuousClock.now
        return grants.withLock { state in
            var granted: [DeliveryLease] = []
            for id in ids {
                if let current = state.byDelivery[id], current.deadline > now { continue }
                let grant = Grant(token: state.next, deadline: now + lease)
                state.next += 1
                state.byDelivery[id] = grant
                granted.append(DeliveryLease(deliveryID: id, token: grant.token, deadline: grant.deadline))
            }
            return granted
        }
    }

    /// Whether `lease` is still the current grant of its delivery (even if past its deadline: nobody took it over).
    func isCurrent(_ lease: DeliveryLease) -> Bool {
        grants.withLock { $0.byDelivery[lease.deliveryID]?.token == lease.token }
    }

    /// Ends the leases whose attempts were recorded.
    func release(_ leases: [DeliveryLease]) {
        grants.withLock { state in
            for lease in leases where state.byDelivery[lease.deliveryID]?.token == lease.token {
                state.byDelivery[lease.deliveryID] = nil
            }
        }
    }
}

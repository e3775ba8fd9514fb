import CrossdockEngine
import Hummingbird

extension DeliveryHealth {
    /// Refuses new work while the write queue or the undelivered backlog is over its bound: 503 with `Retry-After`, so callers slow
    /// down instead of the hub growing memory and disk without limit.
    func admitIntake(pendingWrites: Int, maxPendingWrites: Int) throws {
        if pendingWrites > maxPendingWrites {
            throw Problem(
                status: .serviceUnavailable,
                code: "intake_queue_full",
                title: "Intake queue full",
                detail: "\(pendingWrites) writes wait for the disk (bound \(maxPendingWrites)); retry later",
                headers: [.retryAfter: "1"]
            )
        }
        guard isOverloaded else { return }
        throw Problem(
            status: .serviceUnavailable,
            code: "backlog_full",
            title: "Delivery backlog full",
            detail: "\(backlog) deliveries wait to be sent (bound \(maxBacklog)); retry later",
            headers: [.retryAfter: "5"]
        )
    }
}

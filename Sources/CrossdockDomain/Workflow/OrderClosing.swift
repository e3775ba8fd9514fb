import Foundation

/// When an order closes: every line invoiced, cancelled or credited, no exception on it open, no return still being
/// received, and its channel's return window past since it was invoiced or cancelled. A closed order is final; a
/// return authorised after closure is still taken (``OrderLifecycle`` permits it in `closed`).
public enum OrderClosing {
    /// Whether an order closes now.
    public enum Verdict: Hashable, Sendable {
        /// Close it now.
        case close
        /// Everything is settled; it closes at the end of its return window.
        case waitUntil(Date)
        /// It cannot close yet, and why (`not_final`, `lines_open`, `exception_open`, `return_open`).
        case keepOpen(String)
    }

    /// Whether `order` closes at `now`.
    /// - Parameters:
    ///   - order: the order.
    ///   - openExceptions: how many operations exceptions on the order are open.
    ///   - returns: its return authorisations.
    ///   - returnWindowDays: its channel's return window.
    ///   - now: the time.
    public static func verdict(
        _ order: SalesOrder,
        openExceptions: Int,
        returns: [ReturnAuthorization],
        returnWindowDays: Int,
        now: Date
    ) -> Verdict {
        guard order.status == .invoiced || order.status == .cancelled else { return .keepOpen("not_final") }
        // A credited unit was invoiced first, so "invoiced, cancelled or credited" is: no live unit left uninvoiced.
        guard order.lines.allSatisfy({ $0.live <= $0.invoiced }) else { return .keepOpen("lines_open") }
        guard openExceptions == 0 else { return .keepOpen("exception_open") }
        guard returns.allSatisfy(\.status.isTerminal) else { return .keepOpen("return_open") }
        let since = order.history.last?.at ?? order.receivedAt
        let closesAt = since.addingTimeInterval(TimeInterval(returnWindowDays) * 86_400)
        return now >= closesAt ? .close : .waitUntil(closesAt)
    }
}

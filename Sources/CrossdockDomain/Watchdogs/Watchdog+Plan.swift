import Foundation

extension Watchdog {
    /// What one run of the watchdogs changes.
    public struct Plan: Hashable, Sendable {
        /// One open exception whose fact arrived.
        public struct Resolution: Hashable, Sendable {
            /// The exception.
            public var exception: OperationsException
            /// Why it resolved itself, e.g. `the warehouse reported a pick`.
            public var reason: String
        }

        /// Breaches to raise, one exception each.
        public var raise: [Breach]
        /// Open exceptions to resolve.
        public var resolve: [Resolution]
    }

    /// Turns findings into exceptions to raise and to resolve.
    ///
    /// - A breach is raised once: not when an exception with its key is open, nor when one was raised before
    ///   (`used`), so a breach operations acknowledged by hand is not raised again.
    /// - An open watchdog exception resolves itself when its key is no longer breached: with the reason of its
    ///   subject's finding, or because the subject is no longer watched (its order was closed or deleted).
    /// - Parameters:
    ///   - findings: from ``findings(_:deadlines:now:)``, including the subjects of every open exception.
    ///   - open: the open exceptions (those without a ``OperationsException/watchdogKey`` are left alone).
    ///   - used: the keys among the breaches' that some exception, open or resolved, already carries.
    public static func plan(_ findings: [Finding], open: [OperationsException], used: Set<String>) -> Plan {
        var breached: [String: Breach] = [:]
        var bySubject: [String: Verdict] = [:]
        for finding in findings {
            bySubject[finding.subject] = finding.verdict
            if case .breached(let breach) = finding.verdict { breached[breach.key] = breach }
        }
        var resolve: [Plan.Resolution] = []
        var openKeys: Set<String> = []
        for exception in open {
            guard exception.status == .open, let key = exception.watchdogKey else { continue }
            openKeys.insert(key)
            guard breached[key] == nil else { continue }
            let reason: String =
                switch bySubject[subject(ofKey: key)] {
                case .clear(let reason): reason
                case .breached(let later): "a later fact arrived; still late: \(later.detail)"
                case nil: "no longer watched"
                }
            resolve.append(.init(exception: exception, reason: reason))
        }
        let raise = breached.values
            .filter { !openKeys.contains($0.key) && !used.contains($0.key) }
            .sorted { ($0.dueAt, $0.key) < ($1.dueAt, $1.key) }
        return Plan(raise: raise, resolve: resolve.sorted { $0.exception.id < $1.exception.id })
    }
}

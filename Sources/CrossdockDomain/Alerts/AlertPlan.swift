import Foundation

/// What one alert route was told about one operations exception, kept on the exception
/// (``OperationsException/alerts``, keyed by the route's subscription id) and written in the same unit of work as the
/// alert event, so a notification is recorded exactly when it is queued for delivery.
public struct AlertMark: Hashable, Sendable, Codable {
    /// When the route was last notified with the exception open.
    public var notifiedAt: Date
    /// How many notifications (first one and reminders) named it.
    public var notifications: Int
    /// When the route was told it was resolved (or, for a route that no longer wants to hear, when that was settled).
    public var resolvedNotifiedAt: Date?

    /// Creates a mark.
    public init(notifiedAt: Date, notifications: Int = 1, resolvedNotifiedAt: Date? = nil) {
        self.notifiedAt = notifiedAt
        self.notifications = notifications
        self.resolvedNotifiedAt = resolvedNotifiedAt
    }
}

extension OperationsException {
    /// Whether it is resolved and a route that was told about it has not been told so yet.
    public var awaitsResolvedAlert: Bool {
        status == .resolved && alerts.values.contains { $0.resolvedNotifiedAt == nil }
    }
}

/// One message to an alert route about one group (the route's exceptions of one kind), or a silent settlement.
public struct AlertNotice: Hashable, Sendable {
    /// Why the message goes out.
    public enum Reason: String, Hashable, Sendable, Codable, CaseIterable {
        /// The group has exceptions the route was never told about.
        case new
        /// Nothing new, but the group is still open after the route's re-notify interval.
        case reminder
        /// Exceptions the route was told about are resolved.
        case resolved
        /// No message: the marks of resolved exceptions are settled because the route is gone or does not want
        /// resolved messages.
        case settled
    }

    /// The route (subscription id).
    public var routeID: String
    /// The group's kind.
    public var kind: OperationsException.Kind
    /// Why.
    public var reason: Reason
    /// The group's open exceptions (for `new` and `reminder` all are named; for `resolved`, those still open).
    public var open: [OperationsException]
    /// The resolved exceptions the message reports (`resolved`, `settled`).
    public var resolved: [OperationsException]
    /// Ids of the open exceptions never notified to the route before.
    public var newIDs: [String]
    /// The route's new mark for each exception the notice changes, by exception id.
    public var marks: [String: AlertMark]
}

/// Decides which alert messages go out now: pure, from the routes, the exceptions and a clock.
///
/// A route's open exceptions are grouped by kind. A group is notified when it has an exception the route was never told
/// about (all of the group is listed, the new ones marked), and again when the whole group has been quiet for the
/// route's re-notify interval. An exception told about once is not repeated until then: several exceptions raised
/// between two runs make one message. When exceptions a route was told about are resolved, the route gets one resolved
/// message per kind (per 50 resolutions), naming them and how many of the kind are still open.
public enum AlertPlan {
    /// An open exception with the channel of its order (nil when it has none or it is unknown).
    public struct Candidate: Hashable, Sendable {
        /// The exception.
        public var exception: OperationsException
        /// Its order's channel.
        public var channel: String?

        /// Creates a candidate.
        public init(_ exception: OperationsException, channel: String?) {
            self.exception = exception
            self.channel = channel
        }
    }

    /// The notices due at `now`, routes in id order and kinds in catalogue order.
    /// - Parameters:
    ///   - routes: alert routes by subscription id.
    ///   - open: the open exceptions.
    ///   - resolved: resolved exceptions that still await a resolved message (``OperationsException/awaitsResolvedAlert``).
    ///   - now: the clock.
    public static func notices(
        routes: [String: AlertRoute],
        open: [Candidate],
        resolved: [OperationsException],
        now: Date
    ) -> [AlertNotice] {
        var notices: [AlertNotice] = []
        for routeID in routes.keys.sorted() {
            let route = routes[routeID]!
            let members = open.filter { route.matches($0.exception, channel: $0.channel) }.map(\.exception)
            for kind in OperationsException.Kind.allCases {
                let group = members.filter { $0.kind == kind }
                if let notice = firing(routeID: routeID, route: route, group: group, now: now) { notices.append(notice) }
                let done = resolved.filter { $0.kind == kind && $0.alerts[routeID].map { $0.resolvedNotifiedAt == nil } == true }
                // Every resolution is named: a message per ``AlertData/itemLimit`` of them.
                for start in stride(from: 0, to: done.count, by: AlertData.itemLimit) {
                    let chunk = Array(done[start..<min(start + AlertData.itemLimit, done.count)])
                    notices.append(
                        settle(routeID: routeID, kind: kind, reason: route.notifyResolved ? .resolved : .settled, done: chunk, open: group, now: now)
                    )
                }
            }
        }
        // Routes that were deleted (or stopped being routes) leave marks waiting on resolved exceptions: settle them.
        let gone = Set(resolved.flatMap { $0.alerts.keys }).subtracting(routes.keys)
        for routeID in gone.sorted() {
            for kind in OperationsException.Kind.allCases {
                let done = resolved.filter { $0.kind == kind && $0.alerts[routeID].map { $0.resolvedNotifiedAt == nil } == true }
                if !done.isEmpty { notices.append(settle(routeID: routeID, kind: kind, reason: .settled, done: done, open: [], now: now)) }
            }
        }
        return notices
    }

    /// The firing notice for one group, if one is due.
    static func firing(routeID: String, route: AlertRoute, group: [OperationsException], now: Date) -> AlertNotice? {
        guard !group.isEmpty else { return nil }
        let newIDs = group.filter { $0.alerts[routeID] == nil }.map(\.id)
        let reason: AlertNotice.Reason
        if !newIDs.isEmpty {
            reason = .new
        } else if route.renotifyMinutes > 0, let last = group.compactMap({ $0.alerts[routeID]?.notifiedAt }).max(),
            now >= last.addingTimeInterval(Double(route.renotifyMinutes) * 60)
        {
            reason = .reminder
        } else {
            return nil
        }
        var marks: [String: AlertMark] = [:]
        for exception in group {
            marks[exception.id] = AlertMark(notifiedAt: now, notifications: (exception.alerts[routeID]?.notifications ?? 0) + 1)
        }
        return AlertNotice(routeID: routeID, kind: group[0].kind, reason: reason, open: group, resolved: [], newIDs: newIDs, marks: marks)
    }

    /// The resolved (or silently settled) notice for resolved exceptions of one kind.
    static func settle(
        routeID: String,
        kind: OperationsException.Kind,
        reason: AlertNotice.Reason,
        done: [OperationsException],
        open: [OperationsException],
        now: Date
    ) -> AlertNotice {
        var marks: [String: AlertMark] = [:]
        for exception in done {
            var mark = exception.alerts[routeID]!
            mark.resolvedNotifiedAt = now
            marks[exception.id] = mark
        }
        return AlertNotice(routeID: routeID, kind: kind, reason: reason, open: open, resolved: done, newIDs: [], marks: marks)
    }
}

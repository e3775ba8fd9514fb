import Foundation

/// The `data` of `alert.firing` and `alert.resolved`: one message to one alert route about one kind of operations
/// exception.
public struct AlertData: Hashable, Sendable, Codable {
    /// One exception the message names.
    public struct Item: Hashable, Sendable, Codable {
        public var id: String
        public var kind: OperationsException.Kind
        public var detail: String
        /// The order; empty for an exception about no single order.
        public var orderId: String
        public var partner: String?
        public var assignee: String?
        public var status: OperationsException.Status
        public var resolution: OperationsException.Resolution?
        public var note: String?
        /// Whether this message is the first to name it.
        public var new: Bool
        public var openedAt: Date
        public var dueAt: Date?
        public var resolvedAt: Date?

        /// The item for `exception`.
        public init(_ exception: OperationsException, new: Bool) {
            id = exception.id
            kind = exception.kind
            detail = exception.detail
            orderId = exception.orderID
            partner = exception.partner
            assignee = exception.assignee
            status = exception.status
            resolution = exception.resolution
            note = exception.note
            self.new = new
            openedAt = exception.openedAt
            dueAt = exception.dueAt
            resolvedAt = exception.resolvedAt
        }
    }

    /// The alert route (subscription id) the message is for.
    public var route: String
    /// `firing` while the group is open, `resolved` when it reports resolutions.
    public var status: String
    /// `new`, `reminder` or `resolved` (``AlertNotice/Reason``).
    public var reason: String
    public var kind: OperationsException.Kind
    public var severity: AlertSeverity
    /// One line for a pager or a chat channel.
    public var title: String
    /// Open exceptions of the kind for this route.
    public var openCount: Int
    /// Of those, how many this message names for the first time.
    public var newCount: Int
    /// Resolved exceptions this message reports.
    public var resolvedCount: Int
    /// When the oldest open one was raised.
    public var oldestOpenedAt: Date?
    /// The exceptions named: the resolved ones first, then the open ones, oldest first, at most ``itemLimit``.
    public var exceptions: [Item]
    /// Whether more exceptions than ``itemLimit`` are behind the counts.
    public var truncated: Bool

    /// The most exceptions one message names.
    public static let itemLimit = 50

    /// The message for `notice` (not for a `settled` one, which sends nothing).
    public init(_ notice: AlertNotice) {
        route = notice.routeID
        status = notice.reason == .resolved ? "resolved" : "firing"
        reason = notice.reason.rawValue
        kind = notice.kind
        severity = notice.kind.severity
        openCount = notice.open.count
        newCount = notice.newIDs.count
        resolvedCount = notice.resolved.count
        let open = notice.open.sorted { ($0.openedAt, $0.id) < ($1.openedAt, $1.id) }
        oldestOpenedAt = open.first?.openedAt
        let items = notice.resolved.map { Item($0, new: false) } + open.map { Item($0, new: notice.newIDs.contains($0.id)) }
        exceptions = Array(items.prefix(Self.itemLimit))
        truncated = items.count > Self.itemLimit
        let kindName = notice.kind.rawValue
        switch notice.reason {
        case .resolved:
            title = "[\(severity.rawValue)] \(kindName): \(resolvedCount) resolved, \(openCount) still open"
        case .reminder:
            title = "[\(severity.rawValue)] \(kindName): \(openCount) still open (reminder)"
        case .new, .settled:
            title = "[\(severity.rawValue)] \(kindName): \(openCount) open, \(newCount) new"
        }
    }
}

extension AlertData {
    /// The prefix of the alert event types' short names.
    public static let typePrefix = "alert."

    /// The subject of an alert event for `route` about `kind`: it addresses the event to that route alone, and orders
    /// the route's messages about one kind.
    public static func subject(route: String, kind: OperationsException.Kind) -> String {
        subjectPrefix(route: route) + kind.rawValue
    }

    /// The subject prefix of every alert event for `route`.
    public static func subjectPrefix(route: String) -> String { "alert/\(route)/" }
}

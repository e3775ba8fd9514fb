import Foundation

extension OperationsException {
    /// Who acted: the API key (or console session's key) a person used, or the hub itself.
    public struct Actor: Hashable, Sendable, Codable {
        /// The API key's id; nil for the hub's own watchdogs.
        public var keyId: String?
        /// The key's name (a person or a system), or `watchdog`.
        public var name: String

        /// Creates an actor.
        /// - Parameters:
        ///   - keyId: the API key's id, if a key acted.
        ///   - name: the key's name.
        public init(keyId: String?, name: String) {
            self.keyId = keyId
            self.name = name
        }

        /// The hub's watchdogs.
        public static let watchdog = Actor(keyId: nil, name: "watchdog")
    }

    /// One thing done to an exception.
    public struct Activity: Hashable, Sendable, Codable {
        /// What was done.
        public enum Action: String, Hashable, Sendable, Codable, CaseIterable {
            case assigned
            case commented
            case resolved
        }

        /// When.
        public var at: Date
        /// Who.
        public var by: Actor
        /// What.
        public var action: Action
        /// The new assignee (`assigned`).
        public var assignee: String?
        /// The comment (`commented`) or the resolution's note (`resolved`).
        public var text: String?
        /// The resolution (`resolved`).
        public var resolution: Resolution?
        /// Whether a person did it (false for automatic resolutions).
        public var manual: Bool

        /// Creates an entry.
        /// - Parameters:
        ///   - at: when.
        ///   - by: who.
        ///   - action: what.
        ///   - assignee: the new assignee, for `assigned`.
        ///   - text: the comment or note.
        ///   - resolution: the resolution, for `resolved`.
        ///   - manual: whether a person did it.
        public init(
            at: Date,
            by: Actor,
            action: Action,
            assignee: String? = nil,
            text: String? = nil,
            resolution: Resolution? = nil,
            manual: Bool = true
        ) {
            self.at = at
            self.by = by
            self.action = action
            self.assignee = assignee
            self.text = text
            self.resolution = resolution
            self.manual = manual
        }
    }

    /// Throws 409 `illegal_transition` unless the exception is open.
    /// - Parameter action: the action refused (`assign`, `comment`, `resolve`).
    public func requireOpen(for action: String) throws(CommandError) {
        guard status == .open else {
            throw CommandError(
                code: "illegal_transition",
                message: "exception \(id) is resolved; '\(action)' is not allowed",
                currentStatus: status.rawValue,
                action: action
            )
        }
    }

    /// Throws 422 `invalid_resolution` (field `resolution`) unless a person may resolve this exception with
    /// `resolution` (``Kind/resolutions``; a delivery exception without a shipment cannot be credited or reshipped).
    public func check(_ resolution: Resolution) throws(CommandError) {
        var allowed = kind.resolutions
        if shipmentID == nil { allowed.removeAll { $0 == .credit || $0 == .reship } }
        if kind == .backorderOverdue, lineNo == nil { allowed.removeAll { $0 == .substitute } }
        guard allowed.contains(resolution) else {
            let choices = allowed.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw CommandError(
                code: "invalid_resolution",
                message: "a \(kind.rawValue) exception cannot be resolved with '\(resolution.rawValue)'",
                errors: [.init(field: "resolution", reason: "must be one of \(choices) for \(kind.rawValue)")],
                currentStatus: status.rawValue,
                action: "resolve"
            )
        }
    }

    /// Records that `by` assigned it to `assignee` at `at`.
    public mutating func assign(to assignee: String, by: Actor, at: Date) throws(CommandError) {
        try requireOpen(for: "assign")
        self.assignee = assignee
        record(Activity(at: at, by: by, action: .assigned, assignee: assignee))
    }

    /// Records `by`'s comment at `at`.
    public mutating func comment(_ text: String, by: Actor, at: Date) throws(CommandError) {
        try requireOpen(for: "comment")
        record(Activity(at: at, by: by, action: .commented, text: text))
    }

    /// Resolves it with `resolution`: status, note, resolution time and time to resolve, and the activity entry
    /// (manual unless the resolution is `automatic`). The caller has checked the resolution fits.
    public mutating func resolve(_ resolution: Resolution, note: String?, by: Actor, at: Date) throws(CommandError) {
        try requireOpen(for: "resolve")
        status = .resolved
        self.resolution = resolution
        self.note = note
        resolvedAt = at
        timeToResolveSeconds = max(0, at.timeIntervalSince(openedAt))
        record(Activity(at: at, by: by, action: .resolved, text: note, resolution: resolution, manual: resolution != .automatic))
    }

    private mutating func record(_ entry: Activity) {
        activity.append(entry)
        if entry.manual { manualTouches += 1 }
        version += 1
    }
}

extension OperationsException.Kind {
    /// The resolutions a person may choose for this kind (`automatic` is the watchdog's own).
    public var resolutions: [OperationsException.Resolution] {
        switch self {
        case .deliveryException: [.credit, .reship, .notifyCustomer, .acknowledge]
        case .shipmentSilent: [.reship, .notifyCustomer, .acknowledge]
        case .shipmentOverdue, .cancelRefused: [.notifyCustomer, .acknowledge]
        case .backorderOverdue: [.cancelRemainder, .substitute, .notifyCustomer, .acknowledge]
        case .fulfillmentUnacknowledged: [.cancelRemainder, .notifyCustomer, .acknowledge]
        case .priceMismatch, .channelTotalsMismatch, .ediUnacknowledged, .ediRejected, .channelSilent: [.acknowledge]
        }
    }
}

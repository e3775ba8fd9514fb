import Foundation
import Synchronization

/// The write a task is making on behalf of an API key, for the audit log: who, through which route, with which
/// request id and from where, plus what the write reports about itself (its status, the resource it created, the
/// fields it changed).
///
/// The HTTP layer sets it (``current``) around each write request. ``Store/commit(_:)`` reads it on the caller's side
/// and appends the entry in the same transaction as the unit, so a committed write always has its entry and a failed
/// one has none; the first unit a request commits records it, later ones do not. A write that commits no unit is
/// appended after its response (``AuditStore/appendAudit(_:)``). Copies of a context share what it was told and
/// whether its entry is stored: make a new one for each request.
///
/// ```swift
/// let audit = AuditContext(keyID: key.id, keyName: key.name, partner: nil, method: "PUT", path: "/v1/customers/C-1",
///                          requestID: "req-1", source: "10.0.0.7", route: { "/v1/customers/{id}" })
/// try await AuditContext.$current.withValue(audit) { try await service.put(customer) }
/// ```
public struct AuditContext: Sendable {
    /// The write this task is making, if it is one made with an API key.
    @TaskLocal public static var current: AuditContext?

    /// The key's id.
    public var keyID: String
    /// The key's name.
    public var keyName: String
    /// The partner the key acts for.
    public var partner: String?
    /// The HTTP method.
    public var method: String
    /// The request path.
    public var path: String
    /// The request id.
    public var requestID: String
    /// The client's address.
    public var source: String?
    /// The route template (`/v1/customers/{id}`), read when the entry is made: the router resolves it inside the chain.
    public var route: @Sendable () -> String?
    /// What the write reports about itself, shared by every copy of this context.
    private let recorder = Recorder()

    /// Creates the context of one write request.
    /// - Parameters:
    ///   - keyID: the API key's id.
    ///   - keyName: the API key's name.
    ///   - partner: the partner the key acts for.
    ///   - method: the HTTP method.
    ///   - path: the request path.
    ///   - requestID: the request id.
    ///   - source: the client's address.
    ///   - route: the route template, read when the entry is made.
    public init(
        keyID: String,
        keyName: String,
        partner: String?,
        method: String,
        path: String,
        requestID: String,
        source: String?,
        route: @escaping @Sendable () -> String?
    ) {
        self.keyID = keyID
        self.keyName = keyName
        self.partner = partner
        self.method = method
        self.path = path
        self.requestID = requestID
        self.source = source
        self.route = route
    }

    /// Tells the current write's entry the status it answers with and the path of the resource it creates, before it
    /// commits (the entry is written with the commit).
    public static func note(status: Int, location: String?) {
        current?.recorder.state.withLock {
            $0.status = status
            if let location { $0.location = location }
        }
    }

    /// Tells the current write's entry which fields of a master-data record it changes.
    public static func note(changes: [FieldChange]) {
        current?.recorder.state.withLock { $0.changes = changes }
    }

    /// Whether an entry of this write is already stored.
    public var isRecorded: Bool { recorder.state.withLock { $0.recorded } }

    /// The entry to store with the write now being committed, or nil when one is already stored or being stored;
    /// ``settle(recorded:)`` must follow.
    /// - Parameters:
    ///   - status: the response status, when known (else the one noted).
    ///   - location: the created resource's path, when known (else the one noted).
    ///   - at: the time of the entry.
    public func claim(status: Int? = nil, location: String? = nil, at: Date = Date()) -> AuditEntry? {
        let state = recorder.state.withLock { state -> Recorder.State? in
            guard !state.recorded, !state.claimed else { return nil }
            state.claimed = true
            return state
        }
        guard let state else { return nil }
        let route = self.route() ?? path
        return AuditEntry(
            at: at,
            keyId: keyID,
            keyName: keyName,
            partner: partner,
            method: method,
            route: route,
            path: path,
            resource: AuditEntry.resource(route: route, path: path, location: location ?? state.location),
            status: status ?? state.status,
            requestId: requestID,
            source: source,
            changes: state.changes
        )
    }

    /// Ends a ``claim(status:location:at:)``: `recorded` when its entry is stored (with the write), else it may be
    /// claimed again.
    public func settle(recorded: Bool) {
        recorder.state.withLock { state in
            state.claimed = false
            if recorded { state.recorded = true }
        }
    }

    /// The shared, mutable part of a context.
    private final class Recorder: Sendable {
        struct State {
            var status: Int?
            var location: String?
            var changes: [FieldChange]?
            var claimed = false
            var recorded = false
        }

        let state = Mutex(State())
    }
}

extension AuditEntry {
    /// The resource a route writes: the singular of the collection before the route's last path parameter and that
    /// parameter's value (`/v1/customers/{id}` on `/v1/customers/C-1` is `customer/C-1`); for a route without
    /// parameters, the resource at `location` when the write created one (`/v1/orders/O-1` is `order/O-1`), else the
    /// collection (`/v1/orders` is `order`).
    /// - Parameters:
    ///   - route: the route template, with `{name}` or `:name` parameters.
    ///   - path: the request path.
    ///   - location: the created resource's path, if any.
    public static func resource(route: String, path: String, location: String?) -> String {
        let template = route.split(separator: "/")
        let segments = path.split(separator: "/")
        if template.count == segments.count,
            let index = template.lastIndex(where: { $0.first == "{" || $0.first == ":" }),
            index > 0
        {
            return singular(template[index - 1]) + "/" + decoded(segments[index])
        }
        if let location, location.hasPrefix("/v1/") {
            let parts = (location.split(separator: "?").first ?? "").split(separator: "/")
            if parts.count >= 3 { return singular(parts[parts.count - 2]) + "/" + decoded(parts[parts.count - 1]) }
        }
        let names = template.drop { $0 == "v1" }
        guard let last = names.last else { return route }
        return (names.dropLast().map(String.init) + [singular(last)]).joined(separator: "-")
    }

    /// A path segment without its percent-encoding (and without NUL, which PostgreSQL's text cannot hold).
    static func decoded(_ segment: Substring) -> String {
        guard segment.contains("%") else { return String(segment) }
        return (String(segment).removingPercentEncoding ?? String(segment)).replacingOccurrences(of: "\u{0}", with: "")
    }

    /// `deliveries` → `delivery`, `orders` → `order`.
    static func singular(_ word: Substring) -> String {
        if word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("s"), !word.hasSuffix("ss") { return String(word.dropLast()) }
        return String(word)
    }
}

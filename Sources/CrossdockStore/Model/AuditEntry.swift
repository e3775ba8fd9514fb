import CrossdockDomain
import Foundation

/// One recorded write: who made it, when, through which route, on which resource, and for master data what changed.
/// Entries are append-only: nothing in the hub updates or deletes them.
public struct AuditEntry: Hashable, Sendable, Codable {
    /// The entry's position in the audit log (assigned when it is stored; 0 before).
    public var seq: Int64
    /// When the write was recorded.
    public var at: Date
    /// The API key's id.
    public var keyId: String
    /// The API key's name.
    public var keyName: String
    /// The partner the key acts for, if any.
    public var partner: String?
    /// The HTTP method (`POST`, `PUT`, `PATCH`, `DELETE`).
    public var method: String
    /// The route template, e.g. `/v1/customers/{id}`.
    public var route: String
    /// The request path.
    public var path: String
    /// The resource written, e.g. `customer/C-1` (type, then id when the route or the created resource names one).
    public var resource: String
    /// The response status; nil when the write committed before its status was decided (see docs/api.md).
    public var status: Int?
    /// The request id (`X-Request-Id`).
    public var requestId: String
    /// The client's address (the socket peer), when known.
    public var source: String?
    /// Field-level changes of a master-data record; nil for other writes.
    public var changes: [FieldChange]?

    /// Creates an entry.
    public init(
        seq: Int64 = 0,
        at: Date,
        keyId: String,
        keyName: String,
        partner: String?,
        method: String,
        route: String,
        path: String,
        resource: String,
        status: Int?,
        requestId: String,
        source: String?,
        changes: [FieldChange]?
    ) {
        self.seq = seq
        self.at = at
        self.keyId = keyId
        self.keyName = keyName
        self.partner = partner
        self.method = method
        self.route = route
        self.path = path
        self.resource = resource
        self.status = status
        self.requestId = requestId
        self.source = source
        self.changes = changes
    }

    /// `changes` as stored: a JSON array, or nil.
    var changesJSON: String? {
        get throws { try changes.map { String(decoding: try JSONCoding.encoder().encode($0), as: UTF8.self) } }
    }

    /// Decodes a stored `changes` column.
    static func changes(_ json: String?) -> [FieldChange]? {
        json.flatMap { try? JSONCoding.decoder().decode([FieldChange].self, from: Data($0.utf8)) }
    }
}

/// One top-level field of a record that a write changed: its value before (nil on creation) and after.
public struct FieldChange: Hashable, Sendable, Codable {
    /// The field's name in the record's JSON.
    public var field: String
    /// The value before the write; nil when the field (or the record) did not exist.
    public var before: JSONValue?
    /// The value after the write; nil when the write removed the field.
    public var after: JSONValue?

    /// Creates a change.
    public init(field: String, before: JSONValue?, after: JSONValue?) {
        self.field = field
        self.before = before
        self.after = after
    }

    private enum CodingKeys: String, CodingKey {
        case field, before, after
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        field = try container.decode(String.self, forKey: .field)
        before = try container.decodeIfPresent(JSONValue.self, forKey: .before).flatMap { $0 == .null ? nil : $0 }
        after = try container.decodeIfPresent(JSONValue.self, forKey: .after).flatMap { $0 == .null ? nil : $0 }
    }

    /// Encodes `before` and `after` as `null` when absent (a created record's fields have `"before": null`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(field, forKey: .field)
        try container.encode(before ?? .null, forKey: .before)
        try container.encode(after ?? .null, forKey: .after)
    }

    /// Fields whose values are never recorded (their change is, as `"[redacted]"`).
    static let secretMarkers = ["secret", "password", "token", "apikey", "credential"]

    /// The top-level fields that differ between two JSON objects, by name; a value of a field whose name looks like a
    /// secret (secret, password, token, API key, credential) is replaced by `"[redacted]"`.
    /// - Parameters:
    ///   - before: the stored record, or nil when the write creates it.
    ///   - after: the record written.
    public static func diff(before: JSONValue?, after: JSONValue) -> [FieldChange] {
        let old = before?.objectValue ?? [:]
        let new = after.objectValue ?? [:]
        return Set(old.keys).union(new.keys).sorted().compactMap { field in
            let was = old[field]
            let now = new[field]
            guard was != now else { return nil }
            let lowered = field.lowercased()
            guard !secretMarkers.contains(where: lowered.contains) else {
                return FieldChange(field: field, before: was.map { _ in .string("[redacted]") }, after: now.map { _ in .string("[redacted]") })
            }
            return FieldChange(field: field, before: was, after: now)
        }
    }

    /// The diff of two encodable records, compared as the hub stores them (``JSONCoding``).
    public static func diff<T: Encodable>(before: T?, after: T) throws -> [FieldChange] {
        let decoder = JSONDecoder()
        let encoder = JSONCoding.encoder()
        let old = try before.map { try decoder.decode(JSONValue.self, from: try encoder.encode($0)) }
        return diff(before: old, after: try decoder.decode(JSONValue.self, from: try encoder.encode(after)))
    }
}

extension JSONValue {
    /// The members, if this is an object.
    fileprivate var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }
}

/// Which audit entries to read: all filters are optional and combine with AND.
public struct AuditQuery: Hashable, Sendable {
    /// Only entries after this position (the cursor: the last `seq` of the previous page).
    public var after: Int64 = 0
    /// At most this many entries.
    public var limit: Int = 100
    /// Only writes by this key id.
    public var keyID: String?
    /// Only this resource (`customer/C-1`), or every resource of a type (`customer`).
    public var resource: String?
    /// Only entries recorded at or after this instant.
    public var since: Date?
    /// Only entries recorded before this instant.
    public var until: Date?

    /// A query for the first `limit` entries.
    public init(after: Int64 = 0, limit: Int = 100) {
        self.after = after
        self.limit = limit
    }

    /// The prefix a type-only resource filter also matches: `customer` matches `customer` and `customer/…`; nil
    /// when the filter names one resource.
    var resourcePrefix: String? {
        guard let resource, !resource.contains("/") else { return nil }
        return resource + "/"
    }
}

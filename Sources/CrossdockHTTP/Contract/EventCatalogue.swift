import CrossdockDomain
import Foundation

/// The JSON Schema of every event type's `data`, and the catalogue entries `/v1/event-types` lists.
///
/// `event-schemas.json` holds shared definitions (`$defs`) and one entry per qualified type
/// (`com.crossdock.order.received.v1`): its subject, what emits it, and the schema of its `data`. Each type is served
/// as a self-contained JSON Schema (draft 2020-12) at `/v1/event-types/{type}`, the URL every CloudEvent names in
/// `dataschema`, with the definitions it uses copied in.
public struct EventCatalogue: Sendable {
    /// One event type.
    public struct Entry: Sendable, Encodable {
        /// The CloudEvents `type` (`com.crossdock.order.received.v1`).
        public var type: String
        /// The short name subscriptions filter on (`order.received`).
        public var name: String
        /// The schema version.
        public var version: Int
        /// What the CloudEvents `subject` is.
        public var subject: String
        /// When the hub emits it.
        public var description: String
        /// Whether a newer version replaces it (both are emitted until `sunset`).
        public var deprecated: Bool
        /// When a deprecated version stops being emitted (RFC 3339), if it is deprecated.
        public var sunset: String?
        /// The URL of its schema (filled in when served).
        public var dataschema: String
    }

    /// The entries, in catalogue order.
    public let entries: [Entry]
    /// Each type's `data` schema as written (it may refer to `#/$defs/…`).
    let schemas: [String: JSONValue]
    /// The shared definitions (`$defs`).
    public let definitions: [String: JSONValue]

    /// Reads the catalogue file.
    public init(json: Data) throws {
        guard case .object(let root) = try JSONDecoder().decode(JSONValue.self, from: json),
            case .object(let types)? = root["types"], case .array(let order)? = root["order"]
        else { throw Contract.LoadError(description: "event-schemas.json needs `order` and `types`") }
        if case .object(let definitions)? = root["$defs"] { self.definitions = definitions } else { self.definitions = [:] }
        var entries: [Entry] = []
        var schemas: [String: JSONValue] = [:]
        for case .string(let type) in order {
            guard let eventType = EventType(qualifiedName: type), case .object(let entry)? = types[type], let schema = entry["schema"] else {
                throw Contract.LoadError(description: "event-schemas.json: '\(type)' is not a qualified type with a schema")
            }
            entries.append(
                Entry(
                    type: type,
                    name: eventType.name,
                    version: eventType.schemaVersion,
                    subject: entry["subject"]?.stringValue ?? "",
                    description: entry["description"]?.stringValue ?? "",
                    deprecated: entry["deprecated"] == .bool(true),
                    sunset: entry["sunset"]?.stringValue,
                    dataschema: ""
                )
            )
            schemas[type] = schema
        }
        self.entries = entries
        self.schemas = schemas
    }

    /// The URL of `type`'s schema on a hub at `baseURL`.
    public static func schemaURL(_ type: String, baseURL: String) -> String { "\(baseURL)/v1/event-types/\(type)" }

    /// The entries with their schema URLs on a hub at `baseURL`.
    public func list(baseURL: String) -> [Entry] {
        entries.map { entry in
            var entry = entry
            entry.dataschema = Self.schemaURL(entry.type, baseURL: baseURL)
            return entry
        }
    }

    /// The self-contained JSON Schema of `type`'s `data`, with `$id` on a hub at `baseURL`; nil for an unknown type.
    public func schema(_ type: String, baseURL: String) -> JSONValue? {
        guard let schema = schemas[type], let entry = entries.first(where: { $0.type == type }) else { return nil }
        var document: [String: JSONValue] = [
            "$schema": .string("https://json-schema.org/draft/2020-12/schema"),
            "$id": .string(Self.schemaURL(type, baseURL: baseURL)),
            "title": .string("\(type) data"),
            "description": .string(entry.description),
        ]
        if case .object(let members) = schema {
            for (key, value) in members where document[key] == nil { document[key] = value }
        }
        let used = reachableDefinitions(from: schema)
        if !used.isEmpty { document["$defs"] = .object(definitions.filter { used.contains($0.key) }) }
        return .object(document)
    }

    /// `type`'s `data` schema as written, its references into ``definitions`` unresolved.
    public func rawSchema(_ type: String) -> JSONValue? { schemas[type] }

    /// The names of the definitions `schema` refers to, directly or through other definitions.
    func reachableDefinitions(from schema: JSONValue) -> Set<String> {
        var found: Set<String> = []
        var pending = [schema]
        while let next = pending.popLast() {
            for name in Self.references(in: next) where !found.contains(name) {
                found.insert(name)
                if let definition = definitions[name] { pending.append(definition) }
            }
        }
        return found
    }

    /// The `#/$defs/NAME` references directly inside `value`.
    public static func references(in value: JSONValue) -> [String] {
        switch value {
        case .object(let members):
            var names: [String] = []
            if case .string(let ref)? = members["$ref"], ref.hasPrefix("#/$defs/") { names.append(String(ref.dropFirst(8))) }
            for (key, member) in members where key != "$ref" { names += references(in: member) }
            return names
        case .array(let elements):
            return elements.flatMap(references(in:))
        default:
            return []
        }
    }
}

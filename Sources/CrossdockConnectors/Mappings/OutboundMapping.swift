import CrossdockDomain
import Foundation

/// A declarative mapping from a hub event (CloudEvents JSON) to the body a partner receives.
///
/// Loaded and validated once (the template is compiled then); ``render(event:)-(some Collection<UInt8>)`` only parses
/// the event. The file format, operators and errors are in `docs/mappings.md`.
///
/// ```swift
/// let catalog = try MappingCatalog.load(directory: URL(filePath: "mappings"))
/// let mapping = catalog["sandbox-erp-sales-order"]!
/// let (contentType, body) = try mapping.render(event: delivery.body)
/// ```
public struct OutboundMapping: Sendable {
    /// Unique name, equal to the file name without `.json`.
    public let name: String
    /// What the mapping is for.
    public let description: String?
    /// The short event type names it renders (`order.accepted`); empty for a feed mapping.
    public let events: [String]
    /// For a master-data feed mapping, the kind of record it makes from each of a feed's records (`product`,
    /// `warehouse`, `price_list`, `customer`; docs/master-data.md); nil for an event mapping.
    public let feed: String?
    /// The `Content-Type` of the rendered body.
    public let contentType: String
    /// The file it came from (for messages), e.g. `Bundled/sandbox-erp-invoice.json`.
    public let source: String
    private let template: MappingTemplate
    /// Whether the template renders a raw string (`"body"`) rather than JSON (`"template"`).
    private let isRaw: Bool
    /// The path appended to the subscription's URL (`"path"`), if any.
    private let path: MappingTemplate?
    /// How a 2xx reply names the partner's own number for the document (`"reference"`), if at all.
    private let replyReference: (type: MappingTemplate, number: MappingTemplate)?
    /// Whether the template uses `$reference`, so the renderer needs the order's recorded references.
    public let usesReferences: Bool

    /// A rendered request.
    public struct Rendered: Sendable {
        /// The `Content-Type` header.
        public var contentType: String
        /// The body.
        public var body: [UInt8]
        /// The path to append to the subscription's URL (starting with `/`), or nil to post to the URL itself.
        public var path: String?
    }

    private static let topLevelKeys: Set<String> = [
        "name", "description", "events", "feed", "contentType", "template", "body", "tables", "path", "reference",
    ]

    /// The kinds a feed mapping may make.
    public static let feedKinds: Set<String> = ["product", "warehouse", "price_list", "customer"]

    /// Loads and validates a mapping file.
    /// - Parameters:
    ///   - json: the file's bytes.
    ///   - source: the file name, used in errors.
    ///   - expectedName: when given, `name` must equal it (the catalog passes the file name without `.json`).
    /// - Throws: `invalid_mapping` whose message names the file and the first problem's JSON pointer, with every
    ///   problem in `errors` (field = JSON pointer).
    public init(json: some Collection<UInt8>, source: String, expectedName: String? = nil) throws(ConnectorError) {
        let root: JSONNode
        do {
            root = try JSONParser.parse(json)
        } catch {
            throw Self.invalid(source, [.init(field: "/", reason: error.message)])
        }
        guard case .object(let members) = root else { throw Self.invalid(source, [.init(field: "/", reason: "must be a JSON object")]) }
        var compiler = MappingCompiler(tables: [:])
        for member in members where !Self.topLevelKeys.contains(member.key) {
            compiler.problem(MappingCompiler.pointer("", member.key), "unknown key (allowed: \(Self.topLevelKeys.sorted().joined(separator: ", ")))")
        }
        let name = root["name"]?.stringValue ?? ""
        if root["name"]?.stringValue == nil {
            compiler.problem("/name", "missing: a string")
        } else if !Self.isValidName(name) {
            compiler.problem("/name", "must be lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
        } else if let expectedName, expectedName != name {
            compiler.problem("/name", "is \"\(name)\" but the file is \(source); they must match")
        }
        if let value = root["description"], value.stringValue == nil { compiler.problem("/description", "must be a string") }
        let feed = root["feed"]?.stringValue
        var events: [String] = []
        switch (root["events"], root["feed"]) {
        case (_, nil):
            events = Self.events(root["events"], &compiler)
        case (nil, _?):
            if feed.map(Self.feedKinds.contains) != true {
                compiler.problem("/feed", "must be one of \(Self.feedKinds.sorted().joined(separator: ", "))")
            }
            if root["template"] == nil { compiler.problem("/template", "a feed mapping renders each record as JSON: give \"template\"") }
            for key in ["path", "reference"] where root[key] != nil { compiler.problem("/\(key)", "not for a feed mapping") }
        case (_?, _?):
            compiler.problem("/feed", "give either \"events\" (an event mapping) or \"feed\" (a master-data feed mapping), not both")
        }
        let contentType = root["contentType"]?.stringValue ?? (root["feed"] != nil ? "application/json" : "")
        if !contentType.contains("/") { compiler.problem("/contentType", "missing or not a media type, e.g. application/json") }
        let tables = Self.tables(root["tables"], &compiler)
        compiler = MappingCompiler(tables: tables, problems: compiler.problems)
        var template = MappingCompiler.literal(.null)
        switch (root["template"], root["body"]) {
        case (let value?, nil): template = compiler.compile(value, at: "/template")
        case (nil, let value?): template = compiler.compile(value, at: "/body")
        case (nil, nil): compiler.problem("/", "missing \"template\" (a JSON body) or \"body\" (a raw string body)")
        case (_?, _?): compiler.problem("/body", "give either \"template\" or \"body\", not both")
        }
        let path = root["path"].map { compiler.compile($0, at: "/path") }
        var replyReference: (type: MappingTemplate, number: MappingTemplate)?
        if let node = root["reference"] {
            if case .object(let members) = node, let type = node["type"], let number = node["number"], members.count == 2 {
                replyReference = (compiler.compile(type, at: "/reference/type"), compiler.compile(number, at: "/reference/number"))
            } else {
                compiler.problem("/reference", "must be {\"type\": template, \"number\": template}, rendered from the reply ($) and the event ($$)")
            }
        }
        guard compiler.problems.isEmpty else { throw Self.invalid(source, compiler.problems) }
        self.path = path
        self.replyReference = replyReference
        self.usesReferences = compiler.usesReferences
        self.name = name
        self.description = root["description"]?.stringValue
        self.events = events
        self.feed = root["events"] == nil ? feed : nil
        self.contentType = contentType
        self.source = source
        self.template = template
        self.isRaw = root["template"] == nil
    }

    /// Whether the mapping renders events of `type` (a short name such as `order.accepted`, or a qualified
    /// `com.crossdock.order.accepted.v1`).
    public func handles(_ type: String) -> Bool {
        events.contains(EventType(qualifiedName: type)?.name ?? type)
    }

    /// Renders an event given as its CloudEvents JSON bytes (the delivery body).
    /// - Returns: the content type and the body to send.
    /// - Throws: `mapping_failed` naming the path that is missing (or of the wrong kind) and the template's pointer;
    ///   the delivery engine dead-letters the event with this message.
    public func render(event: some Collection<UInt8>) throws(ConnectorError) -> (contentType: String, body: [UInt8]) {
        let root: JSONNode
        do {
            root = try JSONParser.parse(event)
        } catch {
            throw failed("the event is not JSON: \(error.message)", field: "event")
        }
        return try render(root: RenderRoot(event: root, references: [:]))
    }

    /// Renders an event given as a parsed ``JSONValue``.
    public func render(event: JSONValue) throws(ConnectorError) -> (contentType: String, body: [UInt8]) {
        try render(root: RenderRoot(event: JSONNode(event), references: [:]))
    }

    /// Renders one record of a master-data feed (a feed mapping): `$` and `$$` are the record.
    /// - Returns: the record in the shape the hub's PUT route for ``feed`` takes.
    /// - Throws: `mapping_failed` as ``render(event:)-(some Collection<UInt8>)``.
    public func render(record: JSONValue) throws(ConnectorError) -> JSONValue {
        guard feed != nil else { throw failed("is not a feed mapping", field: "mapping") }
        let root = JSONNode(record)
        var body: [UInt8] = []
        do throws(RenderFailure) {
            try template.write(current: root, root: RenderRoot(event: root, references: [:]), into: &body)
        } catch {
            let reason = "\(error.reason) (at \(error.pointer)\(error.isMissing ? ", no $default" : ""))"
            throw failed("\(error.path): \(reason)", field: error.path, reason: reason)
        }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) else {
            throw failed("the rendered record is not JSON", field: "template")
        }
        return value
    }

    /// Renders an event given as its CloudEvents JSON bytes into a request: body, content type and the `path` to append
    /// to the subscription's URL.
    /// - Parameters:
    ///   - event: the CloudEvent's JSON.
    ///   - references: the partner's numbers recorded for the event's order, by document type (for `$reference`).
    /// - Throws: `mapping_failed` as ``render(event:)-(some Collection<UInt8>)``; also when `path` does not render a
    ///   string starting with `/`.
    public func request(event: some Collection<UInt8>, references: [String: String] = [:]) throws(ConnectorError) -> Rendered {
        let root: JSONNode
        do {
            root = try JSONParser.parse(event)
        } catch {
            throw failed("the event is not JSON: \(error.message)", field: "event")
        }
        let scope = RenderRoot(event: root, references: references)
        let (contentType, body) = try render(root: scope)
        guard let path else { return Rendered(contentType: contentType, body: body, path: nil) }
        do throws(RenderFailure) {
            guard case .string(let text) = try path.value(current: root, root: scope), text.hasPrefix("/"), !text.contains("..") else {
                throw RenderFailure(path: "path", reason: "must render a string starting with / (without ..)", pointer: "/path", isMissing: false)
            }
            return Rendered(contentType: contentType, body: body, path: text)
        } catch {
            let reason = "\(error.reason) (at \(error.pointer)\(error.isMissing ? ", no $default" : ""))"
            throw failed("\(error.path): \(reason)", field: error.path, reason: reason)
        }
    }

    /// The partner's own number for the document a mapped delivery created, read from its 2xx JSON reply with the
    /// mapping's `reference` templates (`$` is the reply, `$$` the event); nil when the mapping has none, the reply
    /// is not JSON or a template does not render a non-empty string or number.
    public func reference(reply: some Collection<UInt8>, event: some Collection<UInt8>) -> (type: String, number: String)? {
        guard let replyReference, let reply = try? JSONParser.parse(reply), let event = try? JSONParser.parse(event) else { return nil }
        let scope = RenderRoot(event: event, references: [:])
        func text(_ template: MappingTemplate) -> String? {
            switch try? template.value(current: reply, root: scope) {
            case .string(let value)?: value.isEmpty || value.count > 128 ? nil : value
            case .number(let value)?: value
            default: nil
            }
        }
        guard let type = text(replyReference.type), let number = text(replyReference.number) else { return nil }
        return (String(type.prefix(64)), number)
    }

    /// Renders a ``CloudEvent``, encoded as the hub encodes events.
    public func render(event: CloudEvent) throws(ConnectorError) -> (contentType: String, body: [UInt8]) {
        guard let data = try? JSONCoding.encoder().encode(event) else { throw failed("the event cannot be encoded", field: "event") }
        return try render(event: data)
    }

    private func render(root scope: RenderRoot) throws(ConnectorError) -> (contentType: String, body: [UInt8]) {
        let root = scope.event
        let type = root["type"]?.stringValue ?? ""
        guard handles(type) else {
            throw failed("event type \(type.isEmpty ? "(none)" : type) is not one of \(events.joined(separator: ", "))", field: "$.type")
        }
        var body: [UInt8] = []
        body.reserveCapacity(1024)
        do throws(RenderFailure) {
            if isRaw {
                guard case .string(let text) = try template.value(current: root, root: scope) else {
                    throw RenderFailure(path: "body", reason: "must render a string", pointer: "/body", isMissing: false)
                }
                body.append(contentsOf: text.utf8)
            } else {
                try template.write(current: root, root: scope, into: &body)
            }
        } catch {
            let reason = "\(error.reason) (at \(error.pointer)\(error.isMissing ? ", no $default" : ""))"
            throw failed("\(error.path): \(reason)", field: error.path, reason: reason)
        }
        return (contentType, body)
    }

    private func failed(_ message: String, field: String, reason: String? = nil) -> ConnectorError {
        ConnectorError(
            code: ConnectorError.mappingFailed,
            message: "mapping \(name): \(message)",
            errors: [.init(field: field, reason: reason ?? message)]
        )
    }

    private static func invalid(_ source: String, _ problems: [ConnectorError.FieldError]) -> ConnectorError {
        let first = problems.first.map { "\($0.field): \($0.reason)" } ?? ""
        let more = problems.count > 1 ? " (and \(problems.count - 1) more)" : ""
        return ConnectorError(code: ConnectorError.invalidMapping, message: "\(source)#\(first)\(more)", errors: problems)
    }

    private static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, (97...122).contains(first) || (48...57).contains(first) else { return false }
        return name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 || $0 == 46 || $0 == 95 }
    }
}

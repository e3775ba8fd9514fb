import CrossdockDomain

extension OutboundMapping {
    /// `events`: a non-empty array of short names from ``EventType/catalogue``.
    static func events(_ node: JSONNode?, _ compiler: inout MappingCompiler) -> [String] {
        guard case .array(let elements)? = node, !elements.isEmpty else {
            compiler.problem("/events", "missing: a non-empty array of event types, e.g. [\"order.accepted\"]")
            return []
        }
        let known = Set(EventType.catalogue.map(\.name))
        var events: [String] = []
        for (index, element) in elements.enumerated() {
            guard let name = element.stringValue, known.contains(name) else {
                compiler.problem("/events/\(index)", "unknown event type \(element.jsonText) (see EventType.catalogue, e.g. order.accepted)")
                continue
            }
            events.append(name)
        }
        return events
    }

    /// `tables`: `{"<table>": {"<key>": <any JSON>}}`.
    static func tables(_ node: JSONNode?, _ compiler: inout MappingCompiler) -> [String: [String: JSONNode]] {
        guard let node else { return [:] }
        guard case .object(let tables) = node else {
            compiler.problem("/tables", "must be an object of tables")
            return [:]
        }
        var result: [String: [String: JSONNode]] = [:]
        for table in tables {
            guard case .object(let entries) = table.value else {
                compiler.problem(MappingCompiler.pointer("/tables", table.key), "must be an object of key → value")
                continue
            }
            result[table.key] = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        return result
    }
}

extension JSONNode {
    /// Converts a domain ``JSONValue``; whole numbers below 2^53 are written without a fraction.
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let number):
            if number.rounded() == number, abs(number) < 9e15 {
                self = .number(String(Int64(number)))
            } else {
                self = .number(number.isFinite ? "\(number)" : "null")
            }
        case .string(let text): self = .string(text)
        case .array(let elements): self = .array(elements.map(JSONNode.init))
        case .object(let members):
            self = .object(members.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: JSONNode($0.value)) })
        }
    }
}

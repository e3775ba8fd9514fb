import CrossdockDomain
import Foundation

/// Validates a mapping file's template and compiles it into ``MappingTemplate`` nodes, collecting every problem with
/// its JSON pointer.
struct MappingCompiler {
    /// The operators and the plain keys each one allows besides itself and `$default`.
    static let operators: [String: Set<String>] = [
        "$path": [], "$const": [], "$each": ["template"], "$money": ["currency", "as"], "$join": ["separator"],
        "$concat": [], "$lookup": ["table"], "$switch": ["cases"], "$json": [], "$reference": [],
    ]

    let tables: [String: [String: JSONNode]]
    private(set) var problems: [ConnectorError.FieldError] = []
    /// Whether a `$reference` was compiled (the renderer then needs the order's recorded references).
    private(set) var usesReferences = false

    init(tables: [String: [String: JSONNode]], problems: [ConnectorError.FieldError] = []) {
        self.tables = tables
        self.problems = problems
    }

    /// RFC 6901 pointer of `key` under `parent`.
    static func pointer(_ parent: String, _ key: String) -> String {
        parent + "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    mutating func problem(_ pointer: String, _ reason: String) {
        problems.append(.init(field: pointer.isEmpty ? "/" : pointer, reason: reason))
    }

    /// Compiles a template value found at `pointer`; a placeholder literal stands in for an invalid node.
    mutating func compile(_ node: JSONNode, at pointer: String) -> MappingTemplate {
        switch node {
        case .string(let text) where text.hasPrefix("$"):
            return path(text, at: pointer).map { .path($0, pointer: pointer) } ?? Self.literal(.null)
        case .array(let elements):
            return .array(elements.enumerated().map { compile($0.element, at: Self.pointer(pointer, String($0.offset))) })
        case .object(let members):
            let operatorKeys = members.map(\.key).filter { $0.hasPrefix("$") }
            if operatorKeys.isEmpty {
                return .object(members.map { .init(key: $0.key, value: compile($0.value, at: Self.pointer(pointer, $0.key))) })
            }
            return compileOperator(members, at: pointer)
        default:
            return Self.literal(node)
        }
    }

    static func literal(_ node: JSONNode) -> MappingTemplate {
        var bytes: [UInt8] = []
        node.write(into: &bytes)
        return .literal(node, bytes)
    }

    private mutating func path(_ text: String, at pointer: String) -> MappingPath? {
        switch MappingPath.parse(text) {
        case .success(let path): return path
        case .failure(let error):
            problem(pointer, "bad path \"\(text)\": \(error.reason)")
            return nil
        }
    }

    private mutating func compileOperator(_ members: [JSONNode.Member], at pointer: String) -> MappingTemplate {
        let names = members.map(\.key).filter { $0.hasPrefix("$") && $0 != "$default" }
        for name in names where Self.operators[name] == nil {
            problem(
                Self.pointer(pointer, name),
                "unknown operator \(name) (known: \(Self.operators.keys.sorted().joined(separator: ", ")), $default)"
            )
        }
        let known = names.filter { Self.operators[$0] != nil }
        guard known.count == 1, names.count == 1, let name = known.first, let allowed = Self.operators[name] else {
            if names.isEmpty { problem(Self.pointer(pointer, "$default"), "$default needs a value to default: add $path or another operator") }
            if known.count > 1 { problem(pointer, "one operator per object, found \(known.joined(separator: ", "))") }
            return Self.literal(.null)
        }
        for member in members where !member.key.hasPrefix("$") && !allowed.contains(member.key) {
            problem(Self.pointer(pointer, member.key), "unexpected key in a \(name) object (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
        func option(_ key: String) -> JSONNode? { members.first { $0.key == key }?.value }
        let at = Self.pointer(pointer, name)
        let operand = option(name) ?? .null
        var compiled: MappingTemplate
        switch name {
        case "$const":
            compiled = Self.literal(operand)
        case "$path":
            guard case .string(let text) = operand else {
                problem(at, "must be a path string")
                return Self.literal(.null)
            }
            compiled = path(text, at: at).map { .path($0, pointer: at) } ?? Self.literal(.null)
        case "$each":
            guard case .string(let text) = operand, let eachPath = path(text, at: at) else {
                if operand.stringValue == nil { problem(at, "must be a path string to an array") }
                return Self.literal(.null)
            }
            guard let template = option("template") else {
                problem(Self.pointer(pointer, "template"), "missing: $each needs a template for each element")
                return Self.literal(.null)
            }
            compiled = .each(eachPath, compile(template, at: Self.pointer(pointer, "template")), pointer: at)
        case "$money":
            var asNumber = false
            if let style = option("as") {
                switch style.stringValue {
                case "number"?: asNumber = true
                case "string"?: asNumber = false
                default: problem(Self.pointer(pointer, "as"), "must be \"string\" or \"number\"")
                }
            }
            let currency = option("currency").map { compile($0, at: Self.pointer(pointer, "currency")) }
            compiled = .money(compile(operand, at: at), currency: currency, asNumber: asNumber, pointer: at)
        case "$join":
            var separator = ""
            if let value = option("separator") {
                if let text = value.stringValue { separator = text } else { problem(Self.pointer(pointer, "separator"), "must be a string") }
            }
            compiled = .join(compile(operand, at: at), separator: separator, pointer: at)
        case "$concat":
            guard case .array(let parts) = operand, !parts.isEmpty else {
                problem(at, "must be a non-empty array of values")
                return Self.literal(.null)
            }
            compiled = .concat(parts.enumerated().map { compile($0.element, at: Self.pointer(at, String($0.offset))) }, pointer: at)
        case "$switch":
            guard case .object(let members)? = option("cases"), !members.isEmpty else {
                problem(Self.pointer(pointer, "cases"), "missing: $switch needs \"cases\", an object of key → template")
                return Self.literal(.null)
            }
            var cases: [String: MappingTemplate] = [:]
            for member in members {
                cases[member.key] = compile(member.value, at: Self.pointer(Self.pointer(pointer, "cases"), member.key))
            }
            let otherwise = option("$default").map { compile($0, at: Self.pointer(pointer, "$default")) }
            // The default is the switch's own: it covers a key without a case, not what a case renders.
            return .switchCase(compile(operand, at: at), cases: cases, otherwise: otherwise, pointer: at)
        case "$json":
            compiled = .json(compile(operand, at: at))
        case "$reference":
            usesReferences = true
            compiled = .reference(compile(operand, at: at), pointer: at)
        default:  // "$lookup"
            guard let tableName = option("table")?.stringValue else {
                problem(Self.pointer(pointer, "table"), "missing: $lookup needs the name of a table in \"tables\"")
                return Self.literal(.null)
            }
            guard let table = tables[tableName] else {
                problem(Self.pointer(pointer, "table"), "no table \"\(tableName)\" in \"tables\"")
                return Self.literal(.null)
            }
            compiled = .lookup(compile(operand, at: at), table: table, tableName: tableName, pointer: at)
        }
        if let fallback = option("$default") {
            compiled = .fallback(compiled, compile(fallback, at: Self.pointer(pointer, "$default")))
        }
        return compiled
    }
}

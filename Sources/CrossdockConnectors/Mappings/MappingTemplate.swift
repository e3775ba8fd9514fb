/// A compiled template node (see `docs/mappings.md`). Built once by ``MappingCompiler`` when the mapping is loaded;
/// rendering walks it without parsing anything but the event.
indirect enum MappingTemplate: Sendable {
    /// One member of a template object.
    struct Member: Sendable {
        var key: String
        var value: MappingTemplate
    }

    /// A constant, with its JSON bytes ready to copy.
    case literal(JSONNode, [UInt8])
    /// `"$.a.b"`: the value at a path. `pointer` locates the node in the mapping file.
    case path(MappingPath, pointer: String)
    /// A template object: members in the order written.
    case object([Member])
    /// A template array: one value per element template.
    case array([MappingTemplate])
    /// `$each`: the template rendered once per element of the array at the path, with `$` the element.
    case each(MappingPath, MappingTemplate, pointer: String)
    /// `$money`: minor units as a decimal (string, or number when `asNumber`).
    case money(MappingTemplate, currency: MappingTemplate?, asNumber: Bool, pointer: String)
    /// `$join`: an array's scalar elements joined by a separator (nulls skipped).
    case join(MappingTemplate, separator: String, pointer: String)
    /// `$concat`: the texts of scalar values, concatenated.
    case concat([MappingTemplate], pointer: String)
    /// `$lookup`: the table entry for a scalar key; a key without an entry counts as missing.
    case lookup(MappingTemplate, table: [String: JSONNode], tableName: String, pointer: String)
    /// `$default`: the fallback when the value is missing or null.
    case fallback(MappingTemplate, MappingTemplate)
    /// `$switch`: the case whose key is the operand's text, else the default case (`$default`) when the key is
    /// missing, null or has no case; what a chosen case renders is not defaulted.
    case switchCase(MappingTemplate, cases: [String: MappingTemplate], otherwise: MappingTemplate?, pointer: String)
    /// `$json`: the operand rendered as JSON text, as a string.
    case json(MappingTemplate)
    /// `$reference`: the number a partner answered earlier for the document type the operand renders.
    case reference(MappingTemplate, pointer: String)
}

/// What a template renders from: the event, and the partner's numbers recorded for the event's order.
struct RenderRoot {
    /// The event (`$$`).
    var event: JSONNode
    /// Document type → the partner's number, recorded from earlier replies (see `reference` in docs/mappings.md).
    var references: [String: String]
}

/// Why a template could not be rendered; `missing` failures are the ones `$default` catches.
struct RenderFailure: Error {
    var path: String
    var reason: String
    var pointer: String
    var isMissing: Bool
}

extension MappingTemplate {
    /// Writes the rendered value as JSON.
    func write(current: JSONNode, root: RenderRoot, into out: inout [UInt8]) throws(RenderFailure) {
        switch self {
        case .literal(_, let bytes):
            out.append(contentsOf: bytes)
        case .path(let path, let pointer):
            guard let node = path.resolve(current: current, root: root.event) else { throw Self.missing(path, pointer) }
            node.write(into: &out)
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONNode.writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                try member.value.write(current: current, root: root, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try element.write(current: current, root: root, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .each(let path, let template, let pointer):
            let items = try Self.array(at: path, pointer: pointer, current: current, root: root)
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try template.write(current: item, root: root, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .fallback(let primary, let fallback):
            let mark = out.count
            do {
                try primary.write(current: current, root: root, into: &out)
                // An explicit null counts as missing too.
                if out.count - mark == 4, out[mark...].elementsEqual("null".utf8) {
                    out.removeSubrange(mark...)
                    try fallback.write(current: current, root: root, into: &out)
                }
            } catch  where error.isMissing {
                out.removeSubrange(mark...)
                try fallback.write(current: current, root: root, into: &out)
            }
        case .money, .join, .concat, .lookup, .json, .reference:
            try value(current: current, root: root).write(into: &out)
        case .switchCase(let operand, let cases, let otherwise, let pointer):
            try Self.chosen(operand, cases, otherwise, pointer: pointer, current: current, root: root).write(current: current, root: root, into: &out)
        }
    }

    /// The rendered value.
    func value(current: JSONNode, root: RenderRoot) throws(RenderFailure) -> JSONNode {
        switch self {
        case .literal(let node, _):
            return node
        case .path(let path, let pointer):
            guard let node = path.resolve(current: current, root: root.event) else { throw Self.missing(path, pointer) }
            return node
        case .object(let members):
            var result: [JSONNode.Member] = []
            for member in members { result.append(.init(key: member.key, value: try member.value.value(current: current, root: root))) }
            return .object(result)
        case .array(let elements):
            var result: [JSONNode] = []
            for element in elements { result.append(try element.value(current: current, root: root)) }
            return .array(result)
        case .each(let path, let template, let pointer):
            var result: [JSONNode] = []
            for item in try Self.array(at: path, pointer: pointer, current: current, root: root) {
                result.append(try template.value(current: item, root: root))
            }
            return .array(result)
        case .fallback(let primary, let fallback):
            do {
                let node = try primary.value(current: current, root: root)
                return node.isNull ? try fallback.value(current: current, root: root) : node
            } catch  where error.isMissing {
                return try fallback.value(current: current, root: root)
            }
        case .money(let operand, let currency, let asNumber, let pointer):
            let text = try MappingOperators.money(operand, currency: currency, pointer: pointer, current: current, root: root)
            return asNumber ? .number(text) : .string(text)
        case .join(let operand, let separator, let pointer):
            return .string(try MappingOperators.join(operand, separator: separator, pointer: pointer, current: current, root: root))
        case .concat(let parts, let pointer):
            var text = ""
            for part in parts {
                text += try MappingOperators.scalarText(part.value(current: current, root: root), what: "$concat part", pointer: pointer)
            }
            return .string(text)
        case .lookup(let operand, let table, let tableName, let pointer):
            let key = try MappingOperators.scalarText(operand.value(current: current, root: root), what: "$lookup key", pointer: pointer)
            guard let entry = table[key] else {
                throw RenderFailure(path: key, reason: "has no entry in table \(tableName)", pointer: pointer, isMissing: true)
            }
            return entry
        case .switchCase(let operand, let cases, let otherwise, let pointer):
            return try Self.chosen(operand, cases, otherwise, pointer: pointer, current: current, root: root).value(current: current, root: root)
        case .json(let operand):
            var bytes: [UInt8] = []
            try operand.write(current: current, root: root, into: &bytes)
            return .string(String(decoding: bytes, as: UTF8.self))
        case .reference(let operand, let pointer):
            let key = try MappingOperators.scalarText(operand.value(current: current, root: root), what: "$reference key", pointer: pointer)
            guard let number = root.references[key] else {
                throw RenderFailure(path: key, reason: "no reference of this type was recorded for the order", pointer: pointer, isMissing: true)
            }
            return .string(number)
        }
    }

    /// The case of a `$switch` for the operand's text, else its default case.
    private static func chosen(
        _ operand: MappingTemplate,
        _ cases: [String: MappingTemplate],
        _ otherwise: MappingTemplate?,
        pointer: String,
        current: JSONNode,
        root: RenderRoot
    ) throws(RenderFailure) -> MappingTemplate {
        let key: String
        do {
            key = try MappingOperators.scalarText(operand.value(current: current, root: root), what: "$switch key", pointer: pointer)
        } catch  where error.isMissing {
            guard let otherwise else { throw error }
            return otherwise
        }
        guard let chosen = cases[key] ?? otherwise else {
            throw RenderFailure(path: key, reason: "has no case in the $switch", pointer: pointer, isMissing: true)
        }
        return chosen
    }

    static func missing(_ path: MappingPath, _ pointer: String) -> RenderFailure {
        RenderFailure(path: path.description, reason: "missing", pointer: pointer, isMissing: true)
    }

    private static func array(at path: MappingPath, pointer: String, current: JSONNode, root: RenderRoot) throws(RenderFailure) -> [JSONNode] {
        guard let node = path.resolve(current: current, root: root.event) else { throw missing(path, pointer) }
        guard case .array(let items) = node else {
            throw RenderFailure(path: path.description, reason: "is \(node.kindName), not an array", pointer: pointer, isMissing: node.isNull)
        }
        return items
    }
}

import CrossdockDomain

/// A parsed JSON value that keeps numbers as their literal text (so money converts exactly, never through `Double`)
/// and object members in document order (so a mapping template writes keys in the order its author wrote them).
enum JSONNode: Hashable, Sendable {
    /// One object member.
    struct Member: Hashable, Sendable {
        var key: String
        var value: JSONNode
    }

    case null
    case bool(Bool)
    /// The number exactly as written, e.g. `199.00`, `-1.5e3`.
    case number(String)
    case string(String)
    case array([JSONNode])
    case object([Member])

    /// The member `key` of an object; nil for a missing member or a non-object.
    subscript(key: String) -> JSONNode? {
        guard case .object(let members) = self else { return nil }
        for member in members where member.key == key { return member.value }
        return nil
    }

    /// The JSON type's name, for error messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Whether the value is JSON `null`.
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The string, if this is one.
    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Appends the value as compact JSON (slashes unescaped, as the hub writes JSON).
    func write(into bytes: inout [UInt8]) {
        switch self {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let value): bytes.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let text): bytes.append(contentsOf: text.utf8)
        case .string(let text): Self.writeString(text, into: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                element.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.value.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `text` as a JSON string literal.
    static func writeString(_ text: String, into bytes: inout [UInt8]) {
        JSONWriter.appendString(text, to: &bytes)
    }

    /// The compact JSON text of the value.
    var jsonText: String {
        var bytes: [UInt8] = []
        write(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A path into the event JSON: `$.data.lines[0].sku`.
///
/// Grammar: `$` (the current value: the event, or the element inside `$each`) or `$$` (always the event), followed by
/// any number of `.name` (letters, digits, `_`, `-`) and `[index]` (a whole number; negative counts from the end,
/// `[-1]` is the last element).
struct MappingPath: Hashable, Sendable, CustomStringConvertible {
    enum Segment: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    /// Whether the path starts at the event (`$$`) rather than the current value (`$`).
    let fromRoot: Bool
    let segments: [Segment]
    /// The path as written.
    let description: String

    /// Parses `text`; the failure is the reason, e.g. `empty member name at character 7`.
    static func parse(_ text: String) -> Result<MappingPath, MappingPathError> {
        let chars = Array(text.utf8)
        guard chars.first == UInt8(ascii: "$") else { return .failure(.init("must start with $")) }
        var index = 1
        var fromRoot = false
        if index < chars.count, chars[index] == UInt8(ascii: "$") {
            fromRoot = true
            index += 1
        }
        var segments: [Segment] = []
        func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95 || byte == 45
        }
        while index < chars.count {
            switch chars[index] {
            case UInt8(ascii: "."):
                let start = index + 1
                index = start
                while index < chars.count, isNameByte(chars[index]) { index += 1 }
                guard index > start else { return .failure(.init("empty or invalid member name at character \(start + 1)")) }
                segments.append(.key(String(decoding: chars[start..<index], as: UTF8.self)))
            case UInt8(ascii: "["):
                let start = index + 1
                guard let close = chars[start...].firstIndex(of: UInt8(ascii: "]")),
                    let number = Int(String(decoding: chars[start..<close], as: UTF8.self))
                else { return .failure(.init("expected [<whole number>] at character \(index + 1)")) }
                segments.append(.index(number))
                index = close + 1
            default:
                return .failure(.init("unexpected character at \(index + 1) (use .name or [index])"))
            }
        }
        return .success(MappingPath(fromRoot: fromRoot, segments: segments, description: text))
    }

    /// The value at the path; nil when any step is missing (an absent member, an index out of range, a step into a
    /// scalar).
    func resolve(current: JSONNode, root: JSONNode) -> JSONNode? {
        var node = fromRoot ? root : current
        for segment in segments {
            switch (segment, node) {
            case (.key(let key), .object):
                guard let next = node[key] else { return nil }
                node = next
            case (.index(let position), .array(let elements)):
                let resolved = position < 0 ? elements.count + position : position
                guard elements.indices.contains(resolved) else { return nil }
                node = elements[resolved]
            default:
                return nil
            }
        }
        return node
    }
}

/// Why a path does not parse.
struct MappingPathError: Error, Hashable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

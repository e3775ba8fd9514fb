import Foundation

/// Checks that a body is exactly one JSON text as RFC 8259 defines it, before it is decoded: Foundation's decoder
/// tolerates trailing commas and other extensions, and a precise refusal names the byte where the text goes wrong.
/// Nesting deeper than ``maxDepth`` is refused too, so a hostile body cannot exhaust the stack, and so is what the
/// decoder would refuse anyway: an escaped surrogate without its pair, a number beyond `Double`.
///
/// With a ``FieldSchema`` the same pass also finds the members the schema does not name and the numbers no member can
/// hold (``Findings``), so a request body is read twice (here, then decoded into its type), not three times.
enum StrictJSON {
    /// What a scan against a schema found besides the syntax: paths such as `lines[0].qty`, in the order of the
    /// members' names within each object and of the elements within each array.
    struct Findings: Sendable, Equatable {
        /// Members the schema does not name (a member of an unknown member is not listed again).
        var unknown: [String] = []
        /// Numbers beyond the 64-bit integer range (none of the hub's numbers reaches 2^63).
        var huge: [String] = []

        var isEmpty: Bool { unknown.isEmpty && huge.isEmpty }

        mutating func append(_ other: Findings) {
            unknown += other.unknown
            huge += other.huge
        }
    }

    /// Where and why the text is not JSON.
    struct SyntaxError: Error, Sendable {
        /// The byte offset of the problem.
        var offset: Int
        /// What is wrong there.
        var reason: String
    }

    /// The deepest nesting of arrays and objects accepted.
    static let maxDepth = 256

    /// Throws unless `bytes` is valid UTF-8 holding one JSON value surrounded by optional whitespace.
    static func validate(_ bytes: [UInt8]) throws(SyntaxError) {
        _ = try scan(bytes, schema: nil)
    }

    /// Validates `bytes` as ``validate(_:)`` does and, with a schema, returns its unknown members and huge numbers.
    static func scan(_ bytes: [UInt8], schema: FieldSchema?) throws(SyntaxError) -> Findings {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw SyntaxError(offset: 0, reason: "the body is not valid UTF-8") }
        var scanner = Scanner(bytes: bytes, checking: schema != nil)
        scanner.skipWhitespace()
        let findings = try scanner.value(depth: 0, schema: schema) { "" }
        scanner.skipWhitespace()
        if scanner.index < bytes.count { throw SyntaxError(offset: scanner.index, reason: "unexpected data after the JSON value") }
        return findings
    }

    private struct Scanner {
        let bytes: [UInt8]
        /// Whether findings are collected (a schema was given); without, only the syntax is checked.
        let checking: Bool
        var index = 0

        init(bytes: [UInt8], checking: Bool) {
            self.bytes = bytes
            self.checking = checking
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        func fail(_ reason: String) -> SyntaxError { SyntaxError(offset: index, reason: reason) }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(SyntaxError) {
            guard current == byte else { throw fail(current == nil ? "the text ends before \(what)" : "expected \(what)") }
            index += 1
        }

        /// Scans one value; `schema` is what the value may hold (nil: anything, unchecked), `path` its path, made only
        /// when there is something to report.
        mutating func value(depth: Int, schema: FieldSchema?, path: () -> String) throws(SyntaxError) -> Findings {
            guard let byte = current else { throw fail("the text ends where a value is expected") }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth + 1, schema: schema, path: path)
            case UInt8(ascii: "["): return try array(depth: depth + 1, schema: schema, path: path)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                if try number(), checking {
                    let path = path()
                    return Findings(huge: [path.isEmpty ? "body" : path])
                }
            default: throw fail("expected a value")
            }
            return Findings()
        }

        mutating func object(depth: Int, schema: FieldSchema?, path: () -> String) throws(SyntaxError) -> Findings {
            guard depth <= StrictJSON.maxDepth else { throw fail("nested deeper than \(StrictJSON.maxDepth) levels") }
            index += 1
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                index += 1
                return Findings()
            }
            // Members with something to report, by name (a name given twice is reported once).
            var found: [String: Findings] = [:]
            var allowed: [String: FieldSchema]?
            if case .object(let members) = schema { allowed = members }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw fail("expected a member name (a trailing comma is not JSON)") }
                let start = index
                try string()
                let name = checking ? Self.decodedString(bytes[start..<index]) : ""
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "':' after a member name")
                skipWhitespace()
                let member = try value(depth: depth, schema: allowed?[name]) {
                    let path = path()
                    return path.isEmpty ? name : "\(path).\(name)"
                }
                if checking {
                    var findings = member
                    if let allowed, allowed[name] == nil {
                        let path = path()
                        findings.unknown = [path.isEmpty ? name : "\(path).\(name)"]
                    }
                    if !findings.isEmpty { found[name, default: Findings()].append(findings) }
                }
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}' in an object")
                var findings = Findings()
                for name in found.keys.sorted() {
                    let member = found[name]!
                    findings.unknown += Self.unique(member.unknown)
                    findings.huge += Self.unique(member.huge)
                }
                return findings
            }
        }

        /// `paths` without repeats, in their order (a member given twice reports each path once).
        static func unique(_ paths: [String]) -> [String] {
            var seen = Set<String>()
            return paths.filter { seen.insert($0).inserted }
        }

        /// A member name as its string (escapes resolved), from its quoted text.
        static func decodedString(_ quoted: ArraySlice<UInt8>) -> String {
            let inner = quoted.dropFirst().dropLast()
            guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
            return (try? JSONDecoder().decode(String.self, from: Data(quoted))) ?? String(decoding: inner, as: UTF8.self)
        }

        mutating func array(depth: Int, schema: FieldSchema?, path: () -> String) throws(SyntaxError) -> Findings {
            guard depth <= StrictJSON.maxDepth else { throw fail("nested deeper than \(StrictJSON.maxDepth) levels") }
            index += 1
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                return Findings()
            }
            var element: FieldSchema?
            if case .array(let schema) = schema { element = schema }
            var findings = Findings()
            var position = 0
            while true {
                skipWhitespace()
                if current == UInt8(ascii: "]") { throw fail("a trailing comma is not JSON") }
                let at = position
                findings.append(try value(depth: depth, schema: element) { "\(path())[\(at)]" })
                position += 1
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                try expect(UInt8(ascii: "]"), "',' or ']' in an array")
                return findings
            }
        }

        mutating func string() throws(SyntaxError) {
            index += 1
            while let byte = current {
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let escaped = current else { throw fail("the text ends inside an escape") }
                    if escaped == UInt8(ascii: "u") {
                        let unit = try hexUnit()
                        if (0xDC00..<0xE000).contains(unit) { throw fail("an escaped low surrogate without its high surrogate") }
                        if (0xD800..<0xDC00).contains(unit) {
                            guard index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"), bytes[index + 2] == UInt8(ascii: "u") else {
                                throw fail("an escaped high surrogate without its low surrogate")
                            }
                            index += 2
                            guard (0xDC00..<0xE000).contains(try hexUnit()) else { throw fail("an escaped high surrogate without its low surrogate") }
                        }
                    } else if !Array("\"\\/bfnrt".utf8).contains(escaped) {
                        throw fail("an unknown escape")
                    }
                    index += 1
                case 0..<0x20:
                    throw fail("a control character inside a string must be escaped")
                default:
                    index += 1
                }
            }
            throw fail("the text ends inside a string")
        }

        /// Reads the four hex digits after `\u` (the index on the `u`; after, on the last digit).
        mutating func hexUnit() throws(SyntaxError) -> UInt16 {
            var unit: UInt16 = 0
            for _ in 0..<4 {
                index += 1
                guard let hex = current else { throw fail("\\u needs four hex digits") }
                let digit: UInt8
                switch hex {
                case 0x30...0x39: digit = hex - 0x30
                case 0x41...0x46: digit = hex - 0x41 + 10
                case 0x61...0x66: digit = hex - 0x61 + 10
                default: throw fail("\\u needs four hex digits")
                }
                unit = unit << 4 | UInt16(digit)
            }
            return unit
        }

        mutating func literal(_ word: String) throws(SyntaxError) {
            for byte in word.utf8 {
                guard current == byte else { throw fail("expected \(word)") }
                index += 1
            }
        }

        /// Scans a number; true when it is beyond the 64-bit integer range. One beyond `Double` is refused.
        mutating func number() throws(SyntaxError) -> Bool {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, (0x30...0x39).contains(first) else { throw fail("a number needs digits") }
            index += 1
            var integerDigits = 1
            if first != UInt8(ascii: "0") {
                integerDigits += digits()
            } else if let next = current, (0x30...0x39).contains(next) {
                throw fail("a number may not have leading zeros")
            }
            var plain = true
            if current == UInt8(ascii: ".") {
                index += 1
                plain = false
                guard digits() > 0 else { throw fail("a fraction needs digits") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                plain = false
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw fail("an exponent needs digits") }
            }
            // Up to 18 digits and nothing else is below 2^63: the common case costs no conversion.
            if plain, integerDigits <= 18 { return false }
            guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)), value.isFinite else {
                throw SyntaxError(offset: start, reason: "a number too large to represent")
            }
            return abs(value) > 9.223_372_036_854_775_807e18
        }

        @discardableResult
        mutating func digits() -> Int {
            let start = index
            while let byte = current, (0x30...0x39).contains(byte) { index += 1 }
            return index - start
        }
    }
}

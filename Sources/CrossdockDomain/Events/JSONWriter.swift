import Foundation

/// A value that writes its own JSON, byte for byte what ``JSONCoding/encoder()`` would write (sorted keys, no
/// escaped slashes, omitted nils). Used on the intake path, where `JSONEncoder` was the largest single cost;
/// decoding stays `Codable`, and tests compare both encodings byte for byte.
public protocol JSONWritable: Encodable {
    /// Appends the value's JSON.
    func write(to writer: inout JSONWriter)
}

/// Appends JSON to a byte buffer. Object members must be written in sorted key order.
public struct JSONWriter {
    /// The JSON so far.
    public private(set) var bytes: [UInt8] = []
    private var first = true

    /// Creates an empty writer.
    public init() { bytes.reserveCapacity(1024) }

    /// Writes an object; `body` writes its members with the `field` methods.
    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        let outer = first
        first = true
        body(&self)
        first = outer
        bytes.append(UInt8(ascii: "}"))
    }

    /// Writes an array of `elements`.
    public mutating func array<C: Collection>(_ elements: C, _ element: (inout JSONWriter, C.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var separator = false
        for item in elements {
            if separator { bytes.append(UInt8(ascii: ",")) }
            separator = true
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes the key of the next member.
    public mutating func key(_ name: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Writes a member whose value is `json`, already-encoded JSON copied as is.
    public mutating func raw(_ name: String, _ json: some Collection<UInt8>) {
        key(name)
        bytes.append(contentsOf: json)
    }

    /// Writes a string member.
    public mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    /// Writes a string member, omitted when nil.
    public mutating func field(_ name: String, _ value: String?) {
        if let value { field(name, value) }
    }

    /// Writes an integer member.
    public mutating func field(_ name: String, _ value: some BinaryInteger) {
        key(name)
        integer(value)
    }

    /// Writes an integer member, omitted when nil.
    public mutating func field(_ name: String, _ value: Int?) {
        if let value { field(name, value) }
    }

    /// Writes a nested writable member.
    public mutating func field(_ name: String, _ value: some JSONWritable) {
        key(name)
        value.write(to: &self)
    }

    /// Writes a nested writable member, omitted when nil.
    public mutating func field<T: JSONWritable>(_ name: String, _ value: T?) {
        if let value { field(name, value) }
    }

    /// Writes an array member of writable elements.
    public mutating func field<T: JSONWritable>(_ name: String, _ values: [T]) {
        key(name)
        array(values) { writer, value in value.write(to: &writer) }
    }

    /// Writes an array member of strings.
    public mutating func field(_ name: String, _ values: [String]) {
        key(name)
        array(values) { writer, value in writer.string(value) }
    }

    /// Writes a boolean member.
    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Writes a date member in ``JSONCoding/format(_:)`` form.
    public mutating func field(_ name: String, _ value: Date) {
        field(name, JSONCoding.format(value))
    }

    /// Writes a string value, escaped as `JSONEncoder` escapes it.
    public mutating func string(_ value: String) {
        Self.appendString(value, to: &bytes)
    }

    /// Appends `value` to `bytes` as a JSON string literal, escaped as `JSONEncoder` escapes it. A string with nothing
    /// to escape (ids, SKUs, dates: nearly all of them) is copied in one piece.
    public static func appendString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            if utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                for byte in utf8 { appendEscaped(byte, to: &bytes) }
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ byte: UInt8, to bytes: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
        case 0x0A: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
        case 0x08: bytes.append(contentsOf: [92, UInt8(ascii: "b")])
        case 0x0C: bytes.append(contentsOf: [92, UInt8(ascii: "f")])
        case 0..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]])
        default: bytes.append(byte)
        }
    }

    /// Writes an integer value, its decimal digits written in place (no intermediate `String`).
    public mutating func integer(_ value: some BinaryInteger) {
        guard let value = Int64(exactly: value) else {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}

extension JSONCoding {
    /// `value` as JSON: through its own writer when it has one, else through ``encoder()``.
    public static func encode(_ value: some Encodable) throws -> Data {
        if let writable = value as? any JSONWritable {
            var writer = JSONWriter()
            writable.write(to: &writer)
            return Data(writer.bytes)
        }
        return try encoder().encode(value)
    }
}

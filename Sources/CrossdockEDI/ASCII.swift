/// Byte classification and small text helpers for X12's ASCII syntax.
enum ASCII {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || isUpper(byte) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// Spaces, tabs, carriage returns and line feeds, skipped between segments.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Whether `text` is non-empty and all ASCII digits.
    static func isNumeric(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isDigit)
    }

    /// The value of an all-digit string of at most 18 digits (leading zeros allowed), else `nil`.
    static func number(_ text: String) -> Int? {
        guard isNumeric(text) else { return nil }
        let significant = text.drop { $0 == "0" }
        guard significant.count <= 18 else { return nil }
        return significant.isEmpty ? 0 : Int(significant)
    }

    /// `text` without leading and trailing spaces.
    static func trimSpaces(_ text: String) -> String {
        let utf8 = Array(text.utf8)
        guard let first = utf8.firstIndex(where: { $0 != 0x20 }), let last = utf8.lastIndex(where: { $0 != 0x20 }) else {
            return ""
        }
        return String(decoding: utf8[first...last], as: UTF8.self)
    }

    /// `text` split on `separator` (a byte), keeping empty pieces.
    static func split(_ text: String, on separator: UInt8) -> [String] {
        text.utf8.split(separator: separator, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    static func zeroPadded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// A short quoted rendering of a value for messages.
    static func quote(_ text: String) -> String {
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        var out = "'"
        for scalar in shown.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }

    /// `U+00A0` for a scalar.
    static func scalarName(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

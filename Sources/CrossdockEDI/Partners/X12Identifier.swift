import Foundation

/// The hub's ids in X12 elements that are too short for them.
///
/// Hub ids are UUIDs (36 characters), but W0502/W0602 (depositor order number) hold 22 characters and BSN02, BAK08
/// and N902 hold 30. ``compact(_:)`` writes a UUID as its 128 bits in 22 base-62 digits (`0-9A-Za-z`, most
/// significant first), which fits every one of them and reads back exactly with ``expand(_:)``; other values are
/// written as they are.
public enum X12Identifier {
    static let digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// `id` in 22 base-62 digits when it is a UUID, else `id` itself.
    public static func compact(_ id: String) -> String {
        guard let uuid = UUID(uuidString: id) else { return id }
        var value = withUnsafeBytes(of: uuid.uuid) { Array($0) }
        var result: [Character] = []
        for _ in 0..<22 {
            // Divide the 128-bit big-endian number by 62, keeping the remainder.
            var remainder = 0
            for index in value.indices {
                let current = remainder * 256 + Int(value[index])
                value[index] = UInt8(current / 62)
                remainder = current % 62
            }
            result.append(digits[remainder])
        }
        return String(result.reversed())
    }

    /// The UUID (lower case) a 22-digit base-62 value stands for, or nil when `text` is not one.
    public static func expand(_ text: String) -> String? {
        guard text.count == 22 else { return nil }
        var value = [UInt8](repeating: 0, count: 16)
        for character in text {
            guard let digit = digits.firstIndex(of: character) else { return nil }
            var carry = digit
            for index in value.indices.reversed() {
                let current = Int(value[index]) * 62 + carry
                value[index] = UInt8(current & 0xFF)
                carry = current >> 8
            }
            guard carry == 0 else { return nil }
        }
        let uuid = UUID(
            uuid: (
                value[0], value[1], value[2], value[3], value[4], value[5], value[6], value[7], value[8], value[9], value[10],
                value[11], value[12], value[13], value[14], value[15]
            )
        )
        return uuid.uuidString.lowercased()
    }
}

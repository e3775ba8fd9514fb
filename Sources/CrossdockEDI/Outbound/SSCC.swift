/// A GS1 Serial Shipping Container Code: 18 digits identifying one logistic unit (carton or pallet).
///
/// Layout: extension digit (1) + GS1 company prefix + serial reference (16 digits together) + GS1 mod-10 check digit.
/// In an 856 it travels at pack level as `MAN*GM*00<18 digits>` (application identifier 00 in front).
///
/// ```swift
/// let sscc = try SSCC(extensionDigit: 1, companyPrefix: "0614141", serialReference: "123456789")
/// sscc.digits                       // "106141411234567897"
/// sscc.withApplicationIdentifier    // "00106141411234567897"
/// ```
public struct SSCC: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 18 digits, check digit last.
    public let digits: String

    /// Builds an SSCC and computes its check digit.
    /// - Parameters:
    ///   - extensionDigit: 0...9, chosen by the company (often the packaging level).
    ///   - companyPrefix: the GS1 company prefix, 6 to 12 digits.
    ///   - serialReference: the serial, zero-padded on the left to fill 16 digits with the prefix and extension digit;
    ///     the hub allocates it from a persistent sequence and must not reuse it within 12 months.
    /// - Throws: `invalid_sscc` when a part is not digits or the serial does not fit.
    public init(extensionDigit: Int, companyPrefix: String, serialReference: String) throws(OutboundMappingError) {
        guard (0...9).contains(extensionDigit) else { throw Self.invalid("the extension digit \(extensionDigit) is not 0...9") }
        guard (6...12).contains(companyPrefix.utf8.count), ASCII.isNumeric(companyPrefix) else {
            throw Self.invalid("the GS1 company prefix \(ASCII.quote(companyPrefix)) must be 6 to 12 digits")
        }
        let width = 16 - companyPrefix.utf8.count
        guard ASCII.isNumeric(serialReference), serialReference.utf8.count <= width else {
            throw Self.invalid("the serial reference \(ASCII.quote(serialReference)) must be at most \(width) digits with this prefix")
        }
        let body = String(extensionDigit) + companyPrefix + String(repeating: "0", count: width - serialReference.utf8.count) + serialReference
        digits = body + String(Self.checkDigit(of: body))
    }

    /// Reads an SSCC and checks its check digit.
    /// - Parameter text: 18 digits, or 20 digits starting with the application identifier `00`, or `(00)` and 18 digits.
    /// - Throws: `invalid_sscc` when it is not 18 digits or the check digit is wrong.
    public init(_ text: String) throws(OutboundMappingError) {
        var value = text
        if value.hasPrefix("(00)") { value.removeFirst(4) } else if value.utf8.count == 20 && value.hasPrefix("00") { value.removeFirst(2) }
        guard value.utf8.count == 18, ASCII.isNumeric(value) else {
            throw Self.invalid("\(ASCII.quote(text)) is not 18 digits (optionally after the application identifier 00)")
        }
        let expected = Self.checkDigit(of: String(value.prefix(17)))
        guard value.last == Character(String(expected)) else {
            throw Self.invalid(
                "\(ASCII.quote(text)) has check digit \(value.last.map(String.init) ?? "") but the GS1 mod-10 check digit is \(expected)"
            )
        }
        digits = value
    }

    /// `00` followed by the 18 digits: the form MAN02 carries with MAN01 `GM`.
    public var withApplicationIdentifier: String { "00" + digits }

    /// The 18 digits.
    public var description: String { digits }

    /// The GS1 mod-10 check digit of a digit string: from the right, weights 3, 1, 3, 1...; the digit that brings the sum
    /// to a multiple of 10.
    /// - Parameter body: the digits before the check digit (17 for an SSCC).
    public static func checkDigit(of body: String) -> Int {
        var sum = 0
        for (index, byte) in body.utf8.reversed().enumerated() {
            sum += Int(byte - 0x30) * (index % 2 == 0 ? 3 : 1)
        }
        return (10 - sum % 10) % 10
    }

    /// Decodes the 18 digits and checks them.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message)) }
    }

    /// Encodes the 18 digits as a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }

    private static func invalid(_ message: String) -> OutboundMappingError {
        OutboundMappingError(code: "invalid_sscc", message: message)
    }
}

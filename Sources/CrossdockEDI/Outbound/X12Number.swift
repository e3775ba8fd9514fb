import CrossdockDomain
import Foundation

/// Numbers as X12 writes them: `R` decimals (`12.34`, no exponent, no grouping), `N2` implied-decimal cents, and
/// money in a currency's minor units.
enum X12Number {
    /// `value` as an X12 `R` element: plain decimal digits, a `-` sign and a `.` only when needed.
    static func format(_ value: Decimal) -> String {
        var text = value.description
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// Parses an `R` or `N` element strictly (`-`? digits, at most one `.`), or `nil`.
    static func decimal(_ text: String?) -> Decimal? {
        guard let text, !text.isEmpty else { return nil }
        var digits = 0
        var dots = 0
        for (index, byte) in text.utf8.enumerated() {
            if ASCII.isDigit(byte) {
                digits += 1
            } else if byte == UInt8(ascii: ".") {
                dots += 1
            } else if !(byte == UInt8(ascii: "-") && index == 0) {
                return nil
            }
        }
        guard digits > 0, dots <= 1 else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Parses an element that must be a number, or throws `invalid_value` naming it.
    static func require(_ text: String?, _ name: String, segment: String) throws(OutboundMappingError) -> Decimal {
        guard let value = decimal(text) else {
            throw OutboundMappingError(code: "invalid_value", message: "\(name) \(ASCII.quote(text ?? "")) is not a number", segmentID: segment)
        }
        return value
    }

    /// An optional number element: `nil` when absent, `invalid_value` when present and malformed.
    static func optional(_ text: String?, _ name: String, segment: String) throws(OutboundMappingError) -> Decimal? {
        guard let text else { return nil }
        return try require(text, name, segment: segment)
    }

    /// ISO 4217 minor-unit digits: 0 for JPY, KRW and the like, 3 for BHD, KWD..., 2 otherwise.
    static func minorDigits(_ currency: Currency) -> Int {
        switch currency.code {
        case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF": 0
        case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND": 3
        default: 2
        }
    }

    /// `money` in major units as a decimal (`1234` cents → `12.34`).
    static func major(_ money: Money) -> Decimal {
        Decimal(money.minorUnits) / pow(10, minorDigits(money.currency))
    }

    /// `amount` major units as money, or `invalid_value` when it is not a whole number of minor units.
    static func money(_ amount: Decimal, _ currency: Currency, _ name: String, segment: String) throws(OutboundMappingError) -> Money {
        var scaled = amount * pow(10, minorDigits(currency))
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled else {
            throw OutboundMappingError(
                code: "invalid_value",
                message: "\(name) \(format(amount)) is not a whole number of \(currency.code) minor units",
                segmentID: segment
            )
        }
        return Money(NSDecimalNumber(decimal: rounded).int64Value, currency)
    }
}

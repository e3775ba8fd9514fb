/// An ISO 4217 currency code, such as `USD` or `EUR`.
public struct Currency: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The three upper-case letters of the code.
    public let code: String

    /// Creates a currency from its ISO 4217 code.
    /// - Parameter code: three ASCII letters; lower case is accepted and upper-cased.
    /// - Returns: `nil` when `code` is not three ASCII letters.
    public init?(_ code: String) {
        guard code.utf8.count == 3, code.utf8.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }) else { return nil }
        self.code = code.uppercased()
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let currency = Currency(raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 4217 code"))
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    public var description: String { code }

    /// US dollar.
    public static let usd = Currency("USD")!
}

/// An amount of money in integer minor units (cents for USD) of one currency. Never floating point.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The amount in minor units; negative for credits.
    public var minorUnits: Int64
    /// The currency the amount is in.
    public var currency: Currency

    /// Creates an amount.
    /// - Parameters:
    ///   - minorUnits: the amount in minor units.
    ///   - currency: its currency.
    public init(_ minorUnits: Int64, _ currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Zero in `currency`.
    public static func zero(_ currency: Currency) -> Money { Money(0, currency) }

    /// The sum of two amounts of the same currency.
    public static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "currency mismatch")
        return Money(lhs.minorUnits + rhs.minorUnits, lhs.currency)
    }

    /// The difference of two amounts of the same currency.
    public static func - (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "currency mismatch")
        return Money(lhs.minorUnits - rhs.minorUnits, lhs.currency)
    }

    /// The amount times an integer quantity.
    public static func * (lhs: Money, quantity: Int) -> Money {
        Money(lhs.minorUnits * Int64(quantity), lhs.currency)
    }

    public var description: String { "\(minorUnits) \(currency.code) minor units" }
}

extension Int64 {
    /// `self × numerator / denominator`, rounded half away from zero. Used for tax and tolerances.
    /// - Parameters:
    ///   - numerator: the rate's numerator (parts per `denominator`).
    ///   - denominator: positive.
    public func scaled(by numerator: Int64, over denominator: Int64) -> Int64 {
        precondition(denominator > 0)
        let product = self.multipliedFullWidth(by: numerator)
        let (quotient, remainder) = denominator.dividingFullWidth(product)
        // Round half away from zero: compare twice the remainder with the denominator.
        if remainder.magnitude * 2 >= denominator.magnitude {
            return quotient + (self.signum() * numerator.signum() >= 0 ? 1 : -1)
        }
        return quotient
    }
}

import CrossdockDomain

/// Exact conversions between decimal text (`"199.00"`, `19.995`, `1.5E2`) and integer minor units. Never `Double`.
enum MinorUnits {
    /// What to do with digits beyond the currency's minor unit.
    enum ExcessDigits {
        /// Refuse the amount.
        case reject
        /// Round half away from zero (`0.125` USD is 13 cents, `-0.125` is -13).
        case roundHalfAwayFromZero
    }

    /// ISO 4217 currencies whose minor unit is not 1/100. Everything else has two decimals.
    private static let exponents: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0, "UGX": 0,
        "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
        "CLF": 4, "UYW": 4,
    ]

    /// The number of decimals of `currency`'s minor unit (2 unless ISO 4217 says otherwise).
    static func exponent(of currency: Currency) -> Int { exponents[currency.code] ?? 2 }

    /// Parses `text` into minor units of a currency with `exponent` decimals.
    /// - Returns: the amount, or the reason it is not one (`"must be a decimal number"`, …).
    static func parse(_ text: String, exponent: Int, excess: ExcessDigits = .reject) -> Result<Int64, Failure> {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        } else if bytes.first == UInt8(ascii: "+") {
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        var power = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte >= 48, byte <= 57 {
                digits.append(byte - 48)
                if seenPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                guard let value = Int(String(decoding: bytes[(index + 1)...], as: UTF8.self)), abs(value) < 40 else {
                    return .failure(Failure("must be a decimal number"))
                }
                power = value
                break
            } else {
                return .failure(Failure("must be a decimal number"))
            }
            index += 1
        }
        guard !digits.isEmpty else { return .failure(Failure("must be a decimal number")) }
        // value = digits × 10^(power - fractionDigits); we want value × 10^exponent.
        let shift = power - fractionDigits + exponent
        var kept = digits
        var dropped: [UInt8] = []
        if shift >= 0 {
            kept.append(contentsOf: repeatElement(0, count: shift))
        } else {
            let cut = max(0, kept.count + shift)
            dropped = Array(kept[cut...])
            if dropped.count < -shift { dropped.insert(contentsOf: repeatElement(0, count: -shift - dropped.count), at: 0) }
            kept = Array(kept[..<cut])
        }
        if dropped.contains(where: { $0 != 0 }), case .reject = excess {
            return .failure(Failure("has more than \(exponent) decimal places"))
        }
        var value: Int64 = 0
        for digit in kept {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return .failure(Failure("is too large")) }
            value = sum
        }
        if let first = dropped.first, first >= 5 {
            let (sum, overflow) = value.addingReportingOverflow(1)
            guard !overflow else { return .failure(Failure("is too large")) }
            value = sum
        }
        return .success(negative ? -value : value)
    }

    /// `minorUnits` as a decimal string with `exponent` decimals: `19900` → `"199.00"`, `-5` → `"-0.05"`.
    static func format(_ minorUnits: Int64, exponent: Int) -> String {
        let magnitude = String(minorUnits.magnitude)
        let sign = minorUnits < 0 ? "-" : ""
        guard exponent > 0 else { return sign + magnitude }
        let padded = String(repeating: "0", count: max(0, exponent + 1 - magnitude.count)) + magnitude
        let split = padded.index(padded.endIndex, offsetBy: -exponent)
        return sign + padded[..<split] + "." + padded[split...]
    }

    /// Why a text is not an amount.
    struct Failure: Error, Hashable {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }
}

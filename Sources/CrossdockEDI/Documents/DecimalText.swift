/// Exact conversions between X12 numeric text (`R`, `N0`) and integers; never floating point.
enum DecimalText {
    /// Why a decimal does not convert.
    enum Problem: Error, Equatable {
        /// Not a decimal number.
        case notANumber
        /// Has non-zero digits beyond the allowed places.
        case tooPrecise
        /// Does not fit in 64 bits.
        case tooLarge
    }

    /// `text` (`12.34`, `-5`, `.5`, `7.250`) scaled to `places` decimals, exactly: digits beyond `places` must be zero.
    static func scaled(_ text: String, places: Int) -> Result<Int64, Problem> {
        var bytes = Array(text.utf8)
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes.removeFirst() }
        let point = bytes.firstIndex(of: UInt8(ascii: "."))
        let whole = point.map { Array(bytes[..<$0]) } ?? bytes
        var fraction = point.map { Array(bytes[($0 + 1)...]) } ?? []
        guard !(whole.isEmpty && fraction.isEmpty), whole.allSatisfy(ASCII.isDigit), fraction.allSatisfy(ASCII.isDigit) else {
            return .failure(.notANumber)
        }
        while fraction.count > places, fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
        guard fraction.count <= places else { return .failure(.tooPrecise) }
        fraction += Array(repeating: UInt8(ascii: "0"), count: places - fraction.count)
        var value: Int64 = 0
        for digit in whole + fraction {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int64(digit - 48))
            guard !o1, !o2 else { return .failure(.tooLarge) }
            value = sum
        }
        return .success(negative ? -value : value)
    }

    /// `value` with `places` implied decimals as the shortest X12 `R` text: 1230 → `12.3`, 1200 → `12`, 5 → `0.05`.
    static func text(_ value: Int64, places: Int) -> String {
        guard places > 0 else { return String(value) }
        let magnitude = value.magnitude
        var divisor: UInt64 = 1
        for _ in 0..<places { divisor *= 10 }
        let whole = magnitude / divisor
        var fraction = String(magnitude % divisor)
        fraction = String(repeating: "0", count: places - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        return (value < 0 ? "-" : "") + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }
}

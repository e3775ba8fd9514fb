import CrossdockDomain

/// The value-level work of `$money`, `$join`, `$concat` and `$lookup`.
enum MappingOperators {
    /// `$money`: a hub ``Money`` object (`{"currency": "USD", "minorUnits": 19900}`) → `"199.00"`; a bare whole number
    /// of minor units uses the `currency` option's code for its decimals, else 2.
    static func money(
        _ operand: MappingTemplate,
        currency: MappingTemplate?,
        pointer: String,
        current: JSONNode,
        root: RenderRoot
    ) throws(RenderFailure) -> String {
        let node = try operand.value(current: current, root: root)
        let minorText: String
        var code: String?
        switch node {
        case .object:
            guard case .number(let units)? = node["minorUnits"], case .string(let currencyCode)? = node["currency"] else {
                throw failure(node, "is not a money object {currency, minorUnits}", pointer)
            }
            minorText = units
            code = currencyCode
        case .number(let units):
            minorText = units
            if let currency {
                guard case .string(let currencyCode) = try currency.value(current: current, root: root) else {
                    throw RenderFailure(path: "currency", reason: "must be a currency code", pointer: pointer, isMissing: false)
                }
                code = currencyCode
            }
        case .null:
            throw RenderFailure(path: "$money operand", reason: "is null", pointer: pointer, isMissing: true)
        default:
            throw failure(node, "is \(node.kindName), not money", pointer)
        }
        guard let minorUnits = Int64(minorText) else { throw failure(node, "minor units must be a whole number", pointer) }
        let exponent = code.flatMap(Currency.init).map(MinorUnits.exponent(of:)) ?? 2
        return MinorUnits.format(minorUnits, exponent: exponent)
    }

    /// `$join`: the scalar elements of an array, nulls skipped, joined by `separator`.
    static func join(
        _ operand: MappingTemplate,
        separator: String,
        pointer: String,
        current: JSONNode,
        root: RenderRoot
    ) throws(RenderFailure) -> String {
        let node = try operand.value(current: current, root: root)
        guard case .array(let elements) = node else { throw failure(node, "is \(node.kindName), not an array", pointer, what: "$join operand") }
        var parts: [String] = []
        for element in elements where !element.isNull { parts.append(try scalarText(element, what: "$join element", pointer: pointer)) }
        return parts.joined(separator: separator)
    }

    /// The text of a string, number or boolean.
    static func scalarText(_ node: JSONNode, what: String, pointer: String) throws(RenderFailure) -> String {
        switch node {
        case .string(let text): return text
        case .number(let text): return text
        case .bool(let value): return value ? "true" : "false"
        case .null: throw RenderFailure(path: what, reason: "is null", pointer: pointer, isMissing: true)
        default: throw RenderFailure(path: what, reason: "is \(node.kindName), not a string, number or boolean", pointer: pointer, isMissing: false)
        }
    }

    private static func failure(_ node: JSONNode, _ reason: String, _ pointer: String, what: String = "$money operand") -> RenderFailure {
        RenderFailure(path: what, reason: reason, pointer: pointer, isMissing: false)
    }
}

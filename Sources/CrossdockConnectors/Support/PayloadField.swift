import CrossdockDomain
import Foundation

/// A value in a partner payload together with its path (`line_items[2].sku`), so every problem names its field.
struct PayloadField {
    /// The path from the payload's root; empty for the root itself.
    let path: String
    /// The value; nil when the member is absent.
    let node: JSONNode?

    /// The field at the payload's root.
    init(root: JSONNode) {
        self.path = ""
        self.node = root
    }

    init(path: String, node: JSONNode?) {
        self.path = path
        self.node = node
    }

    /// The name used in errors: the path, or `body` for the root.
    var name: String { path.isEmpty ? "body" : path }

    /// The member `key`.
    subscript(key: String) -> PayloadField {
        PayloadField(path: path.isEmpty ? key : "\(path).\(key)", node: node?[key])
    }

    /// Whether the value is absent or `null`.
    var isMissing: Bool { node == nil || node == .null }

    /// The elements of an array, each with its indexed path; nil (and an error) when missing or not an array.
    func array(_ errors: inout FieldErrors, required: Bool = true) -> [PayloadField]? {
        guard let node, node != .null else {
            if required { errors.add(name, "missing") }
            return nil
        }
        guard case .array(let elements) = node else {
            errors.add(name, "must be an array, not \(node.kindName)")
            return nil
        }
        return elements.enumerated().map { PayloadField(path: "\(path)[\($0.offset)]", node: $0.element) }
    }

    /// A string; nil (and an error) when missing, empty or not a string. Numbers are accepted as their text when
    /// `acceptNumber` is set (ids some systems send either way).
    func string(_ errors: inout FieldErrors, acceptNumber: Bool = false) -> String? {
        switch node {
        case nil, .null?:
            errors.add(name, "missing")
        case .string(let text)?:
            if text.allSatisfy(\.isWhitespace) {
                errors.add(name, "must not be empty")
            } else {
                return text
            }
        case .number(let text)? where acceptNumber:
            return text
        case let other?:
            errors.add(name, "must be a string, not \(other.kindName)")
        }
        return nil
    }

    /// A string when present and not empty; nil without an error when absent, null or blank; an error for other types.
    func optionalString(_ errors: inout FieldErrors) -> String? {
        switch node {
        case nil, .null?: return nil
        case .string(let text)?: return text.allSatisfy(\.isWhitespace) ? nil : text
        case let other?:
            errors.add(name, "must be a string, not \(other.kindName)")
            return nil
        }
    }

    /// A whole number written as a JSON number (or, with `acceptString`, as decimal digits in a string); `2.0` counts
    /// as 2. nil (and an error) when missing, fractional or outside `range`.
    func integer(_ errors: inout FieldErrors, in range: ClosedRange<Int> = Int.min...Int.max, acceptString: Bool = false) -> Int? {
        let text: String
        switch node {
        case nil, .null?:
            errors.add(name, "missing")
            return nil
        case .number(let value)?: text = value
        case .string(let value)? where acceptString: text = value
        case let other?:
            errors.add(name, "must be a number, not \(other.kindName)")
            return nil
        }
        guard case .success(let value) = MinorUnits.parse(text, exponent: 0), let result = Int(exactly: value) else {
            errors.add(name, "must be a whole number")
            return nil
        }
        guard range.contains(result) else {
            errors.add(
                name,
                range.lowerBound == 1 ? "must be a positive whole number" : "must be between \(range.lowerBound) and \(range.upperBound)"
            )
            return nil
        }
        return result
    }

    /// A money amount in minor units. Shopify sends decimal strings (`"199.00"`), Salesforce JSON numbers; both are
    /// read from their text, never through `Double`.
    func minorUnits(_ errors: inout FieldErrors, currency: Currency, excess: MinorUnits.ExcessDigits = .reject) -> Int64? {
        let text: String
        switch node {
        case nil, .null?:
            errors.add(name, "missing")
            return nil
        case .string(let value)?, .number(let value)?: text = value
        case let other?:
            errors.add(name, "must be a decimal amount, not \(other.kindName)")
            return nil
        }
        switch MinorUnits.parse(text, exponent: MinorUnits.exponent(of: currency), excess: excess) {
        case .success(let value): return value
        case .failure(let failure):
            errors.add(name, "\(failure.reason) (\(currency.code) amount)")
            return nil
        }
    }

    /// An RFC 3339 time; nil (and an error) when missing or unparsable.
    func time(_ errors: inout FieldErrors) -> Date? {
        guard let text = string(&errors) else { return nil }
        guard let date = JSONCoding.parse(text) else {
            errors.add(name, "must be an RFC 3339 time, e.g. 2024-08-02T19:26:52Z")
            return nil
        }
        return date
    }

    /// An RFC 3339 time when present; nil without an error when absent or null.
    func optionalTime(_ errors: inout FieldErrors) -> Date? {
        guard !isMissing else { return nil }
        return time(&errors)
    }
}

/// The field errors found while reading one payload; the mapper throws them together, so the partner sees every
/// problem at once and nothing is produced from a partly valid payload.
struct FieldErrors {
    private(set) var list: [ConnectorError.FieldError] = []

    var isEmpty: Bool { list.isEmpty }

    mutating func add(_ field: String, _ reason: String) {
        list.append(.init(field: field, reason: reason))
    }

    /// Throws `malformed_payload` with every error collected, if there is any.
    func check(_ what: String) throws(ConnectorError) {
        guard !list.isEmpty else { return }
        throw ConnectorError.malformed("\(what) has \(list.count) invalid field(s)", list)
    }
}

import CrossdockDomain
import Foundation

/// Reads a Salesforce compound address (`ShippingAddress`, `BillingAddress`) into an ``Address``.
///
/// `street` may hold several lines separated by newlines. The country is `countryCode`, else `country` when that is
/// already a two-letter code; `region` is `<country>-<stateCode>` (or `state` when it is a short code), else the
/// country. `name` is the order's `Account.Name` when the payload includes it. `street`, `city` and a country are
/// required.
enum SalesforceAddress {
    static func read(_ field: PayloadField, name: String, _ errors: inout FieldErrors) -> Address? {
        guard !field.isMissing else { return nil }
        guard case .object? = field.node else {
            errors.add(field.name, "must be an object, not \(field.node?.kindName ?? "absent")")
            return nil
        }
        let street = field["street"].string(&errors)
        let city = field["city"].string(&errors)
        let postalCode = field["postalCode"].optionalString(&errors) ?? ""
        let state = field["stateCode"].optionalString(&errors) ?? field["state"].optionalString(&errors).flatMap { isCode($0, 1...3) ? $0 : nil }
        let country = field["countryCode"].optionalString(&errors) ?? field["country"].optionalString(&errors)
        guard let country else {
            errors.add(field["countryCode"].name, "missing (send countryCode, or country as a two-letter code)")
            return nil
        }
        guard isCode(country, 2...2) else {
            errors.add(field["countryCode"].name, "must be an ISO 3166-1 alpha-2 code, not \(country)")
            return nil
        }
        guard let street, let city else { return nil }
        let code = country.uppercased()
        let lines = street.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return Address(
            name: name,
            lines: lines,
            city: city,
            region: state.map { "\(code)-\($0.uppercased())" } ?? code,
            postalCode: postalCode,
            country: code
        )
    }

    private static func isCode(_ text: String, _ length: ClosedRange<Int>) -> Bool {
        length.contains(text.utf8.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}

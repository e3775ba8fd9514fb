import CrossdockDomain

/// Reads a Shopify `shipping_address` / `billing_address` object into an ``Address``.
///
/// `name` is the consignee: `company` when given, else `name`, else `first_name last_name`. `lines` are `address1`
/// and `address2` (when not blank). `region` is `<country_code>-<province_code>` (ISO 3166-2 style, e.g. `US-KY`), or
/// the country code alone without a province. `address1`, `city` and `country_code` are required; `zip` may be absent.
enum ShopifyAddress {
    static func read(_ field: PayloadField, _ errors: inout FieldErrors) -> Address? {
        guard !field.isMissing else { return nil }
        guard case .object? = field.node else {
            errors.add(field.name, "must be an object, not \(field.node?.kindName ?? "absent")")
            return nil
        }
        let street = field["address1"].string(&errors)
        let city = field["city"].string(&errors)
        let country = field["country_code"].string(&errors)
        if let country, country.utf8.count != 2 || !country.allSatisfy({ $0.isASCII && $0.isLetter }) {
            errors.add(field["country_code"].name, "must be an ISO 3166-1 alpha-2 code")
        }
        let province = field["province_code"].optionalString(&errors)
        let person =
            field["name"].optionalString(&errors)
            ?? [field["first_name"].optionalString(&errors), field["last_name"].optionalString(&errors)]
            .compactMap(\.self).joined(separator: " ")
        let company = field["company"].optionalString(&errors)
        let second = field["address2"].optionalString(&errors)
        let zip = field["zip"].optionalString(&errors) ?? ""
        guard let street, let city, let country else { return nil }
        let countryCode = country.uppercased()
        return Address(
            name: company ?? person,
            lines: [street] + (second.map { [$0] } ?? []),
            city: city,
            region: province.map { "\(countryCode)-\($0.uppercased())" } ?? countryCode,
            postalCode: zip,
            country: countryCode
        )
    }
}

/// The rules every identifier the hub accepts must meet, in one place: ids in paths and bodies (order, customer,
/// warehouse, price list, partner ids, SKUs, ship-to codes), channel references (external order ids, PO numbers,
/// tracking numbers) and idempotency keys.
///
/// Identifiers travel into X12 segments, ERP documents, URLs, HTTP headers and logs. So an identifier is
/// **printable ASCII** (U+0020 to U+007E: no NUL, no control characters, no bidirectional overrides such as
/// U+202E, no invisible or non-ASCII characters), has no leading or trailing space, and is no longer than the
/// partner formats that carry it allow. Ids that name a resource in a URL path (``Kind/isPathSegment``) also
/// exclude `/ \ ? # %` and the dot segments `.` and `..`.
///
/// ```swift
/// Identifier.problem("PO-\u{202E}\u{0}x", .customerPO)
/// // "must be printable ASCII: U+202E (character 4) is not allowed"
/// ```
public enum Identifier {
    /// What an identifier names; each kind has its length limit and the reason for it.
    public enum Kind: String, CaseIterable, Sendable {
        /// The channel an order comes from (`api`, `shopify`, `edi`, a partner id).
        case channel
        /// A channel's order id (`externalId`): partner-prefixed (`partner:number`) Shopify order ids, Salesforce
        /// Order ids (18), X12 BEG03 numbers (22).
        case externalOrderID
        /// The customer's purchase order number (`customerPo`): X12 BEG03, BAK03, BIG04, PRF01 and W0502 (element
        /// 324) hold 1 to 22 characters.
        case customerPO
        /// An account id (`customerId`).
        case customerID
        /// A SKU: X12 PO107, LIN03 and W0105 (element 234) hold 1 to 48 characters.
        case sku
        /// A warehouse id.
        case warehouseID
        /// A price list id.
        case priceListID
        /// A ship-to location code (X12 N104).
        case shipToCode
        /// A tax or routing region, e.g. `US-NY` (ISO 3166-2 codes are at most 6 characters).
        case region
        /// A partner id.
        case partnerID
        /// A business reference on an adjustment or receipt (X12 REF02, element 127, holds 1 to 30 characters).
        case reference
        /// A carrier code (a SCAC is 2 to 4 letters; carrier names are allowed).
        case carrier
        /// A parcel tracking number (USPS IMpb numbers have 34 digits; X12 MAN02 holds 1 to 48 characters).
        case trackingNumber
        /// An id the hub issued (order, fulfilment order, shipment, return, receipt, exception, subscription,
        /// delivery ids) when it appears in a path or a body.
        case resourceID
        /// The `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header).
        case idempotencyKey

        /// The most characters allowed.
        public var maxLength: Int {
            switch self {
            case .channel: 32
            case .externalOrderID: 64
            case .customerPO: 22
            case .customerID, .warehouseID, .priceListID: 64
            case .partnerID: 35
            case .sku: 48
            case .shipToCode: 35
            case .region: 16
            case .reference: 30
            case .carrier: 35
            case .trackingNumber: 48
            case .resourceID: 128
            case .idempotencyKey: 255
            }
        }

        /// Whether the identifier names a resource in a URL path (`PUT /v1/customers/{id}`): then `/ \ ? # %` and
        /// the segments `.` and `..` are refused too.
        public var isPathSegment: Bool {
            switch self {
            case .customerID, .sku, .warehouseID, .priceListID, .region, .partnerID, .resourceID: true
            case .channel, .externalOrderID, .customerPO, .shipToCode, .reference, .carrier, .trackingNumber, .idempotencyKey: false
            }
        }
    }

    /// Characters refused in path-segment identifiers besides non-printable ones.
    public static let pathDelimiters: Set<Unicode.Scalar> = ["/", "\\", "?", "#", "%"]

    /// Why `value` is not a valid identifier of `kind`, or nil when it is.
    public static func problem(_ value: String, _ kind: Kind) -> String? {
        if value.isEmpty { return "must not be empty" }
        for (offset, scalar) in value.unicodeScalars.enumerated() where !(0x20...0x7E).contains(scalar.value) {
            let code = String(scalar.value, radix: 16, uppercase: true)
            return
                "must be printable ASCII: U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code) (character \(offset + 1)) is not allowed"
        }
        if value.first == " " || value.last == " " { return "must not start or end with a space" }
        if value.utf8.count > kind.maxLength { return "must be at most \(kind.maxLength) characters" }
        if kind.isPathSegment {
            if value == "." || value == ".." { return "must not be '.' or '..'" }
            if let bad = value.unicodeScalars.first(where: { pathDelimiters.contains($0) }) {
                return "must not contain '\(bad)' (it names a resource in a URL path)"
            }
        }
        return nil
    }

    /// Appends a field error for `value` at `field` when it is not a valid identifier of `kind`.
    public static func check(_ value: String, _ kind: Kind, field: String, into errors: inout [IntakeError.FieldError]) {
        if let reason = problem(value, kind) { errors.append(.init(field: field, reason: reason)) }
    }

    /// Appends a field error for `value` when it is present and not a valid identifier of `kind`.
    public static func check(_ value: String?, _ kind: Kind, field: String, into errors: inout [IntakeError.FieldError]) {
        if let value { check(value, kind, field: field, into: &errors) }
    }
}

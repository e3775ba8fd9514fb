import CrossdockDomain
import Foundation

/// Salesforce Order sObjects (with their `OrderItems`) pushed to the hub, mapped to a ``ChannelOrder``.
///
/// The payload is the Order as the REST API returns it with an `OrderItems` sub-query, e.g. from an Apex trigger or
/// a Flow's HTTP callout:
///
/// ```json
/// {"attributes": {"type": "Order"}, "Id": "8015g00000AbCdEAAV", "OrderNumber": "00000123",
///  "AccountId": "0015g00000XyZabAAB", "EffectiveDate": "2024-08-01", "PoNumber": "PO-7781",
///  "CurrencyIsoCode": "USD", "Status": "Activated",
///  "ShippingAddress": {"street": "1 Pier Rd", "city": "Newark", "stateCode": "NJ", "postalCode": "07105", "countryCode": "US"},
///  "OrderItems": {"totalSize": 1, "done": true, "records": [
///    {"Id": "8025g…", "OrderItemNumber": "0000000001", "Product2": {"ProductCode": "WID-1"}, "Quantity": 2.0, "UnitPrice": 19.99}]}}
/// ```
///
/// Rules (also in `docs/connectors.md`):
/// - `externalID` is `<org.id>:<Id>`; `customerPO` is `PoNumber`, else `OrderNumber`.
/// - `AccountId` must be mapped by the org (`unmapped_value` otherwise).
/// - The currency is `CurrencyIsoCode`, else the org's default.
/// - `OrderItems` must be complete: `done` true and `totalSize` equal to the records sent; a partial page is refused.
/// - `UnitPrice` is a JSON number read exactly from its text and rounded half away from zero to the currency's minor
///   unit; `Quantity` must be a whole number (`2.0` is 2).
/// - Line numbers are the `OrderItemNumber`s when every item has a distinct numeric one, else 1, 2, … in record order.
/// - Totals: subtotal Σ quantity × unit price; total `TotalAmount` when sent, else the subtotal; no tax or shipping
///   (Salesforce Order has none as standard fields).
public enum SalesforceOrders {
    /// The signature header: `sha256=<hex HMAC-SHA256 of the body under the org's shared secret>`.
    public static let signatureHeader = "X-Crossdock-Signature"

    /// Checks the signature when the org has a shared secret; does nothing when it has none.
    /// - Parameters:
    ///   - body: the raw body.
    ///   - signatureHeader: the `X-Crossdock-Signature` value; nil when absent.
    ///   - org: the org's profile.
    /// - Throws: `bad_signature`.
    public static func verify(body: some Collection<UInt8>, signatureHeader: String?, org: SalesforceOrg) throws(ConnectorError) {
        guard let secret = org.sharedSecret else { return }
        try WebhookSignature.verifyCrossdock(body: body, header: signatureHeader, secret: secret)
    }

    /// Maps an Order sObject to a channel order.
    /// - Parameters:
    ///   - body: the raw JSON body.
    ///   - org: the org's profile.
    /// - Throws: `malformed_payload` listing every bad field; `unmapped_value` for an unmapped `AccountId`.
    public static func order(body: some Collection<UInt8>, org: SalesforceOrg) throws(ConnectorError) -> ChannelOrder {
        let root = try ConnectorError.parseJSON(body)
        guard case .object = root else { throw ConnectorError.malformed(field: "body", "must be a JSON object (the Order)") }
        return try SalesforceOrderMapper(org: org).map(PayloadField(root: root))
    }

    /// Verifies and maps in one call.
    /// - Parameters:
    ///   - body: the raw body.
    ///   - signatureHeader: `X-Crossdock-Signature`.
    ///   - org: the org's profile.
    public static func receive(body: some Collection<UInt8>, signatureHeader: String?, org: SalesforceOrg) throws(ConnectorError) -> ChannelOrder {
        try verify(body: body, signatureHeader: signatureHeader, org: org)
        return try order(body: body, org: org)
    }
}

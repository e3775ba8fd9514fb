import CrossdockConnectors
import CrossdockDomain
import Foundation
import Testing

/// Fixtures written from the documented Order / OrderItem field names (no public sample exists).
@Suite("Salesforce Order with OrderItems")
struct SalesforceOrdersTests {
    static let org = SalesforceOrg(
        id: "acme-sf",
        sharedSecret: "sf-secret",
        accounts: ["0015g00000XyZabAAB": "CUST-ACME", "0015g00000QqQqq": "CUST-SHORT"],
        skuMap: ["WID-1": "WIDGET-ONE"],
        shipPolicy: .shipComplete,
        shipTos: [
            "CUST-ACME": [
                ShipTo(
                    code: "ST-NWK",
                    address: Address(name: "Acme", lines: ["1 Pier Rd"], city: "Newark", region: "US-NJ", postalCode: "07105", country: "US")
                )
            ]
        ]
    )

    static func order(
        account: String = "0015g00000XyZabAAB",
        currency: String? = #""USD""#,
        items: String = """
        {"totalSize": 2, "done": true, "records": [
          {"attributes": {"type": "OrderItem"}, "Id": "8025g000001AbcdAAA", "OrderItemNumber": "0000000001",
           "Product2": {"attributes": {"type": "Product2"}, "ProductCode": "WID-1"}, "Quantity": 2.0, "UnitPrice": 19.99, "TotalPrice": 39.98},
          {"attributes": {"type": "OrderItem"}, "Id": "8025g000001AbceAAA", "OrderItemNumber": "0000000002",
           "Product2": {"ProductCode": "WID-2"}, "Quantity": 1, "UnitPrice": 5.125, "TotalPrice": 5.13}]}
        """
    ) -> [UInt8] {
        """
        {"attributes": {"type": "Order", "url": "/services/data/v61.0/sobjects/Order/8015g00000AbCdEAAV"},
         "Id": "8015g00000AbCdEAAV", "OrderNumber": "00000123", "AccountId": "\(account)", "Account": {"Name": "Acme Corp"},
         "EffectiveDate": "2024-08-01", "PoNumber": "PO-7781", \(currency.map { "\"CurrencyIsoCode\": \($0)," } ?? "")
         "Status": "Activated", "TotalAmount": 45.11,
         "ShippingAddress": {"street": "1 Pier Rd\\nDock 4", "city": "Newark", "state": "New Jersey", "stateCode": "NJ",
                             "postalCode": "07105", "country": "United States", "countryCode": "US"},
         "BillingAddress": {"street": "500 Main St", "city": "Trenton", "state": "NJ", "postalCode": "08608", "country": "US"},
         "OrderItems": \(items)}
        """.bytes
    }

    @Test func mapsTheOrder() throws {
        let order = try SalesforceOrders.order(body: Self.order(), org: Self.org)
        #expect(order.request.channel == "salesforce")
        #expect(order.request.externalID == "acme-sf:8015g00000AbCdEAAV")
        #expect(order.request.customerID == "CUST-ACME")
        #expect(order.request.customerPO == "PO-7781")
        #expect(order.request.currency == .usd)
        #expect(order.request.shipPolicy == .shipComplete)
        #expect(order.request.shipToCode == "ST-NWK")
        // 5.125 rounds half away from zero to 5.13; quantities 2.0 and 1 are whole.
        #expect(
            order.request.lines == [
                .init(lineNo: 1, sku: "WIDGET-ONE", quantity: 2, unitPrice: 1_999, channelLineRef: "8025g000001AbcdAAA"),
                .init(lineNo: 2, sku: "WID-2", quantity: 1, unitPrice: 513, channelLineRef: "8025g000001AbceAAA"),
            ]
        )
        #expect(order.request.channelRef == ChannelReference(partner: "acme-sf", orderId: "8015g00000AbCdEAAV"))
        #expect(order.totals.scope == .goods)
        #expect(
            order.shipTo
                == Address(name: "Acme Corp", lines: ["1 Pier Rd", "Dock 4"], city: "Newark", region: "US-NJ", postalCode: "07105", country: "US")
        )
        #expect(order.billTo?.region == "US-NJ")
        #expect(order.totals.subtotal == Money(4_511, .usd))
        #expect(order.totals.total == Money(4_511, .usd))
        #expect(order.orderDate == "2024-08-01")
        #expect(order.channelStatus == "Activated")
    }

    @Test func signature() throws {
        let body = Self.order()
        try SalesforceOrders.verify(body: body, signatureHeader: Sign.crossdock(body, "sf-secret"), org: Self.org)
        var tampered = body
        tampered.append(UInt8(ascii: " "))
        for header in [Sign.crossdock(tampered, "sf-secret"), nil, "sha256=zz", Sign.hex(Sign.mac(body, "sf-secret"))] as [String?] {
            let error = connectorError { () throws(ConnectorError) in
                _ = try SalesforceOrders.receive(body: body, signatureHeader: header, org: Self.org)
            }
            #expect(error?.code == "bad_signature")
            #expect(error?.errors.first?.field == "X-Crossdock-Signature")
        }
        var unsigned = Self.org
        unsigned.sharedSecret = nil
        try SalesforceOrders.verify(body: body, signatureHeader: nil, org: unsigned)
    }

    @Test("15- and 18-character account ids match each other")
    func accountIDForms() throws {
        #expect(try SalesforceOrders.order(body: Self.order(account: "0015g00000XyZab"), org: Self.org).request.customerID == "CUST-ACME")
        #expect(try SalesforceOrders.order(body: Self.order(account: "0015g00000QqQqqAAA"), org: Self.org).request.customerID == "CUST-SHORT")
        let error = connectorError { () throws(ConnectorError) in
            _ = try SalesforceOrders.order(body: Self.order(account: "001000000000001AAA"), org: Self.org)
        }
        #expect(error?.code == "unmapped_value")
        #expect(error?.errors == [.init(field: "AccountId", reason: "account 001000000000001AAA is not mapped")])
    }

    @Test func currencyFallsBackToTheOrgDefault() throws {
        let error = connectorError { () throws(ConnectorError) in _ = try SalesforceOrders.order(body: Self.order(currency: nil), org: Self.org) }
        #expect(error?.errors.contains(.init(field: "CurrencyIsoCode", reason: "missing, and the org has no default currency")) == true)
        var org = Self.org
        org.defaultCurrency = Currency("EUR")
        #expect(try SalesforceOrders.order(body: Self.order(currency: nil), org: org).request.currency.code == "EUR")
    }

    @Test("a Draft order is refused: it can still change in Salesforce")
    func draftRefused() {
        let body = String(decoding: Self.order(), as: UTF8.self).replacingOccurrences(of: #""Status": "Activated""#, with: #""Status": "Draft""#)
        let error = connectorError { () throws(ConnectorError) in _ = try SalesforceOrders.order(body: Array(body.utf8), org: Self.org) }
        #expect(error?.code == "malformed_payload")
        #expect(error?.errors.map(\.field) == ["Status"])
    }

    @Test("a partial OrderItems page is refused")
    func partialItems() {
        let items =
            #"{"totalSize": 3, "done": false, "nextRecordsUrl": "/x", "records": [{"Product2": {"ProductCode": "A"}, "Quantity": 1, "UnitPrice": 1}]}"#
        let error = connectorError { () throws(ConnectorError) in _ = try SalesforceOrders.order(body: Self.order(items: items), org: Self.org) }
        #expect(error?.errors.map(\.field) == ["OrderItems.done", "OrderItems.totalSize"])
    }

    @Test("bad items are named by their path")
    func badItems() {
        let items = """
            {"totalSize": 3, "done": true, "records": [
              {"Product2": {"ProductCode": "A"}, "Quantity": 1.5, "UnitPrice": 1},
              {"Product2": null, "Quantity": 1, "UnitPrice": "x"},
              {"Product2": {"ProductCode": "C"}, "Quantity": 1, "UnitPrice": -1}]}
            """
        let error = connectorError { () throws(ConnectorError) in _ = try SalesforceOrders.order(body: Self.order(items: items), org: Self.org) }
        let fields = Dictionary((error?.errors ?? []).map { ($0.field, $0.reason) }, uniquingKeysWith: { $0 + "; " + $1 })
        #expect(fields["OrderItems.records[0].Quantity"] == "must be a whole number")
        #expect(fields["OrderItems.records[1].Product2.ProductCode"] == "missing")
        #expect(fields["OrderItems.records[1].UnitPrice"] == "must be a decimal number (USD amount)")
        #expect(fields["OrderItems.records[2].UnitPrice"] == "must not be negative")
    }

    @Test func missingOrderFields() {
        let error = connectorError { () throws(ConnectorError) in
            _ = try SalesforceOrders.order(
                body: #"{"Id": "short", "EffectiveDate": "2024-02-30", "ShippingAddress": {"street": "x", "country": "Deutschland"}}"#.bytes,
                org: Self.org
            )
        }
        let fields = Dictionary((error?.errors ?? []).map { ($0.field, $0.reason) }, uniquingKeysWith: { $0 + "; " + $1 })
        #expect(fields["Id"] == "must be a 15- or 18-character Salesforce id")
        #expect(fields["AccountId"] == "missing")
        #expect(fields["EffectiveDate"] == "must be a date YYYY-MM-DD")
        #expect(fields["ShippingAddress.city"] == "missing")
        #expect(fields["ShippingAddress.countryCode"] == "must be an ISO 3166-1 alpha-2 code, not Deutschland")
        #expect(fields["OrderItems"] == "missing (query the Order with its OrderItems)")
    }

    @Test func malformedJSON() {
        let error = connectorError { () throws(ConnectorError) in
            _ = try SalesforceOrders.order(body: #"{"Id": "8015g00000AbCdEAAV",}"#.bytes, org: Self.org)
        }
        #expect(error?.code == "malformed_payload")
        #expect(error?.errors.first?.reason == "invalid JSON at byte 28: expected a member name")
    }
}

import CrossdockConnectors
import CrossdockDomain
import Foundation
import Testing

@Suite("Shopify orders/create")
struct ShopifyWebhookTests {
    static let secret = "shpss_test_secret"

    static let louisville = Address(
        name: "Dock",
        lines: ["Chestnut Street 92"],
        city: "Louisville",
        region: "US-KY",
        postalCode: "40202",
        country: "US"
    )

    static let shop = ShopifyShop(
        id: "acme",
        shopDomain: "acme.myshopify.com",
        webhookSecret: secret,
        customers: .init(byShopifyCustomerID: ["207119551": "CUST-BOB", "115310627314723954": "CUST-JON"], byEmail: ["ops@b2b.test": "CUST-B2B"]),
        skuMap: ["WID-2": "WIDGET-TWO"],
        shipPolicy: .shipPartial,
        shipTos: ["CUST-BOB": [ShipTo(code: "ST-LOU", address: louisville)]]
    )

    /// An EUR order with line discounts, tax and shipping: 3 × 10.00 − 5.00 and 1 × 30.00 − 2 × 1.00.
    static func order(
        currency: String = "EUR",
        lineItems: String = """
        [{"sku": "WID-1", "quantity": 3, "price": "10.00", "discount_allocations": [{"amount": "5.00"}]},
         {"sku": "WID-2", "quantity": 1, "price": "30.00", "discount_allocations": [{"amount": "1.00"}, {"amount": "1.00"}]}]
        """,
        customer: String = #"{"id": 115310627314723954, "email": "jon@example.com"}"#,
        email: String = #""Jon@Example.com""#
    ) -> [UInt8] {
        """
        {"id": 820982911946154508, "name": "#9999", "po_number": "PO-55", "email": \(email), "currency": "\(currency)",
         "created_at": "2024-03-01T10:00:00+01:00", "financial_status": "paid", "taxes_included": false,
         "subtotal_price": "53.00", "total_discounts": "7.00", "total_price": "68.57", "total_tax": "10.07",
         "tax_lines": [{"price": "10.07", "rate": 0.19, "title": "MwSt"}],
         "shipping_lines": [{"code": "Standard", "price": "5.50", "title": "Standard"}],
         "customer": \(customer),
         "line_items": \(lineItems),
         "shipping_address": {"first_name": "Jon", "last_name": "Snow", "company": "Winterfell GmbH", "address1": "Hauptstr. 1",
                              "address2": "", "city": "Berlin", "zip": "10115", "province_code": null, "country_code": "DE"},
         "some_future_field": {"nested": [1, 2, 3]}}
        """.bytes
    }

    @Test("the public REST sample maps to the order a reader expects", .enabled(if: Samples.available, Samples.skipMessage))
    func publicSample() throws {
        let body = try Samples.bytes("shopify/order-rest-admin.json")
        let order = try ShopifyWebhook.order(body: body, shop: Self.shop, webhookID: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
        #expect(order.request.channel == "shopify")
        #expect(order.request.externalID == "acme:450789469")
        #expect(order.request.customerID == "CUST-BOB")
        #expect(order.request.customerPO == "#1001")
        #expect(order.request.currency == .usd)
        #expect(order.request.shipPolicy == .shipPartial)
        #expect(order.request.shipToCode == "ST-LOU")
        #expect(order.request.lines.map(\.sku) == ["IPOD2008GREEN", "IPOD2008RED", "IPOD2008BLACK"])
        #expect(order.request.lines.map(\.lineNo) == [1, 2, 3])
        #expect(order.request.lines.allSatisfy { $0.quantity == 1 && $0.unitPrice == 19_900 })
        #expect(
            order.shipTo
                == Address(name: "Bob Norman", lines: ["Chestnut Street 92"], city: "Louisville", region: "US-KY", postalCode: "40202", country: "US")
        )
        #expect(order.billTo == order.shipTo)
        #expect(order.totals.subtotal == Money(39_800, .usd))
        #expect(order.totals.discounts == Money(0, .usd))
        #expect(order.totals.tax == Money(1_194, .usd))
        #expect(order.totals.shipping == Money(0, .usd))
        #expect(order.totals.total == Money(40_994, .usd))
        #expect(order.customerEmail == "bob.norman@hostmail.com")
        #expect(order.webhookID == "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
        #expect(order.orderDate == "2008-01-10")
        #expect(order.channelStatus == "authorized")
    }

    @Test func validSignatureIsAccepted() throws {
        let body = Self.order()
        try ShopifyWebhook.verify(body: body, hmacHeader: Sign.base64(body, Self.secret), secret: Self.secret)
        let order = try ShopifyWebhook.receive(body: body, hmacHeader: Sign.base64(body, Self.secret), webhookID: "w-1", shop: Self.shop)
        #expect(order.webhookID == "w-1")
    }

    @Test func tamperedBodyIsRejected() {
        let body = Self.order()
        let header = Sign.base64(body, Self.secret)
        var tampered = body
        tampered[tampered.firstIndex(of: UInt8(ascii: "5"))!] = UInt8(ascii: "9")
        let error = connectorError { () throws(ConnectorError) in try ShopifyWebhook.verify(body: tampered, hmacHeader: header, secret: Self.secret) }
        #expect(error?.code == "bad_signature")
        #expect(error?.errors == [.init(field: "X-Shopify-Hmac-Sha256", reason: "does not match the body")])
        #expect(error?.message.contains(Self.secret) == false)
    }

    @Test func missingOrMalformedHeaderIsRejected() {
        let body = Self.order()
        for header in [nil, "", "not base64!", Data([1, 2, 3]).base64EncodedString(), Sign.base64(body, "other secret")] as [String?] {
            let error = connectorError { () throws(ConnectorError) in try ShopifyWebhook.verify(body: body, hmacHeader: header, secret: Self.secret) }
            #expect(error?.code == "bad_signature", "header \(header ?? "nil")")
        }
        let missing = connectorError { () throws(ConnectorError) in
            _ = try ShopifyWebhook.receive(body: body, hmacHeader: nil, webhookID: nil, shop: Self.shop)
        }
        #expect(missing?.errors.first?.reason == "missing")
    }

    @Test("line discounts, tax lines and shipping lines")
    func discountsAndTaxes() throws {
        let order = try ShopifyWebhook.order(body: Self.order(), shop: Self.shop, webhookID: nil)
        let eur = Currency("EUR")!
        #expect(order.request.externalID == "acme:820982911946154508")
        #expect(order.request.customerID == "CUST-JON")  // the 18-digit id is matched exactly, not through Double
        #expect(order.request.customerPO == "PO-55")
        #expect(order.request.currency == eur)
        // Shopify's price is the line's unit price (checked against the price list) and the allocations its channel
        // discount; intake nets them: (3 × 1000 − 500) / 3 = 833.3 → 833; (3000 − 200) / 1 = 2800. WID-2 goes through
        // the SKU map.
        #expect(
            order.request.lines == [
                .init(lineNo: 1, sku: "WID-1", quantity: 3, unitPrice: 1_000, discount: 500),
                .init(lineNo: 2, sku: "WIDGET-TWO", quantity: 1, unitPrice: 3_000, discount: 200),
            ]
        )
        #expect(
            order.totals
                == ChannelTotals(
                    subtotal: Money(5_300, eur),
                    discounts: Money(700, eur),
                    tax: Money(1_007, eur),
                    shipping: Money(550, eur),
                    total: Money(6_857, eur)
                )
        )
        #expect(
            order.shipTo == Address(name: "Winterfell GmbH", lines: ["Hauptstr. 1"], city: "Berlin", region: "DE", postalCode: "10115", country: "DE")
        )
        #expect(order.request.shipToCode == nil)
        #expect(order.customerEmail == "Jon@Example.com")
    }

    @Test("a unit price net of discounts rounds half away from zero")
    func roundingRule() throws {
        let items = #"[{"sku": "A", "quantity": 2, "price": "10.01", "discount_allocations": [{"amount": "0.01"}]}]"#
        let order = try ShopifyWebhook.order(body: Self.order(currency: "USD", lineItems: items), shop: Self.shop, webhookID: nil)
        #expect(order.request.lines.first?.unitPrice == 1_001)  // (2002 − 1) / 2 = 1000.5 → 1001
    }

    @Test("amounts follow the currency's minor unit", arguments: [("JPY", "1500", Int64(1_500)), ("KWD", "12.345", 12_345), ("USD", "0.10", 10)])
    func currencies(code: String, price: String, minorUnits: Int64) throws {
        let items = #"[{"sku": "A", "quantity": 1, "price": "\#(price)"}]"#
        let body = String(decoding: Self.order(currency: code, lineItems: items), as: UTF8.self)
            .replacingOccurrences(of: #""53.00""#, with: #""\#(price)""#)
            .replacingOccurrences(of: #""68.57""#, with: #""\#(price)""#)
            .replacingOccurrences(of: #""10.07""#, with: #""0""#).replacingOccurrences(of: #""5.50""#, with: #""0""#)
            .replacingOccurrences(of: #""7.00""#, with: #""0""#)
        let order = try ShopifyWebhook.order(body: body.bytes, shop: Self.shop, webhookID: nil)
        #expect(order.request.currency.code == code)
        #expect(order.request.lines.first?.unitPrice == minorUnits)
        #expect(order.totals.total.minorUnits == minorUnits)
    }

    @Test func tooManyDecimalsForTheCurrencyIsAnError() {
        let items = #"[{"sku": "A", "quantity": 1, "price": "1500.5"}]"#
        let error = connectorError { () throws(ConnectorError) in
            _ = try ShopifyWebhook.order(body: Self.order(currency: "JPY", lineItems: items), shop: Self.shop, webhookID: nil)
        }
        #expect(error?.errors.contains(.init(field: "line_items[0].price", reason: "has more than 0 decimal places (JPY amount)")) == true)
    }

    @Test func malformedJSONIsRejected() {
        let error = connectorError { () throws(ConnectorError) in
            _ = try ShopifyWebhook.order(body: #"{"id": 1, "line_items": [}"#.bytes, shop: Self.shop, webhookID: nil)
        }
        #expect(error?.code == "malformed_payload")
        #expect(error?.errors.first?.field == "body")
        #expect(error?.errors.first?.reason.hasPrefix("invalid JSON at byte 25") == true)
        let array = connectorError { () throws(ConnectorError) in _ = try ShopifyWebhook.order(body: "[1]".bytes, shop: Self.shop, webhookID: nil) }
        #expect(array?.errors.first?.reason == "must be a JSON object (the order)")
    }

    @Test("every bad field is named, and nothing is returned")
    func missingAndBadFields() {
        let items = """
            [{"sku": "A", "quantity": 1, "price": "1.00"}, {"sku": "B", "quantity": 0, "price": "abc"},
             {"sku": null, "quantity": 2.5, "price": 3}, {"quantity": 1, "price": "1.00", "discount_allocations": [{"amount": "9.00"}]}]
            """
        let error = connectorError { () throws(ConnectorError) in
            _ = try ShopifyWebhook.order(body: Self.order(currency: "usd?", lineItems: items), shop: Self.shop, webhookID: nil)
        }
        #expect(error?.code == "malformed_payload")
        let fields = Dictionary((error?.errors ?? []).map { ($0.field, $0.reason) }, uniquingKeysWith: { $0 + "; " + $1 })
        #expect(fields["currency"] == "must be an ISO 4217 code")
        #expect(fields["line_items[1].quantity"] == "must be a positive whole number")
        #expect(fields["line_items[1].price"] == "must be a decimal number (USD amount)")
        #expect(fields["line_items[2].sku"] == "missing")
        #expect(fields["line_items[2].quantity"] == "must be a whole number")
        #expect(fields["line_items[3].sku"] == "missing")
        #expect(fields["line_items[0].sku"] == nil)
    }

    @Test func missingTopLevelFields() {
        let error = connectorError { () throws(ConnectorError) in
            _ = try ShopifyWebhook.order(body: #"{"id": 5}"#.bytes, shop: Self.shop, webhookID: nil)
        }
        let fields = Set((error?.errors ?? []).map(\.field))
        #expect(fields == ["currency", "po_number", "line_items", "subtotal_price", "total_price"])
    }

    @Test("an unmapped customer is unmapped_value naming the id and the e-mail")
    func unmappedCustomer() {
        let body = Self.order(customer: #"{"id": 42, "email": "who@nowhere.test"}"#, email: #""who@nowhere.test""#)
        let error = connectorError { () throws(ConnectorError) in _ = try ShopifyWebhook.order(body: body, shop: Self.shop, webhookID: nil) }
        #expect(error?.code == "unmapped_value")
        #expect(
            error?.errors == [
                .init(field: "customer.id", reason: "Shopify customer 42 is not mapped"),
                .init(field: "email", reason: "who@nowhere.test is not mapped"),
            ]
        )
        #expect(error?.message == "shop acme maps no hub customer for Shopify customer 42, who@nowhere.test")
    }

    @Test("customers map by e-mail case-insensitively, then to the shop's default")
    func customerFallbacks() throws {
        let byEmail = Self.order(customer: #"{"id": 42}"#, email: #""OPS@b2b.test""#)
        #expect(try ShopifyWebhook.order(body: byEmail, shop: Self.shop, webhookID: nil).request.customerID == "CUST-B2B")
        var shop = Self.shop
        shop.defaultCustomerID = "CUST-WEB"
        let unknown = Self.order(customer: "null", email: "null")
        #expect(try ShopifyWebhook.order(body: unknown, shop: shop, webhookID: nil).request.customerID == "CUST-WEB")
    }

    @Test func profileDecodesAndHidesItsSecret() throws {
        let json = #"{"id": "s1", "shopDomain": "s1.myshopify.com", "webhookSecret": "xyz", "customers": {"byEmail": {"a@b.c": "C1"}}}"#
        let shop = try JSONDecoder().decode(ShopifyShop.self, from: Data(json.utf8))
        #expect(shop.customers.byEmail == ["a@b.c": "C1"])
        #expect(shop.skuMap.isEmpty && shop.shipTos.isEmpty && shop.defaultCustomerID == nil)
        #expect(!shop.description.contains("xyz"))
    }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Shopify, Salesforce, carrier and CSV payloads in their own formats: authenticated by the partner's signature,
/// mapped to the canonical commands, deduplicated, and refused precisely without a trace when bad.
@Suite("Channel and carrier inbound")
struct ChannelRouteTests {
    static let shopSecret = "shpss_0123456789abcdef0123456789"
    static let shop =
        #"{"kind":"shopify","id":"acme-shop","shopDomain":"acme.myshopify.com","webhookSecret":"\#(shopSecret)","customers":{"byEmail":{"buyer@customer1.example":"CUST-001"}}}"#

    static func shopifyOrder(id: Int = 450_789_469, email: String = "buyer@customer1.example", quantity: Int = 2) -> String {
        #"""
        {"id":\#(id),"name":"#1001","email":"\#(email)","currency":"USD","created_at":"2026-11-27T10:00:00-05:00",
         "subtotal_price":"20.94","total_discounts":"1.00","total_price":"21.80","taxes_included":false,
         "tax_lines":[{"price":"1.86","rate":0.08875,"title":"NY State Tax"}],"shipping_lines":[{"price":"0.00","title":"Free"}],
         "customer":{"id":207119551,"email":"\#(email)"},
         "shipping_address":{"first_name":"Bob","last_name":"Norman","address1":"1 Pier Rd","city":"Brooklyn","province_code":"NY","zip":"11201","country_code":"US"},
         "line_items":[{"id":466157049,"sku":"SKU-0005","quantity":\#(quantity),"price":"10.47","discount_allocations":[{"amount":"1.00"}]}]}
        """#
    }

    static func base64HMAC(_ body: String, _ secret: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
    }

    static func hexHMAC(_ body: String, _ secret: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }
            .joined()
    }

    static func postShopify(_ client: some TestClientProtocol, _ body: String, webhookID: String, hmac: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("X-Shopify-Shop-Domain")!] = "acme.myshopify.com"
        headers[HTTPField.Name("X-Shopify-Webhook-Id")!] = webhookID
        headers[HTTPField.Name("X-Shopify-Topic")!] = "orders/create"
        headers[HTTPField.Name("X-Shopify-Hmac-Sha256")!] = hmac ?? base64HMAC(body, shopSecret)
        return try await client.execute(uri: "/v1/inbound/shopify/orders", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test("a signed Shopify order becomes an order; redeliveries and resends do not duplicate it")
    func shopifyOrder() async throws {
        try await withHub { client, database, key in
            #expect(try await client.send(.put, "/v1/partners/acme-shop", key: key, json: Self.shop).status == .ok)
            let body = Self.shopifyOrder()
            let created = try await Self.postShopify(client, body, webhookID: "wh-1")
            #expect(created.status == .created, "\(created.text)")
            let order = try created.decode(SalesOrder.self)
            #expect(order.channel == "shopify")
            #expect(order.externalID == "acme-shop:450789469")
            #expect(order.customerID == "CUST-001")
            #expect(order.lines.map(\.quantity) == [2])
            #expect(order.status != .rejected, "\(order.reasons)")
            #expect(order.lines.first?.unitPrice.minorUnits == 997, "10.47 less 1.00 spread over 2 units")
            #expect(order.lines.first?.priceSource == "price_list:PL-STD;channel_discount:100")
            #expect(order.shipTo.address.city == "Brooklyn")
            #expect(order.shipTo.address.region == "US-NY")
            // Shopify's own totals stay on the order beside the hub's (which prices and taxes from its own tables).
            #expect(order.channelTotals?.tax.minorUnits == 186)
            #expect(order.channelTotals?.discounts.minorUnits == 100)
            #expect(order.channelTotals?.total.minorUnits == 2180)

            let redelivered = try await Self.postShopify(client, body, webhookID: "wh-1")
            #expect(redelivered.status == .created)
            #expect(redelivered.headers[.idempotentReplayed] == "true")
            let resent = try await Self.postShopify(client, body, webhookID: "wh-2")
            #expect(resent.status == .ok, "\(resent.text)")
            #expect(try resent.decode(SalesOrder.self).id == order.id)
            #expect(try await database.store.rowCounts()["orders"] == 1)

            // The order keeps the webhook that created it, once, with how it was authenticated; its trace shows it.
            let kept = try await database.store.inboundMessages(orderID: order.id)
            #expect(kept.count == 1, "the redelivery and the resend add nothing")
            #expect(kept.first?.body == body && kept.first?.bodyBytes == body.utf8.count)
            #expect(kept.first?.messageID == "wh-1" && kept.first?.partner == "acme-shop" && kept.first?.channel == "shopify")
            #expect(kept.first?.authentication.contains("X-Shopify-Hmac-Sha256 verified") == true)
            let trace = try await client.send(.get, "/v1/orders/\(order.id)/trace", key: key)
            let json = try trace.json()
            guard case .array(let messages) = json["inboundMessages"] ?? .null else { throw TestFailure("no inboundMessages") }
            #expect(messages.first?["body"]?.stringValue == body)
            guard case .array(let steps) = json["steps"] ?? .null else { throw TestFailure("no steps") }
            #expect(steps.contains { $0["kind"]?.stringValue == "inbound_message" && $0["system"]?.stringValue == "channel:acme-shop" })
        }
    }

    @Test("an inbound message larger than what is kept is cut at a character boundary and says so")
    func inboundMessagesAreCapped() {
        let big = Array(repeating: UInt8(ascii: "a"), count: InboundMessage.maxStoredBytes - 1) + Array("é and more".utf8)
        let message = InboundMessage(channel: "shopify", partner: "acme-shop", receivedAt: Date(), authentication: "x", body: big)
        #expect(message.isTruncated && message.bodyBytes == big.count)
        #expect(message.body.utf8.count == InboundMessage.maxStoredBytes - 1, "the é cut in half is dropped, not kept as U+FFFD")
        let small = InboundMessage(channel: "shopify", partner: "acme-shop", receivedAt: Date(), authentication: "x", body: Array("{}".utf8))
        #expect(!small.isTruncated && small.body == "{}")
    }

    @Test("a tampered, unsigned or unmapped Shopify webhook is refused and creates nothing")
    func shopifyRefusals() async throws {
        try await withHub { client, database, key in
            #expect(try await client.send(.put, "/v1/partners/acme-shop", key: key, json: Self.shop).status == .ok)
            let body = Self.shopifyOrder()
            let tampered = body.replacingOccurrences(of: #""quantity":2"#, with: #""quantity":200"#)
            try expectProblem(
                try await Self.postShopify(client, tampered, webhookID: "wh-3", hmac: Self.base64HMAC(body, Self.shopSecret)),
                .unauthorized,
                code: "bad_signature"
            )
            try expectProblem(try await Self.postShopify(client, body, webhookID: "wh-4", hmac: ""), .unauthorized, code: "bad_signature")
            let stranger = Self.shopifyOrder(email: "nobody@example.com")
            try expectProblem(
                try await Self.postShopify(client, stranger, webhookID: "wh-5"),
                .unprocessableContent,
                code: "unmapped_value",
                fields: ["customer.id", "email"]
            )
            let broken = #"{"id":1,"currency":"USD","line_items":[{"quantity":"two"}]}"#
            let malformed = try expectProblem(
                try await Self.postShopify(client, broken, webhookID: "wh-6"),
                .unprocessableContent,
                code: "malformed_payload"
            )
            #expect(problemFields(malformed).contains("line_items[0].quantity"), "\(malformed)")
            #expect(try await database.store.rowCounts()["orders"] == 0)
            #expect(try await database.store.rowCounts()["idempotency_keys"] == 0)
        }
    }

    @Test("a signed Salesforce Order is booked; an unsigned one without a key is refused")
    func salesforceOrder() async throws {
        try await withHub { client, database, key in
            let secret = "sf-secret-0123456789abcdef"
            let org = #"{"kind":"salesforce","id":"acme-crm","sharedSecret":"\#(secret)","accounts":{"0015g00000XyZabAAB":"CUST-002"}}"#
            #expect(try await client.send(.put, "/v1/partners/acme-crm", key: key, json: org).status == .ok)
            let body = #"""
                {"attributes":{"type":"Order"},"Id":"8015g00000AbCdEAAV","OrderNumber":"00000123","AccountId":"0015g00000XyZabAAB",
                 "EffectiveDate":"2026-11-27","PoNumber":"PO-SF-1","CurrencyIsoCode":"USD","Status":"Activated",
                 "OrderItems":{"totalSize":1,"done":true,"records":[{"Id":"8025g0000001","OrderItemNumber":"1","Product2":{"ProductCode":"SKU-0006"},"Quantity":4.0,"UnitPrice":11.84}]}}
                """#
            var headers: HTTPFields = [.contentType: "application/json"]
            headers[HTTPField.Name("X-Crossdock-Partner")!] = "acme-crm"
            let unsigned = try await client.execute(
                uri: "/v1/inbound/salesforce/orders",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: body)
            )
            try expectProblem(unsigned, .unauthorized, code: "bad_signature")
            headers[HTTPField.Name("X-Crossdock-Signature")!] = "sha256=" + Self.hexHMAC(body, secret)
            let created = try await client.execute(
                uri: "/v1/inbound/salesforce/orders",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: body)
            )
            #expect(created.status == .created, "\(created.text)")
            let order = try created.decode(SalesOrder.self)
            #expect(order.channel == "salesforce")
            #expect(order.customerID == "CUST-002")
            #expect(order.customerPO == "PO-SF-1")
            #expect(order.lines.map(\.sku) == ["SKU-0006"])
            #expect(order.lines.map(\.quantity) == [4])
            #expect(try await database.store.rowCounts()["orders"] == 1)
        }
    }

    @Test("an EasyPost tracker event moves the shipment it tracks; a bad signature is refused")
    func carrierWebhook() async throws {
        try await withHub { client, database, key in
            let secret = "easypost-webhook-secret"
            #expect(
                try await client.send(
                    .put,
                    "/v1/partners/easypost",
                    key: key,
                    json: #"{"kind":"carrier","id":"easypost","format":"easypost","secret":"\#(secret)"}"#
                ).status == .ok
            )
            let order = try await client.createOrder(orderJSON(externalID: "EP-1", lines: #"[{"sku":"SKU-0005","quantity":1}]"#), key: key)
            let fulfillment = try #require(try await database.store.fulfillments(orderID: order.id).first)
            let shipped = try await client.feedback(
                fulfillment.id,
                #"{"type":"shipped","carrier":"UPS","service":"ground","packages":[{"trackingNumber":"1Z999AA10123456784","contents":[{"lineNo":1,"quantity":1}]}],"shippedAt":"2026-11-27T12:00:00Z"}"#,
                key: key
            )
            try #require(shipped.status == .ok || shipped.status == .created, "\(shipped.text)")
            let event = #"""
                {"object":"Event","description":"tracker.updated","result":{"object":"Tracker","tracking_code":"1Z999AA10123456784","status":"in_transit",
                 "tracking_details":[{"status":"pre_transit","datetime":"2026-11-27T13:00:00Z","message":"Label created"},
                 {"status":"in_transit","datetime":"2026-11-27T18:00:00Z","message":"Departed","tracking_location":{"city":"Newark","state":"NJ","zip":"07105","country":"US"}}]}}
                """#
            var headers: HTTPFields = [.contentType: "application/json"]
            headers[HTTPField.Name("X-Hmac-Signature")!] = "hmac-sha256-hex=" + Self.hexHMAC(event, secret)
            let accepted = try await client.execute(
                uri: "/v1/inbound/carriers/easypost",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: event)
            )
            #expect(accepted.status == .accepted, "\(accepted.text)")
            #expect(try accepted.json()["milestones"]?.intValue == 2)
            let shipment = try #require(try await database.store.shipments(orderID: order.id).first)
            // EasyPost's plain `in_transit` is the carrier having the parcel (CarrierStatusMap); the two scans were applied.
            #expect([TrackingStatus.pickedUp, .inTransit].contains(shipment.tracking.status), "\(shipment.tracking.status)")
            #expect(shipment.tracking.milestones.count == 2)

            headers[HTTPField.Name("X-Hmac-Signature")!] = "hmac-sha256-hex=" + Self.hexHMAC(event, "wrong")
            let refused = try await client.execute(
                uri: "/v1/inbound/carriers/easypost",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: event)
            )
            try expectProblem(refused, .unauthorized, code: "bad_signature")
        }
    }

    @Test("a 3PL's CSV confirmation ships its fulfilment order once; a file naming another warehouse's order ships nothing")
    func csvConfirmation() async throws {
        try await withHub { client, database, key in
            let order = try await client.createOrder(orderJSON(externalID: "CSV-1", lines: #"[{"sku":"SKU-0005","quantity":2}]"#), key: key)
            let fulfillment = try #require(try await database.store.fulfillments(orderID: order.id).first)
            #expect(
                try await client.send(
                    .put,
                    "/v1/partners/wh-3pl",
                    key: key,
                    json: #"{"kind":"csv","id":"wh-3pl","warehouseId":"\#(fulfillment.warehouseID)"}"#
                ).status == .ok
            )
            #expect(
                try await client.send(.put, "/v1/partners/other-3pl", key: key, json: #"{"kind":"csv","id":"other-3pl","warehouseId":"WH-NOWHERE"}"#)
                    .status == .ok
            )
            let csv = """
                fulfillment_order_id,line_no,sku,quantity_shipped,carrier,service,tracking_number,shipped_at
                \(fulfillment.id),1,SKU-0005,2,UPS,ground,1ZCSV0001,2026-11-27T15:00:00Z

                """
            func post(_ partner: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/inbound/3pl/\(partner)/shipments",
                    method: .post,
                    headers: [.authorization: "Bearer \(key)", .contentType: "text/csv"],
                    body: ByteBuffer(string: csv)
                )
            }
            try expectProblem(try await post("other-3pl"), .unprocessableContent, code: "malformed_payload")
            #expect(try await database.store.shipments(orderID: order.id).isEmpty)
            let first = try await post("wh-3pl")
            #expect(first.status == .ok, "\(first.text)")
            let again = try await post("wh-3pl")
            #expect(again.status == .ok)
            let shipments = try await database.store.shipments(orderID: order.id)
            #expect(shipments.count == 1)
            #expect(shipments.first?.packages.map(\.trackingNumber) == ["1ZCSV0001"])
        }
    }
}

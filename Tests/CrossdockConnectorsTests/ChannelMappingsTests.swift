import CrossdockConnectors
import CrossdockDomain
import Foundation
import Testing

/// The bundled channel mappings rendered against updates built with the domain's own types: Shopify Admin API calls
/// per change, one Salesforce composite request per update, and the catalogue mappings.
@Suite("Bundled channel mappings")
struct ChannelMappingsTests {
    static let catalog: MappingCatalog? = try? MappingCatalog.load()

    /// An order from shop-1 (Shopify order 5100, line items 51001 and 51002) with one shipment S-1.
    static func update(_ change: ChannelOrderUpdate.Change, status: OrderStatus = .partiallyShipped) -> ChannelOrderUpdate {
        let line = { (no: Int, id: String, sku: String, shipped: Int) in
            ChannelOrderUpdate.Line(
                lineNo: no,
                channelLineId: id,
                sku: sku,
                orderedSku: sku,
                quantity: 4,
                orderedUnit: nil,
                shipped: shipped,
                cancelled: 0,
                rejected: 0,
                backordered: 0,
                unshipped: 4 - shipped,
                returned: 0,
                credited: 0,
                promisedDate: nil,
                status: shipped == 4 ? .shipped : .released,
                unitPrice: Money(1_999, .usd)
            )
        }
        let quantity = ChannelOrderUpdate.LineQuantity(lineNo: 1, channelLineId: "51001", sku: "WID-1", quantity: 2, channelQuantity: 2, amount: nil)
        let shipment = ChannelOrderUpdate.ShipmentInfo(
            shipmentId: "S-1",
            warehouseId: "WH-EAST",
            carrier: "UPS",
            service: "ground",
            trackingNumbers: ["1Z1", "1Z2"],
            shippedAt: EventFixtures.releasedAt,
            status: change == .delivered ? "delivered" : "in_transit",
            deliveredAt: change == .delivered ? EventFixtures.releasedAt : nil,
            lines: [quantity]
        )
        var update = ChannelOrderUpdate(
            partner: "shop-1",
            channel: "shopify",
            orderId: "SO-1",
            channelOrderId: "5100",
            customerId: "CUST-1",
            customerPo: "#1001",
            change: change,
            status: status,
            orderVersion: 4,
            promisedDate: nil,
            reasons: [],
            total: Money(15_992, .usd),
            shipping: Money(999, .usd),
            credited: Money(0, .usd),
            lines: [line(1, "51001", "WID-1", 2), line(2, "51002", "WID-2", 0)],
            shipments: [shipment]
        )
        if change == .shipped || change == .delivered { update.shipment = shipment }
        return update
    }

    static func event(_ update: ChannelOrderUpdate) throws -> [UInt8] {
        EventFixtures.envelope(.channelOrderUpdated, subject: "SO-1", data: try JSONCoding.encode(update))
    }

    func request(_ name: String, _ event: [UInt8], references: [String: String] = [:]) throws -> (path: String?, json: [String: Any]) {
        let mapping = try #require(Self.catalog?[name])
        let request = try mapping.request(event: event, references: references)
        return (request.path, try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]))
    }

    @Test func shopifyShipmentIsAFulfillmentWithTracking() throws {
        let event = try Self.event(Self.update(.shipped))
        let (path, json) = try request("shopify-order-sync", event)
        #expect(path == "/orders/5100/fulfillments.json")
        let fulfillment = try #require(json["fulfillment"] as? [String: Any])
        #expect(fulfillment["tracking_company"] as? String == "UPS")
        #expect(fulfillment["tracking_numbers"] as? [String] == ["1Z1", "1Z2"])
        let items = try #require(fulfillment["line_items"] as? [[String: Any]])
        #expect(items.count == 1 && items[0]["id"] as? String == "51001" && items[0]["quantity"] as? Int == 2)
        let mapping = try #require(Self.catalog?["shopify-order-sync"])
        let reference = mapping.reference(reply: Array(#"{"fulfillment":{"id":90001}}"#.utf8), event: event)
        #expect(reference?.type == "fulfillment:S-1" && reference?.number == "90001")
    }

    @Test func shopifyDeliveryIsAnEventOnTheRecordedFulfillment() throws {
        let event = try Self.event(Self.update(.delivered))
        let (path, json) = try request("shopify-order-sync", event, references: ["fulfillment:S-1": "90001"])
        #expect(path == "/orders/5100/fulfillments/90001/events.json")
        #expect((json["event"] as? [String: Any])?["status"] as? String == "delivered")
        #expect(throws: ConnectorError.self) { try request("shopify-order-sync", event) }
    }

    @Test func shopifyCancellationsAndCredits() throws {
        var whole = Self.update(.cancelled, status: .cancelled)
        whole.cancellation = .init(wholeOrder: true, reason: "customer request", lines: [], amount: Money(0, .usd))
        let (cancelPath, cancel) = try request("shopify-order-sync", try Self.event(whole))
        #expect(cancelPath == "/orders/5100/cancel.json")
        #expect(cancel["reason"] as? String == "customer" && cancel["restock"] as? Bool == true)

        var partial = Self.update(.cancelled)
        partial.cancellation = .init(
            wholeOrder: false,
            reason: nil,
            lines: [.init(lineNo: 2, channelLineId: "51002", sku: "WID-2", quantity: 1, channelQuantity: 1, amount: Money(2_176, .usd))],
            amount: Money(2_176, .usd)
        )
        let (refundPath, refundJSON) = try request("shopify-order-sync", try Self.event(partial))
        #expect(refundPath == "/orders/5100/refunds.json")
        let refund = try #require(refundJSON["refund"] as? [String: Any])
        let items = try #require(refund["refund_line_items"] as? [[String: Any]])
        #expect(items.first?["restock_type"] as? String == "cancel" && items.first?["line_item_id"] as? String == "51002")
        #expect((refund["transactions"] as? [[String: Any]])?.first?["amount"] as? String == "21.76")

        var credit = Self.update(.credited, status: .invoiced)
        credit.credit = .init(
            creditMemoId: "CM-1",
            number: "CM-000001",
            reason: "return",
            restock: true,
            total: Money(2_176, .usd),
            lines: [.init(lineNo: 1, channelLineId: "51001", sku: "WID-1", quantity: 1, channelQuantity: 1, amount: Money(2_176, .usd))]
        )
        let (_, creditJSON) = try request("shopify-order-sync", try Self.event(credit))
        let creditRefund = try #require(creditJSON["refund"] as? [String: Any])
        #expect((creditRefund["refund_line_items"] as? [[String: Any]])?.first?["restock_type"] as? String == "return")
        #expect(creditRefund["note"] as? String == "Credit memo CM-000001 (return)")
    }

    @Test func shopifyStatusChangesSetTheOrderMetafields() throws {
        var update = Self.update(.backordered, status: .backordered)
        update.promisedDate = "2026-12-05"
        let (path, json) = try request("shopify-order-sync", try Self.event(update))
        #expect(path == "/graphql.json")
        #expect((json["query"] as? String)?.contains("metafieldsSet(") == true)
        let metafields = try #require((json["variables"] as? [String: Any])?["metafields"] as? [[String: Any]])
        #expect(metafields.map { $0["ownerId"] as? String } == ["gid://shopify/Order/5100", "gid://shopify/Order/5100"])
        #expect(metafields[0]["value"] as? String == "backordered")
        let picture = try #require(
            try JSONSerialization.jsonObject(with: Data(((metafields[1]["value"] as? String) ?? "").utf8)) as? [String: Any]
        )
        #expect(picture["promisedDate"] as? String == "2026-12-05")
        #expect((picture["lines"] as? [[String: Any]])?.count == 2)
    }

    @Test func salesforceGetsOneCompositeRequestWithOrderItemsAndShipments() throws {
        var update = Self.update(.delivered, status: .delivered)
        update.channel = "salesforce"
        let (path, json) = try request("salesforce-order-sync", try Self.event(update))
        #expect(path == "/services/data/v60.0/composite")
        #expect(json["allOrNone"] as? Bool == true)
        let requests = try #require(json["compositeRequest"] as? [[String: Any]])
        #expect(requests.map { $0["referenceId"] as? String } == ["order", "items", "shipments"])
        #expect(requests[0]["url"] as? String == "/services/data/v60.0/sobjects/Order/5100")
        let order = try #require(requests[0]["body"] as? [String: Any])
        #expect(order["Status"] as? String == "Delivered" && order["Crossdock_Status__c"] as? String == "delivered")
        #expect(order["Crossdock_Sequence__c"] as? String == "42")
        let items = try #require((requests[1]["body"] as? [String: Any])?["records"] as? [[String: Any]])
        #expect(items.map { $0["id"] as? String } == ["51001", "51002"])
        #expect(items.map { $0["Crossdock_Shipped_Quantity__c"] as? Int } == [2, 0])
        let shipments = try #require((requests[2]["body"] as? [String: Any])?["records"] as? [[String: Any]])
        #expect(shipments.first?["Crossdock_Shipment_Id__c"] as? String == "S-1")
        #expect(shipments.first?["Crossdock_Tracking_Numbers__c"] as? String == "1Z1 1Z2")
        #expect(shipments.first?["Status"] as? String == "Delivered")
    }

    @Test func catalogueMappings() throws {
        let price = PriceChangedData.changes(
            from: nil,
            to: PriceList(id: "PL-STD", currency: .usd, entries: [.init(sku: "WID-1", unitPrice: 1_999)]),
            on: "2026-01-15"
        )[0]
        let priceEvent = EventFixtures.envelope(.priceListPriceChanged, subject: "PL-STD:WID-1", data: try JSONCoding.encode(price))
        let (shopPath, shop) = try request("sandbox-shopify-catalog", priceEvent)
        #expect(shopPath == "/graphql.json")
        let input = try #require(((shop["variables"] as? [String: Any])?["input"] as? [String: Any]))
        #expect((input["variants"] as? [[String: Any]])?.first?["price"] as? String == "19.99")
        let (_, crm) = try request("salesforce-catalog-sync", priceEvent)
        let entry = try #require((crm["compositeRequest"] as? [[String: Any]])?.first)
        #expect(entry["url"] as? String == "/services/data/v60.0/sobjects/PricebookEntry/Crossdock_Key__c/PL-STD:WID-1")
        #expect((entry["body"] as? [String: Any])?["IsActive"] as? Bool == true)

        let availability =
            #"{"sku":"WID-1","availableNow":7,"warehouses":[{"warehouseId":"WH-EAST","availableNow":5,"onHand":9},{"warehouseId":"WH-NEW","availableNow":2,"onHand":2}],"asOf":"2024-08-01T16:30:00.000Z","sourceOccurredAt":"2024-08-01T16:29:59.800Z","syncLagMs":200}"#
        let stock = EventFixtures.envelope(.inventoryAvailabilityChanged, subject: "WID-1", data: Data(availability.utf8))
        let (_, levels) = try request("sandbox-shopify-catalog", stock)
        let variant = try #require(
            (((levels["variables"] as? [String: Any])?["input"] as? [String: Any])?["variants"] as? [[String: Any]])?.first
        )
        let quantities = try #require(variant["inventoryQuantities"] as? [[String: Any]])
        #expect(quantities.map { $0["locationId"] as? String } == ["gid://shopify/Location/7001", "gid://shopify/Location/WH-NEW"])
        #expect(quantities.map { $0["quantity"] as? Int } == [5, 2])
        let stamps = try #require(
            ((levels["variables"] as? [String: Any])?["input"] as? [String: Any])?["metafields"] as? [[String: Any]]
        )
        let stamp = { (key: String) in stamps.first { $0["key"] as? String == key }?["value"] as? String }
        #expect(stamp("availability_as_of") == "2024-08-01T16:30:00.000Z", "as of: when the hub computed the figures")
        #expect(stamp("availability_changed_at") == "2024-08-01T16:29:59.800Z", "changed at: the first stock change")

        let credit = CreditStatusChangedData(
            customerId: "CUST-1",
            name: "Acme",
            status: .active,
            onHold: true,
            holdReason: "past due",
            creditLimit: Money(500_000, .usd)
        )
        let creditEvent = EventFixtures.envelope(.customerCreditStatusChanged, subject: "CUST-1", data: try JSONCoding.encode(credit))
        let account = try #require((try request("salesforce-catalog-sync", creditEvent).json["compositeRequest"] as? [[String: Any]])?.first)
        #expect(account["url"] as? String == "/services/data/v60.0/sobjects/Account/Crossdock_Customer_Id__c/CUST-1")
        let body = try #require(account["body"] as? [String: Any])
        #expect(body["Credit_Hold__c"] as? Bool == true && body["Credit_Hold_Reason__c"] as? String == "past due")
        #expect((body["Credit_Limit__c"] as? NSNumber)?.doubleValue == 5_000)
    }
}

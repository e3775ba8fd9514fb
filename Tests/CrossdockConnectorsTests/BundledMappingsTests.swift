import CrossdockConnectors
import CrossdockDomain
import Foundation
import Testing

@Suite("Bundled outbound mappings")
struct BundledMappingsTests {
    static let catalog: MappingCatalog? = try? MappingCatalog.load()

    func render(_ name: String, _ event: [UInt8]) throws -> (contentType: String, json: Any) {
        let mapping = try #require(Self.catalog?[name])
        let (contentType, body) = try mapping.render(event: event)
        return (contentType, try JSONSerialization.jsonObject(with: Data(body)))
    }

    @Test func theBundledSetLoads() throws {
        let catalog = try MappingCatalog.load()
        let ours: Set = [
            "customer-shipment-notification", "sandbox-3pl-shipping-order", "sandbox-erp-invoice", "sandbox-erp-sales-order",
            "sandbox-wms-shipping-order",
        ]
        #expect(ours.isSubset(of: catalog.names))
        #expect(
            catalog.mappings(for: "com.crossdock.fulfillment.released.v1").map(\.name) == [
                "sandbox-3pl-shipping-order", "sandbox-wms-shipping-order",
            ]
        )
        #expect(catalog.mappings(for: "shipment.delivered").map(\.name) == ["customer-shipment-notification"])
    }

    @Test func salesOrder() throws {
        _ = try JSONCoding.decoder().decode(OrderStatusData.self, from: Data(EventFixtures.orderAcceptedData.utf8))
        let (contentType, json) = try render("sandbox-erp-sales-order", EventFixtures.orderAccepted())
        #expect(contentType == "application/json")
        let body = try #require(json as? [String: Any])
        #expect(body["documentType"] as? String == "SALES_ORDER")
        #expect(body["externalRef"] as? String == "SO-1")
        #expect(body["customer"] as? String == "CUST-ACME")
        #expect(body["channelOrderRef"] as? String == "acme:820982911946154508")
        #expect(body["status"] as? String == "BOOKED")
        #expect(body["orderTotal"] as? String == "45.11")
        #expect((body["lines"] as? [Any])?.isEmpty == true)
        #expect(body["bookedAt"] as? String == "2024-08-01T16:30:00.000Z")
        #expect(body["hubEventId"] as? String == "evt-1")
        #expect(body["source"] as? String == "crossdock")
    }

    @Test func invoice() throws {
        let body = try #require(try render("sandbox-erp-invoice", EventFixtures.invoicePosted()).json as? [String: Any])
        #expect(body["invoiceNumber"] as? String == "INV-000123")
        #expect(body["customerPO"] as? String == "PO-7781")
        #expect(body["currency"] as? String == "USD")
        #expect(body["invoiceDate"] as? String == "2024-08-01T16:30:00.000Z")
        #expect(body["dueDate"] as? String == "2024-08-31")
        #expect(body["subtotal"] as? String == "39.98" && body["taxTotal"] as? String == "2.65" && body["total"] as? String == "42.63")
        let line = try #require((body["lines"] as? [[String: Any]])?.first)
        #expect(line["item"] as? String == "WID-1" && line["qty"] as? Int == 2)
        #expect(line["unitPrice"] as? String == "19.99" && line["amount"] as? String == "39.98" && line["tax"] as? String == "2.65")
        #expect(line["taxRatePPM"] as? Int == 66_250)
    }

    @Test func wmsShippingOrder() throws {
        let body = try #require(try render("sandbox-wms-shipping-order", EventFixtures.fulfillmentReleased()).json as? [String: Any])
        #expect(body["shippingOrderId"] as? String == "FO-1")
        #expect(body["warehouse"] as? String == "WH-EAST")
        #expect(body["requestedShipDate"] as? String == "2024-08-02")
        let shipTo = try #require(body["shipTo"] as? [String: Any])
        #expect(shipTo["code"] as? String == "ST-NWK" && shipTo["addressLines"] as? [String] == ["1 Pier Rd", "Dock 4"])
        let lines = try #require(body["lines"] as? [[String: Any]])
        #expect(lines.map { $0["sku"] as? String } == ["WID-1", "WID-2"] && lines.map { $0["quantity"] as? Int } == [2, 1])
    }

    @Test func thirdPartyShippingOrder() throws {
        let body = try #require(try render("sandbox-3pl-shipping-order", EventFixtures.fulfillmentReleased()).json as? [String: Any])
        #expect(body["order_reference"] as? String == "CD-FO-1")
        #expect(body["client_order_id"] as? String == "SO-1")
        let consignee = try #require(body["consignee"] as? [String: Any])
        #expect(consignee["address_1"] as? String == "1 Pier Rd" && consignee["address_2"] as? String == "Dock 4")
        #expect(consignee["label_address"] as? String == "1 Pier Rd, Dock 4")
        #expect(consignee["state"] as? String == "US-NJ" && consignee["country_code"] as? String == "US")
        let items = try #require(body["items"] as? [[String: Any]])
        #expect(items.map { $0["qty"] as? Int } == [2, 1] && items.allSatisfy { $0["uom"] as? String == "EA" })
    }

    @Test func shipmentNotifications() throws {
        let shipped = try #require(try render("customer-shipment-notification", EventFixtures.shipmentShipped()).json as? [String: Any])
        #expect(shipped["notification"] as? String == "shipped")
        #expect(shipped["shipmentId"] as? String == "SH-1")
        #expect(shipped["carrier"] as? String == "UPS" && shipped["service"] as? String == "ground")
        #expect(shipped["trackingNumbers"] as? [String] == ["1Z1", "1Z2"])
        #expect(shipped["shippedAt"] as? String == "2024-08-01T16:30:00.000Z")
        #expect(shipped["deliveredAt"] is NSNull)
        #expect(shipped["message"] as? String == "Order SO-1 has been shipped.")

        let delivered = try #require(try render("customer-shipment-notification", EventFixtures.shipmentDelivered()).json as? [String: Any])
        #expect(delivered["notification"] as? String == "delivered")
        #expect(delivered["shipmentId"] as? String == "SH-1")
        #expect(delivered["carrier"] is NSNull)
        #expect(delivered["trackingNumbers"] as? [String] == ["1Z1"])
        #expect(delivered["deliveredAt"] as? String == "2024-08-05T14:02:00.000Z")
    }

    @Test("a mapping refuses an event type it does not handle")
    func wrongEventType() throws {
        let mapping = try #require(Self.catalog?["sandbox-erp-invoice"])
        let error = connectorError { () throws(ConnectorError) in _ = try mapping.render(event: try! EventFixtures.fulfillmentReleased()) }
        #expect(error?.code == "mapping_failed")
        #expect(error?.message == "mapping sandbox-erp-invoice: event type com.crossdock.fulfillment.released.v1 is not one of invoice.posted")
    }
}

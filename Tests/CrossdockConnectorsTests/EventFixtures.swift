import CrossdockDomain
import Foundation

/// Hub events built with the domain's own types and writers, enveloped as the delivery worker sends them.
enum EventFixtures {
    static let releasedAt = Date(timeIntervalSince1970: 1_722_529_800)  // 2024-08-01T16:30:00Z

    /// The CloudEvents envelope, member for member as `SQLiteStore+Deliveries` writes it.
    static func envelope(_ type: EventType, subject: String, data: Data, id: String = "evt-1") -> [UInt8] {
        var writer = JSONWriter()
        writer.object {
            $0.field("causationid", "cmd-1")
            $0.field("correlationid", "SO-1")
            $0.raw("data", data)
            $0.field("datacontenttype", "application/json")
            $0.field("id", id)
            $0.field("schemaversion", String(type.schemaVersion))
            $0.field("sequence", "42")
            $0.field("source", "/crossdock/hub")
            $0.field("specversion", "1.0")
            $0.field("subject", subject)
            $0.field("time", "2024-08-01T16:30:00.000Z")
            $0.field("type", type.qualifiedName)
        }
        return writer.bytes
    }

    static let shipTo = ShipTo(
        code: "ST-NWK",
        address: Address(name: "Acme Receiving", lines: ["1 Pier Rd", "Dock 4"], city: "Newark", region: "US-NJ", postalCode: "07105", country: "US")
    )

    static func fulfillmentReleased() throws -> [UInt8] {
        let order = FulfillmentOrder(
            id: "FO-1",
            orderID: "SO-1",
            warehouseID: "WH-EAST",
            lines: [.init(lineNo: 1, sku: "WID-1", quantity: 2), .init(lineNo: 2, sku: "WID-2", quantity: 1)],
            shipTo: shipTo,
            requestedDate: "2024-08-02",
            releasedAt: releasedAt
        )
        return envelope(.fulfillmentReleased, subject: "FO-1", data: try JSONCoding.encode(order))
    }

    static func invoicePosted() throws -> [UInt8] {
        let usd = Currency.usd
        let invoice = Invoice(
            id: "INV-ID-1",
            number: "INV-000123",
            orderID: "SO-1",
            shipmentID: "SH-1",
            customerID: "CUST-ACME",
            customerPO: "PO-7781",
            currency: usd,
            lines: [
                .init(
                    lineNo: 1,
                    sku: "WID-1",
                    quantity: 2,
                    unitPrice: Money(1_999, usd),
                    extended: Money(3_998, usd),
                    taxRatePPM: 66_250,
                    tax: Money(265, usd)
                )
            ],
            subtotal: Money(3_998, usd),
            tax: Money(265, usd),
            total: Money(4_263, usd),
            issuedAt: releasedAt,
            dueDate: "2024-08-31",
            status: .posted
        )
        return envelope(.invoicePosted, subject: "INV-ID-1", data: try JSONCoding.encode(invoice))
    }

    static func shipmentShipped() throws -> [UInt8] {
        var shipment = Shipment(
            id: "SH-1",
            fulfillmentOrderID: "FO-1",
            orderID: "SO-1",
            warehouseID: "WH-EAST",
            carrier: "UPS",
            service: "ground",
            packages: [
                .init(trackingNumber: "1Z1", weightGrams: 1_200, contents: [.init(lineNo: 1, quantity: 2)]),
                .init(trackingNumber: "1Z2", contents: [.init(lineNo: 2, quantity: 1)]),
            ],
            shippedAt: releasedAt
        )
        shipment.invoiceID = "INV-ID-1"
        return envelope(.shipmentShipped, subject: "SH-1", data: try JSONCoding.encode(shipment))
    }

    /// `order.accepted` data is `OrderStatusData`, which only the domain builds from a `SalesOrder`; this is its JSON
    /// (the test decodes it back as `OrderStatusData` to prove the shape).
    static let orderAcceptedData = #"""
        {"channel":"shopify","customerId":"CUST-ACME","externalId":"acme:820982911946154508","orderId":"SO-1","reasons":[],"status":"accepted","total":{"currency":"USD","minorUnits":4511}}
        """#

    static func orderAccepted() -> [UInt8] {
        envelope(.orderAccepted, subject: "SO-1", data: Data(orderAcceptedData.utf8))
    }

    /// `shipment.delivered` data is the engine's `ShipmentMilestoneData` (internal to CrossdockEngine), as it encodes.
    static func shipmentDelivered() -> [UInt8] {
        let data = #"""
            {"deliveredAt":"2024-08-05T14:02:00.000Z","occurredAt":"2024-08-05T14:02:00.000Z","orderId":"SO-1","shipmentId":"SH-1","status":"delivered","trackingNumber":"1Z1"}
            """#
        return envelope(.shipmentDelivered, subject: "SH-1", data: Data(data.utf8))
    }
}

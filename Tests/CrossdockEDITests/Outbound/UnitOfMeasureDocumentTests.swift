import CrossdockDomain
import CrossdockEDI
import CrossdockTestSupport
import Foundation
import Testing

/// A line ordered in cases (2 CA of 12 = 24 EA, booked in each): the 855, 856 and 810 answer in cases wherever the
/// quantity is whole cases and in each otherwise, with the price per case on the 810, and the independent validators
/// accept every document.
@Suite("Documents in the partner's unit")
struct UnitOfMeasureDocumentTests {
    /// WID-100 ordered as 2 CA (24 EA at 4.25 each, 51.00 a case).
    static func order(backordered: Int = 0) -> SalesOrder {
        var line = OrderLine(lineNo: 1, sku: "WID-100", quantity: 24, unitPrice: Money(425, .usd), priceSource: "list", tax: Money(905, .usd))
        line.orderedUnit = .init(code: "CA", quantity: 12, baseUnit: "EA")
        line.open = backordered
        line.backordered = backordered
        line.released = 24 - backordered
        line.warehouseQuantities = ["WH-RENO": 24 - backordered]
        var order = SalesOrder(
            id: "SO-1",
            channel: "edi",
            externalID: "acme-edi:PO-7781",
            customerID: "C-1",
            customerPO: "PO-7781",
            shipTo: OutboundFixtures.shipTo,
            requestedDate: nil,
            shipPolicy: .shipPartial,
            currency: .usd,
            lines: [line],
            taxRatePPM: 88_750,
            receivedAt: OutboundFixtures.receivedAt
        )
        order.status = backordered > 0 ? .partiallyAllocated : .released
        return order
    }

    static func shipment(_ quantity: Int) -> Shipment {
        Shipment(
            id: "SHP-1",
            fulfillmentOrderID: "FO-1",
            orderID: "SO-1",
            warehouseID: "WH-RENO",
            carrier: "UPSN",
            service: "GROUND",
            packages: [.init(trackingNumber: "1Z999AA10123456784", weightGrams: 2_000, contents: [.init(lineNo: 1, quantity: quantity)])],
            shippedAt: OutboundFixtures.shippedAt
        )
    }

    @Test func theAcknowledgmentAnswersInCasesWhenTheQuantitiesAreWholeCases() async throws {
        let whole = PurchaseOrderAcknowledgment(order: Self.order(), date: "20250314")
        #expect(whole.lines[0].quantity == "2" && whole.lines[0].unit == "CA")
        #expect(whole.lines[0].statuses.map { "\($0.code) \($0.quantity ?? "") \($0.unit ?? "")" } == ["IA 2 CA"])
        let split = PurchaseOrderAcknowledgment(order: Self.order(backordered: 12), date: "20250314")
        #expect(split.lines[0].statuses.map { "\($0.code) \($0.quantity ?? "") \($0.unit ?? "")" } == ["IB 1 CA", "IA 1 CA"])
        let uneven = PurchaseOrderAcknowledgment(order: Self.order(backordered: 5), date: "20250314")
        #expect(uneven.lines[0].statuses.map { "\($0.code) \($0.quantity ?? "") \($0.unit ?? "")" } == ["IB 5 EA", "IA 19 EA"])
        for acknowledgment in [whole, split, uneven] {
            let text = try await OutboundFixtures.text([acknowledgment.transactionSet()], functionalID: "PR")
            guard try ExternalValidators.expectValid(text, "855 in cases") else { return }
        }
    }

    @Test func theShipNoticeCountsWholeCasesInCasesAndAShortShipmentInEach() async throws {
        for (shipped, expected) in [(24, "2 CA of 2 CA"), (18, "18 EA of 2 CA")] {
            let notice = try ShipNotice(
                shipment: Self.shipment(shipped),
                order: Self.order(),
                products: OutboundFixtures.products,
                warehouse: OutboundFixtures.warehouse,
                shipFrom: OutboundFixtures.warehouseAddress,
                ssccs: OutboundFixtures.ssccs(1)
            )
            let item = try #require(notice.orders.first?.packages.first?.items.first)
            #expect("\(item.quantityShipped) \(item.unit) of \(item.quantityOrdered ?? 0) \(item.orderedUnit ?? "")" == expected)
            let text = try await OutboundFixtures.text([notice.transactionSet()], functionalID: "SH")
            guard try ExternalValidators.expectValid(text, "856 shipping \(shipped) EA of a case line") else { return }
        }
    }

    @Test func theInvoiceBillsWholeCasesAtThePricePerCase() async throws {
        let order = Self.order()
        let shipment = Self.shipment(24)
        let invoice = try Invoicing.invoice(
            id: "INV-1",
            number: "INV-000001",
            order: order,
            shipment: shipment,
            taxRatePPM: 88_750,
            issuedAt: OutboundFixtures.shippedAt,
            netDays: 30
        )
        let document = try InvoiceDocument(
            invoice: invoice,
            order: order,
            customer: OutboundFixtures.customer(),
            products: OutboundFixtures.products,
            remitTo: OutboundFixtures.warehouseAddress,
            shipment: shipment
        )
        let line = try #require(document.lines.first)
        #expect(line.quantity == 2 && line.unit == "CA" && line.unitPrice == Decimal(string: "51"))
        #expect(invoice.total == Money(10_200 + 905, .usd), "2 × 51.00 + 9.05 tax: the case price times the cases is the line")
        let text = try await OutboundFixtures.text([document.transactionSet()], functionalID: "IN")
        guard try ExternalValidators.expectValid(text, "810 in cases") else { return }
    }
}

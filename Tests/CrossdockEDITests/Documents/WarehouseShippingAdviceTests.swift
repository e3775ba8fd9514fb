import CrossdockDomain
import CrossdockEDI
import Foundation
import Testing

struct WarehouseShippingAdviceTests {
    static let fulfillmentOrder = FulfillmentOrder(
        id: "FO-77",
        orderID: "SO-1001",
        warehouseID: "WH-EAST",
        lines: [FulfillmentOrder.Line(lineNo: 1, sku: "WID-100", quantity: 12), FulfillmentOrder.Line(lineNo: 3, sku: "GAD-9", quantity: 2)],
        shipTo: PurchaseOrderAcknowledgmentTests.order().shipTo,
        requestedDate: nil,
        releasedAt: Date(timeIntervalSince1970: 1_741_939_200)
    )

    @Test func ourAdviceIsValidAndMapsBack() throws {
        let packages = [
            Shipment.Package(trackingNumber: "1Z999", contents: [.init(lineNo: 1, quantity: 10), .init(lineNo: 3, quantity: 2)]),
            Shipment.Package(trackingNumber: "1Z998", contents: [.init(lineNo: 1, quantity: 2)]),
        ]
        let shippedAt = Date(timeIntervalSince1970: 1_742_044_500)  // 2025-03-15 13:15 UTC
        let advice = WarehouseShippingAdvice(
            order: Self.fulfillmentOrder,
            shipmentID: "SH-1",
            carrier: "UPSN",
            service: "GROUND",
            packages: packages,
            shippedAt: shippedAt
        )
        let set = advice.transactionSet()
        #expect(WarehouseShippingAdvice.schema.validate(set).isEmpty, "\(WarehouseShippingAdvice.schema.validate(set))")
        #expect(set.segments.first?.description == "W06*F*FO-77*20250315*SH-1")
        #expect(
            set.segments.filter { $0.id == "W12" }.map(\.description) == [
                "W12*CP*12*10*2*EA**VN*WID-100", "W12*CC*2*2*0*EA**VN*GAD-9", "W12*CP*12*2*10*EA**VN*WID-100",
            ]
        )
        let text = try X12Serializer().serialize(PurchaseOrderTests.wrap(set, functionalID: "SW"))
        let parsed = try WarehouseShippingAdvice.decode(try #require(try X12Parser.parse(text).transactionSets.first))
        #expect(parsed == advice)
        #expect(
            try parsed.fulfillmentFeedback(for: Self.fulfillmentOrder)
                == .shipped(carrier: "UPSN", service: "GROUND", packages: packages, shippedAt: shippedAt)
        )
    }

    @Test func withoutTrackingTheBillOfLadingTracks() throws {
        let body = [
            "W06*F*FO-77*20250315*SH-1", "N1*ST*ACME*92*0042", "N9*BM*BOL-555", "W27*M*ODFL", "LX*1", "W12*CC*12*12*0*EA**VN*WID-100", "W03*12",
        ]
        let advice = try WarehouseShippingAdvice.decode(DocumentFixtures.set("945", body))
        let feedback = try advice.fulfillmentFeedback(for: Self.fulfillmentOrder)
        guard case .shipped(let carrier, let service, let packages, _) = feedback else { return }
        #expect(
            carrier == "ODFL" && service == nil
                && packages == [Shipment.Package(trackingNumber: "BOL-555", contents: [.init(lineNo: 1, quantity: 12)])]
        )
        do {
            _ = try WarehouseShippingAdvice.decode(DocumentFixtures.set("945", ["W06*F*FO-77", "N1*ST*ACME", "LX*1", "W12*CC*1*1*0*EA**VN*ZZZ"]))
                .fulfillmentFeedback(for: Self.fulfillmentOrder)
            Issue.record("mapped")
        } catch {
            #expect(Set(error.errors.map(\.code)) == ["missing_carrier", "missing_ship_date", "missing_tracking"])
        }
    }
}

@Suite("945 sample", .enabled(if: DocumentFixtures.samplesPresent, DocumentFixtures.skipMessage))
struct WarehouseShippingAdviceSampleTests {
    @Test func x12typesSampleDecodesStructurallyAndIsRejectedStrictly() throws {
        // Like SampleTests: the un-padded ISA (and SE01 12 for 16 segments) reject the interchange. The set itself also
        // breaks N1 R0203/P0304 (`N1*SF***CHI`), so strict reading rejects it; reading the structure gives the values.
        let reading = InboundInterchange.read(try DocumentFixtures.sample("945-x12types-004010.edi"))
        #expect(!reading.isProcessable && reading.acceptedDocuments.isEmpty)
        let set = try #require(reading.groups.first?.sets.first)
        #expect(set.response.status == .rejected && set.response.codes == ["4", "5"])
        #expect(DocumentFixtures.summary(set.errors) == ["N1@6.2:2", "N1@6.3:2"])
        let advice = try WarehouseShippingAdvice.decode(set.set, strictness: .structureOnly)
        #expect(
            advice.depositorOrderNumber == "IF102" && advice.date == "20190604" && advice.shipmentID == "BOL12345"
                && advice.purchaseOrderNumber == "PO9865"
        )
        #expect(advice.parties.map(\.role) == ["ST", "SF"] && advice.parties[0].postalCode == "66216-4563" && advice.parties[1].id == "CHI")
        #expect(advice.carrier == .init(method: "M", scac: "NPLT", routing: "NORTHPOINT TRANSPOR", payment: "PP"))
        let item = try #require(advice.groups.first?.items.first)
        #expect(
            advice.groups.first?.number == "10" && item.status == "CC" && item.shippedQuantity == "3000" && item.item == ItemID("VN", "123456789")
        )
        #expect(
            item.lot == "LOT12314" && item.descriptions == ["WIDGETS 100 PER BOX"]
                && item.references == [Reference(qualifier: "LV", value: "LPN6569")]
        )
        #expect(advice.totalUnits == "3000" && advice.totalWeight == "15000" && advice.weightUnit == "LB")
        // No tracking in the file: the shipment id stands in; the line is matched by SKU.
        let order = FulfillmentOrder(
            id: "IF102",
            orderID: "SO-9",
            warehouseID: "CHI",
            lines: [.init(lineNo: 4, sku: "123456789", quantity: 3000)],
            shipTo: WarehouseShippingAdviceTests.fulfillmentOrder.shipTo,
            requestedDate: nil,
            releasedAt: Date(timeIntervalSince1970: 0)
        )
        let feedback = try advice.fulfillmentFeedback(for: order)
        let day = try #require(
            Calendar(identifier: .gregorian).date(from: DateComponents(timeZone: TimeZone(identifier: "UTC"), year: 2019, month: 6, day: 4))
        )
        #expect(
            feedback
                == .shipped(
                    carrier: "NPLT",
                    service: "NORTHPOINT TRANSPOR",
                    packages: [.init(trackingNumber: "BOL12345", contents: [.init(lineNo: 4, quantity: 3000)])],
                    shippedAt: day
                )
        )
    }
}

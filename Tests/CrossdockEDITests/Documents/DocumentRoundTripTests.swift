import CrossdockDomain
import CrossdockEDI
import Foundation
import PropertyBased
import Testing

/// Canonical → X12 text → canonical, for generated values.
struct DocumentRoundTripTests {
    private static let skus = ["WID-100", "GAD-9", "SKU.7", "A B C", "X-1/2"]

    static func request(using rng: inout SplitMix64) -> OrderRequest {
        let partner = DocumentFixtures.partner
        let po = "PO-\(Int.random(in: 1...99_999, using: &rng))"
        let count = Int.random(in: 1...6, using: &rng)
        let numbered = Bool.random(using: &rng)
        let lines = (0..<count).map { index in
            OrderRequest.Line(
                lineNo: numbered ? index * 10 + Int.random(in: 1...9, using: &rng) : nil,
                sku: skus.randomElement(using: &rng)!,
                quantity: Int.random(in: 1...100_000, using: &rng),
                unitPrice: Bool.random(using: &rng) ? Int64.random(in: 0...99_999_999, using: &rng) : nil
            )
        }
        return OrderRequest(
            channel: "edi",
            externalID: "\(partner.id):\(po)",
            customerID: partner.customerID!,
            customerPO: po,
            currency: [Currency.usd, Currency("EUR")!, Currency("CAD")!].randomElement(using: &rng)!,
            requestedDate: Bool.random(using: &rng)
                ? String(
                    format: "20%02d-%02d-%02d",
                    Int.random(in: 24...30, using: &rng),
                    Int.random(in: 1...12, using: &rng),
                    Int.random(in: 1...28, using: &rng)
                ) : nil,
            shipPolicy: [nil, ShipPolicy.shipComplete, .shipPartial].randomElement(using: &rng)!,
            shipToCode: Bool.random(using: &rng) ? "ST\(Int.random(in: 1...999, using: &rng))" : nil,
            lines: lines
        )
    }

    @Test func orderRequestSurvivesAn850() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let request = Self.request(using: &rng)
            var partner = DocumentFixtures.partner
            partner.buyerPartNumbers = Bool.random(using: &rng) ? ["B-GAD": "GAD-9"] : [:]
            partner.itemQualifiers = TradingPartner.ItemQualifier.allCases.shuffled(using: &rng)
            let gtins = ["WID-100": "012345678905"]
            let order = PurchaseOrder(request, partner: partner, date: "20250314") { gtins[$0] }
            let text = try X12Serializer(newlineAfterSegment: Bool.random(using: &rng)).serialize(
                PurchaseOrderTests.wrap(order.transactionSet(), functionalID: "PO")
            )
            let reading = InboundInterchange.read(text)
            guard case .purchaseOrder(let read)? = reading.acceptedDocuments.first else {
                Issue.record("seed \(seed): \(reading.groups.first?.sets.first?.errors ?? [])")
                return
            }
            #expect(read == order, "seed \(seed)")
            let back = try read.orderRequest(for: partner) { gtin in gtins.first { $0.value == gtin }?.key }
            // Reading adds what the 850 says beyond the request: the channel's ids and each line's unit.
            var expected = request
            expected.channelRef = ChannelReference(partner: partner.id, orderId: request.customerPO ?? "")
            for index in expected.lines.indices {
                expected.lines[index].unitOfMeasure = "EA"
                expected.lines[index].channelLineRef = expected.lines[index].lineNo.map(String.init)
            }
            #expect(back == expected, "seed \(seed)")
            #expect(reading.acknowledgments().first?.status == .accepted)
        }
    }

    @Test func shipmentSurvivesA945() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let fo = WarehouseShippingAdviceTests.fulfillmentOrder
            let packages = (0..<Int.random(in: 1...4, using: &rng)).map { n in
                Shipment.Package(
                    trackingNumber: "1Z\(n)\(Int.random(in: 1000...9999, using: &rng))",
                    contents: fo.lines.filter { _ in Bool.random(using: &rng) }.map {
                        .init(lineNo: $0.lineNo, quantity: Int.random(in: 1...$0.quantity, using: &rng))
                    }
                )
            }
            let shippedAt = Date(timeIntervalSince1970: TimeInterval(Int.random(in: 1_700_000_000...1_800_000_000, using: &rng) / 60 * 60))
            let service = Bool.random(using: &rng) ? "GROUND" : nil
            let advice = WarehouseShippingAdvice(
                order: fo,
                shipmentID: "SH-\(seed % 1000)",
                carrier: "UPSN",
                service: service,
                packages: packages,
                shippedAt: shippedAt
            )
            let text = try X12Serializer().serialize(PurchaseOrderTests.wrap(advice.transactionSet(), functionalID: "SW"))
            guard case .warehouseShippingAdvice(let read)? = InboundInterchange.read(text).acceptedDocuments.first else {
                Issue.record("seed \(seed): not accepted")
                return
            }
            #expect(read == advice)
            #expect(
                try read.fulfillmentFeedback(for: fo) == .shipped(carrier: "UPSN", service: service, packages: packages, shippedAt: shippedAt),
                "seed \(seed)"
            )
        }
    }

    @Test func documentJSONShapeIsStable() throws {
        let ack = FunctionalAcknowledgment(
            functionalID: "PO",
            groupControlNumber: 7,
            sets: [.init(setID: "850", controlNumber: "0001", status: .accepted)],
            status: .accepted,
            includedCount: 1,
            receivedCount: 1,
            acceptedCount: 1
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(X12Document.functionalAcknowledgment(ack)), as: UTF8.self)
        #expect(
            json
                == #"{"document":{"acceptedCount":1,"codes":[],"functionalID":"PO","groupControlNumber":7,"includedCount":1,"receivedCount":1,"sets":[{"codes":[],"controlNumber":"0001","segments":[],"setID":"850","status":"A"}],"status":"A"},"type":"997"}"#
        )
    }
}

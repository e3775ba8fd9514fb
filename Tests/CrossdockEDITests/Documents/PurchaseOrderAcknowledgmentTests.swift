import CrossdockDomain
import CrossdockEDI
import Foundation
import Testing

struct PurchaseOrderAcknowledgmentTests {
    static func order(status: OrderStatus = .accepted, _ adjust: (inout [OrderLine]) -> Void = { _ in }) -> SalesOrder {
        var lines = [
            OrderLine(lineNo: 1, sku: "WID-100", quantity: 12, unitPrice: Money(425, .usd), priceSource: "edi", tax: Money(0, .usd)),
            OrderLine(lineNo: 2, sku: "WID-100", quantity: 3, unitPrice: Money(1999, .usd), priceSource: "edi", tax: Money(0, .usd)),
            OrderLine(lineNo: 3, sku: "GAD-9", quantity: 1, unitPrice: Money(500, .usd), priceSource: "price_list", tax: Money(0, .usd)),
        ]
        adjust(&lines)
        let address = Address(name: "ACME STORE 42", lines: ["17 HARBOR ROAD"], city: "PORTLAND", region: "US-ME", postalCode: "04101", country: "US")
        var order = SalesOrder(
            id: "SO-1001",
            channel: "edi",
            externalID: "acme:PO-7781",
            customerID: "CUST-ACME",
            customerPO: "PO-7781",
            shipTo: ShipTo(code: "0042", address: address),
            requestedDate: "2025-03-18",
            shipPolicy: .shipComplete,
            currency: .usd,
            lines: lines,
            receivedAt: Date(timeIntervalSince1970: 1_741_939_200)
        )
        order.status = status
        return order
    }

    private var purchaseOrder: PurchaseOrder {
        get throws { try PurchaseOrder.decode(DocumentFixtures.set("850", DocumentFixtures.purchaseOrderBody)) }
    }

    private func acks(_ ack: PurchaseOrderAcknowledgment) -> [String] {
        ack.transactionSet().segments.filter { $0.id == "ACK" || $0.id == "BAK" }.map(\.description)
    }

    @Test func acceptedAsOrderedIsAT() throws {
        let ack = PurchaseOrderAcknowledgment(order: Self.order(), purchaseOrder: try purchaseOrder, date: "20250315")
        #expect(acks(ack) == ["BAK*00*AT*PO-7781*20250314****SO-1001*20250315", "ACK*IA*12*EA", "ACK*IA*3*EA", "ACK*IA*1*EA"])
        // PO1 echoes the 850 as written, including a non-numeric PO101 and the price as the buyer wrote it.
        #expect(ack.lines.map(\.lineNumber) == ["1", "2", "A3"])
        #expect(ack.lines[1].unitPrice == "19.9900" && ack.lines[0].items == [ItemID("UP", "012345678905"), ItemID("VN", "WID-100")])
    }

    @Test func backorderSubstitutionCancelAndRejectGiveAC() throws {
        let order = Self.order { lines in
            lines[0].open = 4
            lines[0].backordered = 4
            lines[0].allocated = 8
            lines[0].promisedDate = "2025-04-02"
            lines[1].sku = "WID-200"
            lines[2].cancelled = 1
        }
        let ack = PurchaseOrderAcknowledgment(order: order, purchaseOrder: try purchaseOrder, date: "20250315")
        #expect(
            acks(ack) == [
                "BAK*00*AC*PO-7781*20250314****SO-1001*20250315", "ACK*IB*4*EA*068*20250402", "ACK*IA*8*EA", "ACK*IS*3*EA****VP*WID-200",
                "ACK*ID*0*EA",
            ]
        )
        var partial = Self.order {
            $0[0].rejected = 2
            $0[0].open = 10
            $0[1].cancelled = 1
            $0[1].open = 2
        }
        partial.status = .onHold
        #expect(
            acks(PurchaseOrderAcknowledgment(order: partial, date: "20250315")).dropFirst() == [
                "ACK*IR*2*EA", "ACK*IH*10*EA", "ACK*IQ*2*EA", "ACK*IH*2*EA", "ACK*IH*1*EA",
            ]
        )
    }

    @Test func rejectionsAreRDWithEveryLineIR() throws {
        let rejected = PurchaseOrderAcknowledgment(order: Self.order(status: .rejected), date: "20250315")
        #expect(acks(rejected) == ["BAK*00*RD*PO-7781*20250314****SO-1001*20250315", "ACK*IR*12*EA", "ACK*IR*3*EA", "ACK*IR*1*EA"])
        let before = PurchaseOrderAcknowledgment.rejecting(try purchaseOrder, date: "20250315")
        #expect(acks(before) == ["BAK*00*RD*PO-7781*20250314*****20250315", "ACK*IR*12*EA", "ACK*IR*3*EA", "ACK*IR*1*EA"])
    }

    @Test func ourAcknowledgmentsAreValidAndReadBack() throws {
        for ack in [
            PurchaseOrderAcknowledgment(order: Self.order(), purchaseOrder: try purchaseOrder, date: "20250315"),
            PurchaseOrderAcknowledgment(order: Self.order(status: .rejected), date: "20250315"),
            PurchaseOrderAcknowledgment.rejecting(try purchaseOrder, date: "20250315"),
        ] {
            let set = ack.transactionSet()
            #expect(PurchaseOrderAcknowledgment.schema.validate(set).isEmpty, "\(PurchaseOrderAcknowledgment.schema.validate(set))")
            let text = try X12Serializer().serialize(PurchaseOrderTests.wrap(set, functionalID: "PR"))
            let parsed = try #require(try X12Parser.parse(text).transactionSets.first)
            #expect(try PurchaseOrderAcknowledgment.decode(parsed) == ack)
        }
    }
}

@Suite("855 samples", .enabled(if: DocumentFixtures.samplesPresent, DocumentFixtures.skipMessage))
struct PurchaseOrderAcknowledgmentSampleTests {
    @Test func nodeX12Decodes() throws {
        let reading = InboundInterchange.read(try DocumentFixtures.sample("855-nodex12-004010.edi"))
        guard case .purchaseOrderAcknowledgment(let ack) = try #require(reading.acceptedDocuments.first) else {
            Issue.record("not an 855: \(reading.groups.first?.sets.first?.errors ?? [])")
            return
        }
        #expect(
            ack.status == "AD" && ack.purchaseOrderNumber == "POTEST1112" && ack.purchaseOrderDate == "20201015"
                && ack.acknowledgmentDate == "20201015"
        )
        #expect(ack.currency == "USD" && ack.references.first?.value == "ORDER PROCESSED" && ack.parties.first?.addressLines.count == 3)
        #expect(ack.lines.map(\.lineNumber) == ["1", "2", "3", "4"])
        #expect(ack.lines.map { $0.statuses.map(\.code) } == [["IA"], ["IR"], ["IR"], ["IA"]])
        #expect(ack.lines[0].items.first == ItemID("EN", "9780446360265") && ack.lines[0].statuses.first?.quantity == "3")
        #expect(ack.hashTotal == "5")
        let again = try PurchaseOrderAcknowledgment.decode(ack.transactionSet())
        #expect(again.lines.map(\.statuses) == ack.lines.map(\.statuses) && again.purchaseOrderNumber == ack.purchaseOrderNumber)
    }

    @Test func dandhIsRejectedStrictlyAndReadsStructurally() throws {
        // Copied from a PDF: ISA not padded, SE01 10 for 6 segments, and the PO1/ACK elements shifted by one position.
        let reading = InboundInterchange.read(try DocumentFixtures.sample("855-x12types-dandh-004010.edi"))
        #expect(!reading.isProcessable)
        let set = try #require(reading.groups.first?.sets.first)
        #expect(set.response.codes.contains("4") && set.response.codes.contains("5"))
        #expect(DocumentFixtures.summary(set.errors).prefix(2) == ["PO1@3.8:2", "PO1@3.10:5"])
        let ack = try PurchaseOrderAcknowledgment.decode(set.set, strictness: .structureOnly)
        #expect(ack.status == "AC" && ack.purchaseOrderNumber == "801222" && ack.purchaseOrderDate == "20150129")
        #expect(ack.lines.first?.lineNumber == "1" && ack.lines.first?.quantity == "140" && ack.lines.first?.statuses.first?.code == "IA")
    }
}

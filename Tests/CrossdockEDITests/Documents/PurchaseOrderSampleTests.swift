import CrossdockDomain
import CrossdockEDI
import Testing

@Suite("850 samples", .enabled(if: DocumentFixtures.samplesPresent, DocumentFixtures.skipMessage))
struct PurchaseOrderSampleTests {
    private func decode(_ file: String) throws -> PurchaseOrder {
        let set = try #require(DocumentFixtures.firstSet(try DocumentFixtures.sample(file)))
        return try PurchaseOrder.decode(set)
    }

    @Test func buysnacksDecodesAndMaps() throws {
        let order = try decode("850-x12types-buysnacks-004010.edi")
        #expect(order.number == "A99999-01")
        #expect(order.date == "19970214")
        #expect(order.purpose == "00" && order.type == "SA")
        #expect(order.references == [Reference(qualifier: "VR", value: "54321")])
        #expect(order.terms.first?.netDays == "16" && order.terms.first?.discountPercent == "1")
        #expect(order.dates.map(\.date) == ["19971219", "19971219"])
        let shipTo = try #require(order.party("ST"))
        #expect(shipTo.name == "BUYSNACKS PORT" && shipTo.id == "1223334445" && shipTo.city == "ATHENS" && shipTo.postalCode == "30603")
        #expect(order.party("BT")?.addressLines == ["P.O. BOX 0000"])
        #expect(order.lines.count == 7 && order.lineCount == 7)
        #expect(order.lines.map(\.quantity) == ["16", "13", "32", "51", "9", "85", "1"])
        #expect(order.lines.allSatisfy { $0.unit == "CA" && $0.unitPrice == "12.34" && $0.lineNumber == nil })
        #expect(order.lines[0].items == [ItemID("CB", "000111111"), ItemID("UA", "002840022222")])
        #expect(order.lines[0].descriptions.first?.text == "CRUNCHY CHIPS LSS")
        #expect(order.lines[0].pack == PurchaseOrder.Pack(pack: "48", size: "7.89", unit: "LB"))

        // CB is a buyer catalog number: the partner's cross-reference books it.
        var partner = DocumentFixtures.partner
        partner.buyerPartNumbers = ["000111111": "CHIPS-1"]
        let request = try order.orderRequest(for: partner) { $0 == "002840033333" ? "NACHO-1" : "GTIN-\($0)" }
        #expect(request.externalID == "acme:A99999-01" && request.customerPO == "A99999-01" && request.channel == "edi")
        #expect(request.requestedDate == "1997-12-19")
        #expect(request.shipToCode == "1223334445")
        #expect(
            request.lines.map(\.sku) == [
                "CHIPS-1", "NACHO-1", "GTIN-002840044444", "GTIN-002840055555", "GTIN-002840066666", "GTIN-002840077777", "GTIN-002840088888",
            ]
        )
        #expect(request.lines.allSatisfy { $0.unitPrice == 1234 && $0.lineNo == nil })
        #expect(request.lines.map(\.quantity) == [16, 13, 32, 51, 9, 85, 1])
    }

    @Test func vicsDecodesDespiteTheGS08Suffix() throws {
        let reading = InboundInterchange.read(try DocumentFixtures.sample("850-nodex12-vics-004010.edi"))
        #expect(reading.isProcessable)
        guard case .purchaseOrder(let order) = try #require(reading.acceptedDocuments.first) else {
            Issue.record("not an 850")
            return
        }
        #expect(order.number == "08292233294" && order.contract == "610385385")
        #expect(order.routings.first?.carrier == "P3" && order.routings.first?.routing == "SEE XYZ RETAIL ROUTING GUIDE")
        #expect(order.party("ST")?.id == "0003947268292")
        #expect(order.lines.map(\.lineNumber) == ["1", "2", "3", "4", "5", "6"])
        #expect(order.lines[1].items == [ItemID("CB", "066850-116"), ItemID("PR", "RO"), ItemID("VN", "RD5322")])
        #expect(order.totalAmount == "13045.94")
        let request = try order.orderRequest(for: DocumentFixtures.partner) { _ in nil }
        #expect(request.lines.map(\.sku) == ["AB3542", "RD5322", "XY5266", "VX2332", "RV0524", "DX1875"])
        #expect(request.lines.map(\.unitPrice) == [925, 1379, 1099, 435, 750, 955])
        #expect(request.lines.map(\.lineNo) == [1, 2, 3, 4, 5, 6])
        #expect(request.requestedDate == "2010-12-14")
        #expect(reading.acknowledgments().first?.status == .accepted)
    }

    @Test func newlineTerminatedDecodes() throws {
        let order = try decode("850-nodex12-newline-terminated-004010.edi")
        #expect(order.number == "----------" && order.type == "NE")
        #expect(order.dates.first?.qualifier == "106")
        #expect(order.party("VN")?.id == "-----")
        #expect(order.party("ST")?.id == "100" && order.party("ST")?.city == "SAN DIEGO")
        #expect(order.lines.first?.items.first == ItemID("VN", "UNKNOWN"))
        #expect(order.lines.first?.quantity == "1" && order.lines.first?.unit == "KI" && order.lines.first?.unitPrice == "225")
        #expect(order.lineCount == 1 && order.hashTotal == nil)
    }

    @Test func syntaxNotesSampleIsRejectedWithItsNotes() throws {
        let text = try DocumentFixtures.sample("850-ediengine-syntaxnotes-err-004010.edi")
        let reading = InboundInterchange.read(text)
        let set = try #require(reading.groups.first?.sets.first)
        #expect(set.document == nil)
        #expect(DocumentFixtures.summary(set.errors) == ["PO1@13.7:2", "PO4@30.6:2"])
        #expect(set.errors[0].message.contains("P0607") && set.errors[0].interchangePosition == 15 && set.errors[0].dataElement == 234)
        #expect(set.errors[1].message.contains("C0506") && set.errors[1].loopID == "PO1")
        let ack = try #require(reading.acknowledgments().first)
        #expect(ack.status == .rejected && ack.acceptedCount == 0)
        #expect(ack.sets.first?.codes == ["5"])
        #expect(ack.sets.first?.segments.map { "\($0.segmentID)*\($0.position)*\($0.code ?? "")" } == ["PO1*13*8", "PO4*30*8"])
        #expect(ack.sets.first?.segments.first?.elements.first == .init(position: 7, dataElement: 234, code: "2"))
    }

    @Test func malformedAndBOMSamplesStillDecodeForDiagnostics() throws {
        // BOM / unpadded ISA / missing ISA16: interchange-level defects. The interchange is not processable and every
        // group is rejected, but the sets are still decoded for `crossdock edi parse`.
        for file in ["850-edinet-basic-004010.edi", "850-edinet-multiparty-004010.edi", "850-edinet-issue135-malformed-004010.edi"] {
            let reading = InboundInterchange.read(try DocumentFixtures.sample(file))
            #expect(!reading.isProcessable && reading.acceptedDocuments.isEmpty, "\(file)")
            #expect(reading.acknowledgments().allSatisfy { $0.status == .rejected }, "\(file)")
        }
        let basic = try decode("850-edinet-basic-004010.edi")
        #expect(basic.number == "1000012" && basic.salesRequirement == "Y" && basic.party("ST")?.name == "John Doe")
        // The multi-party sample also has a placeholder state ("State") in the supplier's N4: strict reading rejects it,
        // reading the structure only gives the values.
        let set = try #require(DocumentFixtures.firstSet(try DocumentFixtures.sample("850-edinet-multiparty-004010.edi")))
        #expect(throws: X12SetRejection.self) { try PurchaseOrder.decode(set) }
        do {
            _ = try PurchaseOrder.decode(set)
        } catch {
            #expect(DocumentFixtures.summary(error.errors) == ["N4@22.2:5"])
        }
        let multi = try PurchaseOrder.decode(set, strictness: .structureOnly)
        #expect(multi.currency == "USD" && multi.parties.map(\.role) == ["ST", "Z7", "BT", "BY", "SU"])
        #expect(multi.lines.first?.lineNumber == "000100001" && multi.lines.first?.dates.map(\.qualifier) == ["018", "067"])
    }
}

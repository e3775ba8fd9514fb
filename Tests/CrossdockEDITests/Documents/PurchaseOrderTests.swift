import CrossdockDomain
import CrossdockEDI
import Testing

struct PurchaseOrderTests {
    private let body = DocumentFixtures.purchaseOrderBody

    private func errors(_ body: [String]) -> [String] {
        do {
            _ = try PurchaseOrder.decode(DocumentFixtures.set("850", body))
            return []
        } catch {
            return DocumentFixtures.summary(error.errors)
        }
    }

    @Test func ownFixtureDecodesAndMaps() throws {
        let reading = InboundInterchange.read(DocumentFixtures.interchange(body))
        let set = try #require(reading.groups.first?.sets.first)
        guard case .purchaseOrder(let order) = try #require(set.document) else {
            Issue.record("not an 850")
            return
        }
        #expect(order.lines.map(\.lineNumber) == ["1", "2", "A3"])
        let request = try order.orderRequest(for: DocumentFixtures.partner, from: set.set) { $0 == "099999999999" ? "GAD-9" : nil }
        #expect(request.requestedDate == "2025-03-18")  // DTM 010 wins over 002
        #expect(request.shipPolicy == .shipComplete && request.shipToCode == "0042" && request.customerID == "CUST-ACME")
        // VP/VN first (the partner's order), then BP through the cross-reference, then UPC through the lookup.
        #expect(request.lines.map(\.sku) == ["WID-100", "WID-100", "GAD-9"])
        #expect(request.lines.map(\.unitPrice) == [425, 1999, nil])
        // A non-numeric PO101 keeps the line's position.
        #expect(request.lines.map(\.lineNo) == [1, 2, 3])
        #expect(PurchaseOrder.lineNo(of: order.lines[2], at: 2) == 3)
    }

    @Test func mappingErrorsNameTheLineAndElement() throws {
        var lines = body
        lines[10] = "PO1*1*12.5*EA*4.255*PE*UP*012345678905"
        lines[12] = "PO1*2*3*EA*1*PE*BP*B-999*CB*X"
        let reading = InboundInterchange.read(DocumentFixtures.interchange(lines))
        let set = try #require(reading.groups.first?.sets.first)
        guard case .purchaseOrder(let order) = try #require(set.document) else { return }
        do {
            _ = try order.orderRequest(for: DocumentFixtures.partner, from: set.set) { _ in nil }
            Issue.record("mapped")
        } catch {
            #expect(error.errors.map(\.code) == ["invalid_quantity", "price_precision", "unknown_item", "unknown_item", "unknown_item"])
            #expect(error.errors.map(\.setPosition) == [12, 12, 12, 14, 15])
            #expect(error.errors.map(\.interchangePosition) == [14, 14, 14, 16, 17])
            #expect(error.errors.map(\.elementPosition) == [2, 4, 7, 7, 7])
            #expect(error.errors[3].message == "PO1 #2: no item ID resolves to a SKU: BP 'B-999' is unknown; CB 'X' is unknown")
            #expect(error.errors[4].message.contains("UP '099999999999' is unknown"))
        }
    }

    @Test func partnerWithoutCustomerAndBadCurrency() throws {
        var partner = DocumentFixtures.partner
        partner.customerID = nil
        var lines = body
        lines[1] = "CUR*BY*US1"
        let order = try PurchaseOrder.decode(DocumentFixtures.set("850", lines))
        #expect(throws: X12SetRejection.self) { try order.orderRequest(for: partner) { _ in "X" } }
        do {
            _ = try order.orderRequest(for: partner) { _ in "X" }
        } catch {
            #expect(error.errors.map(\.code) == ["partner_without_customer", "invalid_currency"])
        }
    }

    @Test func lineCountMustMatch() {
        var lines = body
        lines[14] = "CTT*2"
        #expect(errors(lines) == ["CTT@16.1:7"])
    }

    @Test func structureErrorsCarryTheirCodes() {
        #expect(errors(Array(body.dropFirst())) == ["BEG@2/3"])  // mandatory BEG missing before CUR
        #expect(errors(body + ["ZZZ*1"]) == ["ZZZ@17/2"])  // not part of an 850
        #expect(errors(Fixtures.inserting(body, "BEG*00*SA*X**20250314", at: 4)) == ["BEG@5/7"])  // known, out of place
        #expect(errors(Fixtures.inserting(body, "CUR*BY*USD", at: 3)) == ["CUR@4/5"])  // over its maximum use
        #expect(errors(Array(body.prefix(10)) + ["CTT*0"]) == ["PO1@12/3"])  // no PO1 loop at all
    }

    @Test func elementErrorsCarryTheirCodes() {
        #expect(errors(Fixtures.replacing(body, at: 1, with: "BEG*00*SA*PO-7781**20250231")) == ["BEG@2.5:8"])
        #expect(errors(Fixtures.replacing(body, at: 1, with: "BEG*00**PO-7781**20250314")) == ["BEG@2.2:1"])
        #expect(errors(Fixtures.replacing(body, at: 1, with: "BEG*000*SA*PO-7781**20250314")) == ["BEG@2.1:5"])
        #expect(errors(Fixtures.replacing(body, at: 11, with: "PO1*1*12*E*4.25*PE*UP*012345678905*VN*WID-100")) == ["PO1@12.3:4"])
        #expect(errors(Fixtures.replacing(body, at: 11, with: "PO1*1*1X*EA*4.25")) == ["PO1@12.2:6"])
        #expect(errors(Fixtures.replacing(body, at: 11, with: "PO1*1**EA*4.25")) == ["PO1@12.2:2"])  // C0302
        #expect(errors(Fixtures.replacing(body, at: 6, with: "DTM*010")) == ["DTM@7.2:2"])  // R020305
        #expect(errors(Fixtures.replacing(body, at: 6, with: "DTM*010*20250318*2561")) == ["DTM@7.3:9"])
        #expect(errors(Fixtures.replacing(body, at: 7, with: "N1*ST")) == ["N1@8.2:2"])  // R0203
        #expect(errors(Fixtures.replacing(body, at: 3, with: "REF*DP*042*X*Y*Z")) == ["REF@4.5:3"])
        let pairs = errors(Fixtures.replacing(body, at: 11, with: "PO1*1*12*EA*4.25*PE*UP**VN*WID-100*BP"))
        #expect(pairs == ["PO1@12.7:2", "PO1@12.11:2"])
    }

    @Test func writingAndReadingBackIsLossless() throws {
        let order = try PurchaseOrder.decode(DocumentFixtures.set("850", body))
        let set = order.transactionSet()
        #expect(try PurchaseOrder.decode(set) == order)
        let text = try X12Serializer().serialize(Self.wrap(set, functionalID: "PO"))
        let parsed = try #require(try X12Parser.parse(text).transactionSets.first)
        #expect(try PurchaseOrder.decode(parsed) == order)
    }

    static func wrap(_ set: X12TransactionSet, functionalID: String, version: String = "004010") -> X12Interchange {
        X12Interchange(
            header: X12InterchangeHeader(
                senderQualifier: "ZZ",
                senderID: "CROSSDOCK",
                receiverQualifier: "ZZ",
                receiverID: "ACMERETAIL",
                date: "250314",
                time: "0930",
                version: version >= "005010" ? "00501" : "00401",
                controlNumber: 7
            ),
            groups: [
                X12FunctionalGroup(
                    functionalIdentifierCode: functionalID,
                    applicationSenderCode: "CROSSDOCK",
                    applicationReceiverCode: "ACMERETAIL",
                    date: "20250314",
                    time: "0930",
                    controlNumber: 7,
                    version: version,
                    transactionSets: [set]
                )
            ]
        )
    }
}

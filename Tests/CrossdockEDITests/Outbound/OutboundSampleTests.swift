import CrossdockDomain
import CrossdockEDI
import Foundation
import Testing

private let samplesPresent = FileManager.default.fileExists(atPath: Fixtures.samplesDirectory)

private func sets(_ file: String) throws -> [X12TransactionSet] {
    let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.samplesDirectory + "/" + file))
    return try X12Parser.parse(String(decoding: data, as: UTF8.self)).transactionSets
}

/// The shared 856/810/940 samples read with the outbound decoders. Samples whose envelope is broken (ISA not padded,
/// BOM, GE01 or control-number mismatches, unterminated IEA) are rejected by `X12Parser` before any decoding; SampleTests
/// pins those outcomes. The rest decode with the values asserted here.
@Suite(
    "Outbound decoders on shared samples",
    .enabled(if: samplesPresent, "shared/samples/x12 is absent (looked in \(Fixtures.samplesDirectory)); skipped")
)
struct OutboundSampleTests {
    @Test func crossdock856() throws {
        let notice = try ShipNotice(transactionSet: try #require(try sets("856-ediengine-crossdock-004010.edi").first))
        #expect(notice.shipmentID == "000009" && notice.date == "2009-09-21" && notice.time == "08:01" && notice.structureCode == "0001")
        #expect(notice.packagingCode == "CTN" && notice.ladingQuantity == 5 && notice.weight == 24 && notice.weightUnit == "LB")
        #expect(notice.carrierSCAC == "OVNT" && notice.routing == "OVERNITE")
        #expect(notice.references.map(\.qualifier) == ["BM", "CN", "SE"])
        #expect(notice.dates.map(\.qualifier) == ["011", "017"])
        #expect(notice.parties.map(\.role) == ["SF", "ST"] && notice.parties[0].city == "CITY" && notice.parties[0].postalCode == "90210")
        #expect(notice.orders.map(\.purchaseOrderNumber) == ["POREF00", "POREF01"])
        #expect(notice.orders.map { $0.packages.count } == [4, 1])
        #expect(notice.orders[0].parties.first?.id == "002")
        let first = try #require(notice.orders.first?.packages.first)
        #expect(first.weight == 6 && first.weightUnit == "LB")
        #expect(first.items.first?.id("UP") == "0000000000642" && first.items.first?.quantityShipped == 12)
        #expect(notice.orders[0].packages[1].items.first?.id("EN") == "0000000000831")
        // Decided outcome: the sample's MAN*GM values fail the GS1 check digit (…2360 should end in 3), so the raw mark
        // is kept and `sscc` is nil.
        #expect(first.marks == [ShipNotice.Mark("GM", "00000715670002152360")])
        #expect(first.sscc == nil)
        #expect(notice.hierarchyCount == 13)
    }

    @Test func node856WithoutPackLevel() throws {
        let notice = try ShipNotice(transactionSet: try #require(try sets("856-nodex12-004060.edi").first))
        #expect(notice.purpose == "14" && notice.time == "14:24:28" && notice.structureCode == "0002")
        // REF02 999999-001 contains the ISA11 repetition separator '-'; simple elements are read raw, so it survives.
        #expect(notice.references.first == Reference(qualifier: "BM", value: "999999-001"))
        #expect(notice.orders.first?.purchaseOrderNumber == "99999817" && notice.orders.first?.purchaseOrderDate == "2011-12-05")
        let items = try #require(notice.orders.first?.items)
        #expect(items.map(\.lineNumber) == ["1", "2"])
        #expect(items.map { $0.id("VP") } == ["87787D", "99887D"] && items.map(\.quantityShipped) == [24, 6])
        #expect(items.map(\.description) == ["BLUE WIDGET", "RED WIDGET"])
    }

    @Test func staedi810TwoInvoices() throws {
        let invoices = try sets("810-staedi-buysnacks-004010.edi").map { try InvoiceDocument(transactionSet: $0) }
        #expect(invoices.map(\.invoiceDate) == ["1997-12-11", "1997-12-15"])
        #expect(invoices.map(\.purchaseOrderNumber) == ["A99999-01", "A99999-04"])
        #expect(invoices.map { $0.lines.count } == [7, 2])
        #expect(invoices[0].totalCents == 255_438)
        let sum = invoices[0].lines.reduce(Decimal(0)) { $0 + $1.quantity * ($1.unitPrice ?? 0) }
        #expect(sum * 100 == Decimal(invoices[0].totalCents))  // 207 cases × 12.34 = 2554.38
        #expect(invoices[0].parties.map(\.role) == ["ST", "BT", "RE"])
        #expect(invoices[0].terms.first?.discountPercent == 1 && invoices[0].terms.first?.netDays == 16)
        #expect(invoices[0].terms.first?.description == "1/15 NET 30")
        #expect(invoices[0].lines.first?.id("UA") == "002840022222" && invoices[0].lines.first?.description == "CRUNCHY CHIPS LSS")
        #expect(invoices[0].carrier?.routing == "FREEFORM" && invoices[0].lineCount == 7)
        // The second invoice's TDS repeats the first's total although its lines sum to 1851.00: kept as sent.
        #expect(invoices[1].totalCents == 255_438)
    }

    @Test func edi2xml810In005010() throws {
        let invoice = try InvoiceDocument(transactionSet: try #require(try sets("810-x12types-edi2xml-005010.edi").first))
        #expect(invoice.invoiceNumber == "I-0042537" && invoice.invoiceDate == "2018-11-22" && invoice.purchaseOrderNumber == nil)
        #expect(invoice.lines.map(\.quantity) == [2, 2, 3, 3, 1])
        #expect(
            invoice.lines.map(\.unitPrice) == [
                Decimal(string: "5.45"), Decimal(string: "5.45"), Decimal(string: "4.85"), Decimal(string: "5.15"), Decimal(string: "5.9"),
            ]
        )
        #expect(invoice.totalCents == 5770)
        #expect(invoice.carrier?.transportationMethod == "A" && invoice.carrier?.scac == "FDEG" && invoice.carrier?.routing == nil)
        #expect(invoice.dates == [DateReference(qualifier: "011", date: "2019-01-20")])
        // Decided: IT101 is empty here, so the lines cannot map back to order lines.
        #expect(throws: OutboundMappingError.self) { try invoice.invoiceLines() }
    }

    @Test func dualGroup810sDecode() throws {
        let all = try sets("810-850-staedi-dual-group-004010.edi")
        #expect(try all.filter { $0.id == "810" }.map { try InvoiceDocument(transactionSet: $0).invoiceNumber } == ["00001", "00001"])
        #expect(throws: OutboundMappingError.self) { try InvoiceDocument(transactionSet: all[2]) }  // the 850
    }

    @Test func generalMills940() throws {
        let order = try WarehouseShippingOrder(transactionSet: try #require(try sets("940-x12types-generalmills-004010.edi").first))
        #expect(order.depositorOrderNumber == "18061923" && order.purchaseOrderNumber == "Test Order 1")
        #expect(order.parties.map(\.role) == ["SF", "ST", "DE"] && order.parties[1].addressLines == ["2121 BOEING WAY", "STOCKTON WHSE 989"])
        #expect(order.dates.map(\.date) == ["2011-12-12", "2011-12-12"])
        #expect(order.carrier?.paymentMethod == "PB" && order.carrier?.transportationMethod == "H")
        #expect(order.lines.map(\.quantity) == [750, 170] && order.lines.map { $0.id("VN") } == ["0638746000", "0143872000"])
        #expect(order.lines.first?.upcCaseCode == "072534238746" && order.lines.first?.id("UK") == "10725342387462")
        #expect(order.totalQuantity == 920 && order.totalWeight == 42670 && order.weightUnit == "LB")
    }

    @Test func babelway940() throws {
        // bots rejects N402 "020"/"010" (longer than 2); the decoder reads elements as sent, so the values come through.
        let order = try WarehouseShippingOrder(transactionSet: try #require(try sets("940-x12types-babelway-004010.edi").first))
        #expect(order.depositorOrderNumber == "0080215659" && order.purchaseOrderNumber == "4000207344")
        #expect(order.parties.first?.state == "020")
        #expect(order.references.map(\.qualifier) == ["KK", "ZZ", "ZC"])
        #expect(order.lines.count == 1 && order.lines[0].quantity == 2 && order.lines[0].unit == "PC")
        #expect(order.lines[0].description == "ET1929LM-7BOO-1-WH-G" && order.lines[0].references.count == 6)
        #expect(order.fulfillmentLines == [FulfillmentOrder.Line(lineNo: 10, sku: "E000169", quantity: 2)])
    }

    @Test(arguments: [
        "940-ediengine-004010.edi", "940-x12types-1edisource-004010.edi", "856-x12types-walmart-style-004010.edi", "856-x12types-sopi-004010.edi",
    ])
    func brokenEnvelopesAreRejectedBeforeDecoding(_ file: String) throws {
        #expect(throws: X12Error.self) { try sets(file) }
    }
}

@Suite("SSCC")
struct SSCCTests {
    @Test func gs1PublishedExample() throws {
        // GS1 General Specifications example: (00) 1 0614141 123456789 7.
        let sscc = try SSCC(extensionDigit: 1, companyPrefix: "0614141", serialReference: "123456789")
        #expect(sscc.digits == "106141411234567897")
        #expect(sscc.withApplicationIdentifier == "00106141411234567897")
        #expect(try SSCC("(00)106141411234567897") == sscc)
        #expect(try SSCC("00106141411234567897") == sscc)
        #expect(SSCC.checkDigit(of: "00614141123456789") == 0)
    }

    @Test func rejectsWrongCheckDigitsAndShapes() {
        #expect(throws: OutboundMappingError.self) { try SSCC("106141411234567890") }
        #expect(throws: OutboundMappingError.self) { try SSCC("00000715670002152360") }  // the crossdock sample's mark
        #expect(throws: OutboundMappingError.self) { try SSCC("12345") }
        #expect(throws: OutboundMappingError.self) { try SSCC(extensionDigit: 0, companyPrefix: "0614141", serialReference: "1234567890") }
    }

    @Test func everySingleDigitErrorIsCaught() throws {
        let sscc = try SSCC(extensionDigit: 3, companyPrefix: "0614141", serialReference: "42")
        for index in 0..<18 {
            var digits = Array(sscc.digits)
            digits[index] = Character(String((Int(String(digits[index]))! + 1) % 10))
            #expect(throws: OutboundMappingError.self) { try SSCC(String(digits)) }
        }
    }

    @Test func codableAsTheDigits() throws {
        let sscc = try SSCC(extensionDigit: 1, companyPrefix: "0614141", serialReference: "123456789")
        let json = try JSONEncoder().encode([sscc])
        #expect(String(decoding: json, as: UTF8.self) == #"["106141411234567897"]"#)
        #expect(try JSONDecoder().decode([SSCC].self, from: json) == [sscc])
    }
}

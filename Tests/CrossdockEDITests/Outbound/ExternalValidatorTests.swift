import CrossdockDomain
import CrossdockEDI
import CrossdockTestSupport
import Foundation
import Testing

/// One outbound document shape, serialized for one partner profile.
struct OutboundShape: CustomTestStringConvertible, Sendable {
    var name: String
    var functionalID: String
    var partner: TradingPartner
    var build: @Sendable () throws -> X12TransactionSet

    var testDescription: String { name }
}

private func partner(_ version: String = "004010", delimiters: (String, String, String, String)? = nil, newline: Bool = false) -> TradingPartner {
    var partner = OutboundFixtures.partner
    partner.version = version
    if let (element, component, repetition, terminator) = delimiters {
        (partner.elementSeparator, partner.componentSeparator, partner.repetitionSeparator, partner.segmentTerminator) = (
            element, component, repetition, terminator
        )
    }
    partner.newlineAfterSegment = newline
    return partner
}

private func notice(packages: Int, carrier: String = "UPSN") -> @Sendable () throws -> X12TransactionSet {
    {
        try ShipNotice(
            shipment: OutboundFixtures.shipment(carrier: carrier, packages: packages),
            order: OutboundFixtures.order(),
            products: OutboundFixtures.products,
            warehouse: OutboundFixtures.warehouse,
            shipFrom: OutboundFixtures.warehouseAddress,
            ssccs: OutboundFixtures.ssccs(packages),
            billOfLading: "BOL-55"
        ).transactionSet()
    }
}

private func invoice(_ currency: Currency = .usd) -> @Sendable () throws -> X12TransactionSet {
    {
        try InvoiceDocument(
            invoice: OutboundFixtures.invoice(currency: currency),
            order: OutboundFixtures.order(currency: currency),
            customer: OutboundFixtures.customer(),
            products: OutboundFixtures.products,
            remitTo: OutboundFixtures.warehouseAddress,
            shipment: OutboundFixtures.shipment()
        ).transactionSet()
    }
}

private func shippingOrder(carrier: String? = "UPSN") -> @Sendable () throws -> X12TransactionSet {
    {
        WarehouseShippingOrder(
            fulfillmentOrder: OutboundFixtures.fulfillmentOrder(),
            order: OutboundFixtures.order(),
            products: OutboundFixtures.products,
            warehouse: OutboundFixtures.warehouse,
            warehouseAddress: OutboundFixtures.warehouseAddress,
            billTo: OutboundFixtures.customer().billTo,
            carrier: carrier,
            service: "GROUND"
        ).transactionSet()
    }
}

private let shapes: [OutboundShape] = [
    .init(name: "856 two packages, partial line", functionalID: "SH", partner: partner(), build: notice(packages: 2)),
    .init(name: "856 one package", functionalID: "SH", partner: partner(), build: notice(packages: 1)),
    .init(name: "856 five packages, carrier name", functionalID: "SH", partner: partner(), build: notice(packages: 5, carrier: "Acme Freight")),
    .init(name: "856 005010 partner", functionalID: "SH", partner: partner("005010"), build: notice(packages: 2)),
    .init(
        name: "856 odd delimiters | : ! newline",
        functionalID: "SH",
        partner: partner(delimiters: ("|", ":", "^", "!"), newline: true),
        build: notice(packages: 3)
    ),
    .init(name: "810 USD with tax", functionalID: "IN", partner: partner(), build: invoice()),
    .init(name: "810 EUR (CUR)", functionalID: "IN", partner: partner(), build: invoice(Currency("EUR")!)),
    .init(name: "810 005010 partner, newline", functionalID: "IN", partner: partner("005010", newline: true), build: invoice()),
    .init(name: "810 odd delimiters", functionalID: "IN", partner: partner(delimiters: ("+", "<", "^", "'")), build: invoice(Currency("JPY")!)),
    .init(name: "940 with carrier", functionalID: "OW", partner: partner(), build: shippingOrder()),
    .init(name: "940 without carrier, 005010", functionalID: "OW", partner: partner("005010"), build: shippingOrder(carrier: nil)),
    .init(
        name: "940 odd delimiters, newline",
        functionalID: "OW",
        partner: partner(delimiters: ("|", ":", "^", "~"), newline: true),
        build: shippingOrder(carrier: "Acme Freight")
    ),
]

/// A sample and the verdicts VALIDATORS.md's table gives it.
struct SampleVerdict: CustomTestStringConvertible, Sendable {
    var file: String
    var tool: ExternalValidators.Tool
    var valid: Bool
    var codes: [String]

    var testDescription: String { "\(file) \(tool.rawValue)" }
}

private let sampleVerdicts: [SampleVerdict] = [
    .init(file: "856-ediengine-crossdock-004010.edi", tool: .bots, valid: true, codes: []),
    .init(file: "856-x12types-walmart-style-004010.edi", tool: .bots, valid: false, codes: ["F07", "E17"]),
    .init(file: "856-x12types-walmart-style-004010.edi", tool: .ansiX12, valid: false, codes: ["X12EnvelopeError"]),
    .init(file: "940-x12types-babelway-004010.edi", tool: .bots, valid: false, codes: ["F05", "F05", "F05"]),
    .init(file: "940-x12types-generalmills-004010.edi", tool: .botsNormalised, valid: true, codes: []),
    .init(file: "940-ediengine-004010.edi", tool: .ansiX12, valid: false, codes: ["X12TokenizerError"]),
    .init(file: "810-x12types-edi2xml-005010.edi", tool: .bots, valid: true, codes: []),
    .init(file: "997-staedi-005010.edi", tool: .pyx12, valid: true, codes: []),
]

@Suite("External X12 validators", .enabled(if: ExternalValidators.shouldRun, ExternalValidators.skipMessage))
struct ExternalValidatorTests {
    @Test(arguments: shapes)
    func outboundDocumentPassesBotsAndAnsiX12(_ shape: OutboundShape) async throws {
        guard ExternalValidators.requireOrSkip() else { return }
        let text = try await OutboundFixtures.text([try shape.build()], functionalID: shape.functionalID, partner: shape.partner)
        for tool in [ExternalValidators.Tool.bots, .ansiX12] {
            let verdict = try ExternalValidators.run(tool, text: text)
            #expect(verdict.valid, "\(shape.name) \(tool.rawValue): \(verdict.errors.map(\.message))")
        }
    }

    @Test(arguments: sampleVerdicts)
    func sampleVerdictIsReproduced(_ sample: SampleVerdict) throws {
        guard ExternalValidators.requireOrSkip() else { return }
        let path = Fixtures.samplesDirectory + "/" + sample.file
        try #require(FileManager.default.fileExists(atPath: path), "sample \(path) is absent")
        let verdict = try ExternalValidators.run(sample.tool, file: path)
        #expect(verdict.valid == sample.valid, "\(verdict.errors.map(\.message))")
        #expect(verdict.errors.map(\.code) == sample.codes)
    }

    @Test func aBrokenOutboundDocumentIsCaught() async throws {
        guard ExternalValidators.requireOrSkip() else { return }
        let text = try await OutboundFixtures.text([try notice(packages: 1)()], functionalID: "SH", partner: partner())
        let broken = text.replacingOccurrences(of: "SE*", with: "SE*9")  // SE01 now counts wrong
        #expect(try ExternalValidators.run(.bots, text: broken).valid == false)
        let noBSN = text.replacingOccurrences(of: "BSN*", with: "XXX*")
        #expect(try ExternalValidators.run(.bots, text: noBSN).valid == false)
    }
}

import CrossdockDomain
import CrossdockEDI
import Foundation
import PropertyBased
import Testing

/// canonical → X12 text → values → canonical, for random shipments, invoices and fulfilment orders.
@Suite("Outbound round trips")
struct OutboundRoundTripTests {
    private static let carriers = ["UPSN", "FDEG", "Acme Freight", "usps"]

    private static func parse(_ set: X12TransactionSet, _ id: String, partner: TradingPartner) async throws -> X12TransactionSet {
        let text = try await OutboundFixtures.text([set], functionalID: id, partner: partner)
        return try #require(try X12Parser.parse(text).transactionSets.first)
    }

    private static func partner(_ rng: inout SplitMix64) -> TradingPartner {
        var partner = OutboundFixtures.partner
        if Bool.random(using: &rng) { partner.version = "005010" }
        if Bool.random(using: &rng) { (partner.elementSeparator, partner.componentSeparator, partner.segmentTerminator) = ("|", ":", "!") }
        partner.newlineAfterSegment = Bool.random(using: &rng)
        return partner
    }

    @Test func shipNoticeRoundTrips() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let count = Int.random(in: 1...4, using: &rng)
            var shipment = OutboundFixtures.shipment(carrier: Self.carriers.randomElement(using: &rng)!, packages: 1)
            shipment.shippedAt = Date(timeIntervalSince1970: TimeInterval(Int.random(in: 1_600_000_000...1_900_000_000, using: &rng)))
            shipment.service = Bool.random(using: &rng) ? nil : "2DAY"
            shipment.packages = (0..<count).map { n in
                Shipment.Package(
                    trackingNumber: "TRK\(n)\(Int.random(in: 1000...99999, using: &rng))",
                    weightGrams: Bool.random(using: &rng) ? Int.random(in: 1...90_000, using: &rng) : nil,
                    contents: (1...3).shuffled(using: &rng).prefix(Int.random(in: 1...3, using: &rng)).map {
                        .init(lineNo: $0, quantity: Int.random(in: 1...12, using: &rng))
                    }
                )
            }
            let notice = try ShipNotice(
                shipment: shipment,
                order: OutboundFixtures.order(),
                products: OutboundFixtures.products,
                warehouse: OutboundFixtures.warehouse,
                shipFrom: OutboundFixtures.warehouseAddress,
                ssccs: OutboundFixtures.ssccs(count)
            )
            let partner = Self.partner(&rng)
            var decoded = try ShipNotice(transactionSet: try await Self.parse(notice.transactionSet(), "SH", partner: partner))
            #expect(decoded.hierarchyCount == 2 + count + shipment.packages.reduce(0) { $0 + $1.contents.count })
            decoded.hierarchyCount = nil
            #expect(decoded == notice)
            #expect(decoded.shipmentPackages == shipment.packages)
            #expect(decoded.shippedAt == shipment.shippedAt)
            #expect(decoded.orders.flatMap(\.packages).compactMap(\.sscc) == OutboundFixtures.ssccs(count))
        }
    }

    @Test func invoiceRoundTripsToTheCent() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let currency = [Currency.usd, Currency("EUR")!, Currency("JPY")!].randomElement(using: &rng)!
            var invoice = OutboundFixtures.invoice(currency: currency)
            invoice.lines = (1...Int.random(in: 1...6, using: &rng)).map { n in
                let price = Money(Int64.random(in: 1...2_000_000, using: &rng), currency)
                let qty = Int.random(in: 1...500, using: &rng)
                let ppm = [Int64(0), 88_750, 70_000, 200_000].randomElement(using: &rng)!
                let extended = price * qty
                return Invoice.Line(
                    lineNo: n,
                    sku: ["WID-100", "GAD-220", "SPR-7"][n % 3],
                    quantity: qty,
                    unitPrice: price,
                    extended: extended,
                    taxRatePPM: ppm,
                    tax: Money(extended.minorUnits.scaled(by: ppm, over: 1_000_000), currency)
                )
            }
            invoice.subtotal = invoice.lines.reduce(.zero(currency)) { $0 + $1.extended }
            invoice.tax = invoice.lines.reduce(.zero(currency)) { $0 + $1.tax }
            invoice.total = invoice.subtotal + invoice.tax
            let document = try InvoiceDocument(
                invoice: invoice,
                order: OutboundFixtures.order(currency: currency),
                customer: OutboundFixtures.customer(),
                products: OutboundFixtures.products,
                remitTo: OutboundFixtures.warehouseAddress,
                shipment: Bool.random(using: &rng) ? OutboundFixtures.shipment() : nil
            )
            var decoded = try InvoiceDocument(transactionSet: try await Self.parse(document.transactionSet(), "IN", partner: Self.partner(&rng)))
            #expect(decoded.lineCount == invoice.lines.count)
            decoded.lineCount = nil
            #expect(decoded == document)
            #expect(try decoded.invoiceLines() == invoice.lines)
            // TDS01 is N2: cents for USD/EUR, yen × 100 for JPY.
            #expect(decoded.totalCents == (currency.code == "JPY" ? invoice.total.minorUnits * 100 : invoice.total.minorUnits))
        }
    }

    @Test func warehouseShippingOrderRoundTrips() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            var fulfillment = OutboundFixtures.fulfillmentOrder()
            fulfillment.lines = (1...Int.random(in: 1...5, using: &rng)).map {
                .init(lineNo: $0 * 10, sku: ["WID-100", "GAD-220", "SPR-7", "NEW-1"][$0 % 4], quantity: Int.random(in: 1...999, using: &rng))
            }
            fulfillment.requestedDate = Bool.random(using: &rng) ? "2025-12-0\(Int.random(in: 1...9, using: &rng))" : nil
            let document = WarehouseShippingOrder(
                fulfillmentOrder: fulfillment,
                order: OutboundFixtures.order(),
                products: OutboundFixtures.products,
                warehouse: OutboundFixtures.warehouse,
                warehouseAddress: Bool.random(using: &rng) ? OutboundFixtures.warehouseAddress : nil,
                billTo: Bool.random(using: &rng) ? OutboundFixtures.customer().billTo : nil,
                carrier: [nil, "UPSN", "Acme Freight"].randomElement(using: &rng)!,
                service: "GROUND"
            )
            let decoded = try WarehouseShippingOrder(
                transactionSet: try await Self.parse(document.transactionSet(), "OW", partner: Self.partner(&rng))
            )
            #expect(decoded == document)
            #expect(decoded.fulfillmentLines == fulfillment.lines)
        }
    }
}

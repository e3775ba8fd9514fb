import CrossdockDomain
import Foundation
import Testing

@Suite("Invoicing")
struct InvoicingTests {
    typealias F = BillingFixture

    @Test(arguments: [
        // unit price, quantity, rate ppm, expected tax: extended × rate / 1 000 000, half away from zero
        (Int64(1_000), 1, Int64(88_750), Int64(89)),  // 88.75
        (1_000, 2, 88_750, 178),  // 177.5
        (400, 1, 88_750, 36),  // 35.5 exactly: rounds up
        (600, 2, 88_750, 107),  // 1 200 → 106.5 exactly: rounds up
        (1_999, 1, 88_750, 177),  // 177.41
        (200, 1, 88_750, 18),  // 17.75
        (1_000, 1, 72_500, 73),  // 72.5
        (10, 1, 50_000, 1),  // 0.5
        (29, 1, 50_000, 1),  // 1.45
        (15, 2, 50_000, 2),  // 1.5
        (1, 1, 72_500, 0),  // 0.0725
        (12_345, 3, 0, 0),  // tax-exempt
    ])
    func taxIsPerLineHalfAwayFromZero(unitPrice: Int64, quantity: Int, rate: Int64, expected: Int64) throws {
        let invoice = try F.invoice("I1", lines: [(1, quantity, unitPrice)], rate: rate)
        let line = try #require(invoice.lines.first)
        #expect(line.extended == F.money(unitPrice * Int64(quantity)))
        #expect(line.taxRatePPM == rate)
        #expect(line.tax == F.money(expected))
        #expect(invoice.tax == F.money(expected))
        #expect(invoice.total == F.money(unitPrice * Int64(quantity) + expected))
    }

    @Test func multiLineTotalsAreSumsOfRoundedLines() throws {
        // Per-line rounding: 35.5 → 36 and 106.5 → 107 give 143; rounding the 1 600 subtotal once would give 142.
        let invoice = try F.invoice("I1", lines: [(2, 2, 600), (1, 1, 400), (3, 5, 0)])
        #expect(invoice.lines.map(\.lineNo) == [1, 2, 3])
        #expect(invoice.lines.map(\.tax.minorUnits) == [36, 107, 0])
        #expect(invoice.subtotal == F.money(1_600))
        #expect(invoice.tax == F.money(143))
        #expect(invoice.total == F.money(1_743))
        #expect(invoice.status == .posted)
        #expect(invoice.quantitiesByLine == [1: 1, 2: 2, 3: 5])
    }

    @Test func taxExemptInvoiceHasNoTax() throws {
        let invoice = try F.invoice("I1", lines: [(1, 3, 1_250), (2, 1, 999)], rate: 0)
        #expect(invoice.tax == F.money(0))
        #expect(invoice.total == invoice.subtotal)
        #expect(invoice.subtotal == F.money(4_749))
    }

    @Test func headerFieldsAndDueDate() throws {
        let invoice = try F.invoice("I1", lines: [(1, 1, 100)])
        #expect(invoice.number == "INV-I1")
        #expect(invoice.orderID == "O-1")
        #expect(invoice.shipmentID == "S-I1")
        #expect(invoice.customerPO == "PO-9")
        #expect(invoice.dueDate == "2026-04-01")  // 2 March + 30 days
    }

    @Test(arguments: [
        ("2026-01-30T23:59:59.000Z", 30, "2026-03-01"),
        ("2028-02-28T00:00:00.000Z", 1, "2028-02-29"),  // leap year
        ("2026-12-31T12:00:00.000Z", 1, "2027-01-01"),
        ("2026-05-05T00:00:00.000Z", 0, "2026-05-05"),
        ("1969-12-31T12:00:00.000Z", 0, "1969-12-31"),  // before the epoch rounds down to the UTC day
    ])
    func dueDateIsTheUTCIssueDatePlusNetDays(issued: String, netDays: Int, expected: String) throws {
        let date = try #require(JSONCoding.parse(issued))
        #expect(Invoicing.dueDate(issuedAt: date, netDays: netDays) == expected)
    }

    @Test func dueDateAgreesWithTheGregorianCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        var rng = BillingRNG(seed: 7)
        for _ in 0..<500 {
            let issued = Date(timeIntervalSince1970: Double(Int64.random(in: 0...4_000_000_000, using: &rng)))
            let days = Int.random(in: 0...400, using: &rng)
            let expected = formatter.string(from: try #require(calendar.date(byAdding: .day, value: days, to: issued)))
            #expect(Invoicing.dueDate(issuedAt: issued, netDays: days) == expected)
        }
    }

    @Test func rejectsEmptyAndZeroQuantitiesPrecisely() {
        let empty = F.billingError { try F.invoice("I1", lines: []) }
        #expect(empty?.code == "invalid_invoice")
        #expect(empty?.errors == [.init(field: "items", reason: "must contain at least one shipped line")])

        let zero = F.billingError { try F.invoice("I1", lines: [(1, 2, 100), (2, 0, 100), (3, -1, 100)]) }
        #expect(zero?.code == "invalid_invoice")
        #expect(
            zero?.errors == [
                .init(field: "items[1].quantity", reason: "must be positive, got 0"),
                .init(field: "items[2].quantity", reason: "must be positive, got -1"),
            ]
        )
    }

    @Test func rejectsDuplicatesNegativesAndForeignCurrency() throws {
        let eur = try #require(Currency("EUR"))
        let error = F.billingError {
            try Invoicing.invoice(
                id: "I1",
                number: "",
                orderID: "O-1",
                shipmentID: "S-1",
                customerID: "C-1",
                currency: .usd,
                items: [
                    .init(lineNo: 1, sku: "A", quantity: 1, unitPrice: F.money(100), taxRatePPM: 0),
                    .init(lineNo: 1, sku: "A", quantity: 1, unitPrice: F.money(100), taxRatePPM: 0),
                    .init(lineNo: 2, sku: "B", quantity: 1, unitPrice: Money(100, eur), taxRatePPM: -5),
                    .init(lineNo: 3, sku: "C", quantity: 1, unitPrice: F.money(-1), taxRatePPM: 0),
                ],
                issuedAt: F.issuedAt,
                netDays: -1
            )
        }
        #expect(
            error?.errors == [
                .init(field: "number", reason: "must not be empty"),
                .init(field: "netDays", reason: "must not be negative, got -1"),
                .init(field: "items[1].lineNo", reason: "duplicates items[0] (line 1)"),
                .init(field: "items[2].unitPrice.currency", reason: "EUR differs from the invoice currency USD"),
                .init(field: "items[2].taxRatePPM", reason: "must not be negative, got -5"),
                .init(field: "items[3].unitPrice", reason: "must not be negative, got -1"),
            ]
        )
    }

    @Test func invoicesAShipmentAtTheOrderPrices() throws {
        var order = SalesOrder.billingSample()
        order.lines[1].unitPrice = F.money(250)
        let shipment = Shipment(
            id: "S-7",
            fulfillmentOrderID: "FO-1",
            orderID: order.id,
            warehouseID: "W1",
            carrier: "UPS",
            service: nil,
            packages: [
                .init(trackingNumber: "1Z1", contents: [.init(lineNo: 2, quantity: 1), .init(lineNo: 1, quantity: 2)]),
                .init(trackingNumber: "1Z2", contents: [.init(lineNo: 2, quantity: 2)]),
            ],
            shippedAt: F.issuedAt
        )
        let invoice = try Invoicing.invoice(
            id: "I7",
            number: "INV-000007",
            order: order,
            shipment: shipment,
            taxRatePPM: F.nyc,
            issuedAt: F.issuedAt,
            netDays: 15
        )
        #expect(invoice.shipmentID == "S-7")
        #expect(invoice.customerID == order.customerID)
        #expect(invoice.lines.map(\.quantity) == [2, 3])
        #expect(invoice.lines.map(\.unitPrice.minorUnits) == [1_000, 250])
        #expect(invoice.lines.map(\.tax.minorUnits) == [178, 67])  // 177.5 → 178; 750 × 0.08875 = 66.5625 → 67
        #expect(invoice.dueDate == "2026-03-17")

        var foreign = shipment
        foreign.orderID = "O-other"
        foreign.packages[0].contents.append(.init(lineNo: 9, quantity: 1))
        let error = F.billingError {
            try Invoicing.invoice(
                id: "I8",
                number: "INV-8",
                order: order,
                shipment: foreign,
                taxRatePPM: 0,
                issuedAt: F.issuedAt,
                netDays: 0
            )
        }
        #expect(
            error?.errors == [
                .init(field: "shipment.orderId", reason: "O-other is not order \(order.id)"),
                .init(field: "shipment.lines.9", reason: "order \(order.id) has no line 9"),
            ]
        )
    }

    @Test func encodesCamelCaseKeysAndRoundTrips() throws {
        let invoice = try F.invoice("I1", lines: [(1, 2, 1_000)])
        let data = try JSONCoding.encoder().encode(invoice)
        let text = String(decoding: data, as: UTF8.self)
        for key in ["\"orderId\"", "\"shipmentId\"", "\"customerId\"", "\"customerPo\"", "\"dueDate\"", "\"taxRatePPM\"", "\"status\":\"posted\""] {
            #expect(text.contains(key), "missing \(key)")
        }
        #expect(try JSONCoding.decoder().decode(Invoice.self, from: data) == invoice)
    }
}

extension SalesOrder {
    /// Order `O-1` of `C-1` with line 1 (SKU-1 × 5 at 10.00) and line 2 (SKU-2 × 4 at 2.00).
    static func billingSample() -> SalesOrder {
        let price1 = BillingFixture.money(1_000)
        let price2 = BillingFixture.money(200)
        return SalesOrder(
            id: "O-1",
            channel: "b2b",
            externalID: "EXT-1",
            customerID: "C-1",
            customerPO: "PO-9",
            shipTo: ShipTo(
                code: "NY",
                address: Address(name: "Acme", lines: ["1 Main St"], city: "New York", region: "NY", postalCode: "10001", country: "US")
            ),
            requestedDate: nil,
            shipPolicy: .shipPartial,
            currency: .usd,
            lines: [
                OrderLine(lineNo: 1, sku: "SKU-1", quantity: 5, unitPrice: price1, priceSource: "test", tax: .zero(.usd)),
                OrderLine(lineNo: 2, sku: "SKU-2", quantity: 4, unitPrice: price2, priceSource: "test", tax: .zero(.usd)),
            ],
            receivedAt: BillingFixture.issuedAt
        )
    }
}

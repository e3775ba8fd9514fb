import CrossdockDomain
import CrossdockEDI
import Foundation

/// Canonical values for the outbound tests: an order of three lines, a two-package shipment, its invoice and the
/// fulfilment order. Written for these tests.
enum OutboundFixtures {
    static let shippedAt = Date(timeIntervalSince1970: 1_742_047_512)  // 2025-03-15 14:05:12 UTC
    static let receivedAt = Date(timeIntervalSince1970: 1_741_944_600)  // 2025-03-14 09:30 UTC

    static let partner = TradingPartner(
        id: "acme-edi",
        name: "Acme Retail",
        customerID: "C-1",
        isaID: "ACMERETAIL",
        gsCode: "ACMERETAIL",
        ourISAID: "CROSSDOCK",
        ourGSCode: "CROSSDOCK"
    )

    static let shipTo = ShipTo(
        code: "0042",
        address: Address(
            name: "ACME STORE 42",
            lines: ["17 HARBOR ROAD", "DOCK 3"],
            city: "PORTLAND",
            region: "US-ME",
            postalCode: "04101",
            country: "US"
        )
    )
    static let warehouseAddress = Address(
        name: "CROSSDOCK DC WEST",
        lines: ["400 INDUSTRIAL WAY"],
        city: "RENO",
        region: "US-NV",
        postalCode: "89502",
        country: "US"
    )
    static let warehouse = Warehouse(id: "WH-RENO", name: "Reno DC", region: "US-NV", priority: 1)

    static let products: [String: Product] = [
        "WID-100": Product(sku: "WID-100", description: "WIDGET, BLUE", gtin: "012345678905"),
        "GAD-220": Product(sku: "GAD-220", description: "GADGET, RED", unitOfMeasure: "CA", gtin: "4006381333931"),
        "SPR-7": Product(sku: "SPR-7", description: "SPRING 7MM"),
    ]

    static func order(currency: Currency = .usd, taxRatePPM: Int64 = 88_750) -> SalesOrder {
        let lines = [
            OrderLine(lineNo: 1, sku: "WID-100", quantity: 12, unitPrice: Money(425, currency), priceSource: "list", tax: Money(453, currency)),
            OrderLine(lineNo: 2, sku: "GAD-220", quantity: 3, unitPrice: Money(1999, currency), priceSource: "list", tax: Money(532, currency)),
            OrderLine(lineNo: 3, sku: "SPR-7", quantity: 100, unitPrice: Money(7, currency), priceSource: "list", tax: Money(62, currency)),
        ]
        return SalesOrder(
            id: "SO-1",
            channel: "edi",
            externalID: "PO-7781",
            customerID: "C-1",
            customerPO: "PO-7781",
            shipTo: shipTo,
            requestedDate: "2025-03-21",
            shipPolicy: .shipPartial,
            currency: currency,
            lines: lines,
            taxRatePPM: taxRatePPM,
            receivedAt: receivedAt
        )
    }

    /// Two packages; line 3 ships 60 of 100 (a partial shipment).
    static func shipment(carrier: String = "UPSN", packages: Int = 2) -> Shipment {
        var list = [
            Shipment.Package(
                trackingNumber: "1Z999AA10123456784",
                weightGrams: 4250,
                contents: [.init(lineNo: 1, quantity: 12), .init(lineNo: 3, quantity: 60)]
            ),
            Shipment.Package(trackingNumber: "1Z999AA10123456795", weightGrams: 3100, contents: [.init(lineNo: 2, quantity: 3)]),
        ]
        while list.count < packages {
            list.append(
                Shipment.Package(trackingNumber: "1Z999AA1012345\(6800 + list.count)", weightGrams: nil, contents: [.init(lineNo: 3, quantity: 1)])
            )
        }
        return Shipment(
            id: "SHP-1001",
            fulfillmentOrderID: "FO-1",
            orderID: "SO-1",
            warehouseID: "WH-RENO",
            carrier: carrier,
            service: "GROUND",
            packages: Array(list.prefix(packages)),
            shippedAt: shippedAt
        )
    }

    static func ssccs(_ count: Int) -> [SSCC] {
        (0..<count).map { try! SSCC(extensionDigit: 0, companyPrefix: "0614141", serialReference: String(100 + $0)) }
    }

    static func customer() -> Customer {
        Customer(
            id: "C-1",
            name: "Acme Retail",
            creditLimit: Money(1_000_000, .usd),
            openBalance: Money(0, .usd),
            paymentTerms: .init(code: "2/10NET30", netDays: 30, discountBasisPoints: 200, discountDays: 10),
            billTo: Address(name: "ACME RETAIL AP", lines: ["PO BOX 9"], city: "BOSTON", region: "US-MA", postalCode: "02101", country: "US"),
            shipTo: [shipTo],
            priceListID: "PL-STD"
        )
    }

    static func invoice(currency: Currency = .usd) -> Invoice {
        let items: [(Int, String, Int, Int64, Int64)] = [(1, "WID-100", 12, 425, 453), (2, "GAD-220", 3, 1999, 532), (3, "SPR-7", 60, 7, 37)]
        let lines = items.map { no, sku, qty, price, tax in
            Invoice.Line(
                lineNo: no,
                sku: sku,
                quantity: qty,
                unitPrice: Money(price, currency),
                extended: Money(price * Int64(qty), currency),
                taxRatePPM: 88_750,
                tax: Money(tax, currency)
            )
        }
        let subtotal = lines.reduce(Money.zero(currency)) { $0 + $1.extended }
        let tax = lines.reduce(Money.zero(currency)) { $0 + $1.tax }
        return Invoice(
            id: "INV-ID-1",
            number: "INV-000123",
            orderID: "SO-1",
            shipmentID: "SHP-1001",
            customerID: "C-1",
            customerPO: "PO-7781",
            currency: currency,
            lines: lines,
            subtotal: subtotal,
            tax: tax,
            total: subtotal + tax,
            issuedAt: shippedAt,
            dueDate: "2025-04-14",
            status: .posted
        )
    }

    static func fulfillmentOrder() -> FulfillmentOrder {
        FulfillmentOrder(
            id: "FO-1",
            orderID: "SO-1",
            warehouseID: "WH-RENO",
            lines: [
                .init(lineNo: 1, sku: "WID-100", quantity: 12), .init(lineNo: 2, sku: "GAD-220", quantity: 3),
                .init(lineNo: 3, sku: "SPR-7", quantity: 100),
            ],
            shipTo: shipTo,
            requestedDate: "2025-03-21",
            releasedAt: receivedAt
        )
    }

    /// Serializes sets for `partner` with control numbers from a fresh in-memory source.
    static func text(_ sets: [X12TransactionSet], functionalID: String, partner: TradingPartner = partner) async throws -> String {
        let interchange = partner.interchange(functionalID: functionalID, sets: sets, at: shippedAt)
        return try await partner.serializer.serialize(interchange, assigningControlNumbersFrom: InMemoryControlNumberSource()).text
    }
}

import CrossdockDomain
import Foundation
import Testing

@Suite("Crediting")
struct CreditingTests {
    typealias F = BillingFixture

    @Test func partialCreditsSumExactlyToTheInvoiceTax() throws {
        // 3 × 3.33 = 9.99 at 8.875 % → 88.66 → tax 89 cents; cumulative credits 29.67→30, 59.33→59, 89.
        let invoice = try F.invoice("I1", lines: [(1, 3, 333)])
        #expect(invoice.tax == F.money(89))
        var memos: [CreditMemo] = []
        for _ in 0..<3 { memos.append(try F.credit([1: 1], invoices: [invoice], previous: memos)) }
        #expect(memos.map(\.tax.minorUnits) == [30, 29, 30])
        #expect(memos.map(\.subtotal.minorUnits) == [333, 333, 333])
        #expect(memos.reduce(0) { $0 + $1.tax.minorUnits } == invoice.tax.minorUnits)
        #expect(memos.reduce(0) { $0 + $1.total.minorUnits } == invoice.total.minorUnits)
    }

    @Test(arguments: [[7], [1, 6], [2, 2, 3], [1, 1, 1, 1, 1, 1, 1], [6, 1], [3, 4]])
    func anySplitOfAFullCreditReturnsTheLineTax(split: [Int]) throws {
        // 7 × 1.43 = 10.01 at 8.875 % = 88.83875 → 89.
        let invoice = try F.invoice("I1", lines: [(1, 7, 143)])
        var memos: [CreditMemo] = []
        for units in split { memos.append(try F.credit([1: units], invoices: [invoice], previous: memos)) }
        #expect(memos.reduce(0) { $0 + $1.tax.minorUnits } == 89)
        #expect(memos.reduce(0) { $0 + $1.subtotal.minorUnits } == 1_001)
        #expect(Crediting.creditable(invoices: [invoice], previousCredits: memos) == [1: 0])
    }

    @Test func cumulativeTaxFormula() {
        #expect(Crediting.taxCredited(lineTax: 89, invoicedQuantity: 3, creditedUnits: 0) == 0)
        #expect(Crediting.taxCredited(lineTax: 89, invoicedQuantity: 3, creditedUnits: 1) == 30)
        #expect(Crediting.taxCredited(lineTax: 89, invoicedQuantity: 3, creditedUnits: 2) == 59)
        #expect(Crediting.taxCredited(lineTax: 89, invoicedQuantity: 3, creditedUnits: 3) == 89)
        #expect(Crediting.taxCredited(lineTax: 5, invoicedQuantity: 2, creditedUnits: 1) == 3)  // 2.5 → 3
    }

    @Test func creditsSpreadOverTwoInvoicesOldestFirst() throws {
        let older = try F.invoice("I1", lines: [(1, 2, 1_000), (2, 1, 500)], issuedAt: F.issuedAt)
        let newer = try F.invoice("I2", lines: [(1, 3, 1_000)], issuedAt: F.issuedAt.addingTimeInterval(86_400))
        // Passed newest first on purpose.
        let memo = try F.credit([1: 4], invoices: [newer, older])
        #expect(memo.lines.map(\.invoiceID) == ["I1", "I2"])
        #expect(memo.lines.map(\.quantity) == [2, 2])
        #expect(memo.lines[0].tax == older.lines[0].tax)  // the whole older line: 178
        #expect(memo.lines[1].tax == F.money(177))  // 266.25 → 266 for 3 units; 2 of them: 177.33 → 177
        #expect(memo.orderID == "O-1")
        #expect(memo.customerID == "C-1")
        #expect(memo.returnID == "RMA-1")
        #expect(memo.quantitiesByLine == [1: 4])

        let next = try F.credit([1: 1], invoices: [older, newer], previous: [memo])
        #expect(next.lines.map(\.invoiceID) == ["I2"])
        #expect(next.lines[0].tax == F.money(266 - 177))
        #expect(Crediting.creditable(invoices: [older, newer], previousCredits: [memo, next]) == [1: 0, 2: 1])
    }

    @Test func overCreditIsRefused() throws {
        let invoice = try F.invoice("I1", lines: [(1, 5, 1_000), (2, 2, 100)])
        let first = try F.credit([1: 3], invoices: [invoice])

        let tooMany = F.billingError { try F.credit([1: 3, 2: 2], invoices: [invoice], previous: [first]) }
        #expect(tooMany?.code == "over_credit")
        #expect(tooMany?.errors == [.init(field: "quantities.1", reason: "3 exceeds the 2 invoiced unit(s) not yet credited")])

        let rest = try F.credit([1: 2], invoices: [invoice], previous: [first])
        let nothingLeft = F.billingError { try F.credit([1: 1], invoices: [invoice], previous: [first, rest]) }
        #expect(nothingLeft?.code == "over_credit")
        #expect(
            nothingLeft?.errors == [.init(field: "quantities.1", reason: "nothing left to credit: all 5 invoiced unit(s) are already credited")]
        )
    }

    @Test func priceComesFromTheInvoiceNotTheCurrentOrderPrice() throws {
        // The list price moved from 10.00 to 12.00 between the two shipments; the order line now says 12.00.
        var order = SalesOrder.billingSample()
        let atOldPrice = try F.invoice("I1", lines: [(1, 1, 1_000)])
        order.lines[0].unitPrice = F.money(1_200)
        let atNewPrice = try F.invoice("I2", lines: [(1, 1, order.lines[0].unitPrice.minorUnits)], issuedAt: F.issuedAt + 60)
        let memo = try F.credit([1: 2], invoices: [atNewPrice, atOldPrice])
        #expect(memo.lines.map(\.unitPrice.minorUnits) == [1_000, 1_200])
        #expect(memo.subtotal == F.money(2_200))
        #expect(memo.tax == atOldPrice.tax + atNewPrice.tax)
    }

    @Test func voidedInvoicesAreNotCredited() throws {
        var voided = try F.invoice("I1", lines: [(1, 4, 1_000)])
        voided.status = .voided
        let posted = try F.invoice("I2", lines: [(1, 1, 1_000)], issuedAt: F.issuedAt + 60)
        let error = F.billingError { try F.credit([1: 2], invoices: [voided, posted]) }
        #expect(error?.code == "over_credit")
        #expect(try F.credit([1: 1], invoices: [voided, posted]).lines.map(\.invoiceID) == ["I2"])
    }

    @Test func rejectsInvalidRequests() throws {
        let invoice = try F.invoice("I1", lines: [(1, 2, 1_000)])
        let zero = F.billingError { try F.credit([1: 0], invoices: [invoice]) }
        #expect(zero?.code == "invalid_credit")
        #expect(zero?.errors == [.init(field: "quantities.1", reason: "must be positive, got 0")])

        let unknown = F.billingError { try F.credit([4: 1], invoices: [invoice]) }
        #expect(unknown?.code == "invalid_credit")
        #expect(unknown?.errors == [.init(field: "quantities.4", reason: "line 4 is on no posted invoice of order O-1")])

        let empty = F.billingError { try F.credit([:], invoices: [invoice]) }
        #expect(empty?.errors == [.init(field: "quantities", reason: "must name at least one line")])

        let noInvoice = F.billingError { try F.credit([1: 1], invoices: []) }
        #expect(noInvoice?.code == "invalid_credit")
        #expect(noInvoice?.errors == [.init(field: "invoices", reason: "must contain at least one posted invoice")])

        var other = try F.invoice("I9", lines: [(1, 1, 1_000)])
        other.orderID = "O-2"
        let mixed = F.billingError { try F.credit([1: 1], invoices: [invoice, other]) }
        #expect(mixed?.errors == [.init(field: "invoices[1].orderId", reason: "O-2 differs from O-1")])
    }

    @Test func lossCreditsCarryTheirReasonAndNoReturn() throws {
        let invoice = try F.invoice("I1", lines: [(1, 2, 1_000)])
        let memo = try F.credit([1: 2], invoices: [invoice], reason: .lostShipment)
        #expect(memo.reason == .lostShipment)
        #expect(memo.reason.isDeliveryException)
        #expect(memo.returnID == nil)
        #expect(memo.total == invoice.total)
    }

    @Test func encodesCamelCaseKeysAndRoundTrips() throws {
        let invoice = try F.invoice("I1", lines: [(1, 2, 1_000)])
        let memo = try F.credit([1: 1], invoices: [invoice], reason: .damagedInTransit)
        let data = try JSONCoding.encoder().encode(memo)
        let text = String(decoding: data, as: UTF8.self)
        for key in ["\"orderId\"", "\"customerId\"", "\"invoiceId\"", "\"reason\":\"damaged_in_transit\""] {
            #expect(text.contains(key), "missing \(key)")
        }
        #expect(try JSONCoding.decoder().decode(CreditMemo.self, from: data) == memo)
    }
}

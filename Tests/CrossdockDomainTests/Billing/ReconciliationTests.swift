import CrossdockDomain
import Foundation
import Testing

@Suite("Reconciliation")
struct ReconciliationTests {
    typealias Facts = Reconciliation.OrderFacts

    /// Ordered 10: 1 rejected, 1 cancelled, 8 shipped and invoiced (80.00); 2 returned and credited, 1 lost and
    /// credited (30.00 in all).
    let balanced = Facts(
        orderID: "O-1",
        ordered: 10,
        rejected: 1,
        cancelled: 1,
        open: 0,
        shipped: 8,
        invoicedUnits: 8,
        invoicedAmount: 8_000,
        returnedUnits: 2,
        creditedReturnUnits: 2,
        creditedLossUnits: 1,
        creditedAmount: 3_000,
        lostUnits: 1
    )

    @Test func balancedOrderHasNoMismatch() {
        #expect(Reconciliation.check(balanced).isEmpty)
        var inFlight = balanced
        inFlight.shipped = 5
        inFlight.open = 3
        inFlight.invoicedUnits = 5
        #expect(Reconciliation.check(inFlight).isEmpty)
    }

    @Test func quantityImbalance() {
        var facts = balanced
        facts.cancelled = 2
        #expect(
            Reconciliation.check(facts) == [
                .init(
                    orderID: "O-1",
                    kind: .quantityImbalance,
                    expected: 10,
                    actual: 11,
                    message: "rejected 1 + cancelled 2 + open 0 + shipped 8 = 11, ordered 10"
                )
            ]
        )
    }

    @Test func shippedNotInvoicedAndInvoicedNotShipped() {
        var short = balanced
        short.invoicedUnits = 6
        #expect(Reconciliation.check(short).map(\.kind) == [.shippedNotInvoiced])
        #expect(Reconciliation.check(short).first?.message == "2 of 8 shipped unit(s) not invoiced")

        var over = balanced
        over.invoicedUnits = 9
        #expect(Reconciliation.check(over).map(\.kind) == [.invoicedNotShipped])
        #expect(Reconciliation.check(over).first?.expected == 8)
        #expect(Reconciliation.check(over).first?.actual == 9)
    }

    @Test func returnNotCreditedAndCreditWithoutReturn() {
        var uncredited = balanced
        uncredited.returnedUnits = 3
        #expect(Reconciliation.check(uncredited).map(\.kind) == [.returnNotCredited])

        var unreturned = balanced
        unreturned.returnedUnits = 1
        #expect(Reconciliation.check(unreturned).map(\.kind) == [.creditWithoutReturn])

        var lossWithoutException = balanced
        lossWithoutException.lostUnits = 0
        #expect(Reconciliation.check(lossWithoutException).map(\.kind) == [.creditWithoutReturn])
        #expect(
            Reconciliation.check(lossWithoutException).first?.message == "1 unit(s) credited for delivery exceptions, 0 on excepted shipments"
        )
    }

    @Test func creditExceedsInvoiceByAmountOrUnits() {
        var amount = balanced
        amount.creditedAmount = 8_001
        #expect(
            Reconciliation.check(amount) == [
                .init(orderID: "O-1", kind: .creditExceedsInvoice, expected: 8_000, actual: 8_001, message: "credited 80.01, invoiced 80.00")
            ]
        )

        var units = balanced
        units.returnedUnits = 6
        units.creditedReturnUnits = 6
        units.lostUnits = 3
        units.creditedLossUnits = 3
        #expect(Reconciliation.check(units).map(\.kind) == [.creditExceedsInvoice])
        #expect(Reconciliation.check(units).first?.message == "9 unit(s) credited, 8 invoiced")
    }

    @Test func summaryLineWhenBalanced() {
        let a = Facts(
            orderID: "O-1",
            ordered: 700,
            rejected: 40,
            cancelled: 10,
            shipped: 650,
            invoicedUnits: 650,
            invoicedAmount: 10_000_000,
            returnedUnits: 12,
            creditedReturnUnits: 12,
            creditedAmount: 100_000
        )
        let b = Facts(
            orderID: "O-2",
            ordered: 500,
            cancelled: 50,
            shipped: 450,
            invoicedUnits: 450,
            invoicedAmount: 2_345_678,
            creditedLossUnits: 5,
            creditedAmount: 23_450,
            lostUnits: 5
        )
        let summary = Reconciliation.summarize([a, b])
        #expect(summary.orders == 2)
        #expect(summary.mismatches.isEmpty)
        #expect(
            summary.line
                == "ordered 1200 = shipped 1100 + cancelled 60 + rejected 40 + open 0 | invoiced 1100 units 123456.78"
                + " | returned 12, credited 12 returned + 5 damaged or lost in transit (1234.50) | balanced"
        )
    }

    @Test func summaryLineCountsMismatches() {
        var bad = balanced
        bad.orderID = "O-2"
        bad.cancelled = 2
        bad.invoicedUnits = 7
        bad.returnedUnits = 3
        let summary = Reconciliation.summarize([balanced, bad])
        #expect(summary.mismatches.map(\.orderID) == ["O-2", "O-2", "O-2"])
        #expect(summary.mismatches.map(\.kind) == [.quantityImbalance, .shippedNotInvoiced, .returnNotCredited])
        #expect(summary.totals.ordered == 20)
        #expect(
            summary.line
                == "ordered 20 != shipped 16 + cancelled 3 + rejected 2 + open 0 | invoiced 15 units 160.00"
                + " | returned 5, credited 4 returned + 2 damaged or lost in transit (60.00) | 3 mismatch(es)"
        )
        #expect(Reconciliation.summarize([]).line.hasSuffix("| balanced"))
    }

    @Test(arguments: [(Int64(0), "0.00"), (5, "0.05"), (150, "1.50"), (-5, "-0.05"), (-12_345, "-123.45"), (12_345_678, "123456.78")])
    func formatsMinorUnitsWithTwoDecimals(minorUnits: Int64, expected: String) {
        #expect(Reconciliation.format(minorUnits: minorUnits) == expected)
    }

    @Test func mismatchEncodesOrderId() throws {
        let mismatch = Reconciliation.check(Facts(orderID: "O-9", ordered: 1))[0]
        let text = String(decoding: try JSONCoding.encoder().encode(mismatch), as: UTF8.self)
        #expect(text.contains("\"orderId\":\"O-9\""))
        #expect(text.contains("\"kind\":\"quantity_imbalance\""))
    }
}

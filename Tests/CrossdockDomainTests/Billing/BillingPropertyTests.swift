import CrossdockDomain
import Foundation
import PropertyBased
import Testing

@Suite("Billing properties")
struct BillingPropertyTests {
    typealias F = BillingFixture

    private struct Key: Hashable {
        var invoiceID: String
        var lineNo: Int
    }

    /// Random invoices (each order line split over an older and a newer invoice) and random splits of credits:
    /// Σ credited tax ≤ invoice tax, Σ credited ≤ invoice total, both equal once every unit is credited.
    @Test func creditsNeverExceedTheInvoicesAndReturnExactlyTheirTax() async {
        await propertyCheck(
            count: 200,
            input: Gen.int(in: 1...50).array(of: 1...5),
            Gen.int(in: 0...100_000),
            Gen.int(in: 0...1_000_000),
            Gen.bool
        ) { quantities, rate, seed, creditEverything in
            var rng = BillingRNG(seed: seed)
            var older: [(lineNo: Int, quantity: Int, unitPrice: Int64)] = []
            var newer: [(lineNo: Int, quantity: Int, unitPrice: Int64)] = []
            for (index, quantity) in quantities.enumerated() {
                let price = Int64.random(in: 1...99_999, using: &rng)
                let first = Int.random(in: 0...quantity, using: &rng)
                if first > 0 { older.append((index + 1, first, price)) }
                if quantity - first > 0 { newer.append((index + 1, quantity - first, price)) }
            }
            var invoices: [Invoice] = []
            if !older.isEmpty { invoices.append(try F.invoice("I1", lines: older, rate: Int64(rate))) }
            if !newer.isEmpty { invoices.append(try F.invoice("I2", lines: newer, rate: Int64(rate), issuedAt: F.issuedAt + 3_600)) }

            var memos: [CreditMemo] = []
            while true {
                let open = Crediting.creditable(invoices: invoices, previousCredits: memos).filter { $0.value > 0 }
                if open.isEmpty { break }
                if !creditEverything && Int.random(in: 0..<3, using: &rng) == 0 { break }
                var request: [Int: Int] = [:]
                for (lineNo, left) in open where Bool.random(using: &rng) { request[lineNo] = Int.random(in: 1...left, using: &rng) }
                if request.isEmpty, let (lineNo, left) = open.first { request[lineNo] = left }
                let memo = try F.credit(request, invoices: invoices, previous: memos)
                #expect(memo.lines.allSatisfy { $0.tax.minorUnits >= 0 && $0.quantity > 0 })
                #expect(memo.quantitiesByLine == request)
                memos.append(memo)
            }

            var creditedTax: [Key: Int64] = [:]
            var creditedUnits: [Key: Int] = [:]
            for line in memos.flatMap(\.lines) {
                creditedTax[Key(invoiceID: line.invoiceID, lineNo: line.lineNo), default: 0] += line.tax.minorUnits
                creditedUnits[Key(invoiceID: line.invoiceID, lineNo: line.lineNo), default: 0] += line.quantity
            }
            var allCredited = true
            for invoice in invoices {
                for line in invoice.lines {
                    let key = Key(invoiceID: invoice.id, lineNo: line.lineNo)
                    let units = creditedUnits[key, default: 0]
                    #expect(units <= line.quantity)
                    #expect(creditedTax[key, default: 0] <= line.tax.minorUnits)
                    if units == line.quantity {
                        #expect(creditedTax[key, default: 0] == line.tax.minorUnits)
                    } else {
                        allCredited = false
                    }
                }
            }
            let invoiced = invoices.reduce(Int64(0)) { $0 + $1.total.minorUnits }
            let credited = memos.reduce(Int64(0)) { $0 + $1.total.minorUnits }
            let invoicedTax = invoices.reduce(Int64(0)) { $0 + $1.tax.minorUnits }
            let creditedTaxTotal = memos.reduce(Int64(0)) { $0 + $1.tax.minorUnits }
            #expect(credited <= invoiced)
            #expect(creditedTaxTotal <= invoicedTax)
            if creditEverything {
                #expect(allCredited)
                #expect(credited == invoiced)
                #expect(creditedTaxTotal == invoicedTax)
                let again = F.billingError { try F.credit([1: 1], invoices: invoices, previous: memos) }
                #expect(again?.code == "over_credit")
            }
        }
    }

    /// Random sequences of authorisations, cancellations and receipts: authorised never exceeds shipped, a request
    /// is accepted exactly when it fits, received never exceeds authorised.
    @Test func authorisedNeverExceedsShipped() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...50).array(of: 1...5), Gen.int(in: 0...1_000_000)) { shippedUnits, seed in
            var rng = BillingRNG(seed: seed)
            var shipped: [Int: (sku: String, quantity: Int)] = [:]
            for (index, units) in shippedUnits.enumerated() { shipped[index + 1] = ("SKU-\(index + 1)", units) }
            var rmas: [ReturnAuthorization] = []
            for round in 0..<12 {
                let already = Returns.authorizedQuantities(rmas)
                var request: [(lineNo: Int, quantity: Int, reason: String)] = []
                for lineNo in shipped.keys.sorted() where Bool.random(using: &rng) {
                    request.append((lineNo, Int.random(in: 1...(shipped[lineNo]!.quantity + 3), using: &rng), "r"))
                }
                let fits =
                    !request.isEmpty
                    && request.allSatisfy { item in
                        let line = shipped[item.lineNo]!
                        return line.quantity > 0 && item.quantity <= line.quantity - already[item.lineNo, default: 0]
                    }
                do {
                    let lines = try Returns.authorize(request: request, shipped: shipped, alreadyAuthorized: already)
                    #expect(fits)
                    rmas.append(
                        ReturnAuthorization(
                            id: "R\(round)",
                            number: "RMA-\(round)",
                            orderID: "O-1",
                            customerID: "C-1",
                            warehouseID: "W1",
                            lines: lines,
                            authorizedAt: F.issuedAt
                        )
                    )
                } catch {
                    #expect(!fits)
                }
                if !rmas.isEmpty {
                    let index = Int.random(in: 0..<rmas.count, using: &rng)
                    if Int.random(in: 0..<4, using: &rng) == 0 {
                        if let cancelled = try? Returns.cancel(rmas[index]) { rmas[index] = cancelled }
                    } else if let line = rmas[index].lines.randomElement(using: &rng) {
                        let quantity = Int.random(in: 1...(line.quantityAuthorized + 1), using: &rng)
                        let condition: ReturnAuthorization.Condition = Bool.random(using: &rng) ? .restock : .scrap
                        if let outcome = try? Returns.receive(rmas[index], lines: [(line.lineNo, quantity, condition)]) {
                            #expect(quantity <= line.quantityOutstanding)
                            rmas[index] = outcome.rma
                        }
                    }
                }
                for (lineNo, units) in Returns.authorizedQuantities(rmas) { #expect(units <= shipped[lineNo]!.quantity) }
                for line in rmas.flatMap(\.lines) {
                    #expect(line.quantityReceived <= line.quantityAuthorized)
                    #expect(line.quantityReceived == line.quantityRestocked + line.quantityScrapped)
                }
            }
        }
    }
}

import CrossdockDomain
import Foundation
import Testing

@Suite("Returns")
struct ReturnsTests {
    typealias F = BillingFixture

    /// Line 1: 5 shipped; line 2: 2 shipped; line 3: not shipped yet.
    let shipped: [Int: (sku: String, quantity: Int)] = [1: ("SKU-1", 5), 2: ("SKU-2", 2), 3: ("SKU-3", 0)]

    func rma(_ lines: [ReturnAuthorization.Line], id: String = "R1") -> ReturnAuthorization {
        ReturnAuthorization(
            id: id,
            number: "RMA-\(id)",
            orderID: "O-1",
            customerID: "C-1",
            warehouseID: "W1",
            lines: lines,
            authorizedAt: F.issuedAt
        )
    }

    @Test func authorizesWithinShippedQuantities() throws {
        let lines = try Returns.authorize(
            request: [(lineNo: 2, quantity: 2, reason: "wrong colour"), (lineNo: 1, quantity: 1, reason: "damaged")],
            shipped: shipped,
            alreadyAuthorized: [:]
        )
        #expect(
            lines == [
                .init(lineNo: 2, sku: "SKU-2", quantityAuthorized: 2, reason: "wrong colour"),
                .init(lineNo: 1, sku: "SKU-1", quantityAuthorized: 1, reason: "damaged"),
            ]
        )
        let created = rma(lines)
        #expect(created.status == .authorized)
        #expect(created.version == 1)
    }

    @Test func refusesMoreThanShippedAndNotYetReturned() {
        let error = F.billingError {
            try Returns.authorize(request: [(lineNo: 2, quantity: 3, reason: "x")], shipped: shipped, alreadyAuthorized: [:])
        }
        #expect(error?.code == "invalid_quantities")
        #expect(error?.errors == [.init(field: "lines[0].quantity", reason: "3 exceeds the 2 unit(s) shipped and not yet returned")])
    }

    @Test func limitIsCumulativeAcrossNonCancelledRMAs() throws {
        let first = rma(try Returns.authorize(request: [(1, 3, "a")], shipped: shipped, alreadyAuthorized: [:]), id: "R1")
        let second = rma(try Returns.authorize(request: [(1, 1, "b")], shipped: shipped, alreadyAuthorized: [1: 3]), id: "R2")
        let cancelled = try Returns.cancel(second)
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.version == 2)

        #expect(Returns.authorizedQuantities([first, second]) == [1: 4])
        #expect(Returns.authorizedQuantities([first, cancelled]) == [1: 3])

        let error = F.billingError {
            try Returns.authorize(request: [(1, 2, "c")], shipped: shipped, alreadyAuthorized: Returns.authorizedQuantities([first, second]))
        }
        #expect(error?.errors == [.init(field: "lines[0].quantity", reason: "2 exceeds the 1 unit(s) shipped and not yet returned")])
        // Cancelling the second RMA frees its unit.
        let third = try Returns.authorize(
            request: [(1, 2, "c")],
            shipped: shipped,
            alreadyAuthorized: Returns.authorizedQuantities([first, cancelled])
        )
        #expect(third.map(\.quantityAuthorized) == [2])
        let full = F.billingError {
            try Returns.authorize(request: [(1, 1, "d")], shipped: shipped, alreadyAuthorized: [1: 5])
        }
        #expect(full?.errors == [.init(field: "lines[0].quantity", reason: "1 exceeds the 0 unit(s) shipped and not yet returned")])
    }

    @Test func namesEveryInvalidRequestLine() {
        let error = F.billingError {
            try Returns.authorize(
                request: [(1, 0, "zero"), (3, 1, "not shipped"), (9, 1, "unknown"), (1, 1, "duplicate"), (2, -2, "negative")],
                shipped: shipped,
                alreadyAuthorized: [:]
            )
        }
        #expect(
            error?.errors == [
                .init(field: "lines[0].quantity", reason: "must be positive, got 0"),
                .init(field: "lines[1].lineNo", reason: "line 3 has not shipped"),
                .init(field: "lines[2].lineNo", reason: "the order has no line 9"),
                .init(field: "lines[3].lineNo", reason: "duplicates lines[0] (line 1)"),
                .init(field: "lines[4].quantity", reason: "must be positive, got -2"),
            ]
        )
        let empty = F.billingError { try Returns.authorize(request: [], shipped: shipped, alreadyAuthorized: [:]) }
        #expect(empty?.errors == [.init(field: "lines", reason: "must contain at least one line")])
    }

    @Test func receiptsMoveTheStatusAndSplitRestockFromScrap() throws {
        let authorized = rma([
            .init(lineNo: 1, sku: "SKU-1", quantityAuthorized: 3, reason: "a"),
            .init(lineNo: 2, sku: "SKU-2", quantityAuthorized: 2, reason: "b"),
        ])
        let first = try Returns.receive(authorized, lines: [(1, 2, .restock), (1, 1, .scrap), (2, 1, .restock)])
        #expect(first.rma.status == .partiallyReceived)
        #expect(first.rma.version == 2)
        #expect(first.received == [1: 3, 2: 1])
        #expect(first.restock.map(\.sku) == ["SKU-1", "SKU-2"])
        #expect(first.restock.map(\.quantity) == [2, 1])
        #expect(first.rma.lines[0].quantityReceived == 3)
        #expect(first.rma.lines[0].quantityRestocked == 2)
        #expect(first.rma.lines[0].quantityScrapped == 1)
        #expect(first.rma.lines[1].quantityOutstanding == 1)

        let second = try Returns.receive(first.rma, lines: [(2, 1, .scrap)])
        #expect(second.rma.status == .received)
        #expect(second.rma.version == 3)
        #expect(second.restock.isEmpty)
        #expect(second.received == [2: 1])
        #expect(second.rma.lines[1].quantityScrapped == 1)
        #expect(second.rma.lines.allSatisfy { $0.quantityReceived == $0.quantityRestocked + $0.quantityScrapped })
    }

    @Test func refusesOverReceipt() throws {
        let authorized = rma([.init(lineNo: 1, sku: "SKU-1", quantityAuthorized: 3, reason: "a")])
        let partly = try Returns.receive(authorized, lines: [(1, 2, .restock)]).rma
        let error = F.billingError { try Returns.receive(partly, lines: [(1, 1, .restock), (1, 1, .scrap)]) }
        #expect(error?.code == "invalid_quantities")
        #expect(error?.errors == [.init(field: "lines[1].quantity", reason: "1 exceeds the 0 unit(s) authorised and not yet received")])

        let invalid = F.billingError { try Returns.receive(partly, lines: [(7, 1, .restock), (1, 0, .scrap)]) }
        #expect(
            invalid?.errors == [
                .init(field: "lines[0].lineNo", reason: "return authorization RMA-R1 has no line 7"),
                .init(field: "lines[1].quantity", reason: "must be positive, got 0"),
            ]
        )
    }

    @Test func receivedAndCancelledRMAsRefuseWithIllegalTransition() throws {
        let authorized = rma([.init(lineNo: 1, sku: "SKU-1", quantityAuthorized: 1, reason: "a")])
        let received = try Returns.receive(authorized, lines: [(1, 1, .restock)]).rma
        #expect(received.status == .received)

        let again = F.billingError { try Returns.receive(received, lines: [(1, 1, .restock)]) }
        #expect(again?.code == "illegal_transition")
        #expect(again?.message == "return authorization RMA-R1 is received; 'receive' is not allowed")

        let cancelled = try Returns.cancel(authorized)
        let afterCancel = F.billingError { try Returns.receive(cancelled, lines: [(1, 1, .restock)]) }
        #expect(afterCancel?.code == "illegal_transition")
        #expect(afterCancel?.message == "return authorization RMA-R1 is cancelled; 'receive' is not allowed")

        let cancelReceived = F.billingError { try Returns.cancel(received) }
        #expect(cancelReceived?.message == "return authorization RMA-R1 is received; 'cancel' is not allowed")
        let twoUnits = rma([.init(lineNo: 1, sku: "SKU-1", quantityAuthorized: 2, reason: "a")])
        let partly = try Returns.receive(twoUnits, lines: [(1, 1, .restock)]).rma
        #expect(
            F.billingError { try Returns.cancel(partly) }?.message == "return authorization RMA-R1 is partially_received; 'cancel' is not allowed"
        )
    }

    @Test func encodesCamelCaseKeysAndRoundTrips() throws {
        let value = rma([.init(lineNo: 1, sku: "SKU-1", quantityAuthorized: 2, reason: "a")])
        let data = try JSONCoding.encoder().encode(try Returns.receive(value, lines: [(1, 1, .scrap)]).rma)
        let text = String(decoding: data, as: UTF8.self)
        for key in ["\"orderId\"", "\"customerId\"", "\"warehouseId\"", "\"status\":\"partially_received\"", "\"quantityScrapped\":1"] {
            #expect(text.contains(key), "missing \(key)")
        }
        #expect(try JSONCoding.decoder().decode(ReturnAuthorization.self, from: data).status == .partiallyReceived)
    }
}

import CrossdockDomain
import Foundation
import Testing

@Suite("ScheduledReceipt")
struct ScheduledReceiptTests {
    private static let createdAt = JSONCoding.parse("2026-03-01T08:00:00.000Z")!

    private static func receipt(quantity: Int = 100, received: Int = 0, status: ScheduledReceipt.Status = .open) -> ScheduledReceipt {
        ScheduledReceipt(
            id: "R1",
            warehouseID: "W1",
            sku: "A",
            quantity: quantity,
            receivedQuantity: received,
            expectedDate: BusinessDay("2026-03-05")!,
            reference: "PO-42",
            kind: .inTransit,
            status: status,
            createdAt: createdAt
        )
    }

    @Test func remainingIsWhatIsStillExpectedWhileOpen() {
        #expect(Self.receipt().remaining == 100)
        #expect(Self.receipt(received: 30).remaining == 70)
        #expect(Self.receipt(received: 100).remaining == 0)
        #expect(Self.receipt(received: 120).remaining == 0)  // over-receipt
        #expect(Self.receipt(received: 30, status: .received).remaining == 0)
        #expect(Self.receipt(status: .cancelled).remaining == 0)
    }

    @Test func codesWithHubJSONNames() throws {
        let receipt = Self.receipt(received: 5)
        let data = try JSONCoding.encoder().encode(receipt)
        let text = String(decoding: data, as: UTF8.self)
        #expect(
            text == #"{"createdAt":"2026-03-01T08:00:00.000Z","expectedDate":"2026-03-05","id":"R1","kind":"in_transit","quantity":100,"#
                + #""receivedQuantity":5,"reference":"PO-42","sku":"A","status":"open","version":1,"warehouseId":"W1"}"#
        )
        #expect(try JSONCoding.decoder().decode(ScheduledReceipt.self, from: data) == receipt)
    }

    @Test func kindsAndStatusesHaveSnakeCaseValues() {
        #expect(ScheduledReceipt.Kind.allCases.map(\.rawValue) == ["purchase_order", "transfer", "in_transit"])
        #expect(ScheduledReceipt.Status.allCases.map(\.rawValue) == ["open", "received", "cancelled"])
    }

    @Test func validRequestsHaveNoErrors() {
        for quantity in [1, 500, 1_000_000] {
            let request = ScheduledReceipt.Request(warehouseID: "W1", sku: "A", quantity: quantity, expectedDate: "2024-02-29")
            #expect(ScheduledReceipt.validate(request).isEmpty)
        }
    }

    @Test func invalidRequestsListEveryField() {
        let request = ScheduledReceipt.Request(warehouseID: "  ", sku: "", quantity: 0, expectedDate: "2026-02-30")
        #expect(
            ScheduledReceipt.validate(request) == [
                .init(field: "warehouseId", reason: "must not be empty"),
                .init(field: "sku", reason: "must not be empty"),
                .init(field: "quantity", reason: "must be a positive integer"),
                .init(field: "expectedDate", reason: "must be a date YYYY-MM-DD"),
            ]
        )
        let tooMany = ScheduledReceipt.Request(warehouseID: "W1", sku: "A", quantity: 1_000_001, expectedDate: "2026-03-05")
        #expect(ScheduledReceipt.validate(tooMany) == [.init(field: "quantity", reason: "at most 1000000")])
        let negative = ScheduledReceipt.Request(warehouseID: "W1", sku: "A", quantity: -3, expectedDate: "5 March")
        #expect(ScheduledReceipt.validate(negative).map(\.field) == ["quantity", "expectedDate"])
    }

    @Test func createsAnOpenReceiptFromAValidRequest() throws {
        let json = #"{"warehouseId":"W2","sku":"B","quantity":12,"expectedDate":"2026-03-09","reference":"PO-7"}"#
        let request = try JSONCoding.decoder().decode(ScheduledReceipt.Request.self, from: Data(json.utf8))
        let receipt = try ScheduledReceipt(request: request, id: "R9", createdAt: Self.createdAt)
        #expect(
            receipt
                == ScheduledReceipt(
                    id: "R9",
                    warehouseID: "W2",
                    sku: "B",
                    quantity: 12,
                    receivedQuantity: 0,
                    expectedDate: BusinessDay("2026-03-09")!,
                    reference: "PO-7",
                    kind: .purchaseOrder,
                    status: .open,
                    createdAt: Self.createdAt,
                    version: 1
                )
        )
        #expect(receipt.remaining == 12)
    }

    @Test func refusesAnInvalidRequest() {
        let request = ScheduledReceipt.Request(warehouseID: "W1", sku: "A", quantity: 0, expectedDate: "2026-03-05", kind: .transfer)
        #expect {
            try ScheduledReceipt(request: request, id: "R1", createdAt: Self.createdAt)
        } throws: { error in
            guard let error = error as? IntakeError else { return false }
            return error.code == "invalid_receipt" && error.errors == [.init(field: "quantity", reason: "must be a positive integer")]
        }
    }
}

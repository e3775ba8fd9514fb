import CrossdockDomain
import Foundation

/// Facts for the watchdog tests, on a controlled clock: `monday` is 2026-03-02T10:00:00Z.
enum WatchdogFixture {
    static let monday = Date(timeIntervalSince1970: 1_772_445_600)
    static let hour: TimeInterval = 3600
    static let day: TimeInterval = 86_400

    static func at(_ offset: TimeInterval) -> Date { monday.addingTimeInterval(offset) }

    static func fulfillment(id: String = "FO-1", warehouse: String = "WH-3PL", releasedAt: Date = monday) -> FulfillmentOrder {
        FulfillmentOrder(
            id: id,
            orderID: "SO-1",
            warehouseID: warehouse,
            lines: [.init(lineNo: 1, sku: "SKU-1", quantity: 2)],
            shipTo: Fixture.shipToNY,
            requestedDate: nil,
            releasedAt: releasedAt
        )
    }

    static func shipment(id: String = "SHP-1", carrier: String = "UPS", shippedAt: Date = monday, tracking: [String] = ["1Z1"]) -> Shipment {
        Shipment(
            id: id,
            fulfillmentOrderID: "FO-1",
            orderID: "SO-1",
            warehouseID: "WH-EAST",
            carrier: carrier,
            service: "ground",
            packages: tracking.map { .init(trackingNumber: $0, contents: [.init(lineNo: 1, quantity: 1)]) },
            shippedAt: shippedAt
        )
    }

    static func scan(_ shipment: inout Shipment, _ status: TrackingStatus, at: Date, number: String = "1Z1", eta: Date? = nil) throws {
        try shipment.tracking.apply(TrackingMilestone(trackingNumber: number, status: status, occurredAt: at, estimatedDeliveryAt: eta))
    }

    static func document(
        id: String = "DOC-1",
        set: String = "856",
        status: WatchdogFacts.OutboundDocument.Status = .sent,
        createdAt: Date = monday,
        acknowledgedAt: Date? = nil
    ) -> WatchdogFacts.OutboundDocument {
        .init(
            id: id,
            partnerID: "ACME",
            transactionSet: set,
            orderID: "SO-1",
            reference: "SHP-1",
            status: status,
            detail: status == .rejected ? "AK5 R" : nil,
            createdAt: createdAt,
            acknowledgedAt: acknowledgedAt
        )
    }

    static func backorder(
        units: Int = 3,
        promised: String? = "2026-03-02",
        channel: String = "api",
        lateReceipts: [ScheduledReceipt] = []
    ) -> WatchdogFacts.Backorder {
        var line = OrderLine(lineNo: 1, sku: "SKU-1", quantity: 5, unitPrice: Fixture.usd(100), priceSource: "list", tax: Fixture.usd(0))
        line.backordered = units
        line.promisedDate = promised
        return .init(orderID: "SO-1", channel: channel, line: line, lateReceipts: lateReceipts)
    }

    /// An open purchase-order receipt of SKU-1 expected on `expected`, with `received` of its 10 units in.
    static func receipt(id: String = "RCV-1", expected: String, received: Int = 0) -> ScheduledReceipt {
        ScheduledReceipt(
            id: id,
            warehouseID: "WH-1",
            sku: "SKU-1",
            quantity: 10,
            receivedQuantity: received,
            expectedDate: BusinessDay(expected)!,
            reference: "PO-77",
            kind: .purchaseOrder,
            status: .open,
            createdAt: monday,
            version: 1
        )
    }

    /// The one finding on `subject`.
    static func verdict(_ findings: [Watchdog.Finding], _ subject: String) -> Watchdog.Verdict? {
        findings.first { $0.subject == subject }?.verdict
    }

    static func breach(_ verdict: Watchdog.Verdict?) -> Watchdog.Breach? {
        if case .breached(let breach)? = verdict { breach } else { nil }
    }

    static func reason(_ verdict: Watchdog.Verdict?) -> String? {
        if case .clear(let reason)? = verdict { reason } else { nil }
    }
}

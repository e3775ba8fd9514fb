import CrossdockDomain
import CrossdockSandbox
import Foundation

/// The backorder whose receipt is late (issue 17's demo): an item no warehouse stocks, its supplier's purchase order
/// due yesterday and not in, and an order for it. Promising counts the past-due receipt as arriving today, so the
/// order is promised for today, and the backorder watchdog raises `backorder_overdue` at its next run, naming the
/// purchase order. The desk tells the customer; then the late receipt arrives and the order goes on.
extension DemoRun {
    /// The item from the late supplier (added to the demo's catalogue, never in the random orders).
    static let lateSKU = "SKU-LATE-01"

    /// Schedules the late purchase order and places the order that waits for it.
    func injectLateReceipt() async throws {
        let yesterday = JSONCoding.businessDay(Date().addingTimeInterval(-86_400))
        guard let receipt = try await schedule(sku: Self.lateSKU, quantity: 6, expected: yesterday) else { return }
        lateReceipt = receipts.count - 1
        guard let index = catalog.products.firstIndex(where: { $0.sku == Self.lateSKU }),
            let order = try await submit("LATE", customer: 1, lines: [(index, 4)]), let line = order.lines.first
        else { return }
        note(
            "late supplier: \(Self.lateSKU) is stocked nowhere; its purchase order \(receipt.id) was due \(yesterday) and is not in; "
                + "order \(order.id) for 4 is \(order.status.rawValue), promised for \(line.promisedDate ?? "(no date)")"
        )
    }

    /// Once the desk has resolved the late backorder's exception, the late purchase order arrives in full.
    func receiveLateReceiptOnceResolved() async throws {
        guard let index = lateReceipt, resolved["backorder_overdue", default: 0] > 0, receipts[index].arrived == 0 else { return }
        try await arrive(index, receipts[index].quantity)
        note("the late purchase order \(receipts[index].id) arrived; the backorder it held is allocated")
    }

    /// Whether the run must wait for the late backorder: its exception is not resolved or its receipt not in yet.
    var awaitsLateReceipt: Bool {
        guard let index = lateReceipt else { return false }
        return receipts[index].arrived == 0
    }
}

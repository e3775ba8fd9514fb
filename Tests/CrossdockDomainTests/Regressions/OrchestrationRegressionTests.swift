import CrossdockDomain
import Foundation
import Testing

/// Regression tests for bugs a review of the order-orchestration feature found; each documents the bug it
/// guards against.
@Suite struct OrchestrationRegressionTests {
    /// A released order (A×10, B×4 in W1) whose line 1 the customer asked to cancel: the fulfilment order is
    /// `cancellation_requested` for all 10 units of line 1.
    static func cancelRequested() throws -> (order: SalesOrder, fulfillment: FulfillmentOrder) {
        let harness = FeedbackHarness()
        let outcome = try OrderCancellation.cancel(
            harness.order,
            fulfillments: [harness.fulfillment],
            lines: [LineQuantity(lineNo: 1, quantity: 10)],
            reason: "customer changed their mind",
            commandID: "CANCEL-1",
            now: Fixture.t1,
            makeID: SequentialIDs("c").generator
        )
        let fulfillment = try #require(outcome.fulfillments.first)
        #expect(fulfillment.status == .cancellationRequested)
        #expect(outcome.order.lines[0].cancelRequested == 10)
        return (outcome.order, fulfillment)
    }

    @Test("regression, once a bug: units pending cancellation that the warehouse short-picks are re-allocated to another warehouse and shipped")
    func shortPickOfUnitsPendingCancellationReallocatesThem() throws {
        let (order, fulfillment) = try Self.cancelRequested()
        // W2 has plenty of A; W1 (the short warehouse) is excluded from re-allocation.
        let context = AllocationContext(warehouses: Fixture.warehouses, balances: Fixture.ampleBalances, today: "2024-03-01")
        let outcome = try FulfillmentFeedbackApplier.apply(
            .shortPicked([LineQuantity(lineNo: 1, quantity: 10)], reason: "bin empty"),
            to: fulfillment,
            order: order,
            reallocation: context,
            commandID: "RPT-1",
            now: Fixture.t1,
            makeID: SequentialIDs("r").generator
        )
        // The customer asked to cancel these 10 units; they must not be reserved and released again elsewhere.
        #expect(outcome.released.isEmpty, "re-released \(outcome.released.map { "\($0.warehouseID): \($0.lines.map(\.quantity))" })")
        #expect(!outcome.inventory.contains { $0.reservedDelta > 0 }, "\(outcome.inventory)")
        let line = outcome.order.lines[0]
        #expect(line.cancelled == 10, "cancelled \(line.cancelled), released \(line.released), open \(line.open)")
        #expect(line.live == 0)
    }

    @Test("regression, once a bug: units pending cancellation that the warehouse short-picks become backorders waiting for stock")
    func shortPickOfUnitsPendingCancellationBackordersThem() throws {
        let (order, fulfillment) = try Self.cancelRequested()
        let outcome = try FulfillmentFeedbackApplier.apply(
            .shortPicked([LineQuantity(lineNo: 1, quantity: 10)], reason: "bin empty"),
            to: fulfillment,
            order: order,
            reallocation: nil,
            commandID: "RPT-1",
            now: Fixture.t1,
            makeID: SequentialIDs("r").generator
        )
        let line = outcome.order.lines[0]
        // Backordered units are filled (reserved, released, shipped, invoiced) as soon as stock arrives.
        #expect(line.backordered == 0 && line.open == 0, "open \(line.open), backordered \(line.backordered)")
        #expect(line.cancelled == 10)
        // The order's open value (credit exposure) still counts the cancelled units.
        #expect(outcome.order.openValue.minorUnits < order.openValue.minorUnits)
    }

    @Test("regression, once a bug: a backorder fill (or short-pick re-allocation) drops the order's `substituted` reason")
    func backorderFillDropsSubstitutedReason() throws {
        var products = Fixture.products
        products["A"] = Product(sku: "A", description: "Widget", substitutes: [.init(sku: "B", priority: 1)])
        var customer = Fixture.customer()
        customer.allowSubstitution = true
        var context = Fixture.context(
            customer: customer,
            balances: [InventoryBalance(warehouseID: "W1", sku: "A", onHand: 0), InventoryBalance(warehouseID: "W1", sku: "B", onHand: 2)]
        )
        context.products = products
        // Line 1 (A×2) is filled by B; line 2 (A×3) finds no substitute stock left and is backordered.
        let decision = Fixture.decide(
            Fixture.request(lines: [.init(sku: "A", quantity: 2), .init(sku: "A", quantity: 3)]),
            context: context
        )
        let order = decision.order
        #expect(order.lines[0].sku == "B" && order.lines[0].orderedSKU == "A")
        #expect(order.lines[1].backordered == 3)
        #expect(order.reasons.contains { $0.code == "substituted" && $0.lineNo == 1 })

        // A arrives in W1: line 2 is filled.
        let fill = BackorderFill.run(
            [order],
            context: AllocationContext(
                warehouses: Fixture.warehouses,
                balances: [InventoryBalance(warehouseID: "W1", sku: "A", onHand: 3)],
                products: products,
                today: "2024-03-01"
            ),
            commandID: "ARRIVE-1",
            now: Fixture.t1,
            makeID: SequentialIDs("b").generator
        )
        let filled = try #require(fill.first?.order)
        #expect(filled.lines[1].released == 3)
        // Line 1 still ships B in place of A; the order must still say so.
        #expect(filled.lines[0].isSubstituted)
        #expect(filled.reasons.contains { $0.code == "substituted" && $0.lineNo == 1 }, "\(filled.reasons)")
    }
}

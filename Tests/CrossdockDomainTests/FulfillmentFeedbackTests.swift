import CrossdockDomain
import Foundation
import Testing

@Suite("FulfillmentFeedbackApplier: progress")
struct FulfillmentFeedbackTests {
    typealias H = FeedbackHarness

    @Test func pickedStartsTheWorkAndPutsTheOrderInFulfillment() throws {
        var h = FeedbackHarness()
        #expect(h.order.status == .released)
        let outcome = try h.step(H.picked([(1, 4)]))
        #expect(outcome.fulfillment.status == .inProgress)
        #expect(outcome.fulfillment.lines[0].picked == 4)
        #expect(outcome.fulfillment.version == 2)
        #expect(outcome.order.lines[0].picked == 4)
        #expect(outcome.order.status == .inFulfillment)
        #expect(outcome.order.history.last == .init(status: .inFulfillment, at: Fixture.t1))
        #expect(outcome.order.version == 2)
        #expect(outcome.order.allLinesBalanced)
        #expect(outcome.inventory.isEmpty)
        #expect(outcome.shipment == nil)
        #expect(outcome.events.shortNames == ["fulfillment.picked", "order.status_changed"])
        #expect(outcome.events.map(\.subject) == [h.fulfillment.id, "SO-1"])
        expectChained(outcome.events, correlation: "SO-1", firstCause: "RPT-1")

        let data = try JSONCoding.decoder().decode(FulfillmentEventData.self, from: outcome.events[0].data)
        #expect(data.status == .inProgress)
        #expect(data.lines == [LineQuantity(lineNo: 1, quantity: 4)])
        #expect(data.reason == nil)
        #expect(data.fulfillmentOrderId == h.fulfillment.id)
        #expect(data.orderId == "SO-1")
        #expect(data.warehouseId == "W1")

        // Picking more changes no order status, so no status event.
        let again = try h.step(H.picked([(1, 6), (2, 4)]))
        #expect(again.events.shortNames == ["fulfillment.picked"])
        #expect(again.fulfillment.lines.map(\.picked) == [10, 4])
        #expect(again.fulfillment.status == .inProgress)
    }

    @Test func shippedPartThenAllClosesTheFulfillmentAndShipsTheOrder() throws {
        var h = FeedbackHarness()
        let first = try h.step(H.shipped([H.package("1Z1", [(1, 4)])]))
        let shipment = try #require(first.shipment)
        #expect(shipment.fulfillmentOrderID == h.fulfillment.id)
        #expect(shipment.orderID == "SO-1")
        #expect(shipment.warehouseID == "W1")
        #expect(shipment.carrier == "UPS")
        #expect(shipment.service == "ground")
        #expect(shipment.shippedAt == Fixture.t1)
        #expect(shipment.quantitiesByLine == [1: 4])
        #expect(first.fulfillment.shipmentIDs == [shipment.id])
        #expect(first.fulfillment.status == .inProgress)
        #expect(first.fulfillment.lines[0].shipped == 4)
        #expect(first.fulfillment.lines[0].picked == 4)
        #expect(first.inventory == [.issue(4, of: "A", from: "W1")])
        #expect(first.inventory.map(\.onHandDelta) == [-4])
        #expect(first.inventory.map(\.reservedDelta) == [-4])
        let line = first.order.lines[0]
        #expect((line.released, line.shipped, line.picked) == (6, 4, 4))
        #expect(line.warehouseQuantities == ["W1": 6])
        #expect(line.status == .partiallyShipped)
        #expect(first.order.status == .partiallyShipped)
        #expect(first.order.allLinesBalanced)
        #expect(first.events.shortNames == ["shipment.shipped", "invoice.posted", "order.status_changed"])
        #expect(first.events[0].subject == shipment.id)
        #expect(try JSONCoding.decoder().decode(Shipment.self, from: first.events[0].data) == shipment)
        expectChained(first.events, correlation: "SO-1", firstCause: "RPT-1")

        // Rest of line 1 in two packages, line 2 in one of them.
        let second = try h.step(H.shipped([H.package("1Z2", [(1, 3), (2, 4)]), H.package("1Z3", [(1, 3)])]), command: "RPT-2")
        #expect(second.fulfillment.status == .closed)
        #expect(second.fulfillment.shipmentIDs.count == 2)
        #expect(second.fulfillment.lines.map(\.remaining) == [0, 0])
        #expect(second.inventory == [.issue(6, of: "A", from: "W1"), .issue(4, of: "B", from: "W1")])
        #expect(second.order.status == .shipped)
        #expect(second.order.status == .shipped)
        #expect(second.order.lines.map(\.shipped) == [10, 4])
        #expect(second.order.lines.map(\.released) == [0, 0])
        #expect(second.order.lines.allSatisfy { $0.warehouseQuantities.isEmpty })
        #expect(second.order.lines.map(\.status) == [.invoiced, .invoiced])
        #expect(second.order.allLinesBalanced)
        #expect(second.order.isSettled)
        #expect(second.order.version == 3)
        #expect(second.events.shortNames == ["shipment.shipped", "invoice.posted", "fulfillment.closed", "order.status_changed"])
        expectChained(second.events, correlation: "SO-1", firstCause: "RPT-2")
        let closed = try JSONCoding.decoder().decode(FulfillmentEventData.self, from: second.events[2].data)
        #expect(closed.status == .closed)
        #expect(closed.lines.isEmpty)
    }

    @Test func shortPickedUnitsGoBackToOpenAndBackordered() throws {
        var h = FeedbackHarness()
        let outcome = try h.step(H.short([(1, 3)], reason: "damaged"))
        #expect(outcome.fulfillment.status == .inProgress)
        #expect(outcome.fulfillment.lines[0].short == 3)
        #expect(outcome.fulfillment.lines[0].remaining == 7)
        let line = outcome.order.lines[0]
        #expect((line.released, line.open, line.backordered, line.shortPicked) == (7, 3, 3, 3))
        #expect(line.warehouseQuantities == ["W1": 7])
        #expect(line.isBalanced)
        #expect(outcome.order.reasons == [.init(code: "backordered", message: "3 unit(s) wait for stock", lineNo: 1)])
        #expect(outcome.order.status == .released)
        #expect(outcome.inventory == [.issue(3, of: "A", from: "W1")])
        #expect(outcome.events.shortNames == ["fulfillment.short_picked", "inventory.adjusted", "order.backordered"])
        #expect(outcome.events[1].subject == "A:W1")
        expectChained(outcome.events, correlation: "SO-1", firstCause: "RPT-1")

        let short = try JSONCoding.decoder().decode(FulfillmentEventData.self, from: outcome.events[0].data)
        #expect(short.reason == "damaged")
        #expect(short.lines == [LineQuantity(lineNo: 1, quantity: 3)])
        let adjusted = try JSONCoding.decoder().decode(InventoryAdjustedData.self, from: outcome.events[1].data)
        #expect(adjusted == InventoryAdjustedData(warehouseId: "W1", sku: "A", onHandDelta: -3, reason: .shortPick, reference: h.fulfillment.id))
        let backordered = try JSONCoding.decoder().decode(OrderEventData.self, from: outcome.events[2].data)
        #expect(backordered.lines[0].backordered == 3)

        // Shipping everything else leaves the fulfilment order incomplete, the order partially shipped.
        let rest = try h.step(H.shipped([H.package("1Z1", [(1, 7), (2, 4)])]))
        #expect(rest.fulfillment.status == .incomplete)
        #expect(rest.events.shortNames == ["shipment.shipped", "invoice.posted", "fulfillment.closed", "order.status_changed"])
        #expect(rest.order.status == .partiallyShipped)
        #expect(rest.order.lines[0].status == .partiallyShipped)
        #expect((rest.order.lines[0].shipped, rest.order.lines[0].open, rest.order.lines[0].released) == (7, 3, 0))
        #expect(rest.order.allLinesBalanced)
        #expect(rest.order.isSettled)
    }

    @Test func shortingEverythingLeavesTheFulfillmentIncompleteAndTheOrderBackordered() throws {
        var h = FeedbackHarness()
        let outcome = try h.step(H.short([(2, 4), (1, 10)], reason: "not found"))
        #expect(outcome.fulfillment.status == .incomplete)
        #expect(outcome.order.status == .backordered)
        #expect(outcome.order.lines.map(\.open) == [10, 4])
        #expect(outcome.order.lines.map(\.backordered) == [10, 4])
        #expect(outcome.order.lines.map(\.released) == [0, 0])
        #expect(outcome.order.lines.allSatisfy { $0.warehouseQuantities.isEmpty })
        #expect(outcome.order.allLinesBalanced)
        #expect(outcome.inventory == [.issue(10, of: "A", from: "W1"), .issue(4, of: "B", from: "W1")])
        #expect(
            outcome.events.shortNames == [
                "fulfillment.short_picked", "inventory.adjusted", "inventory.adjusted", "order.backordered",
                "fulfillment.closed", "order.status_changed",
            ]
        )
        expectChained(outcome.events, correlation: "SO-1", firstCause: "RPT-1")
    }

    @Test func eachWarehouseClosesItsOwnFulfillmentOrder() throws {
        let balances = [InventoryBalance(warehouseID: "W1", sku: "A", onHand: 10), InventoryBalance(warehouseID: "W2", sku: "B", onHand: 10)]
        let decision = Fixture.decide(context: Fixture.context(balances: balances))
        #expect(decision.fulfillmentOrders.count == 2)
        var h = FeedbackHarness(decision: decision)
        let east = try h.step(H.shipped([H.package("E1", [(1, 2)])]))
        #expect(east.fulfillment.status == .closed)
        #expect(east.order.status == .partiallyShipped)
        #expect(east.order.lines[1].warehouseQuantities == ["W2": 4])

        let west = try h.apply(H.shipped([H.package("W1", [(2, 4)])]), to: decision.fulfillmentOrders[1], order: east.order)
        #expect(west.fulfillment.status == .closed)
        #expect(west.inventory == [.issue(4, of: "B", from: "W2")])
        #expect(west.order.status == .shipped)
        #expect(west.order.allLinesBalanced)
    }

    @Test(arguments: [FulfillmentOrder.Status.closed, .incomplete, .cancelled])
    func terminalFulfillmentOrdersRefuseEveryAction(status: FulfillmentOrder.Status) {
        var h = FeedbackHarness()
        h.fulfillment.status = status
        for feedback in [H.picked([(1, 1)]), H.short([(1, 1)]), H.shipped([H.package("X", [(1, 1)])])] {
            let error = h.failure(feedback)
            #expect(error?.code == "illegal_transition")
            #expect(error?.currentStatus == status.rawValue)
            #expect(error?.errors == [])
            #expect(
                error?.message.hasPrefix("fulfillment_order is \(status.rawValue); '\(feedback.fulfillmentAction.rawValue)' is not allowed") == true
            )
        }
    }

    @Test func actionNames() {
        #expect(H.picked([]).action == "picked")
        #expect(H.short([]).action == "short_picked")
        #expect(H.shipped([]).action == "shipped")
    }
}

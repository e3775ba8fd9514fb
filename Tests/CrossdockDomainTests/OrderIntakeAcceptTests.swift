import CrossdockDomain
import Foundation
import Testing

@Suite("OrderIntake.decide: accepted and released")
struct OrderIntakeAcceptTests {
    typealias Line = OrderRequest.Line

    @Test func acceptedOrderIsReleasedToOneWarehouse() throws {
        let decision = Fixture.decide()
        let order = decision.order
        #expect(order.status == .released)
        #expect(order.historyStatuses == [.received, .validated, .accepted, .allocated, .released])
        #expect(order.history.allSatisfy { $0.at == Fixture.t0 })
        #expect(order.reasons.isEmpty)
        #expect(order.id == Fixture.orderID)
        #expect(order.channel == "api")
        #expect(order.externalID == "EXT-1")
        #expect(order.customerPO == "PO-9")
        #expect(order.shipTo == Fixture.shipToNY)
        #expect(order.requestedDate == "2024-03-01")
        #expect(order.shipPolicy == .shipPartial)
        #expect(order.receivedAt == Fixture.t0)

        let fulfillment = try #require(decision.fulfillmentOrders.first)
        #expect(decision.fulfillmentOrders.count == 1)
        #expect(fulfillment.warehouseID == "W1")
        #expect(fulfillment.orderID == Fixture.orderID)
        #expect(fulfillment.status == .released)
        #expect(fulfillment.lines == [.init(lineNo: 1, sku: "A", quantity: 2), .init(lineNo: 2, sku: "B", quantity: 4)])
        #expect(fulfillment.shipTo == Fixture.shipToNY)
        #expect(fulfillment.requestedDate == "2024-03-01")
        #expect(fulfillment.releasedAt == Fixture.t0)
        #expect(order.fulfillmentOrderIDs == [fulfillment.id])

        #expect(order.lines.map(\.released) == [2, 4])
        #expect(order.lines.map(\.open) == [0, 0])
        #expect(order.lines.map(\.allocated) == [0, 0])
        #expect(order.lines.map(\.warehouseQuantities) == [["W1": 2], ["W1": 4]])
        #expect(order.lines.map(\.status) == [.released, .released])
        #expect(order.allLinesBalanced)

        #expect(decision.inventory == [.reserve(2, of: "A", in: "W1"), .reserve(4, of: "B", in: "W1")])
        #expect(decision.creditReserved == Fixture.usd(3_267))
    }

    @Test func pricesAndTaxesEveryLine() {
        let order = Fixture.decide().order
        #expect(order.lines.map(\.lineNo) == [1, 2])
        #expect(order.lines.map(\.unitPrice) == [Fixture.usd(1_000), Fixture.usd(250)])
        #expect(order.lines.map(\.extended) == [Fixture.usd(2_000), Fixture.usd(1_000)])
        #expect(order.lines.map(\.priceSource) == ["price_list:PL-STD", "price_list:PL-STD"])
        // 8.875 %: 177.5 → 178 and 88.75 → 89, per line.
        #expect(order.lines.map(\.tax) == [Fixture.usd(178), Fixture.usd(89)])
        #expect(order.subtotal == Fixture.usd(3_000))
        #expect(order.tax == Fixture.usd(267))  // not round(3000 × 8.875 %) = 266
        #expect(order.total == Fixture.usd(3_267))
    }

    @Test func taxFollowsTheShipToRegion() {
        let order = Fixture.decide(Fixture.request(shipToCode: "ST-CA")).order
        #expect(order.shipTo == Fixture.shipToCA)
        #expect(order.lines.map(\.tax) == [Fixture.usd(145), Fixture.usd(73)])  // 145, 72.5 → 73
    }

    @Test func taxExemptCustomerPaysNoTax() {
        let order = Fixture.decide(context: Fixture.context(customer: Fixture.customer(taxExempt: true))).order
        #expect(order.tax == Fixture.usd(0))
        #expect(order.total == Fixture.usd(3_000))
        #expect(order.status == .released)
    }

    @Test func quantityBreakPriceApplies() {
        let order = Fixture.decide(Fixture.request(lines: [Line(sku: "A", quantity: 10)])).order
        #expect(order.lines[0].unitPrice == Fixture.usd(900))
        #expect(order.lines[0].extended == Fixture.usd(9_000))
    }

    @Test(arguments: [Int64(1_010), 990, 1_000])
    func offeredPriceWithinToleranceIsUsed(offered: Int64) {
        let order = Fixture.decide(Fixture.request(lines: [Line(sku: "A", quantity: 2, unitPrice: offered)])).order
        #expect(order.status == .released)
        #expect(order.lines[0].unitPrice == Fixture.usd(offered))
        #expect(order.lines[0].extended == Fixture.usd(offered * 2))
        #expect(order.lines[0].tax == Fixture.usd((offered * 2).scaled(by: 88_750, over: 1_000_000)))
    }

    @Test func explicitLineNumbersAreKept() throws {
        let decision = Fixture.decide(Fixture.request(lines: [Line(lineNo: 20, sku: "B", quantity: 1), Line(lineNo: 10, sku: "A", quantity: 1)]))
        #expect(decision.order.lines.map(\.lineNo) == [20, 10])
        let fulfillment = try #require(decision.fulfillmentOrders.first)
        #expect(fulfillment.lines.map(\.lineNo) == [10, 20])
    }

    @Test func oneFulfillmentOrderPerWarehouseInPriorityOrder() {
        let balances = [
            InventoryBalance(warehouseID: "W2", sku: "B", onHand: 10),
            InventoryBalance(warehouseID: "W1", sku: "A", onHand: 10),
        ]
        let decision = Fixture.decide(context: Fixture.context(balances: balances))
        #expect(decision.fulfillmentOrders.map(\.warehouseID) == ["W1", "W2"])
        #expect(decision.fulfillmentOrders.map(\.lines) == [[.init(lineNo: 1, sku: "A", quantity: 2)], [.init(lineNo: 2, sku: "B", quantity: 4)]])
        #expect(decision.order.fulfillmentOrderIDs == decision.fulfillmentOrders.map(\.id))
        #expect(Set(decision.order.fulfillmentOrderIDs).count == 2)
        #expect(decision.order.lines.map(\.warehouseQuantities) == [["W1": 2], ["W2": 4]])
        #expect(decision.order.status == .released)
        #expect(decision.order.allLinesBalanced)
        #expect(
            decision.events.shortNames == [
                "order.received", "order.validated", "order.accepted", "order.allocated",
                "fulfillment.released", "fulfillment.released", "order.released",
            ]
        )
    }

    @Test func aLineSplitAcrossWarehousesAppearsOnBothFulfillmentOrders() {
        let balances = [
            InventoryBalance(warehouseID: "W1", sku: "A", onHand: 3),
            InventoryBalance(warehouseID: "W2", sku: "A", onHand: 2),
        ]
        let decision = Fixture.decide(Fixture.request(lines: [Line(sku: "A", quantity: 5)]), context: Fixture.context(balances: balances))
        #expect(decision.fulfillmentOrders.map(\.warehouseID) == ["W1", "W2"])
        #expect(decision.fulfillmentOrders.map { $0.lines.map(\.quantity) } == [[3], [2]])
        #expect(decision.order.lines[0].warehouseQuantities == ["W1": 3, "W2": 2])
        #expect(decision.order.lines[0].released == 5)
        #expect(decision.order.allLinesBalanced)
        #expect(decision.inventory == [.reserve(3, of: "A", in: "W1"), .reserve(2, of: "A", in: "W2")])
    }

    @Test func partialStockReleasesWhatIsAllocatedAndBackordersTheRest() throws {
        let balances = [InventoryBalance(warehouseID: "W1", sku: "A", onHand: 1)]
        let decision = Fixture.decide(Fixture.request(lines: [Line(sku: "A", quantity: 3)]), context: Fixture.context(balances: balances))
        let order = decision.order
        #expect(order.status == .released)
        #expect(order.historyStatuses == [.received, .validated, .accepted, .partiallyAllocated, .released])
        #expect(order.reasons == [.init(code: "backordered", message: "2 unit(s) wait for stock", lineNo: 1)])
        let line = order.lines[0]
        #expect((line.released, line.open, line.backordered, line.allocated) == (1, 2, 2, 0))
        #expect(line.status == .released)
        #expect(line.isBalanced)
        #expect(decision.fulfillmentOrders.map(\.lines) == [[.init(lineNo: 1, sku: "A", quantity: 1)]])
        #expect(decision.inventory == [.reserve(1, of: "A", in: "W1")])
        #expect(decision.creditReserved == order.total)
        #expect(
            decision.events.shortNames == [
                "order.received", "order.validated", "order.accepted", "order.allocated", "order.backordered",
                "fulfillment.released", "order.released",
            ]
        )
    }

    @Test func noStockBackordersTheWholeOrder() {
        let decision = Fixture.decide(context: Fixture.context(balances: []))
        let order = decision.order
        #expect(order.status == .backordered)
        #expect(order.historyStatuses == [.received, .validated, .accepted, .backordered])
        #expect(
            order.reasons == [
                .init(code: "backordered", message: "2 unit(s) wait for stock", lineNo: 1),
                .init(code: "backordered", message: "4 unit(s) wait for stock", lineNo: 2),
            ]
        )
        #expect(order.lines.map(\.open) == [2, 4])
        #expect(order.lines.map(\.backordered) == [2, 4])
        #expect(order.lines.map(\.status) == [.backordered, .backordered])
        #expect(order.allLinesBalanced)
        #expect(order.fulfillmentOrderIDs.isEmpty)
        #expect(decision.fulfillmentOrders.isEmpty)
        #expect(decision.inventory.isEmpty)
        #expect(decision.creditReserved == Fixture.usd(3_267))
        #expect(decision.events.shortNames == ["order.received", "order.validated", "order.accepted", "order.backordered"])
        #expect(order.isSettled)
    }

    @Test func shipCompleteAllocatesNothingWhenAnyLineIsShort() {
        let balances = [
            InventoryBalance(warehouseID: "W1", sku: "A", onHand: 100),
            InventoryBalance(warehouseID: "W1", sku: "B", onHand: 3),
        ]
        let decision = Fixture.decide(Fixture.request(shipPolicy: .shipComplete), context: Fixture.context(balances: balances))
        #expect(decision.order.shipPolicy == .shipComplete)
        #expect(decision.order.status == .backordered)
        #expect(decision.order.lines.map(\.backordered) == [2, 4])
        #expect(decision.order.lines.map(\.released) == [0, 0])
        #expect(decision.inventory.isEmpty)
        #expect(decision.fulfillmentOrders.isEmpty)
        #expect(decision.order.allLinesBalanced)

        // The same stock with ship_partial releases line 1.
        let partial = Fixture.decide(Fixture.request(shipPolicy: .shipPartial), context: Fixture.context(balances: balances))
        #expect(partial.order.lines.map(\.released) == [2, 3])
        #expect(partial.order.lines.map(\.backordered) == [0, 1])
    }

    @Test func shipPolicyDefaultsToTheCustomerAndTheRequestOverridesIt() {
        let customer = Fixture.customer(shipPolicy: .shipComplete)
        let balances = [InventoryBalance(warehouseID: "W1", sku: "A", onHand: 1)]
        let request = Fixture.request(lines: [Line(sku: "A", quantity: 3)])
        let defaulted = Fixture.decide(request, context: Fixture.context(customer: customer, balances: balances))
        #expect(defaulted.order.shipPolicy == .shipComplete)
        #expect(defaulted.order.status == .backordered)

        var overridden = request
        overridden.shipPolicy = .shipPartial
        let partial = Fixture.decide(overridden, context: Fixture.context(customer: customer, balances: balances))
        #expect(partial.order.shipPolicy == .shipPartial)
        #expect(partial.order.lines[0].released == 1)
    }
}

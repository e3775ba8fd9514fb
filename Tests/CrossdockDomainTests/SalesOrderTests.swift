import CrossdockDomain
import Foundation
import Testing

/// Builds a line of quantity 10 with the given buckets; reservations sit in W1.
func bucketLine(
    _ lineNo: Int = 1,
    rejected: Int = 0,
    open: Int = 0,
    backordered: Int = 0,
    allocated: Int = 0,
    released: Int = 0,
    shipped: Int = 0,
    cancelled: Int = 0,
    picked: Int = 0,
    quantity: Int = 10
) -> OrderLine {
    var line = OrderLine(lineNo: lineNo, sku: "A", quantity: quantity, unitPrice: Fixture.usd(100), priceSource: "test", tax: Fixture.usd(5))
    line.rejected = rejected
    line.open = open
    line.backordered = backordered
    line.allocated = allocated
    line.released = released
    line.shipped = shipped
    line.cancelled = cancelled
    line.picked = picked
    if allocated + released > 0 { line.warehouseQuantities = ["W1": allocated + released] }
    return line
}

func orderWith(_ lines: [OrderLine], status: OrderStatus = .released) -> SalesOrder {
    var order = SalesOrder(
        id: "SO-1",
        channel: "api",
        externalID: "X",
        customerID: "C-1",
        customerPO: nil,
        shipTo: Fixture.shipToNY,
        requestedDate: nil,
        shipPolicy: .shipPartial,
        currency: .usd,
        lines: lines,
        receivedAt: Fixture.t0
    )
    order.status = status
    return order
}

@Suite("OrderLine")
struct OrderLineTests {
    @Test func newLineIsAllOpen() {
        let line = OrderLine(lineNo: 3, sku: "A", quantity: 7, unitPrice: Fixture.usd(150), priceSource: "p", tax: Fixture.usd(9))
        #expect(line.open == 7)
        #expect(line.orderedSKU == "A")
        #expect(line.extended == Fixture.usd(1_050))
        #expect(line.status == .open)
        #expect(line.isBalanced)
    }

    @Test(arguments: [
        (bucketLine(rejected: 10), LineStatus.rejected),
        (bucketLine(cancelled: 10), .cancelled),
        (bucketLine(shipped: 10), .shipped),
        (bucketLine(shipped: 6, cancelled: 4), .shipped),
        (bucketLine(rejected: 2, shipped: 8), .shipped),
        (bucketLine(released: 7, shipped: 3), .partiallyShipped),
        (bucketLine(open: 7, backordered: 7, shipped: 3), .partiallyShipped),
        (bucketLine(released: 10), .released),
        (bucketLine(open: 6, backordered: 6, released: 4), .released),
        (bucketLine(allocated: 5, released: 5), .released),
        (bucketLine(allocated: 10), .allocated),
        (bucketLine(allocated: 8, cancelled: 2), .allocated),
        (bucketLine(open: 6, allocated: 4), .partiallyAllocated),
        (bucketLine(open: 6, backordered: 6, allocated: 4), .partiallyAllocated),
        (bucketLine(open: 10, backordered: 10), .backordered),
        (bucketLine(open: 10, backordered: 3), .backordered),
        (bucketLine(open: 10), .open),
        (bucketLine(open: 5, cancelled: 5), .open),
    ])
    func statusIsDerivedFromTheBuckets(line: OrderLine, status: LineStatus) {
        #expect(line.isBalanced)
        #expect(line.status == status)
    }

    @Test func everyLineStatusIsReachable() {
        let reached: Set<LineStatus> = [
            bucketLine(rejected: 10).status, bucketLine(cancelled: 10).status, bucketLine(shipped: 10).status,
            bucketLine(released: 7, shipped: 3).status, bucketLine(released: 10).status, bucketLine(allocated: 10).status,
            bucketLine(open: 6, allocated: 4).status, bucketLine(open: 10, backordered: 10).status, bucketLine(open: 10).status,
            { () -> LineStatus in
                var line = bucketLine(shipped: 10)
                line.invoiced = 10
                return line.status
            }(),
        ]
        #expect(reached == Set(LineStatus.allCases))
    }

    @Test(arguments: [
        bucketLine(open: 9),  // sums to 9
        bucketLine(open: 10, shipped: 1),  // sums to 11
        bucketLine(open: 11, cancelled: -1),  // negative bucket
        bucketLine(open: 2, backordered: 3, released: 8),  // backordered > open
        bucketLine(open: 10, backordered: -1),
    ])
    func unbalancedLines(line: OrderLine) {
        #expect(!line.isBalanced)
    }

    @Test func reservationsMustMatchAllocatedPlusReleased() {
        var l = bucketLine(allocated: 4, released: 6)
        #expect(l.isBalanced)
        l.warehouseQuantities = ["W1": 4, "W2": 5]
        #expect(!l.isBalanced)
        l.warehouseQuantities = ["W1": 4, "W2": 6]
        #expect(l.isBalanced)
        l.warehouseQuantities = [:]
        #expect(!l.isBalanced)
    }
}

@Suite("SalesOrder")
struct SalesOrderTests {
    @Test func newOrderTotalsItsLines() {
        let o = orderWith([bucketLine(1, open: 10), bucketLine(2, open: 3, quantity: 3)], status: .received)
        #expect(o.subtotal == Fixture.usd(1_300))
        #expect(o.tax == Fixture.usd(10))
        #expect(o.total == Fixture.usd(1_310))
        #expect(o.history == [.init(status: .received, at: Fixture.t0)])
        #expect(o.version == 1)
        #expect(o.fulfillmentOrderIDs.isEmpty)
    }

    @Test func transitionRecordsHistoryOnlyOnChange() {
        var o = orderWith([bucketLine(open: 10)], status: .received)
        o.transition(to: .validated, at: Fixture.t1)
        o.transition(to: .validated, at: Fixture.t1)
        #expect(o.status == .validated)
        #expect(o.history.map(\.status) == [.received, .validated])
        #expect(o.history.last?.at == Fixture.t1)
    }

    @Test(arguments: [
        ([bucketLine(shipped: 10), bucketLine(2, shipped: 10)], OrderStatus.shipped),
        ([bucketLine(shipped: 10), bucketLine(2, cancelled: 10)], .shipped),
        ([bucketLine(shipped: 10), bucketLine(2, rejected: 10)], .shipped),
        ([bucketLine(cancelled: 10), bucketLine(2, rejected: 10)], .cancelled),
        ([bucketLine(cancelled: 10)], .cancelled),
        ([bucketLine(shipped: 10), bucketLine(2, released: 10)], .partiallyShipped),
        ([bucketLine(open: 6, backordered: 6, shipped: 4)], .partiallyShipped),
        ([bucketLine(released: 10, picked: 2), bucketLine(2, open: 10)], .inFulfillment),
        ([bucketLine(released: 10), bucketLine(2, released: 10, picked: 1)], .inFulfillment),
        ([bucketLine(open: 10, backordered: 10, picked: 3)], .backordered),  // picked but nothing released
        ([bucketLine(released: 10), bucketLine(2, open: 10, backordered: 10)], .released),
        ([bucketLine(allocated: 6, released: 4)], .released),
        ([bucketLine(allocated: 10), bucketLine(2, allocated: 10)], .allocated),
        ([bucketLine(allocated: 10), bucketLine(2, cancelled: 10)], .allocated),
        ([bucketLine(allocated: 10), bucketLine(2, open: 10)], .partiallyAllocated),
        ([bucketLine(open: 6, allocated: 4)], .partiallyAllocated),
        ([bucketLine(open: 10, backordered: 10), bucketLine(2, open: 10)], .backordered),
        ([bucketLine(open: 10)], .backordered),
    ])
    func derivedStatusFollowsTheLines(lines: [OrderLine], expected: OrderStatus) {
        #expect(orderWith(lines).derivedStatus == expected)
    }

    @Test(arguments: [OrderStatus.rejected, .cancelled, .onHold])
    func closedOrHeldOrdersAreSettledWhateverTheLines(status: OrderStatus) {
        #expect(orderWith([bucketLine(released: 10)], status: status).isSettled)
    }

    @Test(arguments: [
        ([bucketLine(released: 10)], false),
        ([bucketLine(allocated: 10)], false),
        ([bucketLine(released: 1, shipped: 9)], false),
        ([bucketLine(shipped: 10)], true),
        ([bucketLine(open: 10, backordered: 10)], true),
        ([bucketLine(open: 5, backordered: 5, shipped: 5), bucketLine(2, cancelled: 10)], true),
        ([bucketLine(shipped: 10), bucketLine(2, open: 9, allocated: 1)], false),
    ])
    func otherOrdersAreSettledWhenNothingIsReservedOrReleased(lines: [OrderLine], settled: Bool) {
        for status in [OrderStatus.released, .partiallyShipped, .backordered, .shipped] {
            #expect(orderWith(lines, status: status).isSettled == settled, "\(status)")
        }
    }

    @Test func terminalStatuses() {
        #expect(OrderStatus.allCases.filter(\.isTerminal) == [.invoiced, .closed, .rejected, .cancelled])
    }

    @Test func codableRoundTripWithCamelCaseIds() throws {
        var o = orderWith([bucketLine(released: 10)])
        o.fulfillmentOrderIDs = ["FO-1"]
        let data = try JSONCoding.encoder().encode(o)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""fulfillmentOrderIds":["FO-1"]"#))
        #expect(text.contains(#""externalId":"X""#))
        #expect(try JSONCoding.decoder().decode(SalesOrder.self, from: data) == o)
    }
}

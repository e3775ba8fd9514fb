import CrossdockDomain
import Foundation
import Testing

/// An order closes when every line is invoiced, cancelled or credited, nothing on it is open, and its return window
/// has passed since it was invoiced or cancelled.
@Suite struct OrderClosingTests {
    typealias F = WatchdogFixture

    func order(status: OrderStatus = .invoiced, invoiced: Int = 2, cancelled: Int = 0, at: Date = F.monday) -> SalesOrder {
        var line = OrderLine(lineNo: 1, sku: "SKU-1", quantity: 2, unitPrice: Fixture.usd(100), priceSource: "list", tax: Fixture.usd(0))
        line.invoiced = invoiced
        line.shipped = invoiced
        line.cancelled = cancelled
        line.open = 0
        var order = SalesOrder(
            id: "SO-1",
            channel: "api",
            externalID: "E-1",
            customerID: "C-1",
            customerPO: nil,
            shipTo: Fixture.shipToNY,
            requestedDate: nil,
            shipPolicy: .shipPartial,
            currency: .usd,
            lines: [line],
            receivedAt: F.at(-F.day)
        )
        order.transition(to: status, at: at)
        return order
    }

    func verdict(
        _ order: SalesOrder,
        exceptions: Int = 0,
        returns: [ReturnAuthorization] = [],
        window: Int = 30,
        at: TimeInterval
    ) -> OrderClosing.Verdict {
        OrderClosing.verdict(order, openExceptions: exceptions, returns: returns, returnWindowDays: window, now: F.at(at))
    }

    func rma(_ status: ReturnAuthorization.Status) -> ReturnAuthorization {
        ReturnAuthorization(
            id: "RMA-1",
            number: "RMA-1",
            orderID: "SO-1",
            customerID: "C-1",
            warehouseID: "WH",
            status: status,
            lines: [],
            authorizedAt: F.monday
        )
    }

    @Test func anInvoicedOrderClosesWhenItsReturnWindowEnds() {
        #expect(verdict(order(), at: 30 * F.day - 1) == .waitUntil(F.at(30 * F.day)))
        #expect(verdict(order(), at: 30 * F.day) == .close)
        #expect(verdict(order(), window: 0, at: 0) == .close)
        #expect(verdict(order(), window: 60, at: 30 * F.day) == .waitUntil(F.at(60 * F.day)))
    }

    @Test func aCancelledOrderClosesToo() {
        #expect(verdict(order(status: .cancelled, invoiced: 0, cancelled: 2), at: 30 * F.day) == .close)
        #expect(verdict(order(status: .cancelled, invoiced: 1, cancelled: 1), at: 30 * F.day) == .close)
    }

    @Test func anythingOpenKeepsItOpen() {
        for status in OrderStatus.allCases where status != .invoiced && status != .cancelled {
            #expect(verdict(order(status: status), at: 90 * F.day) == .keepOpen("not_final"), "\(status)")
        }
        #expect(verdict(order(invoiced: 1), at: 90 * F.day) == .keepOpen("lines_open"))
        #expect(verdict(order(), exceptions: 1, at: 90 * F.day) == .keepOpen("exception_open"))
        #expect(verdict(order(), returns: [rma(.authorized)], at: 90 * F.day) == .keepOpen("return_open"))
        #expect(verdict(order(), returns: [rma(.partiallyReceived)], at: 90 * F.day) == .keepOpen("return_open"))
        #expect(verdict(order(), returns: [rma(.received), rma(.cancelled)], at: 90 * F.day) == .close)
    }

    @Test func aClosedOrderStillTakesReturnsAndNothingElse() {
        #expect(OrderLifecycle.table.permits(.invoiced, .close, to: .closed))
        #expect(OrderLifecycle.table.permits(.cancelled, .close, to: .closed))
        #expect(OrderLifecycle.table.permits(.closed, .authorizeReturn, to: .closed))
        #expect(OrderLifecycle.table.permits(.closed, .receiveReturn, to: .closed))
        #expect(!OrderLifecycle.table.permits(.shipped, .close, to: .closed))
        #expect(OrderLifecycle.table.transition(from: .closed, on: .cancel) == nil)
        #expect(OrderStatus.closed.isTerminal)
    }
}

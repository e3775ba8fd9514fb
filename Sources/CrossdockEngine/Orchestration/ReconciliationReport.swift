import CrossdockDomain
import CrossdockStore
import Foundation

/// Ordered vs shipped vs invoiced vs returned vs credited, per order and in total (DOMAIN.md 5.1–5.2).
public struct ReconciliationReport: Sendable {
    let store: any Store

    /// Creates the report over `store`.
    public init(store: any Store) { self.store = store }

    /// The facts of one order, from the order and its invoices and credit memos.
    public func facts(_ order: SalesOrder) async throws -> Reconciliation.OrderFacts {
        let invoices = try await store.invoices(orderID: order.id).filter { $0.status == .posted }
        let credits = try await store.creditMemos(orderID: order.id)
        let lostUnits = try await store.shipments(orderID: order.id).filter { order.shipments[$0.id] == .settled }.reduce(0) {
            $0 + $1.quantitiesByLine.values.reduce(0, +)
        }
        let units: (KeyPath<OrderLine, Int>) -> Int = { path in order.lines.reduce(0) { $0 + $1[keyPath: path] } }
        var facts = Reconciliation.OrderFacts(
            orderID: order.id,
            ordered: units(\.quantity),
            rejected: units(\.rejected),
            cancelled: units(\.cancelled),
            open: units(\.open) + units(\.allocated) + units(\.released),
            shipped: units(\.shipped),
            invoicedUnits: invoices.reduce(0) { $0 + $1.lines.reduce(0) { $0 + $1.quantity } },
            invoicedAmount: invoices.reduce(0) { $0 + $1.total.minorUnits },
            returnedUnits: units(\.returned),
            creditedReturnUnits: credits.filter { $0.reason == .return }.reduce(0) { $0 + $1.lines.reduce(0) { $0 + $1.quantity } },
            creditedLossUnits: credits.filter { $0.reason != .return }.reduce(0) { $0 + $1.lines.reduce(0) { $0 + $1.quantity } },
            creditedAmount: credits.reduce(0) { $0 + $1.total.minorUnits },
            lostUnits: lostUnits
        )
        facts.legalEntityID = order.legalEntityID
        facts.currency = order.currency.code
        return facts
    }

    /// The summary over orders received in `from..<to` (every order when both are nil).
    public func summary(from: Date?, to: Date?) async throws -> Reconciliation.Summary {
        let (facts, closed, open) = try await collect(from: from, to: to)
        var summary = Reconciliation.summarizeByEntity(facts)
        summary.closedOrders = closed
        summary.openOrders = open
        return summary
    }

    /// The facts of every order received in `from..<to` (every order when both are nil), oldest first: what the
    /// summary adds up, for a drill-down to the orders behind a figure.
    public func orderFacts(from: Date?, to: Date?) async throws -> [Reconciliation.OrderFacts] {
        try await collect(from: from, to: to).facts
    }

    private func collect(from: Date?, to: Date?) async throws -> (facts: [Reconciliation.OrderFacts], closed: Int, open: Int) {
        var facts: [Reconciliation.OrderFacts] = []
        var closed = 0
        var open = 0
        var cursor: Int64 = 0
        while true {
            let page = try await store.orderIDs(after: cursor, limit: 500)
            for id in page.ids {
                guard let order = try await store.order(id) else { continue }
                if let from, order.receivedAt < from { continue }
                if let to, order.receivedAt >= to { continue }
                facts.append(try await self.facts(order))
                if order.status == .closed {
                    closed += 1
                } else if order.status != .rejected {
                    open += 1
                }
            }
            guard let last = page.last, page.ids.count == 500 else { break }
            cursor = last
        }
        return (facts, closed, open)
    }
}

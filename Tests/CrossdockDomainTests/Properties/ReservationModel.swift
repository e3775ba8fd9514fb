import CrossdockDomain
import Foundation

/// An in-memory stand-in for the store: balances, orders and fulfilment orders, with inventory changes applied
/// under the store's guard (see ``InventoryChange``).
struct ReservationModel: Equatable {
    /// A balance's key.
    struct Key: Hashable, Comparable, CustomStringConvertible {
        var warehouse: String
        var sku: String

        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.warehouse, lhs.sku) < (rhs.warehouse, rhs.sku) }

        var description: String { "\(sku)@\(warehouse)" }
    }

    /// Why a change could not apply.
    struct GuardFailure: Error, Equatable, CustomStringConvertible {
        var change: InventoryChange
        var balance: InventoryBalance?
        var reason: String

        var description: String {
            let state = balance.map { "onHand \($0.onHand) reserved \($0.reserved) safety \($0.safetyStock)" } ?? "no balance"
            return "guard refused \(change.sku)@\(change.warehouseID) Δon \(change.onHandDelta) Δres \(change.reservedDelta) (\(state)): \(reason)"
        }
    }

    var balances: [Key: InventoryBalance] = [:]
    var orders: [String: SalesOrder] = [:]
    var fulfillments: [String: FulfillmentOrder] = [:]
    /// Order ids in creation order.
    var orderIDs: [String] = []
    /// Fulfilment order ids in creation order.
    var fulfillmentIDs: [String] = []

    init(balances: [InventoryBalance]) {
        for balance in balances { self.balances[Key(warehouse: balance.warehouseID, sku: balance.sku)] = balance }
    }

    /// Every balance, sorted by warehouse then SKU.
    var balanceList: [InventoryBalance] { balances.keys.sorted().map { balances[$0]! } }

    /// Orders in creation order.
    var orderList: [SalesOrder] { orderIDs.map { orders[$0]! } }

    /// Fulfilment orders in creation order.
    var fulfillmentList: [FulfillmentOrder] { fulfillmentIDs.map { fulfillments[$0]! } }

    /// The fulfilment orders of `orderID`.
    func fulfillments(of orderID: String) -> [FulfillmentOrder] { fulfillmentList.filter { $0.orderID == orderID } }

    /// Applies `changes` as one unit: all or none.
    /// - Throws: the first ``GuardFailure``; nothing changes then.
    mutating func apply(_ changes: [InventoryChange]) throws(GuardFailure) {
        var next = balances
        for change in changes {
            let key = Key(warehouse: change.warehouseID, sku: change.sku)
            guard var balance = next[key] else {
                // The store only creates a balance for stock arriving.
                guard change.onHandDelta > 0, change.reservedDelta == 0 else {
                    throw GuardFailure(change: change, balance: nil, reason: "no such balance")
                }
                next[key] = InventoryBalance(warehouseID: change.warehouseID, sku: change.sku, onHand: change.onHandDelta)
                continue
            }
            let before = balance
            balance.onHand += change.onHandDelta
            balance.reserved += change.reservedDelta
            if balance.onHand < 0 { throw GuardFailure(change: change, balance: before, reason: "on hand would go negative") }
            if balance.reserved < 0 { throw GuardFailure(change: change, balance: before, reason: "reserved would go negative") }
            if balance.reserved > balance.onHand { throw GuardFailure(change: change, balance: before, reason: "reserved would exceed on hand") }
            if change.reservedDelta > 0, balance.onHand - balance.reserved - balance.safetyStock < 0 {
                throw GuardFailure(change: change, balance: before, reason: "reservation exceeds available-to-promise")
            }
            next[key] = balance
        }
        balances = next
    }

    /// Stores `order` (new or updated).
    mutating func put(_ order: SalesOrder) {
        if orders[order.id] == nil { orderIDs.append(order.id) }
        orders[order.id] = order
    }

    /// Stores `fulfillment` (new or updated).
    mutating func put(_ fulfillment: FulfillmentOrder) {
        if fulfillments[fulfillment.id] == nil { fulfillmentIDs.append(fulfillment.id) }
        fulfillments[fulfillment.id] = fulfillment
    }

    /// What the account's accepted, uninvoiced orders still add to its exposure.
    var openOrderValue: Int64 {
        orderList.filter { ![.received, .validated, .onHold, .rejected, .cancelled].contains($0.status) }
            .reduce(0) { $0 + $1.openValue.minorUnits }
    }

    // MARK: - Invariants

    /// Every state invariant that does not depend on the step: a list of violations, empty when all hold.
    func violations() -> [String] {
        var found: [String] = []

        // 1 and 4. Balances: never more reserved than on hand, on hand never negative, ATP never negative.
        for (key, balance) in balances.sorted(by: { $0.key < $1.key }) {
            if balance.onHand < 0 { found.append("1: \(key) on hand \(balance.onHand) < 0") }
            if balance.reserved < 0 { found.append("1: \(key) reserved \(balance.reserved) < 0") }
            if balance.reserved > balance.onHand { found.append("1: \(key) reserved \(balance.reserved) > on hand \(balance.onHand)") }
            if balance.availableToPromise < 0 { found.append("4: \(key) available-to-promise \(balance.availableToPromise) < 0") }
        }

        // 2. Lines: never more allocated than ordered; buckets add up; no open unit forgotten.
        var reservedByLines: [Key: Int] = [:]
        for order in orderList {
            for line in order.lines {
                let place = "\(order.id) line \(line.lineNo)"
                let committed = line.allocated + line.released + line.shipped
                if committed > line.quantity - line.rejected - line.cancelled {
                    found.append(
                        "2: \(place) allocated \(line.allocated) + released \(line.released) + shipped \(line.shipped) > "
                            + "quantity \(line.quantity) − rejected \(line.rejected) − cancelled \(line.cancelled)"
                    )
                }
                if !line.isBalanced { found.append("2: \(place) not balanced: \(Self.describe(line))") }
                if ![.received, .validated, .onHold, .rejected].contains(order.status), line.open != line.backordered {
                    found.append("2: \(place) has \(line.open) open unit(s) but \(line.backordered) backordered (never refilled)")
                }
                for (warehouse, quantity) in line.warehouseQuantities {
                    reservedByLines[Key(warehouse: warehouse, sku: line.sku), default: 0] += quantity
                }
            }
        }

        // 3. Reserved equals the sum of open allocations.
        for key in Set(balances.keys).union(reservedByLines.keys).sorted() {
            let reserved = balances[key]?.reserved ?? 0
            let expected = reservedByLines[key] ?? 0
            if reserved != expected { found.append("3: \(key) reserved \(reserved) ≠ \(expected) allocated or released to order lines") }
        }

        // 3 (fulfilment side). What lines say is released matches what their fulfilment orders still have to do.
        for order in orderList {
            let fulfillments = fulfillments(of: order.id)
            if Set(order.fulfillmentOrderIDs) != Set(fulfillments.map(\.id)) {
                found.append("3: \(order.id) lists fulfilment orders \(order.fulfillmentOrderIDs.sorted()) but has \(fulfillments.map(\.id))")
            }
            for line in order.lines {
                var remaining: [String: Int] = [:]
                var requested = 0
                for fulfillment in fulfillments {
                    for fLine in fulfillment.lines where fLine.lineNo == line.lineNo {
                        remaining[fulfillment.warehouseID, default: 0] += fLine.remaining
                        requested += fLine.cancelRequested
                        if fLine.sku != line.sku {
                            found.append("3: \(fulfillment.id) line \(line.lineNo) ships \(fLine.sku) but order line is \(line.sku)")
                        }
                    }
                }
                let released = remaining.values.reduce(0, +)
                if line.released != released {
                    found.append("3: \(order.id) line \(line.lineNo) released \(line.released) ≠ \(released) remaining on fulfilment orders")
                }
                let held = line.warehouseQuantities.filter { $0.value != 0 }
                let expected = remaining.filter { $0.value != 0 }
                if line.allocated == 0, held != expected {
                    found.append("3: \(order.id) line \(line.lineNo) reservations \(held) ≠ remaining work \(expected)")
                }
                if line.cancelRequested != requested {
                    found.append("3: \(order.id) line \(line.lineNo) cancelRequested \(line.cancelRequested) ≠ \(requested) on fulfilment orders")
                }
            }
        }

        // 5. Fulfilment order lines.
        for fulfillment in fulfillmentList {
            for line in fulfillment.lines {
                let place = "\(fulfillment.id) line \(line.lineNo)"
                if line.shipped + line.short + line.cancelled > line.quantity {
                    found.append(
                        "5: \(place) shipped \(line.shipped) + short \(line.short) + cancelled \(line.cancelled) > quantity \(line.quantity)"
                    )
                }
                if line.cancelRequested > line.remaining || line.cancelRequested < 0 {
                    found.append("5: \(place) cancelRequested \(line.cancelRequested) > remaining \(line.remaining)")
                }
            }
            if fulfillment.status.isTerminal, fulfillment.lines.contains(where: { $0.remaining > 0 }) {
                found.append("5: \(fulfillment.id) is \(fulfillment.status.rawValue) with units remaining")
            }
        }
        return found
    }

    /// A line's buckets on one line.
    static func describe(_ line: OrderLine) -> String {
        "q \(line.quantity) rej \(line.rejected) open \(line.open) bo \(line.backordered) alloc \(line.allocated) rel \(line.released) "
            + "ship \(line.shipped) canc \(line.cancelled) creq \(line.cancelRequested) wq \(line.warehouseQuantities)"
    }
}

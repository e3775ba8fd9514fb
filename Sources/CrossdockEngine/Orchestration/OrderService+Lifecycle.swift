import CrossdockDomain
import CrossdockStore
import Foundation
import Tracing

extension OrderService {
    /// Cancels a whole order (`lines == nil`) or some units: unreleased units at once (reservations and credit
    /// freed), released ones by a request to their warehouses.
    /// - Returns: 200 with the order.
    public func cancel(orderID: String, lines: [LineQuantity]?, reason: String?, idempotency: IdempotencyContext?) async throws -> Reply {
        try await withSpan("order.cancel") { _ in
            let commandID = IDs.make()
            return try await runner.run(idempotency: idempotency) {
                let order = try await existingOrder(orderID)
                let fulfillments = try await store.fulfillments(orderID: orderID)
                let outcome: OrderCancellation.Outcome
                do {
                    outcome = try OrderCancellation.cancel(
                        order,
                        fulfillments: fulfillments,
                        lines: lines,
                        reason: reason,
                        commandID: commandID,
                        now: now(),
                        makeID: IDs.make
                    )
                } catch let error as CommandError {
                    throw EngineError(error)
                }
                var unit = UnitOfWork()
                unit.orders = [.init(outcome.order, expectedVersion: order.version)]
                let previous = Dictionary(uniqueKeysWithValues: fulfillments.map { ($0.id, $0.version) })
                unit.fulfillments = outcome.fulfillments.map { .init($0, expectedVersion: previous[$0.id]) }
                unit.inventory = outcome.inventory
                unit.events = outcome.events
                unit.creditChanges = creditChanges(before: order, after: outcome.order, receivables: 0)
                if !outcome.inventory.isEmpty {
                    try await reader.fillBackorders(skus: outcome.inventory.map(\.sku), into: &unit, commandID: commandID)
                }
                return (unit, Reply(status: 200, body: try encode(outcome.order)))
            }
        }
    }

    /// Releases an order from credit hold: credit is re-validated against the account now; then the order is
    /// accepted, allocated and released.
    /// - Returns: 200 with the order; 409 `credit_refused` when credit still does not cover it.
    public func releaseHold(orderID: String, actor: String?, idempotency: IdempotencyContext?) async throws -> Reply {
        try await withSpan("order.release_hold") { _ in
            let commandID = IDs.make()
            return try await runner.run(idempotency: idempotency) {
                let order = try await existingOrder(orderID)
                guard let customer = try await store.customer(order.customerID),
                    let standing = try await store.creditStanding(order.customerID)
                else {
                    throw EngineError(.notFound, code: "not_found", message: "customer \(order.customerID) does not exist")
                }
                let context = try await reader.context(skus: order.lines.map(\.sku), allowSubstitution: customer.allowSubstitution)
                let outcome: HoldRelease.Outcome
                do {
                    outcome = try HoldRelease.release(
                        order,
                        standing: standing,
                        customer: customer,
                        allocation: context,
                        actor: actor,
                        commandID: commandID,
                        now: now(),
                        makeID: IDs.make
                    )
                } catch let error as CommandError {
                    throw EngineError(error)
                }
                var unit = UnitOfWork()
                unit.orders = [.init(outcome.order, expectedVersion: order.version)]
                unit.fulfillments = outcome.fulfillmentOrders.map { .init($0, expectedVersion: nil) }
                unit.inventory = outcome.inventory
                unit.creditReservations = [CreditReservation(customerID: customer.id, amount: outcome.creditReserved)]
                unit.events = outcome.events
                return (unit, Reply(status: 200, body: try encode(outcome.order)))
            }
        }
    }

    /// Throws 409 `illegal_transition` unless the order table allows `action` in `status`.
    func permit(_ status: OrderStatus, _ action: OrderAction) throws(EngineError) {
        guard OrderLifecycle.table.transition(from: status, on: action) != nil else {
            do { try OrderLifecycle.table.check(status, action) } catch { throw EngineError(CommandError(error)) }
            return
        }
    }

    /// The order, or 404.
    func existingOrder(_ id: String) async throws -> SalesOrder {
        guard let order = try await store.order(id) else {
            throw EngineError(.notFound, code: "not_found", message: "order \(id) does not exist")
        }
        return order
    }
}

import Foundation

/// Releases an order from credit hold (DOMAIN.md 2.4): credit is re-validated against the account as it is now,
/// then the order is accepted, allocated and released like a new one. Pure.
public enum HoldRelease {
    /// What to commit.
    public struct Outcome: Sendable {
        /// The order after the command.
        public var order: SalesOrder
        /// Reservations.
        public var inventory: [InventoryChange]
        /// Fulfilment orders released.
        public var fulfillmentOrders: [FulfillmentOrder]
        /// The amount added to the account's open orders.
        public var creditReserved: Money
        /// Events, in order.
        public var events: [EventDraft]
    }

    /// Releases `order` from hold.
    /// - Parameters:
    ///   - order: an order on hold.
    ///   - standing: the account's credit now.
    ///   - customer: the account.
    ///   - allocation: stock and rules.
    ///   - actor: who released it (for the event).
    ///   - commandID: causation.
    ///   - now: the time.
    ///   - makeID: ids.
    /// - Throws: ``CommandError``: `illegal_transition` unless on hold; `credit_refused` when the account is still on
    ///   hold, blocked or over its limit (the order stays on hold).
    public static func release(
        _ order: SalesOrder,
        standing: CreditStanding,
        customer: Customer,
        allocation: AllocationContext,
        actor: String?,
        commandID: String,
        now: Date,
        makeID: @escaping @Sendable () -> String
    ) throws(CommandError) -> Outcome {
        do { try OrderLifecycle.table.check(order.status, .releaseHold) } catch { throw CommandError(error) }
        let action = OrderAction.releaseHold.rawValue
        func refuse(_ message: String) -> CommandError {
            CommandError(code: "credit_refused", message: message, currentStatus: order.status.rawValue, action: action)
        }
        if customer.status == .blocked { throw refuse("customer \(customer.id) is blocked; the order stays on hold") }
        if let hold = customer.creditHold {
            throw refuse("customer \(customer.id) is on credit hold (\(hold.reason)); lift the account hold first")
        }
        let value = order.openValue
        if standing.exposure.minorUnits + value.minorUnits > customer.creditLimit.minorUnits {
            throw refuse(
                "exposure \(standing.exposure.minorUnits) + order \(value.minorUnits) still exceeds limit \(customer.creditLimit.minorUnits)"
            )
        }
        var order = order
        var recorder = EventRecorder(correlationID: order.id, causationID: commandID, makeID: makeID)
        order.reasons = []
        recorder.record(.orderHoldReleased, subject: order.id, at: now, HoldReleasedData(orderId: order.id, holdType: "credit", actor: actor))
        order.transition(to: .accepted, at: now)
        recorder.record(.orderAccepted, subject: order.id, at: now, OrderEventData(order))
        let result = OrderAllocation.run(&order, context: allocation, now: now, recorder: &recorder, makeID: makeID)
        order.transition(to: order.derivedStatus, at: now)
        if order.status == .released {
            recorder.record(.orderReleased, subject: order.id, at: now, OrderStatusData(order))
        }
        order.version += 1
        return Outcome(
            order: order,
            inventory: result.inventory,
            fulfillmentOrders: result.fulfillmentOrders,
            creditReserved: value,
            events: recorder.events
        )
    }
}

/// The `data` of `order.hold_released`.
public struct HoldReleasedData: Hashable, Sendable, Codable {
    public var orderId: String
    /// `credit`.
    public var holdType: String
    /// Who released it, when known.
    public var actor: String?
}

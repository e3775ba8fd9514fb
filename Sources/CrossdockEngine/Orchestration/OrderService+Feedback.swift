import CrossdockDomain
import CrossdockStore
import Foundation
import Tracing

extension OrderService {
    /// Applies a warehouse report to a fulfilment order: picks, short picks (the remainder re-allocated elsewhere
    /// or backordered), shipments (invoiced at once) and answers to cancellation requests.
    /// - Returns: 200 with the fulfilment order after the report.
    public func applyFeedback(_ feedback: FulfillmentFeedback, fulfillmentID: String, idempotency: IdempotencyContext?) async throws -> Reply {
        try await withSpan("fulfillment.feedback") { span in
            span.attributes["crossdock.fulfillment.action"] = feedback.action
            let commandID = IDs.make()
            return try await runner.run(idempotency: idempotency) {
                guard let fulfillment = try await store.fulfillment(fulfillmentID) else {
                    throw EngineError(.notFound, code: "not_found", message: "fulfillment order \(fulfillmentID) does not exist")
                }
                guard let order = try await store.order(fulfillment.orderID), let customer = try await store.customer(order.customerID) else {
                    throw EngineError(.notFound, code: "not_found", message: "order \(fulfillment.orderID) does not exist")
                }
                var reallocation: AllocationContext?
                if case .shortPicked(let lines, _) = feedback {
                    let skus = lines.compactMap { line in fulfillment.lines.first { $0.lineNo == line.lineNo }?.sku }
                    reallocation = try await reader.context(skus: skus, allowSubstitution: false)
                }
                let outcome: FulfillmentFeedbackApplier.Outcome
                do {
                    outcome = try FulfillmentFeedbackApplier.apply(
                        feedback,
                        to: fulfillment,
                        order: order,
                        reallocation: reallocation,
                        paymentNetDays: customer.paymentTerms.netDays,
                        commandID: commandID,
                        now: now(),
                        makeID: IDs.make
                    )
                } catch let error as CommandError {
                    if let replay = try await runner.recorded(idempotency) { throw RecordedReply(reply: replay) }
                    throw EngineError(error)
                }
                var unit = UnitOfWork()
                unit.orders = [.init(outcome.order, expectedVersion: order.version)]
                unit.fulfillments =
                    [.init(outcome.fulfillment, expectedVersion: fulfillment.version)] + outcome.released.map { .init($0, expectedVersion: nil) }
                unit.shipments = outcome.shipment.map { [.init($0, expectedVersion: nil)] } ?? []
                unit.invoices = outcome.invoice.map { [$0] } ?? []
                unit.inventory = outcome.inventory
                unit.events = outcome.events
                unit.creditChanges = creditChanges(before: order, after: outcome.order, receivables: outcome.invoice?.total.minorUnits ?? 0)
                if case .cancelRefused(let reason) = feedback {
                    let exception = OperationsException(
                        id: IDs.make(),
                        kind: .cancelRefused,
                        detail: reason,
                        orderID: order.id,
                        fulfillmentOrderID: fulfillment.id,
                        openedAt: now()
                    )
                    unit.exceptions = [.init(exception, expectedVersion: nil)]
                }
                if case .cancelAccepted = feedback {
                    // Freed reservations can serve orders waiting for the same SKUs.
                    try await reader.fillBackorders(skus: fulfillment.lines.map(\.sku), into: &unit, commandID: commandID)
                }
                return (unit, Reply(status: 200, body: try encode(outcome.fulfillment)))
            }
        }
    }

    /// The changes to the account's credit figures between two versions of an order: its open value (accepted,
    /// uninvoiced) falls with invoices and cancellations; `receivables` moves to open receivables. Orders on hold
    /// or rejected reserved nothing and change nothing.
    func creditChanges(before: SalesOrder, after: SalesOrder, receivables: Int64) -> [CreditChange] {
        guard before.status != .onHold, before.status != .rejected, before.status != .received else { return [] }
        let delta = after.openValue.minorUnits - before.openValue.minorUnits
        guard delta != 0 || receivables != 0 else { return [] }
        return [CreditChange(customerID: after.customerID, openOrdersDelta: delta, openBalanceDelta: receivables)]
    }
}

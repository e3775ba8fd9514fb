import CrossdockDomain
import CrossdockStore
import Foundation
import Tracing

/// The `data` of `shipment.label_created`, `shipment.in_transit`, `shipment.out_for_delivery`, `shipment.delivered`,
/// `shipment.exception` and `shipment.exception_resolved`.
struct ShipmentMilestoneData: Codable, Sendable {
    var shipmentId: String
    var orderId: String
    var trackingNumber: String?
    var status: TrackingStatus
    var occurredAt: Date?
    var estimatedDeliveryAt: Date?
    var deliveredAt: Date?
    var location: String?
    var exceptionKind: DeliveryExceptionKind?
    var exceptionId: String?
    var resolution: OperationsException.Resolution?
}

extension OrderService {
    /// Exception kinds that need operations to act (goods damaged, missing or coming back); delays and failed
    /// attempts are published but raise nothing.
    static let actionableExceptions: Set<DeliveryExceptionKind> = [.damaged, .lost, .returnedToSender, .refused]

    /// Records a carrier milestone for a shipment.
    /// - Returns: 200 with the shipment (also for duplicates, which change nothing).
    public func recordTracking(shipmentID: String, milestone: TrackingMilestone, idempotency: IdempotencyContext?) async throws -> Reply {
        try await withSpan("shipment.tracking") { span in
            span.attributes["crossdock.tracking.status"] = milestone.status.rawValue
            let invalid = milestone.validate()
            guard invalid.isEmpty else {
                throw EngineError(.invalid, code: "invalid_milestone", message: "the milestone has \(invalid.count) problem(s)", errors: invalid)
            }
            let commandID = IDs.make()
            return try await runner.run(idempotency: idempotency) {
                guard let shipment = try await store.shipment(shipmentID) else {
                    throw EngineError(.notFound, code: "not_found", message: "shipment \(shipmentID) does not exist")
                }
                let order = try await existingOrder(shipment.orderID)
                try permit(order.status, .track)
                var updated = shipment
                let outcome: TrackingOutcome
                do {
                    outcome = try updated.tracking.apply(milestone)
                } catch let error as TrackingError {
                    throw EngineError(.invalid, code: error.code, message: error.message, errors: error.errors)
                }
                guard case .applied(let signals) = outcome else {
                    return (UnitOfWork(), Reply(status: 200, body: try encode(shipment)))
                }
                var changed = order
                var recorder = EventRecorder(correlationID: order.id, causationID: commandID, makeID: IDs.make)
                var unit = UnitOfWork()
                func data(_ status: TrackingStatus, kind: DeliveryExceptionKind? = nil, exceptionID: String? = nil) -> ShipmentMilestoneData {
                    ShipmentMilestoneData(
                        shipmentId: shipment.id,
                        orderId: order.id,
                        trackingNumber: milestone.trackingNumber,
                        status: status,
                        occurredAt: milestone.occurredAt,
                        estimatedDeliveryAt: updated.tracking.estimatedDeliveryAt,
                        deliveredAt: updated.tracking.deliveredAt,
                        location: milestone.location,
                        exceptionKind: kind,
                        exceptionId: exceptionID
                    )
                }
                let at = now()
                for signal in signals {
                    switch signal {
                    case .labelCreated: recorder.record(.shipmentLabelCreated, subject: shipment.id, at: at, data(.labelCreated))
                    case .inTransit: recorder.record(.shipmentInTransit, subject: shipment.id, at: at, data(milestone.status))
                    case .outForDelivery: recorder.record(.shipmentOutForDelivery, subject: shipment.id, at: at, data(.outForDelivery))
                    case .etaChanged:
                        if !signals.contains(.inTransit) {
                            recorder.record(.shipmentInTransit, subject: shipment.id, at: at, data(milestone.status))
                        }
                    case .delivered:
                        recorder.record(.shipmentDelivered, subject: shipment.id, at: at, data(.delivered))
                        if updated.exceptionID == nil { changed.shipments[shipment.id] = .delivered }
                    case .exception(let kind):
                        var exceptionID: String?
                        if Self.actionableExceptions.contains(kind), updated.exceptionID == nil {
                            let exception = OperationsException(
                                id: IDs.make(),
                                kind: .deliveryException,
                                detail: kind.rawValue,
                                orderID: order.id,
                                shipmentID: shipment.id,
                                openedAt: at
                            )
                            unit.exceptions.append(.init(exception, expectedVersion: nil))
                            updated.exceptionID = exception.id
                            exceptionID = exception.id
                            changed.shipments[shipment.id] = .exception
                        }
                        recorder.record(
                            .shipmentException,
                            subject: shipment.id,
                            at: at,
                            data(milestone.status, kind: kind, exceptionID: exceptionID)
                        )
                    }
                }
                updated.version += 1
                let before = changed.status
                changed.transition(to: changed.derivedStatus, at: at)
                if changed.status != before {
                    recorder.record(.orderStatusChanged, subject: order.id, at: at, OrderStatusData(changed))
                }
                changed.version += 1
                unit.shipments = [.init(updated, expectedVersion: shipment.version)]
                unit.orders = [.init(changed, expectedVersion: order.version)]
                unit.events = recorder.events
                return (unit, Reply(status: 200, body: try encode(updated)))
            }
        }
    }

    /// Runs a billing computation, turning its error into a 422/409 for `status` and `action`.
    static func billing<T>(status: String, action: String, _ body: () throws(BillingError) -> T) throws(EngineError) -> T {
        do { return try body() } catch { throw EngineError(error, status: status, action: action) }
    }

    /// Adds to `unit` the settlement of a shipment's delivery exception (and its credit memo for `credit`).
    func settleShipment(
        _ shipmentID: String,
        exception: inout OperationsException,
        resolution: OperationsException.Resolution,
        commandID: String,
        unit: inout UnitOfWork
    ) async throws {
        guard let shipment = try await store.shipment(shipmentID) else {
            throw EngineError(.notFound, code: "not_found", message: "shipment \(shipmentID) does not exist")
        }
        let order = try await existingOrder(shipment.orderID)
        try permit(order.status, .resolveException)
        var changed = order
        var updated = shipment
        updated.tracking.resolveException()
        updated.exceptionID = nil
        updated.version += 1
        var recorder = EventRecorder(correlationID: order.id, causationID: commandID, makeID: IDs.make)
        let at = now()
        if resolution == .credit {
            let invoices = try await store.invoices(orderID: order.id).filter { $0.shipmentID == shipment.id }
            let previous = try await store.creditMemos(orderID: order.id)
            let reason: CreditMemo.Reason =
                switch exception.detail {
                case DeliveryExceptionKind.damaged.rawValue: .damagedInTransit
                case DeliveryExceptionKind.returnedToSender.rawValue, DeliveryExceptionKind.refused.rawValue: .returnedToSender
                default: .lostShipment
                }
            let memoID = IDs.make()
            let memo = try Self.billing(status: order.status.rawValue, action: OrderAction.resolveException.rawValue) { () throws(BillingError) in
                try Crediting.creditMemo(
                    id: memoID,
                    number: DocumentNumber.make("CM", id: memoID),
                    reason: reason,
                    quantities: shipment.quantitiesByLine,
                    invoices: invoices,
                    previousCredits: previous,
                    issuedAt: at
                )
            }
            for (lineNo, quantity) in memo.quantitiesByLine {
                changed.lines[changed.lines.firstIndex { $0.lineNo == lineNo }!].credited += quantity
            }
            exception.creditMemoID = memo.id
            unit.creditMemos = [memo]
            unit.creditChanges = [CreditChange(customerID: order.customerID, openOrdersDelta: 0, openBalanceDelta: -memo.total.minorUnits)]
            recorder.record(.creditMemoIssued, subject: memo.id, at: at, memo)
        }
        changed.shipments[shipment.id] = updated.tracking.status == .delivered ? .delivered : .settled
        recorder.record(
            .shipmentExceptionResolved,
            subject: shipment.id,
            at: at,
            ShipmentMilestoneData(
                shipmentId: shipment.id,
                orderId: order.id,
                status: updated.tracking.status,
                exceptionKind: DeliveryExceptionKind(rawValue: exception.detail),
                exceptionId: exception.id,
                resolution: resolution
            )
        )
        let before = changed.status
        changed.transition(to: changed.derivedStatus, at: at)
        if changed.status != before { recorder.record(.orderStatusChanged, subject: order.id, at: at, OrderStatusData(changed)) }
        changed.version += 1
        unit.orders = [.init(changed, expectedVersion: order.version)]
        unit.shipments = [.init(updated, expectedVersion: shipment.version)]
        unit.events = recorder.events
    }
}

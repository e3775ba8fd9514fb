import CrossdockDomain
import CrossdockStore
import Foundation
import Tracing

/// The `data` of `exception.customer_notified`: what the channel relays to the customer.
struct CustomerNotificationData: Codable, Sendable {
    var exceptionId: String
    var orderId: String
    var channel: String
    var externalId: String
    var customerId: String
    var kind: OperationsException.Kind
    var detail: String
    var message: String
    var notifiedBy: String
}

extension OperationsException.Actor {
    /// The actor recorded when a caller names nobody.
    public static let unknown = OperationsException.Actor(keyId: nil, name: "unknown")
}

extension OrderService {
    /// Assigns an open exception to `assignee` (`exception.assigned`).
    /// - Returns: 200 with the exception; 409 when it is resolved.
    public func assignException(
        id: String,
        assignee: String,
        actor: OperationsException.Actor,
        idempotency: IdempotencyContext?
    ) async throws -> Reply {
        try Self.requireText(assignee, field: "assignee", limit: 200)
        return try await touchException(id: id, span: "exception.assign", event: .exceptionAssigned, idempotency: idempotency) { exception, at in
            try exception.assign(to: assignee, by: actor, at: at)
        }
    }

    /// Adds a comment to an open exception (`exception.commented`).
    /// - Returns: 200 with the exception; 409 when it is resolved.
    public func commentException(
        id: String,
        text: String,
        actor: OperationsException.Actor,
        idempotency: IdempotencyContext?
    ) async throws -> Reply {
        try Self.requireText(text, field: "text", limit: 4000)
        return try await touchException(id: id, span: "exception.comment", event: .exceptionCommented, idempotency: idempotency) { exception, at in
            try exception.comment(text, by: actor, at: at)
        }
    }

    /// Resolves an operations exception with a resolution that fits its kind (``OperationsException/Kind/resolutions``):
    /// `credit` issues a credit memo for a shipment's invoiced units, `reship` creates and releases a replacement
    /// order for them, `cancel_remainder` cancels the order's unshipped units, `substitute` puts a listed substitute on
    /// the backordered line and allocates it, `notify_customer` tells the customer through the channel, and
    /// `acknowledge` closes it with a note. A delivery exception's shipment is settled by every resolution. One unit of
    /// work: the exception with its activity, the changes, `exception.resolved` and the resolution's own events.
    /// - Parameters:
    ///   - id: the exception.
    ///   - resolution: how.
    ///   - note: the note (for `notify_customer`, the message to the customer; required).
    ///   - substituteSKU: the substitute, for `substitute` (required).
    ///   - actor: who resolved it.
    ///   - idempotency: the request's key.
    /// - Returns: 200 with the exception; 409 when it is already resolved; 422 naming `resolution` (or `note`,
    ///   `substituteSku`) when it does not fit.
    public func resolveException(
        id: String,
        resolution: OperationsException.Resolution,
        note: String?,
        substituteSKU: String? = nil,
        actor: OperationsException.Actor = .unknown,
        idempotency: IdempotencyContext?
    ) async throws -> Reply {
        try await withSpan("exception.resolve") { span in
            span.attributes["crossdock.exception.resolution"] = resolution.rawValue
            let commandID = IDs.make()
            return try await runner.run(idempotency: idempotency) {
                let exception = try await existingException(id)
                let at = now()
                var resolved = exception
                do {
                    try exception.requireOpen(for: "resolve")
                    try exception.check(resolution)
                    try Self.requireDetails(resolution, note: note, substituteSKU: substituteSKU, exception: exception)
                    try resolved.resolve(resolution, note: note, by: actor, at: at)
                } catch let error as CommandError {
                    throw EngineError(error)
                }
                var unit = UnitOfWork()
                if exception.kind == .deliveryException, let shipmentID = exception.shipmentID {
                    try await settleShipment(shipmentID, exception: &resolved, resolution: resolution, commandID: commandID, unit: &unit)
                }
                var events = unit.events
                switch resolution {
                case .reship: try await reship(&resolved, commandID: commandID, at: at, unit: &unit, events: &events)
                case .cancelRemainder: try await cancelRemainder(resolved, commandID: commandID, at: at, unit: &unit, events: &events)
                case .substitute:
                    try await substitute(&resolved, sku: substituteSKU ?? "", commandID: commandID, at: at, unit: &unit, events: &events)
                case .notifyCustomer:
                    try await notifyCustomer(resolved, message: note ?? "", actor: actor, commandID: commandID, at: at, events: &events)
                case .credit, .acknowledge, .automatic: break
                }
                events.append(exceptionEvent(.exceptionResolved, resolved, commandID: commandID, at: at))
                unit.events = events
                unit.exceptions = [.init(resolved, expectedVersion: exception.version)]
                return (unit, Reply(status: 200, body: try encode(resolved)))
            }
        }
    }

    /// Throws 422 when `resolution` lacks what it needs: a message for `notify_customer`, a SKU for `substitute`.
    static func requireDetails(
        _ resolution: OperationsException.Resolution,
        note: String?,
        substituteSKU: String?,
        exception: OperationsException
    ) throws(CommandError) {
        func missing(_ field: String, _ reason: String) -> CommandError {
            CommandError(
                code: "invalid_resolution",
                message: "'\(resolution.rawValue)' needs \(field)",
                errors: [.init(field: field, reason: reason)],
                currentStatus: exception.status.rawValue,
                action: "resolve"
            )
        }
        if resolution == .notifyCustomer, (note ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw missing("note", "must be the message for the customer")
        }
        if resolution == .substitute, (substituteSKU ?? "").isEmpty {
            throw missing("substituteSku", "must name the substitute SKU")
        }
        if resolution != .substitute, substituteSKU != nil {
            throw missing("substituteSku", "only for resolution 'substitute'")
        }
    }

    /// Throws 422 naming `field` unless `value` has text and at most `limit` characters.
    static func requireText(_ value: String, field: String, limit: Int) throws(EngineError) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.isEmpty || trimmed.count > limit else { return }
        let reason = trimmed.isEmpty ? "must not be empty" : "must be at most \(limit) characters"
        throw EngineError(.invalid, code: "invalid_fields", message: "\(field) \(reason)", errors: [.init(field: field, reason: reason)])
    }

    /// Runs a change to an open exception that only adds to its activity, with its event.
    private func touchException(
        id: String,
        span name: String,
        event: EventType,
        idempotency: IdempotencyContext?,
        _ change: @escaping @Sendable (inout OperationsException, Date) throws -> Void
    ) async throws -> Reply {
        try await withSpan(name) { _ in
            let commandID = IDs.make()
            return try await runner.run(idempotency: idempotency) {
                let exception = try await existingException(id)
                var changed = exception
                let at = now()
                do { try change(&changed, at) } catch let error as CommandError { throw EngineError(error) }
                var unit = UnitOfWork()
                unit.exceptions = [.init(changed, expectedVersion: exception.version)]
                unit.events = [exceptionEvent(event, changed, commandID: commandID, at: at)]
                return (unit, Reply(status: 200, body: try encode(changed)))
            }
        }
    }

    /// The exception, or 404.
    func existingException(_ id: String) async throws -> OperationsException {
        guard let exception = try await store.operationsException(id) else {
            throw EngineError(.notFound, code: "not_found", message: "exception \(id) does not exist")
        }
        return exception
    }

    /// An event about `exception`, correlated to its order (or its channel), as the watchdogs correlate theirs.
    func exceptionEvent(_ type: EventType, _ exception: OperationsException, commandID: String, at: Date) -> EventDraft {
        var recorder = EventRecorder(
            correlationID: exception.orderID.isEmpty ? "channel:\(exception.partner ?? "")" : exception.orderID,
            causationID: commandID,
            makeID: IDs.make
        )
        recorder.record(type, subject: exception.id, at: at, exception)
        return recorder.events[0]
    }
}

import CrossdockConnectors
import CrossdockDomain
import CrossdockStore
import Foundation
import Tracing

/// A 3PL's shipping confirmations as CSV (`POST /v1/inbound/3pl/{partner}/shipments`), mapped to the same
/// `shipped` feedback the WMS sends through the API. The whole file is checked first (every row parses, every
/// fulfilment order exists and belongs to the 3PL's warehouse), so a bad file ships nothing; then each fulfilment
/// order's confirmation is applied under an idempotency key made of the partner, the order and its tracking numbers,
/// so the same file sent twice ships once.
public struct ThirdPartyIntake: Sendable {
    /// What happened to one fulfilment order.
    public struct Outcome: Sendable, Encodable {
        /// The fulfilment order.
        public var fulfillmentOrderId: String
        /// HTTP-like status of the feedback: 200 applied (or applied before), else the refusal's.
        public var status: Int
        /// The refusal's code, if any.
        public var code: String?
        /// Why, if refused.
        public var message: String?
    }

    let store: any Store
    let orders: OrderService
    let directory: PartnerDirectory

    /// Creates the intake.
    public init(store: any Store, orders: OrderService) {
        self.store = store
        self.orders = orders
        self.directory = PartnerDirectory(store: store)
    }

    /// Takes one CSV file from `partnerID`.
    /// - Throws: ``ConnectorError`` for an unknown partner or a bad file (nothing applied), or ``EngineError``.
    public func receive(partnerID: String, csv: [UInt8], callerPartner: String?) async throws -> [Outcome] {
        try await withSpan("thirdparty.csv") { span in
            span.attributes["crossdock.bytes"] = csv.count
            span.attributes["crossdock.partner"] = partnerID
            return try await receiveUntraced(partnerID: partnerID, csv: csv, callerPartner: callerPartner)
        }
    }

    private func receiveUntraced(partnerID: String, csv: [UInt8], callerPartner: String?) async throws -> [Outcome] {
        guard let partner = try await directory.profile(partnerID, kind: .csv, as: CSVPartner.self) else {
            throw ConnectorError(
                code: "unknown_partner",
                message: "no CSV 3PL '\(partnerID)' is registered",
                errors: [.init(field: "partner", reason: "unknown")]
            )
        }
        if let callerPartner, callerPartner != partner.id {
            throw ConnectorError(code: "bad_signature", message: "the API key belongs to partner \(callerPartner), not \(partner.id)")
        }
        let confirmations = try ShipConfirmationCSV.confirmations(csv: csv)
        var problems: [ConnectorError.FieldError] = []
        for confirmation in confirmations {
            let id = confirmation.fulfillmentOrderID
            guard let fulfillment = try await store.fulfillment(id) else {
                problems.append(.init(field: "fulfillment_order_id \(id)", reason: "no such fulfilment order"))
                continue
            }
            if fulfillment.warehouseID != partner.warehouseID {
                problems.append(
                    .init(field: "fulfillment_order_id \(id)", reason: "belongs to \(fulfillment.warehouseID), not \(partner.warehouseID)")
                )
            }
        }
        guard problems.isEmpty else {
            throw ConnectorError(
                code: "malformed_payload",
                message: "\(problems.count) row group(s) name fulfilment orders the 3PL cannot ship",
                errors: problems
            )
        }
        var outcomes: [Outcome] = []
        for confirmation in confirmations {
            let key = "\(confirmation.fulfillmentOrderID):\(Self.trackingNumbers(confirmation.feedback).joined(separator: ","))"
            let idempotency = IdempotencyContext(scope: "csv:\(partner.id)", key: key, requestHash: ChannelIntake.hash(Array(key.utf8)))
            do {
                _ = try await orders.applyFeedback(confirmation.feedback, fulfillmentID: confirmation.fulfillmentOrderID, idempotency: idempotency)
                outcomes.append(Outcome(fulfillmentOrderId: confirmation.fulfillmentOrderID, status: 200))
            } catch let error as EngineError where error.kind != .unavailable {
                outcomes.append(Outcome(fulfillmentOrderId: confirmation.fulfillmentOrderID, status: 409, code: error.code, message: error.message))
            }
        }
        return outcomes
    }

    /// The tracking numbers a `shipped` feedback carries, sorted.
    static func trackingNumbers(_ feedback: FulfillmentFeedback) -> [String] {
        if case .shipped(_, _, let packages, _) = feedback { return packages.map(\.trackingNumber).sorted() }
        return []
    }
}

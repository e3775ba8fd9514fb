import CrossdockConnectors
import CrossdockDomain
import CrossdockStore
import Foundation
import Tracing

/// Carrier tracking webhooks (`POST /v1/inbound/carriers/{carrier}`): verified with the carrier profile's secret
/// (or an API key bound to the carrier), normalised to canonical milestones by the carrier's connector and applied
/// to the shipments their tracking numbers belong to. Milestones are deduplicated by the shipment's tracking
/// history, so a redelivered webhook changes nothing.
public struct CarrierIntake: Sendable {
    /// What one webhook did.
    public struct Outcome: Sendable, Encodable {
        /// Milestones in the webhook.
        public var milestones: Int
        /// Milestones applied, by shipment.
        public var applied: [String: Int]
        /// Tracking numbers that belong to no shipment of the hub (acknowledged, nothing changed).
        public var unknownTrackingNumbers: [String]
        /// Milestones the hub refused (e.g. a shipment whose order is cancelled), with why.
        public var refused: [Refusal] = []
    }

    /// One refused milestone.
    public struct Refusal: Sendable, Encodable {
        /// Its tracking number.
        public var trackingNumber: String
        /// The engine's error code.
        public var code: String
        /// Why.
        public var message: String
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

    /// Takes one webhook from `carrierID`.
    /// - Parameters:
    ///   - carrierID: the carrier profile's id (the path segment).
    ///   - body: the raw body.
    ///   - signature: the value of the profile format's signature header.
    ///   - caller: whether an API key came with the request, and its partner.
    /// - Throws: ``ConnectorError`` or ``EngineError``.
    public func receive(carrierID: String, body: [UInt8], signature: String?, caller: ChannelIntake.Caller) async throws -> Outcome {
        try await withSpan("carrier.tracking") { span in
            span.attributes["crossdock.bytes"] = body.count
            span.attributes["crossdock.partner"] = carrierID
            return try await receiveUntraced(carrierID: carrierID, body: body, signature: signature, caller: caller)
        }
    }

    private func receiveUntraced(carrierID: String, body: [UInt8], signature: String?, caller: ChannelIntake.Caller) async throws -> Outcome {
        guard let profile = try await directory.profile(carrierID, kind: .carrier, as: CarrierProfile.self) else {
            throw ConnectorError(
                code: "unknown_partner",
                message: "no carrier '\(carrierID)' is registered",
                errors: [.init(field: "carrier", reason: "unknown")]
            )
        }
        if caller.authenticated {
            if let partner = caller.partner, partner != carrierID {
                throw ConnectorError(code: "bad_signature", message: "the API key belongs to partner \(partner), not \(carrierID)")
            }
        } else {
            guard profile.secret != nil else {
                throw ConnectorError(code: "bad_signature", message: "carrier \(carrierID) has no webhook secret: send an API key")
            }
            try CarrierWebhook.verify(body: body, signature: signature, profile: profile, now: Date())
        }
        let milestones = try CarrierWebhook.milestones(body: body, profile: profile)
        var outcome = Outcome(milestones: milestones.count, applied: [:], unknownTrackingNumbers: [])
        for milestone in milestones {
            guard let shipmentID = try await store.shipmentID(trackingNumber: milestone.trackingNumber) else {
                if !outcome.unknownTrackingNumbers.contains(milestone.trackingNumber) {
                    outcome.unknownTrackingNumbers.append(milestone.trackingNumber)
                }
                continue
            }
            do {
                _ = try await orders.recordTracking(shipmentID: shipmentID, milestone: milestone, idempotency: nil)
                outcome.applied[shipmentID, default: 0] += 1
            } catch let error as EngineError where error.kind != .unavailable {
                // A carrier retries anything but 2xx: refusals are reported in the answer, not as an error status.
                outcome.refused.append(Refusal(trackingNumber: milestone.trackingNumber, code: error.code, message: error.message))
            }
        }
        return outcome
    }
}

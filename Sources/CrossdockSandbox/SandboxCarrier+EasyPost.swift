import CrossdockDomain
import Foundation
import Logging
import Synchronization

/// EasyPost mode: milestones as signed `tracker.updated` webhooks.
extension SandboxCarrier {
    /// How the carrier's milestones reach the hub.
    public enum Feed: Sendable {
        /// `POST /v1/shipments/{id}/tracking` with the carrier's API key.
        case trackingAPI
        /// EasyPost `tracker.updated` events (the whole tracking history each time, as EasyPost sends them) to
        /// `POST /v1/inbound/carriers/{carrierID}`, signed `X-Hmac-Signature: hmac-sha256-hex=…` with `secret` and
        /// sent without an API key. Register the carrier first: `{"id": carrierID, "format": "easypost", "secret": …}`.
        case easyPost(carrierID: String, secret: String)
    }

    private struct Event: Encodable {
        var id: String
        var object = "Event"
        var description = "tracker.updated"
        var mode = "production"
        var createdAt: String
        var result: Tracker
    }

    private struct Tracker: Encodable {
        var id: String
        var object = "Tracker"
        var mode = "production"
        var trackingCode: String
        var status: String
        var statusDetail: String?
        var carrier = "UPS"
        var estDeliveryDate: String?
        var signedBy: String?
        var updatedAt: String
        var trackingDetails: [Detail]
    }

    private struct Detail: Encodable {
        var object = "TrackingDetail"
        var message: String?
        var status: String
        var statusDetail: String?
        var datetime: String
        var trackingLocation: Location
    }

    private struct Location: Encodable {
        var object = "TrackingLocation"
        var city: String?
        var country = "US"
    }

    /// Posts the tracker with `history` as its details. True when the hub applied it to a shipment.
    func postEasyPost(_ job: Job, _ history: [Milestone], carrierID: String, secret: String) async -> Bool {
        guard let latest = history.last else { return true }
        let details = history.map { milestone in
            Detail(
                message: milestone.message,
                status: milestone.rawCode ?? milestone.status,
                statusDetail: Self.statusDetail(milestone),
                datetime: JSONCoding.format(milestone.occurredAt),
                trackingLocation: Location(city: milestone.location)
            )
        }
        let now = JSONCoding.format(Date())
        let event = Event(
            id: "evt_\(job.trackingNumber)_\(history.count)",
            createdAt: now,
            result: Tracker(
                id: "trk_\(job.trackingNumber)",
                trackingCode: job.trackingNumber,
                status: details[details.count - 1].status,
                statusDetail: details[details.count - 1].statusDetail,
                estDeliveryDate: history.compactMap(\.estimatedDeliveryAt).last.map(JSONCoding.format),
                signedBy: latest.status == "delivered" ? "R. RECEIVING" : nil,
                updatedAt: now,
                trackingDetails: details
            )
        )
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let body = Array((try? encoder.encode(event)) ?? Data())
        let signature = "hmac-sha256-hex=" + PartnerSignature.hex(body, secret: secret.decomposedStringWithCompatibilityMapping)
        let answer = await hub.retrying(logger: logger) {
            try await hub.post(
                "/v1/inbound/carriers/\(carrierID)",
                body: body,
                contentType: "application/json",
                headers: [("X-Hmac-Signature", signature)],
                authorized: false
            )
        }
        struct Outcome: Decodable {
            var unknownTrackingNumbers: [String]
            var refused: [Refusal]
            struct Refusal: Decodable { var trackingNumber: String }
        }
        let outcome = answer.flatMap { try? JSONDecoder().decode(Outcome.self, from: Data($0.body)) }
        guard let answer, answer.status == 202, let outcome, outcome.unknownTrackingNumbers.isEmpty, outcome.refused.isEmpty else {
            logger.warning(
                "tracker refused",
                metadata: [LogKey.sandboxStatus: "\(answer?.status ?? 0)", LogKey.sandboxBody: "\(answer?.text.prefix(300) ?? "")"]
            )
            state.withLock { $0.stats.reportFailures += 1 }
            return false
        }
        state.withLock { $0.stats.milestonesSent += 1 }
        return true
    }

    /// EasyPost's `status_detail` for a milestone: the exception kind of an exception, else what the scan was.
    private static func statusDetail(_ milestone: Milestone) -> String? {
        if let kind = milestone.exceptionKind { return kind }
        switch milestone.status {
        case "label_created": return "label_created"
        case "in_transit": return "arrived_at_facility"
        case "out_for_delivery": return "out_for_delivery"
        case "delivered": return "arrived_at_destination"
        case "returned_to_sender": return "return"
        default: return nil
        }
    }
}

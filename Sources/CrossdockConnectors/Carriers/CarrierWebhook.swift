import CrossdockDomain
import Foundation

/// Carrier tracking webhooks: signature check and normalisation to canonical milestones.
///
/// ```swift
/// let profile = carriers[carrierID]   // from POST /v1/inbound/carriers/{carrier}
/// try CarrierWebhook.verify(body: body, signature: headers[profile.format.signatureHeader], profile: profile, now: .now)
/// for milestone in try CarrierWebhook.milestones(body: body, profile: profile) { … find the shipment by tracking number … }
/// ```
public enum CarrierWebhook {
    /// How far a Shippo signature's timestamp may be from `now`.
    public static let shippoTolerance: TimeInterval = 300

    /// Checks the signature of a webhook; does nothing when the profile has no secret.
    ///
    /// - EasyPost: `X-Hmac-Signature: hmac-sha256-hex=<hex>`, the HMAC-SHA256 of the raw body keyed with the webhook
    ///   secret in Unicode NFKD form (as EasyPost's client libraries compute it).
    /// - Shippo: `Shippo-Auth-Signature: t=<unix seconds>,v1=<hex>`, the HMAC-SHA256 of `<t>.<body>`; `t` must be within
    ///   ``shippoTolerance`` of `now`.
    /// - Generic: `X-Crossdock-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw body.
    /// - Parameters:
    ///   - body: the raw body.
    ///   - signature: the value of ``CarrierProfile/Format/signatureHeader``; nil when absent.
    ///   - profile: the carrier's profile.
    ///   - now: the current time (Shippo's replay window).
    /// - Throws: `bad_signature`.
    public static func verify(body: some Collection<UInt8>, signature: String?, profile: CarrierProfile, now: Date) throws(ConnectorError) {
        guard let secret = profile.secret else { return }
        let header = profile.format.signatureHeader
        let value = signature?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !value.isEmpty else { throw WebhookSignature.reject(header, "missing") }
        switch profile.format {
        case .easypost:
            let prefix = "hmac-sha256-hex="
            guard value.hasPrefix(prefix), let mac = WebhookSignature.bytes(hex: value.dropFirst(prefix.count)), mac.count == 32 else {
                throw WebhookSignature.reject(header, "must be hmac-sha256-hex=<64 hex digits>")
            }
            guard WebhookSignature.isValid(mac, body: body, secret: secret.decomposedStringWithCompatibilityMapping) else {
                throw WebhookSignature.reject(header, "does not match the body")
            }
        case .shippo:
            var timestamp: String?
            var mac: [UInt8]?
            for part in value.split(separator: ",") {
                let trimmed = part.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("t=") { timestamp = String(trimmed.dropFirst(2)) }
                if trimmed.hasPrefix("v1=") { mac = WebhookSignature.bytes(hex: trimmed.dropFirst(3)) }
            }
            guard let timestamp, let seconds = Int64(timestamp), let mac, mac.count == 32 else {
                throw WebhookSignature.reject(header, "must be t=<unix seconds>,v1=<64 hex digits>")
            }
            guard WebhookSignature.isValid(mac, body: Array("\(timestamp).".utf8) + Array(body), secret: secret) else {
                throw WebhookSignature.reject(header, "does not match the body")
            }
            guard abs(now.timeIntervalSince1970 - Double(seconds)) <= shippoTolerance else {
                throw WebhookSignature.reject(header, "timestamp is more than \(Int(shippoTolerance)) s from now (replay?)")
            }
        case .generic:
            try WebhookSignature.verifyCrossdock(body: body, header: value, secret: secret)
        }
    }

    /// Normalises a webhook body to canonical milestones, in scan-time order.
    ///
    /// Unknown carrier statuses map to `unknown` with the carrier's value in `rawStatus` / `rawCode`; every status
    /// table is in `CarrierStatusMap.swift` and `docs/connectors.md`. An empty result means the webhook is about
    /// something else (an EasyPost `batch.created`, …) and can be acknowledged without effect.
    /// - Parameters:
    ///   - body: the raw body.
    ///   - profile: the carrier's profile.
    /// - Throws: `malformed_payload` listing every bad field.
    public static func milestones(body: some Collection<UInt8>, profile: CarrierProfile) throws(ConnectorError) -> [TrackingMilestone] {
        let root = try ConnectorError.parseJSON(body)
        guard case .object = root else { throw ConnectorError.malformed(field: "body", "must be a JSON object") }
        switch profile.format {
        case .easypost: return try EasyPostTracking.milestones(PayloadField(root: root))
        case .shippo: return try ShippoTracking.milestones(PayloadField(root: root))
        case .generic: return try GenericTracking.milestones(PayloadField(root: root))
        }
    }
}

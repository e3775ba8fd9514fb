import CrossdockDomain
import Foundation

/// The hub's own tracking webhook format, for carriers and 3PLs without one of their own.
///
/// ```json
/// {"trackingNumber": "1Z999AA10123456784", "carrier": "UPS",
///  "events": [{"status": "delivered", "code": "D1", "occurredAt": "2024-08-05T14:02:00Z",
///              "location": "Brooklyn, NY 11201, US", "message": "Left at front door",
///              "estimatedDeliveryAt": null, "exceptionKind": null, "signedBy": "J SMITH"}]}
/// ```
///
/// - `trackingNumber` (required) and `carrier` (optional, informational).
/// - `events` (required, at least one): `status` (required) is a canonical ``TrackingStatus`` raw value; any other
///   value is kept as `rawStatus` and maps to `unknown`. `occurredAt` (required) and `estimatedDeliveryAt` are RFC 3339.
///   `code` becomes `rawCode`. `exceptionKind` is a ``DeliveryExceptionKind`` raw value, required for `exception`.
/// - Signed with `X-Crossdock-Signature: sha256=<hex HMAC-SHA256 of the body>`.
enum GenericTracking {
    static func milestones(_ root: PayloadField) throws(ConnectorError) -> [TrackingMilestone] {
        var errors = FieldErrors()
        let trackingNumber = root["trackingNumber"].string(&errors, acceptNumber: true)
        _ = root["carrier"].optionalString(&errors)
        let events = root["events"].array(&errors)
        if events?.isEmpty == true { errors.add("events", "must hold at least one event") }
        var milestones: [TrackingMilestone] = []
        for event in events ?? [] {
            let statusText = event["status"].string(&errors)
            let at = event["occurredAt"].time(&errors)
            let code = event["code"].optionalString(&errors)
            let eta = event["estimatedDeliveryAt"].optionalTime(&errors)
            let location = event["location"].optionalString(&errors)
            let message = event["message"].optionalString(&errors)
            let signedBy = event["signedBy"].optionalString(&errors)
            var kind: DeliveryExceptionKind?
            if let kindText = event["exceptionKind"].optionalString(&errors) {
                kind = DeliveryExceptionKind(rawValue: kindText)
                if kind == nil {
                    let allowed = DeliveryExceptionKind.allCases.map(\.rawValue).joined(separator: ", ")
                    errors.add(event["exceptionKind"].name, "must be one of \(allowed)")
                }
            }
            guard let statusText, let at, let trackingNumber else { continue }
            let status = TrackingStatus(rawValue: statusText) ?? .unknown
            let milestone = TrackingMilestone(
                trackingNumber: trackingNumber,
                status: status,
                rawStatus: statusText,
                rawCode: code,
                occurredAt: at,
                estimatedDeliveryAt: eta,
                location: location,
                message: message,
                exceptionKind: status == .unknown ? nil : kind,
                signedBy: signedBy
            )
            for problem in milestone.validate() {
                errors.add(problem.field == "trackingNumber" ? "trackingNumber" : "\(event.path).\(problem.field)", problem.reason)
            }
            milestones.append(milestone)
        }
        try errors.check("the tracking update")
        return milestones.enumerated().sorted { ($0.element.occurredAt, $0.offset) < ($1.element.occurredAt, $1.offset) }.map(\.element)
    }
}

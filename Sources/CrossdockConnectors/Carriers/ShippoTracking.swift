import CrossdockDomain
import Foundation

/// Shippo `track_updated` webhooks → milestones.
///
/// The body is `{"event": "track_updated", "test": …, "data": Track}` (a bare `{"data": Track}` is accepted; other
/// `event`s give no milestones). One milestone per `data.tracking_history[]` entry plus `data.tracking_status` when
/// it is not already in the history (same `status` and `status_date`): status from `status` refined by
/// `substatus.code` (``CarrierStatusMap``), `rawStatus` = `status`, `rawCode` = `substatus.code`, time `status_date`,
/// location `city, state zip, country`, message `status_details`. `data.eta` goes on the latest scan.
enum ShippoTracking {
    static func milestones(_ root: PayloadField) throws(ConnectorError) -> [TrackingMilestone] {
        var errors = FieldErrors()
        if let event = root["event"].optionalString(&errors), event != "track_updated" {
            try errors.check("the Shippo webhook")
            return []
        }
        let data = root["data"]
        guard case .object? = data.node else { throw ConnectorError.malformed(field: "data", data.isMissing ? "missing" : "must be an object") }
        let trackingNumber = data["tracking_number"].string(&errors, acceptNumber: true)
        let eta = data["eta"].optionalTime(&errors)
        var scans: [PayloadField] = data["tracking_history"].array(&errors, required: false) ?? []
        if !data["tracking_status"].isMissing { scans.append(data["tracking_status"]) }
        var milestones: [TrackingMilestone] = []
        var seen: Set<String> = []
        for scan in scans {
            let status = scan["status"].string(&errors)
            let at = scan["status_date"].time(&errors)
            let code = scan["substatus"]["code"].optionalString(&errors)
            let message = scan["status_details"].optionalString(&errors)
            let location = CarrierLocation.text(scan["location"], cityKey: "city", regionKey: "state", postalKey: "zip", &errors)
            guard let status, let at, let trackingNumber else { continue }
            guard seen.insert("\(status)|\(at.timeIntervalSince1970)").inserted else { continue }
            let mapped = CarrierStatusMap.shippo(status: status, substatus: code)
            milestones.append(
                TrackingMilestone(
                    trackingNumber: trackingNumber,
                    status: mapped.status,
                    rawStatus: status,
                    rawCode: code,
                    occurredAt: at,
                    location: location,
                    message: message,
                    exceptionKind: mapped.status.carriesExceptionKind ? mapped.kind : nil
                )
            )
        }
        try errors.check("the Shippo webhook")
        return CarrierMilestones.finish(&milestones, eta: eta)
    }
}

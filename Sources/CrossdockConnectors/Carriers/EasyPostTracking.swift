import CrossdockDomain
import Foundation

/// EasyPost `tracker.created` / `tracker.updated` events → milestones.
///
/// One milestone per `result.tracking_details[]` entry (EasyPost re-sends the whole history each time; the domain
/// drops the scans it has seen): status from `status` refined by `status_detail` (``CarrierStatusMap``),
/// `rawStatus` = `status`, `rawCode` = `status_detail`, time `datetime`, location `city, state zip, country`,
/// message `message` (else `description`). The tracker's `est_delivery_date` goes on the latest scan and its
/// `signed_by` on delivered scans. A tracker without details gives one milestone from its own `status` at its
/// `updated_at`. Events about other objects (`batch.created`, …) give no milestones.
enum EasyPostTracking {
    static func milestones(_ root: PayloadField) throws(ConnectorError) -> [TrackingMilestone] {
        var errors = FieldErrors()
        let description = root["description"].optionalString(&errors) ?? ""
        let tracker = root["result"]
        let objectType = tracker["object"].optionalString(&errors)
        guard description.hasPrefix("tracker."), objectType == nil || objectType == "Tracker" else {
            try errors.check("the EasyPost event")
            return []
        }
        let trackingNumber = tracker["tracking_code"].string(&errors, acceptNumber: true)
        let eta = tracker["est_delivery_date"].optionalTime(&errors)
        let signedBy = tracker["signed_by"].optionalString(&errors)
        var scans: [(status: String, detail: String?, at: Date, location: String?, message: String?)] = []
        if let details = tracker["tracking_details"].array(&errors, required: false), !details.isEmpty {
            for detail in details {
                let status = detail["status"].string(&errors)
                let at = detail["datetime"].time(&errors)
                let code = detail["status_detail"].optionalString(&errors)
                let message = detail["message"].optionalString(&errors) ?? detail["description"].optionalString(&errors)
                let location = CarrierLocation.text(detail["tracking_location"], cityKey: "city", regionKey: "state", postalKey: "zip", &errors)
                guard let status, let at else { continue }
                scans.append((status, code, at, location, message))
            }
        } else {
            let status = tracker["status"].string(&errors)
            let at = tracker["updated_at"].time(&errors)
            if let status, let at { scans.append((status, tracker["status_detail"].optionalString(&errors), at, nil, nil)) }
        }
        try errors.check("the EasyPost event")
        guard let trackingNumber else { return [] }
        var milestones = scans.map { scan in
            let mapped = CarrierStatusMap.easyPost(status: scan.status, detail: scan.detail)
            return TrackingMilestone(
                trackingNumber: trackingNumber,
                status: mapped.status,
                rawStatus: scan.status,
                rawCode: scan.detail,
                occurredAt: scan.at,
                location: scan.location,
                message: scan.message,
                exceptionKind: mapped.status.carriesExceptionKind ? mapped.kind : nil,
                signedBy: mapped.status == .delivered ? signedBy : nil
            )
        }
        return CarrierMilestones.finish(&milestones, eta: eta)
    }
}

/// Steps every carrier format shares.
enum CarrierMilestones {
    /// Sorts by scan time (stable), marks the pick-up, puts the ETA on the latest scan.
    static func finish(_ milestones: inout [TrackingMilestone], eta: Date?) -> [TrackingMilestone] {
        milestones = milestones.enumerated().sorted { ($0.element.occurredAt, $0.offset) < ($1.element.occurredAt, $1.offset) }.map(\.element)
        CarrierStatusMap.markPickUp(&milestones)
        if let eta, !milestones.isEmpty { milestones[milestones.count - 1].estimatedDeliveryAt = eta }
        return milestones
    }
}

/// Formats a carrier location object as `CITY, ST 12345, US`, skipping absent parts; nil when all are absent.
enum CarrierLocation {
    static func text(_ field: PayloadField, cityKey: String, regionKey: String, postalKey: String, _ errors: inout FieldErrors) -> String? {
        guard !field.isMissing else { return nil }
        let city = field[cityKey].optionalString(&errors)
        let region = field[regionKey].optionalString(&errors)
        let postal = field[postalKey].optionalString(&errors)
        let country = field["country"].optionalString(&errors)
        let middle = [region, postal].compactMap(\.self).joined(separator: " ")
        let parts = [city, middle.isEmpty ? nil : middle, country].compactMap(\.self)
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}

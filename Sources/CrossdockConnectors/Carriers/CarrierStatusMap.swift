import CrossdockDomain

/// Every carrier vocabulary → canonical status table, in one place (docs/tracking.md, DOMAIN.md 1.10).
///
/// Fallback: a status a table does not know maps to `unknown` (which never moves a package), with the carrier's
/// value kept in `rawStatus` / `rawCode`. A sub-status refines the status only where the table says so; `delivered`,
/// `returned_to_sender` and `cancelled` are never refined.
enum CarrierStatusMap {
    /// A canonical status with the exception kind the carrier's value implies.
    struct Mapped: Hashable {
        var status: TrackingStatus
        var kind: DeliveryExceptionKind?

        init(_ status: TrackingStatus, _ kind: DeliveryExceptionKind? = nil) {
            self.status = status
            self.kind = kind
        }
    }

    // MARK: EasyPost (Tracker.status, TrackingDetail.status / status_detail)

    static let easyPostStatus: [String: Mapped] = [
        "pre_transit": .init(.labelCreated),
        "in_transit": .init(.inTransit),
        "out_for_delivery": .init(.outForDelivery),
        "delivered": .init(.delivered),
        "available_for_pickup": .init(.availableForPickup),
        "return_to_sender": .init(.returnedToSender),
        "failure": .init(.exception, .other),
        "error": .init(.exception, .other),
        "cancelled": .init(.cancelled),
        "canceled": .init(.cancelled),
        "unknown": .init(.unknown),
    ]

    static let easyPostDetail: [String: Mapped] = [
        "arrived_at_pickup_location": .init(.availableForPickup),
        "out_for_delivery": .init(.outForDelivery),
        "delivery_attempted": .init(.deliveryAttempted),
        "delayed": .init(.delayed, .delayed),
        "weather_delay": .init(.delayed, .delayed),
        "held": .init(.delayed, .delayed),
        "missorted": .init(.delayed, .delayed),
        "transit_exception": .init(.delayed, .delayed),
        "damaged": .init(.exception, .damaged),
        "refused": .init(.exception, .refused),
        "address_correction": .init(.exception, .addressIssue),
        "lost": .init(.lostSuspected, .lost),
        "return": .init(.returnedToSender),
    ]

    static func easyPost(status: String, detail: String?) -> Mapped {
        refine(easyPostStatus[status] ?? .init(.unknown), detail.flatMap { easyPostDetail[$0] })
    }

    // MARK: Shippo (tracking_status.status, substatus.code)

    static let shippoStatus: [String: Mapped] = [
        "PRE_TRANSIT": .init(.labelCreated),
        "TRANSIT": .init(.inTransit),
        "DELIVERED": .init(.delivered),
        "RETURNED": .init(.returnedToSender),
        "FAILURE": .init(.exception, .other),
        "UNKNOWN": .init(.unknown),
    ]

    static let shippoSubstatus: [String: Mapped] = [
        "out_for_delivery": .init(.outForDelivery),
        "delivery_attempted": .init(.deliveryAttempted),
        "notice_left": .init(.deliveryAttempted),
        "location_inaccessible": .init(.deliveryAttempted),
        "pickup_available": .init(.availableForPickup),
        "delayed": .init(.delayed, .delayed),
        "delivery_rescheduled": .init(.delayed, .delayed),
        "reschedule_delivery": .init(.delayed, .delayed),
        "package_held": .init(.delayed, .delayed),
        "address_issue": .init(.exception, .addressIssue),
        "package_damaged": .init(.exception, .damaged),
        "package_undeliverable": .init(.exception, .other),
        "package_unclaimed": .init(.exception, .other),
        "package_disposed": .init(.exception, .other),
        "package_lost": .init(.lostSuspected, .lost),
        "return_to_sender": .init(.returnedToSender),
    ]

    static func shippo(status: String, substatus: String?) -> Mapped {
        refine(shippoStatus[status.uppercased()] ?? .init(.unknown), substatus.flatMap { shippoSubstatus[$0] })
    }

    // MARK: Shared rules

    private static func refine(_ base: Mapped, _ detail: Mapped?) -> Mapped {
        switch base.status {
        case .delivered, .returnedToSender, .cancelled: return base
        default: break
        }
        guard let detail else { return base }
        // A failure keeps the failure: the sub-status only names its kind.
        if base.status == .exception, detail.status != .exception, detail.status != .lostSuspected, detail.status != .returnedToSender {
            return base
        }
        return detail
    }

    /// `picked_up` is not a carrier status: the first plain `in_transit` scan of a package, when nothing before it
    /// got further than `label_created`, is the pick-up (DOMAIN.md 1.10). `scans` must be in time order.
    static func markPickUp(_ scans: inout [TrackingMilestone]) {
        for index in scans.indices {
            if scans[index].status.progressRank > TrackingStatus.labelCreated.progressRank, scans[index].status != .inTransit { return }
            if scans[index].status == .inTransit {
                scans[index].status = .pickedUp
                return
            }
        }
    }
}

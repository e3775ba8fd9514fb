/// The hub's canonical carrier tracking status (DOMAIN.md 1.10).
///
/// Carrier and aggregator vocabularies (EasyPost, Shippo, AfterShip, Shopify, X12 214) are mapped onto these values
/// by the adapters; `docs/tracking.md` has the table.
public enum TrackingStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// The label exists; the carrier has not scanned the package yet.
    case labelCreated = "label_created"
    /// The carrier took the package (first movement).
    case pickedUp = "picked_up"
    /// Moving through the carrier's network.
    case inTransit = "in_transit"
    /// On the vehicle for delivery today.
    case outForDelivery = "out_for_delivery"
    /// The carrier tried to deliver and could not.
    case deliveryAttempted = "delivery_attempted"
    /// Waiting at a pickup point or counter for the consignee.
    case availableForPickup = "available_for_pickup"
    /// Delivered to the consignee. Final.
    case delivered
    /// Still moving, but late (weather, customs, capacity).
    case delayed
    /// A carrier exception (damage, failure, bad address); the milestone names the kind.
    case exception
    /// Going, or gone, back to the shipper. Final.
    case returnedToSender = "returned_to_sender"
    /// The label or the tracker was cancelled.
    case cancelled
    /// The carrier gave no usable status.
    case unknown
    /// Hub-derived: the carrier reported the package lost, or went silent (DOMAIN.md 2.4).
    case lostSuspected = "lost_suspected"

    /// How far along the delivery the status is; the no-regression rule never lets a scan lower it.
    ///
    /// `unknown` 0, `label_created` 10, `cancelled` 15, `picked_up` 20, `in_transit` and `delayed` 30,
    /// `out_for_delivery`, `delivery_attempted` and `available_for_pickup` 40, `delivered` 50, `returned_to_sender` 60.
    /// `exception` and `lost_suspected` are not progress and rank 0: a package always enters them, and any newer scan
    /// takes it out of them again.
    public var progressRank: Int {
        switch self {
        case .unknown, .exception, .lostSuspected: 0
        case .labelCreated: 10
        case .cancelled: 15
        case .pickedUp: 20
        case .inTransit, .delayed: 30
        case .outForDelivery, .deliveryAttempted, .availableForPickup: 40
        case .delivered: 50
        case .returnedToSender: 60
        }
    }

    /// Whether the status is a delivery exception the operations team must act on:
    /// `exception`, `returned_to_sender`, `lost_suspected`.
    public var isException: Bool {
        switch self {
        case .exception, .returnedToSender, .lostSuspected: true
        default: false
        }
    }

    /// Whether the status ends the tracking: `delivered` (left only into `returned_to_sender`) and
    /// `returned_to_sender` (never left).
    public var isFinal: Bool {
        switch self {
        case .delivered, .returnedToSender: true
        default: false
        }
    }

    /// The exception kind a scan in this status raises when it names none: `returned_to_sender` and `lost_suspected`
    /// imply theirs, `delayed` implies `delayed`, a failed `delivery_attempted` is `other`; nil for every other status
    /// (an `exception` scan must name its kind).
    public var impliedExceptionKind: DeliveryExceptionKind? {
        switch self {
        case .returnedToSender: .returnedToSender
        case .lostSuspected: .lost
        case .delayed: .delayed
        case .deliveryAttempted: .other
        default: nil
        }
    }

    /// Whether a milestone in this status may carry an ``DeliveryExceptionKind``.
    public var carriesExceptionKind: Bool {
        isException || self == .delayed || self == .deliveryAttempted
    }
}

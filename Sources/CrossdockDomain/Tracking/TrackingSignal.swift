import Foundation

/// What the hub must publish after a milestone was applied (DOMAIN.md 4.2, `shipment.*`).
public enum TrackingSignal: Hashable, Sendable {
    /// A label was created (`shipment.label_created`).
    case labelCreated
    /// Carrier movement: picked up, in transit, or waiting at a pickup point (`shipment.in_transit`).
    case inTransit
    /// Out for delivery (`shipment.out_for_delivery`).
    case outForDelivery
    /// The last package of the shipment was delivered (`shipment.delivered`, shipment level).
    case delivered
    /// A delivery exception was raised: exception, returned to sender, lost, delay, failed attempt
    /// (`shipment.exception`).
    case exception(DeliveryExceptionKind)
    /// The carrier's estimated delivery time changed to the given time.
    case etaChanged(Date)
}

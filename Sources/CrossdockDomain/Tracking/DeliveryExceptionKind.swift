/// What went wrong with a delivery, as the operations team acts on it (claim, reship, call the consignee).
public enum DeliveryExceptionKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// The goods were damaged in transit.
    case damaged
    /// The carrier lost the package, or the hub suspects it (`lost_suspected`).
    case lost
    /// The package is going back to the shipper.
    case returnedToSender = "returned_to_sender"
    /// The consignee refused the delivery.
    case refused
    /// The address is wrong, incomplete, or the consignee moved.
    case addressIssue = "address_issue"
    /// The delivery is late.
    case delayed
    /// Anything else (a failed attempt without a reason, a carrier failure code).
    case other
}

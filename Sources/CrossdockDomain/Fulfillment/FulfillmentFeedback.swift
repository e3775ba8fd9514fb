import Foundation

/// What a warehouse reports about a fulfilment order.
public enum FulfillmentFeedback: Hashable, Sendable {
    /// Units picked, per line.
    case picked([LineQuantity])
    /// Units the warehouse could not find, per line; they go back to the order as backordered.
    case shortPicked([LineQuantity], reason: String)
    /// A shipment left the building.
    case shipped(carrier: String, service: String?, packages: [Shipment.Package], shippedAt: Date)
    /// The warehouse confirmed the pending cancellation request.
    case cancelAccepted
    /// The warehouse refused the pending cancellation request; the goods will ship.
    case cancelRefused(reason: String)

    /// The action's name, as used in errors (`picked`, `short_picked`, `shipped`, `cancel_accepted`, `cancel_refused`).
    public var action: String {
        switch self {
        case .picked: "picked"
        case .shortPicked: "short_picked"
        case .shipped: "shipped"
        case .cancelAccepted: "cancel_accepted"
        case .cancelRefused: "cancel_refused"
        }
    }

    /// The fulfilment-order action it is.
    public var fulfillmentAction: FulfillmentAction {
        switch self {
        case .picked: .pick
        case .shortPicked: .shortPick
        case .shipped: .ship
        case .cancelAccepted: .acceptCancel
        case .cancelRefused: .refuseCancel
        }
    }

    /// The order action it is.
    public var orderAction: OrderAction {
        switch self {
        case .picked: .pick
        case .shortPicked: .shortPick
        case .shipped: .ship
        case .cancelAccepted, .cancelRefused: .answerCancel
        }
    }
}

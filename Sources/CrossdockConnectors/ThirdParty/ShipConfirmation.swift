import CrossdockDomain

/// A 3PL's report that one fulfilment order shipped: the fulfilment order and the `shipped` feedback to apply.
public struct ShipConfirmation: Hashable, Sendable {
    /// The hub fulfilment order id.
    public var fulfillmentOrderID: String
    /// Always ``FulfillmentFeedback/shipped(carrier:service:packages:shippedAt:)``.
    public var feedback: FulfillmentFeedback

    /// Creates a confirmation.
    /// - Parameters:
    ///   - fulfillmentOrderID: the fulfilment order.
    ///   - feedback: the shipped feedback.
    public init(fulfillmentOrderID: String, feedback: FulfillmentFeedback) {
        self.fulfillmentOrderID = fulfillmentOrderID
        self.feedback = feedback
    }
}

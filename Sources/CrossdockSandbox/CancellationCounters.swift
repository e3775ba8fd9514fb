/// How a sandbox warehouse (the WMS, the 3PL) has dealt with the hub's `fulfillment.cancel_requested`.
public struct CancellationCounters: Sendable {
    /// `fulfillment.cancel_requested` webhooks handled.
    public var requests = 0
    /// Cancellations accepted, as the hub took them.
    public var accepted = 0
    /// Cancellations refused (the goods ship), as the hub took them.
    public var refused = 0
    /// Answers the hub no longer wanted (409: the request was settled by a shipment or an earlier answer).
    public var answersIgnored = 0
    /// Fulfilment orders not shipped because every unit was cancelled.
    public var fullyCancelled = 0

    /// Answers settled: accepted, refused or no longer wanted.
    public var answered: Int { accepted + refused + answersIgnored }
}

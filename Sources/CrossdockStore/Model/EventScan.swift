import CrossdockDomain

/// What a follower's look at the event log found: the events of the types it asked for, and how far it looked.
///
/// A follower that acts on a few event types (the EDI documents, the channel updates) asks the store for only those,
/// so the store decodes no event it would throw away; `reached` still moves past the others, so the next scan starts
/// after them.
public struct EventScan: Sendable {
    /// The events of the requested types, in order.
    public var events: [CloudEvent]
    /// The last position looked at (the scan's `after` when there was nothing new): the next scan starts after it.
    public var reached: Int64
    /// How many events of any type the scan looked at.
    public var scanned: Int

    /// Creates a scan result.
    public init(events: [CloudEvent], reached: Int64, scanned: Int) {
        self.events = events
        self.reached = reached
        self.scanned = scanned
    }
}

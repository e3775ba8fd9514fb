/// When the requests of one rate-limited subject are due, so that what a window admits is spread at the limit's rate
/// instead of arriving in a burst at the window's start.
///
/// A window caps how many requests a subject makes, not when: a client with many connections spends a whole window in
/// its first milliseconds, and that burst takes the CPU and the commit queue other partners need. The schedule is the
/// generic cell rate algorithm's: requests are due `window / requests` apart, ``burst`` of them may come early, and an
/// early request is held until it is due. Two changes suit an API that must not refuse what its window admits:
/// nothing is refused (the window does that), and no request is held longer than ``maxHold``; a request that would
/// be has the schedule moved up to it, so a long burst does not leave later requests owing time.
public struct PaceSchedule: Sendable, Equatable {
    /// Seconds between two requests due at the limit's rate.
    public let interval: Double
    /// Requests that may come at once before the next is held.
    public let burst: Int
    /// The longest a request is held, in seconds.
    public let maxHold: Double
    /// The time the next request is due if every request so far came on its turn (the algorithm's theoretical
    /// arrival time), in seconds on the caller's clock; nil before the first.
    public private(set) var due: Double?

    /// A schedule for `requests` per `windowSeconds`, or nil when pacing would hold nothing useful: `maxHold` is zero,
    /// or the limit is slower than one request per `maxHold` (holding such requests protects nobody).
    /// The burst is a twentieth of the limit, at least one.
    public init?(requests: Int, windowSeconds: Int, maxHold: Double) {
        guard requests > 0, windowSeconds > 0, maxHold > 0 else { return nil }
        let interval = Double(windowSeconds) / Double(requests)
        guard interval <= maxHold else { return nil }
        self.interval = interval
        self.burst = max(1, requests / 20)
        self.maxHold = maxHold
    }

    /// Books a request arriving at `now` (seconds) and returns how long to hold it, in seconds (zero: at once).
    public mutating func admit(at now: Double) -> Double {
        let tolerance = Double(burst - 1) * interval
        let due = max(self.due ?? now, now)
        let start = min(max(now, due - tolerance), now + maxHold)
        self.due = min(due + interval, start + tolerance + interval)
        return start - now
    }
}

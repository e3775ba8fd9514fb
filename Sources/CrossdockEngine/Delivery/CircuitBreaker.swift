import Foundation

/// A circuit breaker for one endpoint: after `threshold` consecutive failures it opens and no attempt is made
/// (none is burned) until `cooldown` has passed; then one probe goes through (half-open); its success closes the
/// circuit, its failure opens it again for twice the cooldown, up to `maxCooldown`.
public struct CircuitBreaker: Hashable, Sendable {
    /// Where the circuit stands.
    public enum State: String, Hashable, Sendable, Codable {
        case closed
        case open
        case halfOpen = "half_open"
    }

    /// Consecutive failures that open the circuit.
    public var threshold: Int
    /// The first open period.
    public var cooldown: TimeInterval
    /// The longest open period.
    public var maxCooldown: TimeInterval
    /// Current state (``state(at:)`` reports `halfOpen` once an open period has passed).
    public private(set) var stored: State = .closed
    /// Consecutive failures so far.
    public private(set) var failures = 0
    /// When the circuit last opened.
    public private(set) var openedAt: Date?
    /// When an attempt may next go through while open.
    public private(set) var retryAt: Date?
    /// Whether the half-open probe is in flight.
    public private(set) var probing = false
    private var currentCooldown: TimeInterval

    /// Creates a closed breaker.
    /// - Parameters:
    ///   - threshold: consecutive failures that open it (default 5).
    ///   - cooldown: first open period (default 1 s).
    ///   - maxCooldown: longest open period (default 60 s).
    public init(threshold: Int = 5, cooldown: TimeInterval = 1, maxCooldown: TimeInterval = 60) {
        self.threshold = threshold
        self.cooldown = cooldown
        self.maxCooldown = maxCooldown
        self.currentCooldown = cooldown
    }

    /// The state at `now`.
    public func state(at now: Date) -> State {
        if stored == .open, let retryAt, now >= retryAt { return .halfOpen }
        return stored
    }

    /// Whether an attempt may start at `now`; in half-open, only one probe at a time. Call ``started(at:)`` when it
    /// does.
    public func allows(at now: Date) -> Bool {
        switch state(at: now) {
        case .closed: true
        case .open: false
        case .halfOpen: !probing
        }
    }

    /// Records that an attempt started (marks the half-open probe).
    public mutating func started(at now: Date) {
        if state(at: now) == .halfOpen {
            stored = .halfOpen
            probing = true
        }
    }

    /// Records a success: the circuit closes.
    public mutating func succeeded() {
        stored = .closed
        failures = 0
        openedAt = nil
        retryAt = nil
        probing = false
        currentCooldown = cooldown
    }

    /// Records a failure at `now`: opens the circuit at the threshold, or again after a failed probe.
    public mutating func failed(at now: Date) {
        failures += 1
        if stored == .halfOpen || probing {
            probing = false
            currentCooldown = min(maxCooldown, currentCooldown * 2)
            open(at: now)
        } else if stored == .closed, failures >= threshold {
            open(at: now)
        }
    }

    private mutating func open(at now: Date) {
        stored = .open
        if openedAt == nil { openedAt = now }
        retryAt = now.addingTimeInterval(currentCooldown)
    }
}

import Foundation

/// Exponential backoff with full jitter: attempt n waits a random time in `0 … min(cap, base × 2^(n−1))`.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts before a delivery is dead.
    public var maxAttempts: Int
    /// The first backoff ceiling.
    public var base: Duration
    /// The largest backoff ceiling.
    public var cap: Duration

    /// Creates a policy.
    public init(maxAttempts: Int = 12, base: Duration = .seconds(1), cap: Duration = .seconds(300)) {
        self.maxAttempts = maxAttempts
        self.base = base
        self.cap = cap
    }

    /// When to try again after failed attempt number `attempt` (1-based), or nil when it was the last.
    public func retryAt(after attempt: Int, now: Date, random: Double = Double.random(in: 0..<1)) -> Date? {
        guard attempt < maxAttempts else { return nil }
        let exponent = min(attempt - 1, 30)
        let ceiling = min(seconds(cap), seconds(base) * pow(2, Double(exponent)))
        return now.addingTimeInterval(ceiling * random)
    }

    private func seconds(_ duration: Duration) -> Double {
        let (whole, atto) = duration.components
        return Double(whole) + Double(atto) / 1e18
    }
}

import Foundation

/// A token bucket: `rate` tokens per second, at most `burst` saved up.
public struct TokenBucket: Hashable, Sendable {
    /// Tokens per second.
    public var rate: Double
    /// The most tokens saved up.
    public var burst: Double
    private var tokens: Double
    private var updated: Date

    /// Creates a full bucket.
    /// - Parameters:
    ///   - rate: tokens per second.
    ///   - burst: capacity (default one second's worth, at least 1).
    ///   - now: the time.
    public init(rate: Double, burst: Double? = nil, now: Date) {
        self.rate = rate
        self.burst = max(1, burst ?? rate)
        self.tokens = self.burst
        self.updated = now
    }

    /// Takes a token if there is one at `now`.
    public mutating func take(at now: Date) -> Bool {
        refill(now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// When the next token is available.
    public func nextToken(after now: Date) -> Date {
        let available = min(burst, tokens + max(0, now.timeIntervalSince(updated)) * rate)
        return available >= 1 ? now : now.addingTimeInterval((1 - available) / rate)
    }

    private mutating func refill(_ now: Date) {
        tokens = min(burst, tokens + max(0, now.timeIntervalSince(updated)) * rate)
        updated = now
    }
}

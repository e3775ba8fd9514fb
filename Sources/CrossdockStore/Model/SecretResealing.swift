/// What ``Store/resealSecrets()`` rewrote: stored secrets counted one by one (a subscription has one or two, a
/// partner profile one per secret member).
public struct SecretResealing: Hashable, Sendable {
    /// Subscription secrets (current and previous) rewritten under the current key.
    public var subscriptionSecrets: Int
    /// Partner profile secrets rewritten under the current key.
    public var partnerSecrets: Int
    /// Secrets that already were under the current key.
    public var unchanged: Int
    /// Previous subscription secrets past their overlap that no configured key opens: never used again, so left as
    /// they are (the subscription's next rotation overwrites them).
    public var skipped: Int

    /// Creates a count.
    public init(subscriptionSecrets: Int = 0, partnerSecrets: Int = 0, unchanged: Int = 0, skipped: Int = 0) {
        self.subscriptionSecrets = subscriptionSecrets
        self.partnerSecrets = partnerSecrets
        self.unchanged = unchanged
        self.skipped = skipped
    }
}

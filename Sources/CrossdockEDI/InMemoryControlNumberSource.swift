/// Control numbers counted in memory, one sequence per kind and partner, starting at `first` and wrapping to 1 after
/// 999999999. For tests and tools; production numbers come from the persistent store.
public actor InMemoryControlNumberSource: ControlNumberSource {
    private struct Key: Hashable {
        var kind: ControlNumberKind
        var partner: String
    }

    private var nextNumbers: [Key: Int] = [:]
    private let first: Int

    /// Creates a source.
    /// - Parameter first: the first number of every sequence, clamped to 1...999999999; 1 by default.
    public init(first: Int = 1) {
        self.first = min(max(first, 1), 999_999_999)
    }

    /// The next number of the sequence for `kind` and `partner`.
    /// - Parameters:
    ///   - kind: interchange, group or set.
    ///   - partner: the trading partner key.
    public func next(kind: ControlNumberKind, partner: String) -> Int {
        let key = Key(kind: kind, partner: partner)
        let number = nextNumbers[key] ?? first
        nextNumbers[key] = number >= 999_999_999 ? 1 : number + 1
        return number
    }
}

import Synchronization

/// Rate-limit counters kept in memory, for a store that one process owns (SQLite): one count per subject, for its
/// current window only.
final class RateCounters: Sendable {
    private let counts = Mutex<[String: (window: Int64, used: Int)]>([:])

    /// Grants up to `want` of what is left of `limit` in `window`; an older window's count is forgotten.
    func take(subject: String, window: Int64, limit: Int, want: Int) -> RateAllowance {
        counts.withLock { counts in
            var entry = counts[subject] ?? (window, 0)
            if entry.window < window { entry = (window, 0) }
            // A request stamped in the window before (it waited between reading the clock and getting here, while
            // another began the next window) counts against the current one: refusing it as spent would refuse a
            // request no window is full for.
            let granted = max(0, min(want, limit - entry.used))
            entry.used += granted
            // Bounded: subjects are keys and partners, and a full table starts again (at worst one window's grants).
            if counts[subject] == nil, counts.count >= 100_000 { counts.removeAll() }
            counts[subject] = entry
            return RateAllowance(granted: granted, used: entry.used)
        }
    }
}

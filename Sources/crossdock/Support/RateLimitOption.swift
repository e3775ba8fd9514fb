/// Parses a rate limit given on the command line: `REQUESTS/WINDOW`, the window in seconds with an optional unit
/// (`s`, `m`, `h`): `600/60s`, `600/1m`, `100/1`.
enum RateLimitOption {
    /// The requests and the window in seconds; nil when `text` is not a limit.
    static func parse(_ text: String) -> (requests: Int, windowSeconds: Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let requests = Int(parts[0]) else { return nil }
        var window = Substring(parts[1])
        var unit = 1
        switch window.last {
        case "s": window = window.dropLast()
        case "m": (window, unit) = (window.dropLast(), 60)
        case "h": (window, unit) = (window.dropLast(), 3600)
        default: break
        }
        guard let count = Int(window), count > 0, count <= 86_400 / unit else { return nil }
        return (requests, count * unit)
    }
}

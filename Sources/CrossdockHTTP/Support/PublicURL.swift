import Synchronization

/// The hub's base URL as its clients reach it (`http.public.url`), e.g. `https://hub.example.com`: event schema URLs
/// (CloudEvents `dataschema`) are made from it. When it is not configured it is the bound address
/// (`http://127.0.0.1:8080`), set once the server listens.
public final class PublicURL: Sendable {
    private let value: Mutex<String>

    /// Creates a holder with `initial` (no trailing slash).
    public init(_ initial: String) {
        value = Mutex(Self.trimmed(initial))
    }

    /// The base URL, without a trailing slash.
    public var string: String { value.withLock { $0 } }

    /// Replaces the base URL.
    public func set(_ url: String) {
        value.withLock { $0 = Self.trimmed(url) }
    }

    /// The URL of `host` and `port` with `scheme`; IPv6 hosts are bracketed.
    public static func address(scheme: String, host: String, port: Int) -> String {
        let host = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(host):\(port)"
    }

    private static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}

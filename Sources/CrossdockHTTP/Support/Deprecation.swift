import Foundation
import HTTPTypes

/// A deprecated part of the API: a whole route, or one query parameter of a route (then only requests that use the
/// parameter are deprecated). The OpenAPI document marks the same things `deprecated: true` with `x-sunset`; a test
/// keeps the two in step.
///
/// A deprecated request is still served, and answered with `Deprecation` (RFC 9745, `@<epoch seconds>`),
/// `Sunset` (RFC 8594, an HTTP-date) and `Link` headers naming the replacement (`rel="successor-version"`) and the
/// documentation (`rel="deprecation"`); `/metrics` counts it per key in `crossdock_deprecated_requests_total`.
public struct Deprecation: Sendable, Hashable {
    /// The route's method.
    public var method: HTTPRequest.Method
    /// The route's path template (`/v1/deliveries`).
    public var path: String
    /// The deprecated query parameter, or nil when the whole route is deprecated.
    public var queryParameter: String?
    /// When it was deprecated.
    public var deprecatedAt: Date
    /// When it stops being served.
    public var sunset: Date
    /// The replacement route, as a URI reference, when a whole route is deprecated.
    public var successor: String?
    /// The parameter that replaces ``queryParameter``: the successor of a request is the same request with the
    /// parameter renamed.
    public var replacementParameter: String?
    /// What to use instead, in a sentence (shown in the docs).
    public var note: String

    /// The name `/metrics` counts it under: `GET /v1/deliveries` or `GET /v1/deliveries?subscription`.
    public var metricName: String {
        "\(method.rawValue) \(path)" + (queryParameter.map { "?\($0)" } ?? "")
    }

    /// The `Deprecation` header value: an RFC 9651 structured-field date.
    public var deprecationHeader: String { "@\(Int(deprecatedAt.timeIntervalSince1970))" }

    /// The `Sunset` header value: an HTTP-date (IMF-fixdate).
    public var sunsetHeader: String { Self.httpDate(sunset) }

    /// The `Link` header value for a request to `path` with `query`: the successor and the documentation.
    public func linkHeader(path: String, query: String?) -> String {
        var links: [String] = []
        if let successor {
            links.append("<\(successor)>; rel=\"successor-version\"")
        } else if let queryParameter, let replacementParameter {
            let renamed = (query ?? "").split(separator: "&", omittingEmptySubsequences: false).map { pair in
                pair == queryParameter || pair.hasPrefix("\(queryParameter)=") ? replacementParameter + pair.dropFirst(queryParameter.count) : pair
            }
            let target = "\(path)?\(renamed.joined(separator: "&"))"
            links.append("<\(Self.linkSafe(target))>; rel=\"successor-version\"")
        }
        links.append("</docs#deprecations>; rel=\"deprecation\"; type=\"text/html\"")
        return links.joined(separator: ", ")
    }

    /// `uri` with every character that may not appear inside `<…>` of a `Link` value percent-encoded.
    static func linkSafe(_ uri: String) -> String {
        var result = ""
        for byte in uri.utf8 {
            if byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "<"), byte != UInt8(ascii: ">"), byte != UInt8(ascii: "\"") {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    /// Formats `date` as an IMF-fixdate (`Wed, 30 Jun 2027 00:00:00 GMT`).
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

extension Deprecation {
    /// Everything deprecated today. See docs/api.md, "Deprecations".
    ///
    /// `GET /v1/deliveries?subscription=`: every other list filter is named after the member it filters
    /// (`/v1/orders?customerId=`, the deliveries' own `subscriptionId`, the bulk replay body's `subscriptionId`);
    /// this one was not. `subscriptionId` now works there, and `subscription` is an alias kept until the sunset.
    public static let all: [Deprecation] = [
        Deprecation(
            method: .get,
            path: "/v1/deliveries",
            queryParameter: "subscription",
            deprecatedAt: Date(timeIntervalSince1970: 1_796_342_400),  // 2026-12-04T00:00:00Z
            sunset: Date(timeIntervalSince1970: 1_814_400_000),  // 2027-07-01T00:00:00Z
            successor: nil,
            replacementParameter: "subscriptionId",
            note: "filter with `subscriptionId`, the name of the member it filters"
        )
    ]

    /// The deprecation `request` falls under on the route `path`, if any.
    static func matching(_ method: HTTPRequest.Method, path: String, query: (String) -> Bool) -> Deprecation? {
        all.first { $0.method == method && $0.path == path && ($0.queryParameter.map(query) ?? true) }
    }
}

extension String {
    /// The string padded on the left with zeros to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

import HTTPTypes
import Hummingbird

/// Adds the security headers to every response, errors and 404s included: `X-Content-Type-Options: nosniff`,
/// `Referrer-Policy: no-referrer` (`same-origin` on the console), `X-Frame-Options: DENY`, a `Content-Security-Policy` (strict for the API, the
/// docs page's own for HTML), `Strict-Transport-Security` when the hub serves TLS, and `Cache-Control: no-store`
/// on `/v1` responses (they carry business data and must not sit in shared caches).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = CrossdockContext

    /// Whether the hub serves HTTPS (then `Strict-Transport-Security` is sent).
    let tls: Bool

    /// The policy of every non-HTML response: nothing may be loaded, nothing may frame it.
    static let apiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    /// `Strict-Transport-Security`: one year, subdomains included.
    static let hsts = "max-age=31536000; includeSubDomains"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        // The console's forms post to the console: under `no-referrer` a browser sends `Origin: null` with them, which
        // the console's same-site check must refuse, so its pages send referrers to their own origin only.
        response.headers[.referrerPolicy] = request.uri.path.hasPrefix("/console") ? "same-origin" : "no-referrer"
        response.headers[.xFrameOptions] = "DENY"
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = Self.apiPolicy
        }
        if tls { response.headers[.strictTransportSecurity] = Self.hsts }
        if request.uri.path.hasPrefix("/v1") { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let deprecation = HTTPField.Name("Deprecation")!
    static let sunset = HTTPField.Name("Sunset")!
    static let link = HTTPField.Name("Link")!
}

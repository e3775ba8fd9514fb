import CrossdockEngine
import CrossdockStore
import HTTPTypes
import Hummingbird
import Metrics

/// Answers requests to deprecated routes and parameters (``Deprecation/all``) with `Deprecation`, `Sunset` and
/// `Link` headers, errors included, and counts them per route and key in `crossdock_deprecated_requests_total`, so
/// route owners know who still calls them. Runs after authentication, so the key is known.
struct DeprecationMiddleware: RouterMiddleware {
    typealias Context = CrossdockContext

    /// The counter's name in `/metrics`.
    static let metric = "crossdock_deprecated_requests_total"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let route = context.endpointPath ?? request.uri.path
        guard
            let deprecation = Deprecation.matching(request.method, path: route, query: { request.uri.queryParameters.get($0) != nil })
        else {
            return try await next(request, context)
        }
        Counter(label: Self.metric, dimensions: [("route", deprecation.metricName), ("key", context.principal?.id ?? "anonymous")]).increment()
        var headers: HTTPFields = [:]
        headers[.deprecation] = deprecation.deprecationHeader
        headers[.sunset] = deprecation.sunsetHeader
        headers[.link] = deprecation.linkHeader(path: request.uri.path, query: request.uri.query)
        return try await adding(headers) { try await next(request, context) }
    }
}

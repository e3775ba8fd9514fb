import HTTPTypes
import Hummingbird

/// The router the route groups register on: it forwards every route to the Hummingbird router and keeps a list of
/// what was registered, so the published contract (`/openapi.yaml`) can be checked against the code.
public final class RouteTable: RouterMethods {
    /// The context every route gets.
    public typealias Context = CrossdockContext

    /// One registered route: its method and its path in OpenAPI form (`/v1/orders/{id}`).
    public struct Route: Hashable, Sendable, CustomStringConvertible {
        /// The HTTP method.
        public var method: HTTPRequest.Method
        /// The path template, with `{name}` for each parameter.
        public var path: String

        /// `GET /v1/orders/{id}`.
        public var description: String { "\(method.rawValue) \(path)" }
    }

    /// The router routes are added to.
    public let router: Router<CrossdockContext>
    /// Every route registered so far, in registration order.
    public private(set) var routes: [Route] = []

    /// The router's middlewares; those added apply to the routes registered after them.
    public var middlewares: MiddlewareGroup<CrossdockContext> { router.middlewares }

    /// Wraps `router`.
    public init(_ router: Router<CrossdockContext>) {
        self.router = router
    }

    /// Registers `responder` for `method` on `path` with the router and records the route.
    @discardableResult
    public func on<Responder: HTTPResponder>(
        _ path: RouterPath,
        method: HTTPRequest.Method,
        responder: Responder
    ) -> Self where Responder.Context == CrossdockContext {
        routes.append(Route(method: method, path: path.description))
        router.on(path, method: method, responder: responder)
        return self
    }

    /// Adds a middleware to the router; it applies to the routes registered after it.
    @discardableResult
    public func add(middleware: any MiddlewareProtocol<Request, Response, CrossdockContext>) -> Self {
        router.add(middleware: middleware)
        return self
    }
}

import HTTPTypes
import Hummingbird

/// Says on every response how long the hub spent on the request, as `Server-Timing: app;dur=1.234` (milliseconds, W3C
/// Server Timing): from the moment routing handed the request to the hub's first middleware until its response was
/// ready, errors included. Browsers show it in their developer tools; `crossdock bench --console` reads it to report
/// server time apart from the client's and the network's.
struct ServerTimingMiddleware: RouterMiddleware {
    typealias Context = CrossdockContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.serverTiming] = Self.value(ContinuousClock.now - start)
        return response
    }

    /// `app;dur=` and the duration in milliseconds with three decimals.
    static func value(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        let fraction = String(micros % 1000)
        return "app;dur=\(micros / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}

extension HTTPField.Name {
    /// `Server-Timing` (W3C Server Timing).
    static let serverTiming = HTTPField.Name("Server-Timing")!
}

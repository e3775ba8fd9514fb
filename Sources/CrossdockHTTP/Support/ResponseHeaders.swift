import CrossdockEngine
import HTTPTypes
import Hummingbird

/// Runs `next` and adds `headers` to what it answers: the response, or the problem it throws (an engine error is
/// made its problem first), so errors carry them too. For middleware whose headers describe the request, not its
/// outcome (deprecation, rate limits).
func adding(_ headers: HTTPFields, to next: () async throws -> Response) async throws -> Response {
    do {
        var response = try await next()
        for field in headers { response.headers[field.name] = field.value }
        return response
    } catch var problem as Problem {
        for field in headers { problem.headers[field.name] = field.value }
        throw problem
    } catch let error as EngineError {
        var problem = Problem(error)
        for field in headers { problem.headers[field.name] = field.value }
        throw problem
    }
}

import CrossdockDomain
import Hummingbird

/// A request body read as bytes, whatever its type: for partner payloads whose signature covers the exact bytes
/// (Shopify, carriers) and for X12 text.
enum RawBody {
    /// The body, at most `limit` bytes (1 MiB by default); a larger one is a 413 problem.
    static func read(_ request: Request, limit: Int = Problem.maxBodyBytes) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw JSONBody<JSONValue>.tooLarge(limit: limit)
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch {
            throw JSONBody<JSONValue>.tooLarge(limit: limit)
        }
    }
}

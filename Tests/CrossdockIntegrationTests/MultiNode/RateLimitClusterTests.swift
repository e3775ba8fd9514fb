import AsyncHTTPClient
import CrossdockSandbox
import CrossdockTestSupport
import Foundation
import NIOHTTP1
import Testing

/// Rate limits on several nodes: one key's requests spread over two nodes at once share one window. The store never
/// grants past the limit (no overshoot); each node may hold back at most one unspent chunk (a sixteenth of the limit).
@Suite(.enabled(if: PostgresTestCluster.enabled)) struct RateLimitClusterTests {
    @Test func twoNodesTogetherAdmitNoMoreThanTheLimit() async throws {
        let limit = 64
        try await withCluster(nodes: 2, arguments: ["--rate-limit", "\(limit)/86400s"]) { cluster in
            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for node in 0..<2 {
                    group.addTask {
                        var statuses: [Int] = []
                        for _ in 0..<60 { statuses.append(try await cluster.client(node).send(.GET, "/v1/warehouses").status) }
                        return statuses
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let admitted = statuses.filter { $0 == 200 }.count
            let unexpected = statuses.filter { $0 != 200 && $0 != 429 }
            #expect(unexpected.isEmpty, "answers other than 200 and 429: \(unexpected)")
            #expect(admitted <= limit, "no overshoot: \(admitted) admitted")
            #expect(admitted >= limit - 2 * (limit / 16), "at most one chunk held back per node: \(admitted) admitted")
            let refused = try await cluster.client(0).send(.GET, "/v1/warehouses")
            #expect(refused.status == 429)
            #expect(refused.headers.first(name: "retry-after").flatMap(Int.init) != nil)
            #expect(refused.headers.first(name: "ratelimit-policy") == #""key";q=64;w=86400"#)
        }
    }
}

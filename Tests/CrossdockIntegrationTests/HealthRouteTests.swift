import CrossdockDomain
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct HealthRouteTests {
    @Test func liveAndReadyAreOpenWithoutAKey() async throws {
        try await withHub(catalog: nil) { client, _, _ in
            let live = try await client.send(.get, "/health/live", key: nil)
            #expect(live.status == .ok)
            let ready = try await client.send(.get, "/health/ready", key: nil)
            #expect(ready.status == .ok)
            #expect(try ready.json()["status"]?.stringValue == "ready")
        }
    }

    @Test func metricsAreOpen() async throws {
        try await withHub(catalog: nil) { client, _, _ in
            let metrics = try await client.send(.get, "/metrics", key: nil)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
    }
}

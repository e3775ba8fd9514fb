import CrossdockStore
import Foundation
import Testing

extension StoreConformanceTests {
    /// Rate allowances: concurrent grants never pass the limit together, a later window starts again (and a late
    /// caller of the window before is not refused), and policies are stored, replaced and removed by subject.
    @Test(arguments: Backend.available)
    func rateAllowancesNeverPassTheLimitAndPoliciesRoundTrip(backend: Backend) async throws {
        try await withStore(backend) { store in
            let grants = try await withThrowingTaskGroup(of: RateAllowance.self) { group in
                for _ in 0..<20 { group.addTask { try await store.takeRateAllowance(subject: "key:a", window: 600, limit: 50, want: 4) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(grants.map(\.granted).reduce(0, +) == 50, "20 callers wanting 4 each share exactly the limit of 50")
            #expect(grants.allSatisfy { $0.used <= 50 })
            #expect(try await store.takeRateAllowance(subject: "key:a", window: 600, limit: 50, want: 1).granted == 0)
            #expect(try await store.takeRateAllowance(subject: "key:a", window: 660, limit: 50, want: 3) == RateAllowance(granted: 3, used: 3))
            #expect(try await store.takeRateAllowance(subject: "key:b", window: 660, limit: 50, want: 1).granted == 1, "subjects count apart")
            // A caller that read the clock in the spent window and reaches the store after the next one began is not
            // refused as if that window were still spent.
            #expect(try await store.takeRateAllowance(subject: "key:a", window: 600, limit: 50, want: 1).granted == 1)

            let at = Date(timeIntervalSince1970: 1_800_000_000)
            try await store.putRateLimitPolicy(RateLimitPolicy(subject: "partner:acme", requests: 10, windowSeconds: 60, updatedAt: at))
            try await store.putRateLimitPolicy(RateLimitPolicy(subject: "partner:acme", requests: 20, windowSeconds: 1, updatedAt: at))
            #expect(try await store.rateLimitPolicies() == [RateLimitPolicy(subject: "partner:acme", requests: 20, windowSeconds: 1, updatedAt: at)])
            #expect(try await store.removeRateLimitPolicy(subject: "partner:acme"))
            #expect(try await !store.removeRateLimitPolicy(subject: "partner:acme"))
            #expect(try await store.rateLimitPolicies().isEmpty)
        }
    }
}

import CrossdockStore
import Foundation
import Testing

extension StoreConformanceTests {
    /// Console sessions: found by their token's hash until they expire, ended by deletion, and a new sign-in forgets
    /// the sessions that expired before it.
    @Test(arguments: Backend.available)
    func consoleSessionsLiveUntilTheyExpireOrAreDeleted(backend: Backend) async throws {
        try await withStore(backend) { store in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            func session(_ token: String, expires: TimeInterval) -> ConsoleSession {
                ConsoleSession(
                    tokenHash: token,
                    keyHash: "key-\(token)",
                    csrfToken: "csrf-\(token)",
                    createdAt: now,
                    expiresAt: now.addingTimeInterval(expires)
                )
            }
            try await store.createConsoleSession(session("a", expires: 60))
            try await store.createConsoleSession(session("b", expires: 3600))
            #expect(try await store.consoleSession(tokenHash: "a", now: now) == session("a", expires: 60))
            #expect(try await store.consoleSession(tokenHash: "a", now: now.addingTimeInterval(61)) == nil, "expired")
            #expect(try await store.consoleSession(tokenHash: "nope", now: now) == nil)

            #expect(try await store.deleteConsoleSession(tokenHash: "b"))
            #expect(try await !store.deleteConsoleSession(tokenHash: "b"))
            #expect(try await store.consoleSession(tokenHash: "b", now: now) == nil)

            // A sign-in after "a" expired forgets it: it is gone even for a clock that goes back.
            var later = session("c", expires: 60)
            later.createdAt = now.addingTimeInterval(120)
            later.expiresAt = now.addingTimeInterval(180)
            try await store.createConsoleSession(later)
            #expect(try await store.consoleSession(tokenHash: "a", now: now) == nil)
            #expect(try await store.consoleSession(tokenHash: "c", now: later.createdAt) == later)
        }
    }
}

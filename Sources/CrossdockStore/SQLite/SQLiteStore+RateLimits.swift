import Foundation
import GRDB

extension SQLiteStore {
    public func rateLimitPolicies() async throws -> [RateLimitPolicy] {
        try await pool.read { db in
            try db.rows("SELECT subject, requests, window_seconds, updated_at FROM rate_limits ORDER BY subject").map { row in
                RateLimitPolicy(
                    subject: row["subject"],
                    requests: row["requests"],
                    windowSeconds: row["window_seconds"],
                    updatedAt: Date(timeIntervalSince1970: row["updated_at"])
                )
            }
        }
    }

    public func putRateLimitPolicy(_ policy: RateLimitPolicy) async throws {
        try await writer.write { db in
            try db.run(
                """
                INSERT INTO rate_limits(subject, requests, window_seconds, updated_at)
                VALUES (\(policy.subject), \(policy.requests), \(policy.windowSeconds), \(policy.updatedAt.timeIntervalSince1970))
                ON CONFLICT(subject) DO UPDATE SET requests = excluded.requests, window_seconds = excluded.window_seconds,
                updated_at = excluded.updated_at
                """
            )
        }
    }

    public func removeRateLimitPolicy(subject: String) async throws -> Bool {
        try await writer.write { db in
            try db.run("DELETE FROM rate_limits WHERE subject = \(subject)")
            return db.changesCount == 1
        }
    }

    /// In memory: one process owns a SQLite file, so its counters need no write.
    public func takeRateAllowance(subject: String, window: Int64, limit: Int, want: Int) async throws -> RateAllowance {
        rateCounters.take(subject: subject, window: window, limit: limit, want: want)
    }
}

import Foundation
import PostgresNIO

extension PostgresStore {
    public func rateLimitPolicies() async throws -> [RateLimitPolicy] {
        try await withConnection { connection in
            try await connection.rows("SELECT subject, requests, window_seconds, updated_at FROM rate_limits ORDER BY subject").map { row in
                let (subject, requests, window, updated) = try row.decode((String, Int, Int, Double).self)
                return RateLimitPolicy(subject: subject, requests: requests, windowSeconds: window, updatedAt: Date(timeIntervalSince1970: updated))
            }
        }
    }

    public func putRateLimitPolicy(_ policy: RateLimitPolicy) async throws {
        try await withConnection { connection in
            try await connection.run(
                """
                INSERT INTO rate_limits(subject, requests, window_seconds, updated_at)
                VALUES (\(policy.subject), \(policy.requests), \(policy.windowSeconds), \(policy.updatedAt.timeIntervalSince1970))
                ON CONFLICT (subject) DO UPDATE SET requests = excluded.requests, window_seconds = excluded.window_seconds,
                updated_at = excluded.updated_at
                """
            )
        }
    }

    public func removeRateLimitPolicy(subject: String) async throws -> Bool {
        try await withConnection { connection in
            try await connection.count("DELETE FROM rate_limits WHERE subject = \(subject) RETURNING 1") == 1
        }
    }

    /// One statement: the counter row of (subject, window) is created or incremented under its row lock, by at most
    /// what is left of the limit, so grants on every node together never pass it. The first grant of a window (the
    /// row was inserted) also removes the subject's older windows.
    public func takeRateAllowance(subject: String, window: Int64, limit: Int, want: Int) async throws -> RateAllowance {
        try await withConnection { connection in
            let rows = try await connection.rows(
                """
                INSERT INTO rate_counters AS c (subject, window_start, used, last_grant)
                VALUES (\(subject), \(window), LEAST(\(want), \(limit)), LEAST(\(want), \(limit)))
                ON CONFLICT (subject, window_start) DO UPDATE
                SET used = c.used + LEAST(\(want), \(limit) - c.used), last_grant = LEAST(\(want), \(limit) - c.used)
                WHERE c.used < \(limit)
                RETURNING last_grant, used, (xmax = 0) AS inserted
                """
            )
            guard let row = rows.first else { return RateAllowance(granted: 0, used: limit) }
            let (granted, used, inserted) = try row.decode((Int, Int, Bool).self)
            if inserted {
                try await connection.run("DELETE FROM rate_counters WHERE subject = \(subject) AND window_start < \(window)")
            }
            return RateAllowance(granted: granted, used: used)
        }
    }
}

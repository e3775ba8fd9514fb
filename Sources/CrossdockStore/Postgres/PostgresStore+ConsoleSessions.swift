import Foundation
import PostgresNIO

extension PostgresStore {
    public func createConsoleSession(_ session: ConsoleSession) async throws {
        _ = try await transaction { connection in
            try await connection.run("DELETE FROM console_sessions WHERE expires_at < \(session.createdAt.timeIntervalSince1970)")
            try await connection.run(
                """
                INSERT INTO console_sessions(token_hash, key_hash, csrf_token, created_at, expires_at)
                VALUES (\(session.tokenHash), \(session.keyHash), \(session.csrfToken), \(session.createdAt.timeIntervalSince1970),
                \(session.expiresAt.timeIntervalSince1970))
                """
            )
        }
    }

    public func consoleSession(tokenHash: String, now: Date) async throws -> ConsoleSession? {
        try await withConnection { connection in
            try await connection.rows(
                """
                SELECT token_hash, key_hash, csrf_token, created_at, expires_at FROM console_sessions
                WHERE token_hash = \(tokenHash) AND expires_at > \(now.timeIntervalSince1970)
                """
            ).first.map { row in
                let (token, key, csrf, created, expires) = try row.decode((String, String, String, Double, Double).self)
                return ConsoleSession(
                    tokenHash: token,
                    keyHash: key,
                    csrfToken: csrf,
                    createdAt: Date(timeIntervalSince1970: created),
                    expiresAt: Date(timeIntervalSince1970: expires)
                )
            }
        }
    }

    @discardableResult public func deleteConsoleSession(tokenHash: String) async throws -> Bool {
        try await transaction { connection in
            try await connection.count("DELETE FROM console_sessions WHERE token_hash = \(tokenHash) RETURNING 1") == 1
        }
    }
}

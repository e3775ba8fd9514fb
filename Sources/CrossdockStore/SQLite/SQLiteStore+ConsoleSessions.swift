import Foundation
import GRDB

extension SQLiteStore {
    public func createConsoleSession(_ session: ConsoleSession) async throws {
        try await writer.write { db in
            try db.run("DELETE FROM console_sessions WHERE expires_at < \(session.createdAt.timeIntervalSince1970)")
            try db.run(
                """
                INSERT INTO console_sessions(token_hash, key_hash, csrf_token, created_at, expires_at)
                VALUES (\(session.tokenHash), \(session.keyHash), \(session.csrfToken), \(session.createdAt.timeIntervalSince1970),
                \(session.expiresAt.timeIntervalSince1970))
                """
            )
        }
    }

    public func consoleSession(tokenHash: String, now: Date) async throws -> ConsoleSession? {
        try await pool.read { db in
            try db.row(
                "SELECT * FROM console_sessions WHERE token_hash = \(tokenHash) AND expires_at > \(now.timeIntervalSince1970)"
            ).map { row in
                ConsoleSession(
                    tokenHash: row["token_hash"],
                    keyHash: row["key_hash"],
                    csrfToken: row["csrf_token"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    expiresAt: Date(timeIntervalSince1970: row["expires_at"])
                )
            }
        }
    }

    @discardableResult public func deleteConsoleSession(tokenHash: String) async throws -> Bool {
        try await writer.write { db in
            try db.run("DELETE FROM console_sessions WHERE token_hash = \(tokenHash)")
            return db.changesCount == 1
        }
    }
}

import Foundation
import PostgresNIO

extension PostgresStore {
    public func resealSecrets() async throws -> SecretResealing {
        let secrets = self.secrets
        let now = Date()
        return try await transaction { connection in
            var count = SecretResealing()
            // The row locks hold off a concurrent rotation or profile write until this transaction commits.
            for row in try await connection.rows(
                "SELECT id, secret, previous_secret, previous_secret_expires_at FROM subscriptions ORDER BY id FOR UPDATE"
            ) {
                let (id, secret, previous, expires) = try row.decode((String, String, String?, Double?).self)
                let new = try secrets.resealedSubscription(
                    id: id,
                    secret: secret,
                    previous: previous,
                    previousExpiresAt: expires.map(Date.init(timeIntervalSince1970:)),
                    now: now,
                    count: &count
                )
                guard new.secret != nil || new.previous != nil else { continue }
                try await connection.run(
                    "UPDATE subscriptions SET secret = \(new.secret ?? secret), previous_secret = \(new.previous ?? previous) WHERE id = \(id)"
                )
            }
            for row in try await connection.rows("SELECT id, kind, doc, updated_at FROM partners ORDER BY id FOR UPDATE") {
                let record = try Self.partnerRecord(row)
                let new = try secrets.resealedDocument(record)
                count.partnerSecrets += new.changed
                count.unchanged += new.secrets - new.changed
                guard new.changed > 0 else { continue }
                try await connection.run("UPDATE partners SET doc = \(new.document) WHERE id = \(record.id)")
            }
            return count
        }
    }
}

import Foundation
import GRDB

extension SQLiteStore {
    public func resealSecrets() async throws -> SecretResealing {
        let secrets = self.secrets
        let now = Date()
        return try await pool.write { db in
            var count = SecretResealing()
            for row in try db.rows("SELECT id, secret, previous_secret, previous_secret_expires_at FROM subscriptions ORDER BY id") {
                let (id, secret, previous): (String, String, String?) = (row["id"], row["secret"], row["previous_secret"])
                let expires = (row["previous_secret_expires_at"] as Double?).map(Date.init(timeIntervalSince1970:))
                let new = try secrets.resealedSubscription(
                    id: id,
                    secret: secret,
                    previous: previous,
                    previousExpiresAt: expires,
                    now: now,
                    count: &count
                )
                guard new.secret != nil || new.previous != nil else { continue }
                try db.run(
                    "UPDATE subscriptions SET secret = \(new.secret ?? secret), previous_secret = \(new.previous ?? previous) WHERE id = \(id)"
                )
            }
            for row in try db.rows("SELECT id, kind, doc, updated_at FROM partners ORDER BY id") {
                let record = Self.partnerRecord(row)
                let new = try secrets.resealedDocument(record)
                count.partnerSecrets += new.changed
                count.unchanged += new.secrets - new.changed
                guard new.changed > 0 else { continue }
                try db.run("UPDATE partners SET doc = \(new.document) WHERE id = \(record.id)")
            }
            return count
        }
    }
}

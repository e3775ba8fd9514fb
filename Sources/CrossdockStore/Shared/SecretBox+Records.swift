import CrossdockDomain
import Foundation

/// Where the stores apply the box: subscription secrets and the secret members of partner profiles.
extension SecretBox {
    /// `subscription`, read from its row, with its secrets opened. When one does not open the subscription still
    /// reads (listing it, pausing it or deleting it must keep working): its secrets are cleared and
    /// ``Subscription/secretUnavailable`` says why, so the dispatcher fails its deliveries instead of sending them
    /// unsigned. A previous secret past its overlap is never signed with: when it does not open it is dropped.
    func opening(_ subscription: Subscription, at now: Date = Date()) -> Subscription {
        var opened = subscription
        let binding = Binding.subscription(subscription.id)
        do throws(SecretError) {
            opened.secret = try open(subscription.secret, for: binding)
            if let previous = subscription.previousSecret {
                do throws(SecretError) {
                    opened.previousSecret = try open(previous, for: binding)
                } catch  where !Self.inOverlap(subscription.previousSecretExpiresAt, at: now) {
                    opened.previousSecret = nil
                }
            }
        } catch {
            opened.secret = ""
            opened.previousSecret = nil
            opened.secretUnavailable = error.description
        }
        return opened
    }

    /// Whether a previous secret expiring at `expiresAt` is still signed with at `now` (as
    /// ``Subscription/signingSecrets(at:)`` decides).
    static func inOverlap(_ expiresAt: Date?, at now: Date) -> Bool {
        expiresAt.map { now < $0 } ?? false
    }

    /// A subscription's stored secrets rewritten under the current key (see ``resealed(_:for:)``); nil for each that
    /// already is (or is absent), and a count of them into `count`. A previous secret past its overlap that does not
    /// open is left as it is (it is never used again, and the next rotation overwrites it) and counted as skipped.
    /// - Throws: ``SecretError`` naming the subscription and the key it needs.
    func resealedSubscription(
        id: String,
        secret: String,
        previous: String?,
        previousExpiresAt: Date?,
        now: Date,
        count: inout SecretResealing
    ) throws(SecretError) -> (secret: String?, previous: String?) {
        let binding = Binding.subscription(id)
        let newSecret = try resealed(secret, for: binding)
        count.subscriptionSecrets += newSecret == nil ? 0 : 1
        count.unchanged += newSecret == nil ? 1 : 0
        guard let previous else { return (newSecret, nil) }
        do throws(SecretError) {
            let newPrevious = try resealed(previous, for: binding)
            count.subscriptionSecrets += newPrevious == nil ? 0 : 1
            count.unchanged += newPrevious == nil ? 1 : 0
            return (newSecret, newPrevious)
        } catch  where !Self.inOverlap(previousExpiresAt, at: now) {
            count.skipped += 1
            return (newSecret, nil)
        }
    }

    /// The profile document of `record` as stored: each secret member (``PartnerRecord/isSecretMember(_:)``) with a
    /// string value sealed. The document is unchanged without a key or without secret members.
    func sealedDocument(_ record: PartnerRecord) -> Data {
        guard encrypts else { return record.document }
        return rewritingSecretMembers(record) { value, binding in seal(value, for: binding) }.document
    }

    /// `record`, read from its row, with its secret members opened.
    /// - Throws: ``SecretError`` naming the partner, the member and the key it needs.
    func opening(_ record: PartnerRecord) throws(SecretError) -> PartnerRecord {
        // Most documents hold no sealed value: those are returned as stored, without parsing.
        guard record.document.range(of: Data("\"enc:".utf8)) != nil else { return record }
        var opened = record
        opened.document = try rewritingSecretMembers(record) { value, binding throws(SecretError) in
            value.hasPrefix("enc:") ? try open(value, for: binding) : nil
        }.document
        return opened
    }

    /// The document of `record` with every secret member rewritten under the current key (see
    /// ``resealed(_:for:)``), how many members that changed, and how many secret members it has.
    func resealedDocument(_ record: PartnerRecord) throws(SecretError) -> (document: Data, changed: Int, secrets: Int) {
        try rewritingSecretMembers(record) { value, binding throws(SecretError) in try resealed(value, for: binding) }
    }

    /// Applies `change` to each string-valued secret member of the document (nil leaves it); the document is
    /// re-encoded only when something changed. A document that is not a JSON object is left alone.
    private func rewritingSecretMembers<Failure: Error>(
        _ record: PartnerRecord,
        _ change: (String, Binding) throws(Failure) -> String?
    ) throws(Failure) -> (document: Data, changed: Int, secrets: Int) {
        guard case .object(var members)? = try? JSONDecoder().decode(JSONValue.self, from: record.document) else {
            return (record.document, 0, 0)
        }
        var (changed, secrets) = (0, 0)
        for (name, value) in members where PartnerRecord.isSecretMember(name) {
            guard case .string(let text) = value else { continue }
            secrets += 1
            if let new = try change(text, .partner(record.id, member: name)) {
                members[name] = .string(new)
                changed += 1
            }
        }
        guard changed > 0 else { return (record.document, 0, secrets) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let document = try? encoder.encode(JSONValue.object(members)) else { return (record.document, 0, secrets) }
        return (document, changed, secrets)
    }
}

import CrossdockDomain
import Foundation
import Synchronization

/// The decoded form of a subscription's JSON columns, by their stored bytes.
///
/// The delivery worker reads its subscriptions many times a second (every scan brings the rows of the subscriptions it
/// found heads for), and their settings and event types change rarely: decoding the same JSON each time cost more than
/// the scan. The memo is keyed by the bytes themselves, so a changed column is decoded afresh; it is emptied when it
/// grows past a bound, so columns no longer stored do not accumulate.
enum DecodedColumns {
    private struct Memo {
        var settings: [Data: SubscriptionSettings] = [:]
        var eventTypes: [Data: [String]] = [:]
    }

    private static let memo = Mutex(Memo())
    private static let bound = 1024

    /// `data` decoded as subscription settings.
    static func settings(_ data: Data) throws -> SubscriptionSettings {
        if let known = memo.withLock({ $0.settings[data] }) { return known }
        let decoded = try JSONCoding.decoder().decode(SubscriptionSettings.self, from: data)
        memo.withLock { memo in
            if memo.settings.count >= bound { memo.settings.removeAll(keepingCapacity: true) }
            memo.settings[data] = decoded
        }
        return decoded
    }

    /// `data` decoded as a list of event type patterns.
    static func eventTypes(_ data: Data) throws -> [String] {
        if let known = memo.withLock({ $0.eventTypes[data] }) { return known }
        let decoded = try JSONCoding.decoder().decode([String].self, from: data)
        memo.withLock { memo in
            if memo.eventTypes.count >= bound { memo.eventTypes.removeAll(keepingCapacity: true) }
            memo.eventTypes[data] = decoded
        }
        return decoded
    }
}

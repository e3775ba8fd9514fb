import CrossdockDomain
import CrossdockStore
import Foundation
import Synchronization

/// The replay rule of the IETF `Idempotency-Key` header: the same key with the same request replays the first
/// answer; the same key with a different request is refused.
enum Idempotency {
    static func replay(_ record: IdempotencyRecord, for context: IdempotencyContext) throws(EngineError) -> Reply {
        guard record.requestHash == context.requestHash else {
            throw EngineError(
                .idempotencyMismatch,
                code: "idempotency_key_reused",
                message: "Idempotency-Key '\(context.key)' was used with a different request",
                errors: [.init(field: "Idempotency-Key", reason: "already used for another request body or path")]
            )
        }
        return Reply(status: record.status, body: Array(record.body), replayed: true)
    }

    static func record(_ context: IdempotencyContext?, reply: Reply, now: Date) -> IdempotencyRecord? {
        context.map {
            IdempotencyRecord(scope: $0.scope, key: $0.key, requestHash: $0.requestHash, status: reply.status, body: Data(reply.body), createdAt: now)
        }
    }
}

/// Unique ids: lower-case UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits.
///
/// Time-ordered ids keep inserts at the right edge of every id index, so a commit touches few index pages;
/// random version 4 ids scatter inserts over the whole index and cost a page write each. The random bits come
/// from a xoshiro256** generator seeded once from the system's generator: ids are unique and hard to guess,
/// but not secrets (secrets use `SystemRandomNumberGenerator` directly).
public enum IDs {
    private static let generator = Mutex(Xoshiro256(seed: SystemRandomNumberGenerator()))
    private static let hex = Array("0123456789abcdef".utf8)

    /// A new id.
    @Sendable public static func make() -> String {
        let (a, b) = generator.withLock { ($0.next(), $0.next()) }
        let millis = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (40 - 8 * index)) }
        for index in 6..<8 { bytes[index] = UInt8(truncatingIfNeeded: a >> (8 * index)) }
        for index in 8..<16 { bytes[index] = UInt8(truncatingIfNeeded: b >> (8 * (index - 8))) }
        bytes[6] = (bytes[6] & 0x0f) | 0x70  // version 7
        bytes[8] = (bytes[8] & 0x3f) | 0x80  // RFC 9562 variant
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(45) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// xoshiro256** (Blackman and Vigna): fast, 256-bit state.
struct Xoshiro256: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init(seed: some RandomNumberGenerator) {
        var seed = seed
        state = (seed.next(), seed.next(), seed.next(), seed.next())
        if state == (0, 0, 0, 0) { state.0 = 1 }
    }

    mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

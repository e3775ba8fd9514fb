import CrossdockEDI
import CrossdockStore
import Synchronization

/// Envelope control numbers from the store: one durable sequence per partner and kind, so a number is never handed
/// out twice, across restarts and processes sharing the store.
///
/// Numbers are reserved from the store in blocks (`blockSize`, 50 by default) and handed out from memory, so writing
/// a document costs no write of its own. The numbers of a block left unused when the process stops are skipped, never
/// reused: X12 needs control numbers unique and increasing, not gapless.
public final class StoreControlNumberSource: ControlNumberSource {
    let store: any Store
    let blockSize: Int
    private let blocks = Mutex<[String: ClosedRange<Int>]>([:])

    /// Creates a source.
    /// - Parameters:
    ///   - store: where the sequences live.
    ///   - blockSize: numbers reserved per store write.
    public init(store: any Store, blockSize: Int = 50) {
        self.store = store
        self.blockSize = max(1, blockSize)
    }

    public func next(kind: ControlNumberKind, partner: String) async throws -> Int {
        let key = "\(partner)|\(kind.rawValue)"
        while true {
            if let number = take(key) { return number }
            let block = try await store.reserveControlNumbers(partner: partner, kind: kind.rawValue, count: blockSize)
            blocks.withLock { blocks in
                // Another task may have reserved a newer block meanwhile: keep whichever starts later.
                if let current = blocks[key], current.lowerBound > block.lowerBound { return }
                blocks[key] = block
            }
        }
    }

    /// The next number of the block in memory, if any is left.
    private func take(_ key: String) -> Int? {
        blocks.withLock { blocks in
            guard let block = blocks[key] else { return nil }
            let number = block.lowerBound
            blocks[key] = number < block.upperBound ? (number + 1)...block.upperBound : nil
            return number
        }
    }
}

import CrossdockEDI
import CrossdockStore

/// Envelope control numbers from the store: one durable sequence per partner and kind, so a number is never handed
/// out twice, across restarts and processes.
public struct StoreControlNumberSource: ControlNumberSource {
    let store: any Store

    /// Creates a source.
    public init(store: any Store) { self.store = store }

    public func next(kind: ControlNumberKind, partner: String) async throws -> Int {
        try await store.nextControlNumber(partner: partner, kind: kind.rawValue)
    }
}

import CrossdockDomain
import CrossdockStore
import Foundation

/// Applies master-data feed batches from the systems that own the data (an ERP): each record is checked, the good
/// ones are stored as one new master-data version in one unit with their events, and the rest are quarantined with
/// their reasons until they are corrected and resubmitted (docs/master-data.md).
public struct MasterDataFeed: Sendable {
    /// Whether a batch states every record of the kinds it carries, or only changes.
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// Only the records sent change.
        case delta
        /// The batch is the sender's whole set of each kind it carries: records the hub has and the batch lacks are
        /// reported as `absent` (never deleted: orders refer to them).
        case snapshot
    }

    /// What happens to a batch with bad records.
    public enum OnError: String, Sendable, Codable, CaseIterable {
        /// The good records are applied, the bad ones quarantined.
        case quarantine
        /// Nothing is applied; the batch is refused with every problem.
        case reject
    }

    /// One record of a batch as read: the record, or why it could not be read.
    public struct Item: Sendable {
        public var kind: MasterDataKind
        /// The record's key, when it could be read.
        public var key: String?
        /// The CSV line it starts on, or its index in the JSON array.
        public var line: Int?
        /// Where it was, for messages: `line 3` or `products[2]`.
        public var place: String
        /// The record as received (a CSV record as its rows).
        public var received: JSONValue
        /// The record as received, JSON text with sorted keys (rendered only for the records that are quarantined).
        public var raw: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(received)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        }
        /// The record, when it was read and is valid on its own.
        public var record: MasterDataRecord?
        /// Why it cannot be applied.
        public var problems: [QuarantinedRecord.Problem]

        /// Creates an item.
        public init(
            kind: MasterDataKind,
            key: String?,
            line: Int?,
            place: String,
            received: JSONValue,
            record: MasterDataRecord?,
            problems: [QuarantinedRecord.Problem]
        ) {
            self.kind = kind
            self.key = key
            self.line = line
            self.place = place
            self.received = received
            self.record = problems.isEmpty ? record : nil
            self.problems = record == nil && problems.isEmpty ? [.init(field: "", reason: "could not be read")] : problems
        }
    }

    /// A batch to apply.
    public struct Batch: Sendable {
        /// The batch id (`MDB-…`), given on arrival.
        public var id = "MDB-" + IDs.make()
        /// The sending system, e.g. `erp-us`.
        public var source: String
        public var mode: Mode
        public var onError: OnError
        public var items: [Item]

        /// Creates a batch.
        public init(source: String, mode: Mode = .delta, onError: OnError = .quarantine, items: [Item]) {
            self.source = source
            self.mode = mode
            self.onError = onError
            self.items = items
        }
    }

    let store: any Store
    let now: @Sendable () -> Date

    /// Creates the feed.
    public init(store: any Store, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.now = now
    }

    /// Applies `batch`: 201 with its ``FeedSummary``; 422 `invalid_batch` (nothing written) when it is `reject` and a
    /// record is bad.
    public func apply(_ batch: Batch) async throws -> FeedSummary {
        try await apply(batch, resubmitting: nil)
    }

    /// Applies a quarantined record again, as sent then or as `corrected`: a new batch of one record. When it applies
    /// (or changes nothing), the quarantined record is resolved by that batch; when it is still bad, the record stays
    /// open as it was and the answer is 422 `still_invalid` with the reasons.
    public func resubmit(_ quarantined: QuarantinedRecord, corrected: Item) async throws -> FeedSummary {
        guard quarantined.status == .open else {
            throw EngineError(.conflict, code: "not_open", message: "quarantined record \(quarantined.id) is \(quarantined.status.rawValue)")
        }
        let batch = Batch(source: quarantined.source, mode: .delta, onError: .reject, items: [corrected])
        return try await apply(batch, resubmitting: quarantined)
    }

    /// How many open quarantined records a batch compares its refusals with.
    static let waitingLimit = 10_000

    /// Discards a quarantined record: it will not be applied.
    public func discard(_ quarantined: QuarantinedRecord) async throws -> QuarantinedRecord {
        guard quarantined.status == .open else {
            throw EngineError(.conflict, code: "not_open", message: "quarantined record \(quarantined.id) is \(quarantined.status.rawValue)")
        }
        var closed = quarantined
        closed.status = .discarded
        closed.closedAt = now()
        var unit = UnitOfWork()
        unit.quarantine = [closed]
        if case .conflict(let conflict) = try await store.commit(unit) {
            throw EngineError(.conflict, code: "conflict", message: conflict.description)
        }
        return closed
    }

    private func apply(_ batch: Batch, resubmitting quarantined: QuarantinedRecord?) async throws -> FeedSummary {
        try await MasterDataService.commitVersioned(store) { [self] in try await decide(batch, resubmitting: quarantined) }
    }

    /// The unit that applies `batch` at the current master-data version, and its summary.
    private func decide(_ batch: Batch, resubmitting quarantined: QuarantinedRecord?) async throws -> (UnitOfWork, FeedSummary) {
        let id = batch.id
        let version = Int(try await store.connectorCursor(masterDataVersionCursor))
        let stored = try await StoredMasterData.read(store, batch: batch)
        var plan = FeedPlan(batch: batch, stored: stored)
        plan.check()
        if batch.onError == .reject, !plan.refused.isEmpty {
            if let quarantined {
                // Still bad: the record stays open as it was (a refused request changes nothing); the answer
                // names today's reasons.
                let problems = plan.refused.flatMap(\.problems)
                throw EngineError(
                    .invalid,
                    code: "still_invalid",
                    message: "quarantined record \(quarantined.id) still has \(problems.count) problem(s)",
                    errors: problems.map { .init(field: $0.field, reason: $0.reason) }
                )
            }
            throw EngineError(
                .invalid,
                code: "invalid_batch",
                message: "\(plan.refused.count) of \(batch.items.count) record(s) are invalid; nothing was applied",
                errors: plan.refused.flatMap { item in
                    item.problems.map { .init(field: item.place + ($0.field.isEmpty ? "" : ": \($0.field)"), reason: $0.reason) }
                }
            )
        }
        let time = now()
        let changed = plan.changes.isEmpty ? nil : version + 1
        var unit = changed.map { MasterDataUnit(now: time).unit(plan.changes, version: $0) } ?? UnitOfWork()
        // A record refused again (the same batch sent twice) keeps its open quarantine entry, with today's reasons.
        var waiting: [String: QuarantinedRecord] = [:]
        if !plan.refused.isEmpty {
            for record in try await store.quarantinedRecords(status: .open, kind: nil, batchID: nil, limit: Self.waitingLimit)
            where record.source == batch.source {
                waiting[FeedPlan.quarantineKey(record)] = record
            }
        }
        let summary = plan.summary(
            id: id,
            receivedAt: time,
            versionBefore: version,
            version: changed,
            resubmissionOf: quarantined?.id,
            waiting: waiting
        )
        unit.quarantine = plan.refused.enumerated().map { index, item in
            if var again = waiting[FeedPlan.quarantineKey(item)] {
                again.problems = item.problems
                return again
            }
            return QuarantinedRecord(
                id: summary.quarantined[index].id,
                batchId: id,
                source: batch.source,
                kind: item.kind.rawValue,
                key: item.key,
                line: item.line,
                record: item.raw,
                problems: item.problems,
                createdAt: time
            )
        }
        if var quarantined {
            quarantined.status = .resolved
            quarantined.closedAt = time
            quarantined.resolvedBy = id
            unit.quarantine.append(quarantined)
        }
        unit.feedBatch = FeedBatchRow(id: id, receivedAt: time, document: Data(try encode(summary)))
        return (unit, summary)
    }
}

extension MasterDataKind {
    /// The batch member that carries the kind (`priceLists`).
    public var plural: String {
        switch self {
        case .warehouse: "warehouses"
        case .product: "products"
        case .priceList: "priceLists"
        case .customer: "customers"
        }
    }
}

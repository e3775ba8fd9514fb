import CrossdockDomain
import CrossdockStore
import Foundation

/// The stored master data a batch is checked against, by kind and key.
struct StoredMasterData: Sendable {
    var records: [MasterDataKind: [String: MasterDataRecord]] = [:]
    /// The legal entities, by id (read when the batch has customers).
    var entities: [String: LegalEntity] = [:]

    /// Reads what checking `batch` needs: for a snapshot every record of its kinds (to name the absent ones) and what
    /// they refer to; for a delta only the records it states and the products they refer to (warehouses and price
    /// lists, which are few, whole).
    static func read(_ store: any Store, batch: MasterDataFeed.Batch) async throws -> StoredMasterData {
        let kinds = Set(batch.items.map(\.kind))
        guard batch.mode == .delta else { return try await read(store, kinds: kinds) }
        var stored = StoredMasterData()
        var skus: Set<String> = []
        var customers: [String] = []
        for item in batch.items {
            switch item.record {
            case .product(let product)?:
                skus.insert(product.sku)
                skus.formUnion(product.substitutes.map(\.sku))
            case .priceList(let list)?:
                skus.formUnion(list.entries.map(\.sku))
            case .customer(let customer, _)?:
                customers.append(customer.id)
                skus.formUnion(customer.contracts.flatMap(\.entries).map(\.sku))
            case .warehouse?, nil:
                continue
            }
        }
        if kinds.contains(.warehouse) {
            stored.records[.warehouse] = Dictionary(try await store.warehouses().map { ($0.id, .warehouse($0)) }) { $1 }
        }
        stored.records[.product] = Dictionary(try await store.products(skus: skus.sorted()).map { ($0.sku, .product($0)) }) { $1 }
        if !kinds.isDisjoint(with: [.priceList, .customer]) {
            stored.records[.priceList] = Dictionary(try await store.priceLists().map { ($0.id, .priceList($0)) }) { $1 }
        }
        if !customers.isEmpty {
            stored.records[.customer] = Dictionary(try await store.customers(ids: customers).map { ($0.id, .customer($0, keepsOpenBalance: false)) })
            { $1 }
            stored.entities = Dictionary(try await store.legalEntities().map { ($0.id, $0) }) { $1 }
        }
        return stored
    }

    /// Reads every record of `kinds` and of the kinds they refer to.
    static func read(_ store: any Store, kinds: Set<MasterDataKind>) async throws -> StoredMasterData {
        var stored = StoredMasterData()
        if kinds.contains(.warehouse) {
            stored.records[.warehouse] = Dictionary(try await store.warehouses().map { ($0.id, .warehouse($0)) }) { $1 }
        }
        if !kinds.isDisjoint(with: [.product, .priceList, .customer]) {
            stored.records[.product] = Dictionary(try await store.products().map { ($0.sku, .product($0)) }) { $1 }
        }
        if !kinds.isDisjoint(with: [.priceList, .customer]) {
            stored.records[.priceList] = Dictionary(try await store.priceLists().map { ($0.id, .priceList($0)) }) { $1 }
        }
        if kinds.contains(.customer) {
            stored.records[.customer] = Dictionary(try await store.customers().map { ($0.id, .customer($0, keepsOpenBalance: false)) }) { $1 }
            stored.entities = Dictionary(try await store.legalEntities().map { ($0.id, $0) }) { $1 }
        }
        return stored
    }
}

/// What a batch will do: which records are refused and why, which change, which are already as stated.
struct FeedPlan {
    let batch: MasterDataFeed.Batch
    let stored: StoredMasterData
    /// Items that cannot be applied, in batch order.
    private(set) var refused: [MasterDataFeed.Item] = []
    /// Records that change master data, with the record each replaces.
    private(set) var changes: [(new: MasterDataRecord, old: MasterDataRecord?)] = []
    private var accepted: [MasterDataKind: [String: MasterDataRecord]] = [:]
    private var unchanged: [MasterDataKind: Int] = [:]

    init(batch: MasterDataFeed.Batch, stored: StoredMasterData) {
        self.batch = batch
        self.stored = stored
    }

    /// Sorts every item into refused, changed or unchanged.
    mutating func check() {
        var items = batch.items
        // A key stated twice in one batch is ambiguous: every statement of it is refused.
        var places: [String: [String]] = [:]
        for item in items where item.record != nil { places["\(item.kind.rawValue)/\(item.key ?? "")", default: []].append(item.place) }
        for index in items.indices where items[index].record != nil {
            let seen = places["\(items[index].kind.rawValue)/\(items[index].key ?? "")"] ?? []
            guard seen.count > 1 else { continue }
            items[index].problems.append(
                .init(
                    field: "",
                    reason: "\(items[index].kind.rawValue) \(items[index].key ?? "") is stated \(seen.count) times (\(seen.joined(separator: ", ")))"
                )
            )
            items[index].record = nil
        }
        // References resolve against what is stored and what this batch accepts; a record whose reference was
        // refused is refused too (repeat until nothing more falls).
        for kind in MasterDataKind.allCases {
            accepted[kind] = Dictionary(items.compactMap { item in item.kind == kind ? item.record.map { (item.key ?? $0.key, $0) } : nil }) { $1 }
        }
        var changedSomething = true
        while changedSomething {
            changedSomething = false
            for index in items.indices {
                guard let record = items[index].record else { continue }
                let problems = references(of: record)
                guard !problems.isEmpty else { continue }
                items[index].problems += problems
                items[index].record = nil
                accepted[record.kind]?[record.key] = nil
                changedSomething = true
            }
        }
        for var item in items {
            guard let sent = item.record else {
                refused.append(item)
                continue
            }
            let old = stored.records[sent.kind]?[sent.key]
            // Each record has one master system: a batch from another source cannot change it.
            if let owner = old?.masteredBy, owner != batch.source {
                item.problems.append(
                    .init(
                        field: "",
                        reason: "\(sent.kind.rawValue) \(sent.key) is mastered by \(owner); a batch from \(batch.source) cannot change it"
                    )
                )
                item.record = nil
                refused.append(item)
                continue
            }
            // A customer of a legal entity is mastered by that entity's ERP instance: the entity it names now and the
            // one it belongs to (no instance moves another's account to itself).
            if case .customer(let customer, _) = sent,
                let entity = [old?.legalEntityID, customer.legalEntityID].compactMap({ $0.flatMap { stored.entities[$0] } })
                    .first(where: { $0.erpInstance != batch.source })
            {
                item.problems.append(
                    .init(
                        field: "legalEntityId",
                        reason:
                            "customer \(customer.id) belongs to legal entity \(entity.id), mastered by \(entity.erpInstance); a batch from \(batch.source) cannot write it"
                    )
                )
                item.record = nil
                refused.append(item)
                continue
            }
            let record = sent.owned(by: batch.source)
            if record.isUnchanged(from: old) {
                unchanged[record.kind, default: 0] += 1
            } else {
                changes.append((record, old))
            }
        }
    }

    private func known(_ kind: MasterDataKind, _ key: String) -> MasterDataRecord? {
        accepted[kind]?[key] ?? stored.records[kind]?[key]
    }

    private func product(_ sku: String) -> Product? {
        guard case .product(let product)? = known(.product, sku) else { return nil }
        return product
    }

    /// The references of `record` that do not resolve.
    private func references(of record: MasterDataRecord) -> [QuarantinedRecord.Problem] {
        var problems: [QuarantinedRecord.Problem] = []
        switch record {
        case .warehouse:
            break
        case .product(let product):
            for (index, substitute) in product.substitutes.enumerated() where self.product(substitute.sku) == nil {
                problems.append(.init(field: "substitutes[\(index)].sku", reason: "unknown product '\(substitute.sku)'"))
            }
        case .priceList(let list):
            problems += entries(list.entries, at: "entries")
        case .customer(let customer, _):
            if case .priceList(let list)? = known(.priceList, customer.priceListID) {
                if list.currency != customer.creditLimit.currency {
                    problems.append(
                        .init(
                            field: "creditLimit.currency",
                            reason: "is \(customer.creditLimit.currency.code) but price list \(list.id) is in \(list.currency.code)"
                        )
                    )
                }
            } else {
                problems.append(.init(field: "priceListId", reason: "unknown price list '\(customer.priceListID)'"))
            }
            for (index, contract) in customer.contracts.enumerated() {
                problems += entries(contract.entries, at: "contracts[\(index)].entries")
            }
            if let id = customer.legalEntityID {
                if let entity = stored.entities[id] {
                    if entity.currency != customer.creditLimit.currency {
                        problems.append(
                            .init(
                                field: "creditLimit.currency",
                                reason: "is \(customer.creditLimit.currency.code) but legal entity \(id) books in \(entity.currency.code)"
                            )
                        )
                    }
                } else {
                    problems.append(.init(field: "legalEntityId", reason: "unknown legal entity '\(id)'"))
                }
            }
        }
        return problems
    }

    /// Entries whose SKU is unknown or whose unit the product is not sold in.
    private func entries(_ entries: [PriceList.Entry], at path: String) -> [QuarantinedRecord.Problem] {
        var problems: [QuarantinedRecord.Problem] = []
        for (index, entry) in entries.enumerated() {
            guard let product = product(entry.sku) else {
                problems.append(.init(field: "\(path)[\(index)].sku", reason: "unknown product '\(entry.sku)'"))
                continue
            }
            if product.baseUnits(per: entry.unitOfMeasure) == nil {
                problems.append(
                    .init(field: "\(path)[\(index)].unitOfMeasure", reason: "\(entry.sku) is not sold in \(entry.unitOfMeasure ?? "")")
                )
            }
        }
        return problems
    }

    /// The answer for this plan.
    /// - Parameter waiting: open quarantined records of the same source by ``quarantineKey(_:)``: a record refused
    ///   again keeps its entry instead of gaining a second.
    func summary(
        id: String,
        receivedAt: Date,
        versionBefore: Int,
        version: Int?,
        resubmissionOf: String?,
        waiting: [String: QuarantinedRecord] = [:]
    ) -> FeedSummary {
        var counts: [String: FeedSummary.Counts] = [:]
        for kind in Set(batch.items.map(\.kind)) {
            let items = batch.items.filter { $0.kind == kind }
            let changed = changes.filter { $0.new.kind == kind }
            var count = FeedSummary.Counts(
                received: items.count,
                created: changed.filter { $0.old == nil }.count,
                updated: changed.filter { $0.old != nil }.count,
                unchanged: unchanged[kind] ?? 0,
                quarantined: refused.filter { $0.kind == kind }.count
            )
            if batch.mode == .snapshot {
                let sent = Set(items.compactMap(\.key))
                count.absent = (stored.records[kind] ?? [:]).keys.filter { !sent.contains($0) }.sorted()
                count.absentCount = count.absent?.count
                count.absent = count.absent.map { Array($0.prefix(FeedSummary.absentListed)) }
            }
            counts[kind.rawValue] = count
        }
        let applied = changes.count + unchanged.values.reduce(0, +)
        let status: FeedSummary.Status =
            refused.isEmpty
            ? (changes.isEmpty ? .unchanged : .applied)
            : (applied == 0 ? .quarantined : .partiallyApplied)
        return FeedSummary(
            id: id,
            source: batch.source,
            mode: batch.mode,
            onError: batch.onError,
            status: status,
            receivedAt: receivedAt,
            versionBefore: versionBefore,
            version: version,
            counts: counts,
            quarantined: refused.map { item in
                FeedSummary.Refused(
                    id: waiting[Self.quarantineKey(item)]?.id ?? "MDQ-" + IDs.make(),
                    kind: item.kind.rawValue,
                    key: item.key,
                    line: item.line,
                    problems: item.problems
                )
            },
            resubmissionOf: resubmissionOf
        )
    }
}

extension FeedPlan {
    /// What makes two refusals the same record: its kind, key and the record as received.
    static func quarantineKey(_ item: MasterDataFeed.Item) -> String { "\(item.kind.rawValue)\u{1F}\(item.key ?? "")\u{1F}\(item.raw)" }

    /// The same for a stored quarantined record.
    static func quarantineKey(_ record: QuarantinedRecord) -> String { "\(record.kind)\u{1F}\(record.key ?? "")\u{1F}\(record.record)" }
}

/// What a batch did, as answered and kept (`GET /v1/master-data/batches/{id}`).
public struct FeedSummary: Sendable, Codable, Hashable {
    /// `applied` (everything valid, something changed), `unchanged` (everything valid and already so),
    /// `partially_applied` (the valid records applied, some quarantined), `quarantined` (every record quarantined).
    public enum Status: String, Sendable, Codable, Hashable {
        case applied
        case unchanged
        case partiallyApplied = "partially_applied"
        case quarantined
    }

    /// Per kind.
    public struct Counts: Sendable, Codable, Hashable {
        public var received: Int
        public var created: Int
        public var updated: Int
        public var unchanged: Int
        public var quarantined: Int
        /// Snapshot only: how many stored records of the kind the batch lacks.
        public var absentCount: Int?
        /// Snapshot only: the first of them by key.
        public var absent: [String]?
    }

    /// A quarantined record.
    public struct Refused: Sendable, Codable, Hashable {
        public var id: String
        public var kind: String
        public var key: String?
        public var line: Int?
        public var problems: [QuarantinedRecord.Problem]
    }

    /// How many absent keys a summary lists per kind.
    static let absentListed = 100

    public var id: String
    public var source: String
    public var mode: MasterDataFeed.Mode
    public var onError: MasterDataFeed.OnError
    public var status: Status
    public var receivedAt: Date
    /// The master-data version before the batch.
    public var versionBefore: Int
    /// The version the batch made; nil when it changed nothing.
    public var version: Int?
    /// By kind (`product`, `price_list`, …).
    public var counts: [String: Counts]
    /// The records quarantined, with their reasons.
    public var quarantined: [Refused]
    /// The quarantined record this batch resubmitted, if it was a resubmission.
    public var resubmissionOf: String?
}

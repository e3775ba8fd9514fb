import CrossdockDomain
import Foundation

/// A master-data feed batch as the hub answered it: the summary document, kept for `GET /v1/master-data/batches/{id}`.
public struct FeedBatchRow: Sendable, Hashable {
    /// The batch id (`MDB-…`).
    public var id: String
    /// When it was received.
    public var receivedAt: Date
    /// The summary the hub answered, JSON.
    public var document: Data

    /// Creates a row.
    public init(id: String, receivedAt: Date, document: Data) {
        self.id = id
        self.receivedAt = receivedAt
        self.document = document
    }
}

/// A master-data record a feed could not apply, kept with its reasons until it is corrected and resubmitted, or
/// discarded.
public struct QuarantinedRecord: Sendable, Hashable, Codable {
    /// Open until resubmitted successfully or discarded.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case open
        case resolved
        case discarded
    }

    /// One reason the record was refused: the field (a JSON path in the record, or a CSV line and column) and why.
    public typealias Problem = IntakeError.FieldError

    /// The quarantine id (`MDQ-…`).
    public var id: String
    /// The batch that brought it.
    public var batchId: String
    /// The system that sent the batch (e.g. `erp-us`).
    public var source: String
    /// `warehouse`, `product`, `price_list` or `customer`.
    public var kind: String
    /// The record's key (warehouse id, SKU, price list id, customer id), when it could be read.
    public var key: String?
    /// Where it was in the batch: the CSV line it starts on, or its index in the JSON array (from 0).
    public var line: Int?
    /// The record as received (JSON text; a CSV row as a JSON object of its columns).
    public var record: String
    /// Why it was refused.
    public var problems: [Problem]
    /// Open, resolved or discarded.
    public var status: Status
    /// When it was quarantined.
    public var createdAt: Date
    /// When it was resolved or discarded.
    public var closedAt: Date?
    /// The batch (a resubmission) that applied it, when resolved.
    public var resolvedBy: String?

    /// Creates a record.
    public init(
        id: String,
        batchId: String,
        source: String,
        kind: String,
        key: String?,
        line: Int?,
        record: String,
        problems: [Problem],
        status: Status = .open,
        createdAt: Date,
        closedAt: Date? = nil,
        resolvedBy: String? = nil
    ) {
        self.id = id
        self.batchId = batchId
        self.source = source
        self.kind = kind
        self.key = key
        self.line = line
        self.record = record
        self.problems = problems
        self.status = status
        self.createdAt = createdAt
        self.closedAt = closedAt
        self.resolvedBy = resolvedBy
    }
}

/// Master-data feeds: batches and the quarantine. Part of ``Store``; batches and quarantined records are written with
/// the unit that applies the batch (``UnitOfWork/feedBatch``, ``UnitOfWork/quarantine``). The master-data version is
/// the connector cursor ``masterDataVersionCursor``, moved by every versioned change (``UnitOfWork/cursor``).
public protocol MasterDataFeedStore: Sendable {
    /// Every customer, by id.
    func customers() async throws -> [Customer]
    /// The customers among `ids` that exist.
    func customers(ids: [String]) async throws -> [Customer]
    /// The products among `skus` that exist.
    func products(skus: [String]) async throws -> [Product]
    /// A batch's summary.
    func feedBatch(_ id: String) async throws -> FeedBatchRow?
    /// The newest batches first.
    func feedBatches(limit: Int) async throws -> [FeedBatchRow]
    /// One quarantined record.
    func quarantinedRecord(_ id: String) async throws -> QuarantinedRecord?
    /// Quarantined records, oldest first, filtered by status, kind and batch.
    func quarantinedRecords(status: QuarantinedRecord.Status?, kind: String?, batchID: String?, limit: Int) async throws -> [QuarantinedRecord]
}

/// The connector cursor that holds the master-data version: every change of customers, products, price lists or
/// warehouses moves it by one under a guard, so two writers cannot stamp the same version.
public let masterDataVersionCursor = "master-data-version"

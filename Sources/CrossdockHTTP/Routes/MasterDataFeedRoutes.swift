import CrossdockConnectors
import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// Master-data feeds: batches in JSON or CSV, their summaries, and the quarantine (docs/master-data.md).
struct MasterDataFeedRoutes {
    let store: any Store
    let feed: MasterDataFeed
    /// The loaded mappings; a feed mapping (`"feed": kind`) turns a sender's JSON records into the hub's.
    let mappings: MappingCatalog

    /// The largest feed body: a 100 000-product snapshot is about 20 MB of JSON.
    static let maxBytes = 64 << 20

    func add(to router: RouteTable) {
        router.post("/v1/master-data/batches") { request, context in
            _ = try context.require(.masterWrite)
            let batch = try await read(request)
            AuditContext.note(status: 201, location: "/v1/master-data/batches/\(batch.id)")
            let summary = try await feed.apply(batch)
            var response = try Response.json(summary, status: .created)
            response.headers[.location] = "/v1/master-data/batches/\(summary.id)"
            return response
        }
        router.get("/v1/master-data/batches") { request, context in
            _ = try context.require(.masterRead)
            let limit = try queryInt(request, "limit", default: 50, range: 1...500)
            let rows = try await store.feedBatches(limit: limit)
            return try Response.json(BatchList(items: try rows.map { try JSONCoding.decoder().decode(FeedSummary.self, from: $0.document) }))
        }
        router.get("/v1/master-data/batches/:id") { _, context in
            _ = try context.require(.masterRead)
            let id = try pathParameter(context, "id")
            guard let row = try await store.feedBatch(id) else { throw notFound("batch", id) }
            return try Response.json(try JSONCoding.decoder().decode(FeedSummary.self, from: row.document))
        }
        router.get("/v1/master-data/version") { _, context in
            _ = try context.require(.masterRead)
            return try Response.json(["version": try await store.connectorCursor(masterDataVersionCursor)])
        }
        router.get("/v1/master-data/quarantine") { request, context in
            _ = try context.require(.masterRead)
            let query = request.uri.queryParameters
            let status = try query.get("status").map { text in
                guard let status = QuarantinedRecord.Status(rawValue: text) else {
                    throw Problem.invalidQuery("status", "must be one of open, resolved, discarded")
                }
                return status
            }
            let kind = try query.get("kind").map { text in
                guard let kind = MasterDataKind(rawValue: text) else {
                    throw Problem.invalidQuery("kind", "must be one of \(MasterDataKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return kind.rawValue
            }
            let limit = try queryInt(request, "limit", default: 100, range: 1...1000)
            let items = try await store.quarantinedRecords(status: status, kind: kind, batchID: query.get("batch"), limit: limit)
            return try Response.json(QuarantineList(items: items))
        }
        router.get("/v1/master-data/quarantine/:id") { _, context in
            _ = try context.require(.masterRead)
            return try Response.json(try await quarantined(context))
        }
        router.post("/v1/master-data/quarantine/:id/resubmit") { request, context in
            _ = try context.require(.masterWrite)
            let record = try await quarantined(context)
            let item = try Self.resubmission(of: record, corrected: try await RawBody.read(request), mappings: mappings)
            AuditContext.note(status: 201, location: nil)
            let summary = try await feed.resubmit(record, corrected: item)
            var response = try Response.json(summary, status: .created)
            response.headers[.location] = "/v1/master-data/batches/\(summary.id)"
            return response
        }
        router.post("/v1/master-data/quarantine/:id/discard") { _, context in
            _ = try context.require(.masterWrite)
            let record = try await quarantined(context)
            AuditContext.note(status: 200, location: nil)
            return try Response.json(try await feed.discard(record))
        }
    }

    /// What resubmitting `record` applies: `corrected` (the record in the hub's shape) when it is not empty, else the
    /// record as received (a mapped record rendered again by its feed mapping). A record from a CSV file needs a
    /// correction.
    static func resubmission(of record: QuarantinedRecord, corrected: [UInt8], mappings: MappingCatalog) throws -> MasterDataFeed.Item {
        guard let kind = MasterDataKind(rawValue: record.kind) else { throw notFound("quarantined record", record.id) }
        if !corrected.isEmpty { return FeedItems.item(kind, try parse(corrected), line: nil, place: "record") }
        let stored = try? JSONDecoder().decode(JSONValue.self, from: Data(record.record.utf8))
        /// 422 `correction_required`: the record cannot be applied as received.
        func correctionRequired(_ why: String, _ reason: String) -> Problem {
            Problem(
                status: .unprocessableContent,
                code: "correction_required",
                title: "Correction required",
                detail: "record \(record.id) \(why): send the corrected record as JSON, in the shape PUT /v1/\(kind.plural) takes",
                errors: [.init(field: "body", reason: reason)]
            )
        }
        guard case .object(let members)? = stored, members["#csv"] == nil else {
            throw correctionRequired("came from a CSV file", "required for a record from a CSV file")
        }
        guard case .string(let name)? = members["#mapping"], let received = members["record"] else {
            return FeedItems.item(kind, .object(members), line: nil, place: "record")
        }
        guard let mapping = mappings[name], mapping.feed == kind.rawValue, let value = try? mapping.render(record: received) else {
            throw correctionRequired(
                "came through feed mapping \(name), which cannot render it now",
                "required: the mapping \(name) is not loaded or does not render the record"
            )
        }
        return FeedItems.item(kind, value, line: nil, place: "record", received: stored)
    }

    private func quarantined(_ context: CrossdockContext) async throws -> QuarantinedRecord {
        let id = try pathParameter(context, "id")
        guard let record = try await store.quarantinedRecord(id) else { throw notFound("quarantined record", id) }
        return record
    }

    /// Reads a batch: a JSON body with its records by kind, or a CSV file of one kind (`?kind=&source=`).
    private func read(_ request: Request) async throws -> MasterDataFeed.Batch {
        let bytes = try await RawBody.read(request, limit: Self.maxBytes)
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let query = request.uri.queryParameters
        if let name = query.get("mapping") {
            return try mapped(bytes, mapping: name, request: request)
        }
        if type.hasPrefix("text/csv") {
            guard let kindText = query.get("kind"), let kind = MasterDataKind(rawValue: kindText) else {
                throw Problem.invalidQuery(
                    "kind",
                    "is required for a CSV file: one of \(MasterDataKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            let items: [MasterDataFeed.Item]
            do {
                items = try FeedItems.items(kind, csv: bytes, renames: try Self.renames(query.get("columns")))
            } catch {
                throw Problem(status: .unprocessableContent, code: "invalid_file", title: "Invalid file", detail: error.message, errors: error.errors)
            }
            return MasterDataFeed.Batch(
                source: try Self.source(query.get("source"), field: "source"),
                mode: try Self.option(query.get("mode"), "mode", default: .delta),
                onError: try Self.option(query.get("onError"), "onError", default: .quarantine),
                items: items
            )
        }
        try JSONBody<JSONValue>.requireJSON(request)
        if let batch = try Self.decodedBatch(bytes) { return batch }
        // Read member by member, so a fault in the batch's own shape is named precisely.
        let json = try Self.parse(bytes)
        let unknown = JSONBody<JSONValue>.unknownFields(json, schema: FeedItems.batchSchema, path: "")
        guard case .object(let members) = json else { throw invalidFields([.init(field: "body", reason: "must be a JSON object")]) }
        guard unknown.filter({ !$0.contains(".") && !$0.contains("[") }).isEmpty else {
            throw Problem(
                status: .unprocessableContent,
                code: "unknown_fields",
                title: "Unknown fields",
                detail: "the batch has member(s) this route does not take",
                errors: unknown.filter { !$0.contains(".") && !$0.contains("[") }.map { IntakeError.FieldError(field: $0, reason: "unknown field") }
            )
        }
        func text(_ name: String) throws -> String? {
            switch members[name] ?? .null {
            case .null: return nil
            case .string(let value): return value
            default: throw invalidFields([.init(field: name, reason: "must be a string")])
            }
        }
        var items: [MasterDataFeed.Item] = []
        for kind in MasterDataKind.allCases {
            switch members[kind.plural] ?? .null {
            case .null: continue
            case .array(let records):
                for (index, record) in records.enumerated() {
                    items.append(FeedItems.item(kind, record, line: index, place: "\(kind.plural)[\(index)]"))
                }
            default: throw invalidFields([.init(field: kind.plural, reason: "must be an array")])
            }
        }
        guard !items.isEmpty else {
            throw invalidFields([.init(field: "body", reason: "names no records: send warehouses, products, priceLists or customers")])
        }
        return MasterDataFeed.Batch(
            source: try Self.source(try text("source"), field: "source"),
            mode: try Self.option(try text("mode"), "mode", default: .delta),
            onError: try Self.option(try text("onError"), "onError", default: .quarantine),
            items: items
        )
    }

    /// A well-formed JSON batch of the right shape decoded in one pass, each record as parsed and as its PUT body
    /// (``BatchRecords``); nil when it is not one (malformed, a member of the wrong type or unknown, no records), for
    /// the member-by-member reading to name the fault.
    static func decodedBatch(_ bytes: [UInt8]) throws -> MasterDataFeed.Batch? {
        guard (try? StrictJSON.validate(bytes)) != nil,
            let decoded = try? JSONCoding.decoder().decode(BatchRecords.self, from: Data(bytes)), !decoded.hasUnknownMembers
        else { return nil }
        var items: [MasterDataFeed.Item] = []
        for kind in MasterDataKind.allCases {
            for (index, (value, body)) in (decoded.records(kind) ?? []).enumerated() {
                items.append(FeedItems.item(kind, value, line: index, place: "\(kind.plural)[\(index)]", decoded: body))
            }
        }
        guard !items.isEmpty else { return nil }
        return MasterDataFeed.Batch(
            source: try source(decoded.source, field: "source"),
            mode: try option(decoded.mode, "mode", default: .delta),
            onError: try option(decoded.onError, "onError", default: .quarantine),
            items: items
        )
    }

    /// A JSON array of the sender's records, each turned into the hub's shape by the feed mapping `name`
    /// (`?mapping=&source=&mode=&onError=`); a record the mapping cannot render is quarantined with the reason.
    private func mapped(_ bytes: [UInt8], mapping name: String, request: Request) throws -> MasterDataFeed.Batch {
        guard let mapping = mappings[name], let feedKind = mapping.feed, let kind = MasterDataKind(rawValue: feedKind) else {
            let feeds = mappings.names.filter { mappings[$0]?.feed != nil }
            throw Problem.invalidQuery(
                "mapping",
                "no feed mapping named '\(name)' (loaded: \(feeds.isEmpty ? "none" : feeds.joined(separator: ", ")))"
            )
        }
        try JSONBody<JSONValue>.requireJSON(request)
        guard case .array(let records) = try Self.parse(bytes) else {
            throw invalidFields([.init(field: "body", reason: "must be a JSON array of records (with ?mapping=)")])
        }
        guard !records.isEmpty else { throw invalidFields([.init(field: "body", reason: "names no records")]) }
        let query = request.uri.queryParameters
        var items: [MasterDataFeed.Item] = []
        for (index, record) in records.enumerated() {
            let place = "records[\(index)]"
            // Kept as received with the mapping's name, so a resubmission renders it again.
            let received = JSONValue.object(["#mapping": .string(name), "record": record])
            do {
                let value = try mapping.render(record: record)
                items.append(FeedItems.item(kind, value, line: index, place: place, received: received))
            } catch {
                items.append(
                    MasterDataFeed.Item(
                        kind: kind,
                        key: nil,
                        line: index,
                        place: place,
                        received: received,
                        record: nil,
                        problems: error.errors.map { .init(field: $0.field, reason: "mapping \(name): \($0.reason)") }
                    )
                )
            }
        }
        return MasterDataFeed.Batch(
            source: try Self.source(query.get("source"), field: "source"),
            mode: try Self.option(query.get("mode"), "mode", default: .delta),
            onError: try Self.option(query.get("onError"), "onError", default: .quarantine),
            items: items
        )
    }

    /// A JSON body: well-formed (byte offset of the first fault) and decodable.
    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        do {
            try StrictJSON.validate(bytes)
            return try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch let error as StrictJSON.SyntaxError {
            throw Problem(
                status: .badRequest,
                code: "malformed_json",
                title: "Malformed JSON",
                detail: "the body is not valid JSON at byte \(error.offset): \(error.reason)"
            )
        } catch {
            throw Problem(status: .badRequest, code: "malformed_json", title: "Malformed JSON", detail: "the body is not valid JSON")
        }
    }

    /// The sender: lower-case letters, digits, `.`, `_`, `-`, at most 64.
    static func source(_ text: String?, field: String) throws -> String {
        guard let text, !text.isEmpty else { throw invalidFields([.init(field: field, reason: "is required (the sending system, e.g. erp-us)")]) }
        let valid =
            text.utf8.count <= 64
            && text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
        guard valid else { throw invalidFields([.init(field: field, reason: "must be 1 to 64 lower-case letters, digits, '.', '_' or '-'")]) }
        return text
    }

    static func option<T: RawRepresentable & CaseIterable>(_ text: String?, _ field: String, default value: T) throws -> T
    where T.RawValue == String {
        guard let text else { return value }
        guard let option = T(rawValue: text) else {
            throw invalidFields([.init(field: field, reason: "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")])
        }
        return option
    }

    /// `Their column:hubColumn,…` → their name → the hub's.
    static func renames(_ text: String?) throws(ConnectorError) -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var renames: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ConnectorError(
                    code: "invalid_columns",
                    message: "columns must be THEIRS:OURS pairs",
                    errors: [.init(field: "columns", reason: "bad pair \(pair)")]
                )
            }
            renames[parts[0]] = parts[1]
        }
        return renames
    }
}

struct BatchList: Encodable {
    var items: [FeedSummary]
}

struct QuarantineList: Encodable {
    var items: [QuarantinedRecord]
}

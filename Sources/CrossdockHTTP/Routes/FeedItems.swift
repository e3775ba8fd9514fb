import CrossdockConnectors
import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation

/// Turns the records of a feed (JSON members or CSV records) into ``MasterDataFeed/Item``s, each read and checked on
/// its own by the rules of its PUT route, so one bad record is quarantined without failing the others.
enum FeedItems {
    /// The JSON batch's members.
    static let batchSchema = FieldSchema.object([
        "source": .scalar, "mode": .scalar, "onError": .scalar,
        "warehouses": .array(RequestSchemas.warehouse), "products": .array(RequestSchemas.product),
        "priceLists": .array(RequestSchemas.priceList), "customers": .array(RequestSchemas.customer),
    ])

    /// One JSON record of `kind` at `place`.
    /// - Parameter decoded: the record already decoded as its PUT body from the same parse (``BatchRecords``), or the
    ///   error that decoding met; nil to decode it here.
    static func item(
        _ kind: MasterDataKind,
        _ value: JSONValue,
        line: Int?,
        place: String,
        received: JSONValue? = nil,
        decoded: Result<DecodedBody, DecodingError>? = nil
    ) -> MasterDataFeed.Item {
        let received = received ?? value
        var key: String?
        if case .object(let members) = value, case .string(let text)? = members[kind == .product ? "sku" : "id"] { key = text }
        func refused(_ problems: [IntakeError.FieldError]) -> MasterDataFeed.Item {
            MasterDataFeed.Item(
                kind: kind,
                key: key,
                line: line,
                place: place,
                received: received,
                record: nil,
                problems: problems.map { .init(field: $0.field, reason: $0.reason) }
            )
        }
        guard case .object = value else { return refused([.init(field: "", reason: "must be a JSON object")]) }
        let schema: FieldSchema =
            switch kind {
            case .warehouse: RequestSchemas.warehouse
            case .product: RequestSchemas.product
            case .priceList: RequestSchemas.priceList
            case .customer: RequestSchemas.customer
            }
        var problems = JSONBody<JSONValue>.unknownFields(value, schema: schema, path: "").map {
            IntakeError.FieldError(field: $0, reason: "unknown field")
        }
        problems += JSONBody<JSONValue>.hugeNumbers(value, path: "").map { .init(field: $0, reason: "is beyond the 64-bit integer range") }
        guard problems.isEmpty else { return refused(problems) }
        guard let key else {
            return refused([.init(field: kind == .product ? "sku" : "id", reason: "is required")])
        }
        let kindOfKey: Identifier.Kind =
            switch kind {
            case .warehouse: .warehouseID
            case .product: .sku
            case .priceList: .priceListID
            case .customer: .customerID
            }
        if let reason = Identifier.problem(key, kindOfKey) { return refused([.init(field: kind == .product ? "sku" : "id", reason: reason)]) }
        do {
            let record: MasterDataRecord
            switch try decoded?.get() ?? DecodedBody.decode(kind, value) {
            case .warehouse(let body):
                problems = body.identifierErrors + body.problems
                record = .warehouse(body.warehouse(id: key))
            case .product(let body):
                problems = body.identifierErrors + body.problems(sku: key)
                record = .product(body.product(sku: key))
            case .priceList(let body):
                problems = body.identifierErrors + body.problems
                record = .priceList(body.priceList(id: key))
            case .customer(let body):
                problems = body.identifierErrors + body.problems
                record = .customer(body.customer(id: key), keepsOpenBalance: body.openBalance == nil)
            }
            guard problems.isEmpty else { return refused(problems) }
            return MasterDataFeed.Item(kind: kind, key: key, line: line, place: place, received: received, record: record, problems: [])
        } catch let error as DecodingError {
            // Decoded with its batch, the path starts at the batch (`products[1].description`): name the record's own.
            var (field, reason) = JSONBody<JSONValue>.field(of: error)
            if field.hasPrefix(place + ".") { field.removeFirst(place.count + 1) }
            return refused([.init(field: field, reason: reason)])
        } catch {
            return refused([.init(field: "", reason: "cannot be decoded")])
        }
    }

    /// The records of a CSV file of `kind`.
    static func items(_ kind: MasterDataKind, csv: [UInt8], renames: [String: String]) throws(ConnectorError) -> [MasterDataFeed.Item] {
        try MasterDataCSV.records(kind: kind.rawValue, csv: csv, renames: renames).map { record in
            let place = "line \(record.line)"
            guard let json = record.json, record.problems.isEmpty else {
                return MasterDataFeed.Item(
                    kind: kind,
                    key: record.key,
                    line: record.line,
                    place: place,
                    received: record.raw,
                    record: nil,
                    problems: record.problems.map { .init(field: $0.field, reason: $0.reason) }
                )
            }
            return item(kind, json, line: record.line, place: place, received: record.raw)
        }
    }
}

/// A record decoded as the body of its kind's PUT route.
enum DecodedBody: Sendable {
    case warehouse(WarehouseBody)
    case product(ProductBody)
    case priceList(PriceListBody)
    case customer(CustomerBody)

    /// Decodes `value` (encoded again, then decoded): for records that were not decoded with their batch.
    static func decode(_ kind: MasterDataKind, _ value: JSONValue) throws -> DecodedBody {
        let data = try JSONEncoder().encode(value)
        let decoder = JSONCoding.decoder()
        return switch kind {
        case .warehouse: .warehouse(try decoder.decode(WarehouseBody.self, from: data))
        case .product: .product(try decoder.decode(ProductBody.self, from: data))
        case .priceList: .priceList(try decoder.decode(PriceListBody.self, from: data))
        case .customer: .customer(try decoder.decode(CustomerBody.self, from: data))
        }
    }
}

/// A JSON batch decoded in one pass: each record as parsed (for the unknown-field checks and the quarantine) and as its
/// PUT body, from the same parse. When the batch's own members do not decode (a wrong type), the caller falls back to
/// reading it member by member, which names the fault.
struct BatchRecords: Decodable {
    /// One record: its value and its body, or the error the body met.
    struct Record<Body: Decodable & Sendable>: Decodable {
        var value: JSONValue
        var body: Result<Body, DecodingError>

        init(from decoder: any Decoder) throws {
            value = try decoder.singleValueContainer().decode(JSONValue.self)
            do {
                body = .success(try Body(from: decoder))
            } catch let error as DecodingError {
                body = .failure(error)
            }
        }
    }

    var source: String?
    var mode: String?
    var onError: String?
    var warehouses: [Record<WarehouseBody>]?
    var products: [Record<ProductBody>]?
    var priceLists: [Record<PriceListBody>]?
    var customers: [Record<CustomerBody>]?
    /// Whether the batch has members this route does not take.
    var hasUnknownMembers = false

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let known: Set<String> = ["source", "mode", "onError", "warehouses", "products", "priceLists", "customers"]
        hasUnknownMembers = container.allKeys.contains { !known.contains($0.stringValue) }
        source = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "source"))
        mode = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "mode"))
        onError = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "onError"))
        warehouses = try container.decodeIfPresent([Record<WarehouseBody>].self, forKey: Key(stringValue: "warehouses"))
        products = try container.decodeIfPresent([Record<ProductBody>].self, forKey: Key(stringValue: "products"))
        priceLists = try container.decodeIfPresent([Record<PriceListBody>].self, forKey: Key(stringValue: "priceLists"))
        customers = try container.decodeIfPresent([Record<CustomerBody>].self, forKey: Key(stringValue: "customers"))
    }

    /// Each record of `kind` with its decoded body, in order.
    func records(_ kind: MasterDataKind) -> [(JSONValue, Result<DecodedBody, DecodingError>)]? {
        switch kind {
        case .warehouse: warehouses?.map { ($0.value, $0.body.map(DecodedBody.warehouse)) }
        case .product: products?.map { ($0.value, $0.body.map(DecodedBody.product)) }
        case .priceList: priceLists?.map { ($0.value, $0.body.map(DecodedBody.priceList)) }
        case .customer: customers?.map { ($0.value, $0.body.map(DecodedBody.customer)) }
        }
    }
}

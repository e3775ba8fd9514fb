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
    static func item(_ kind: MasterDataKind, _ value: JSONValue, line: Int?, place: String, received: JSONValue? = nil) -> MasterDataFeed.Item {
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
            let data = try JSONEncoder().encode(value)
            let record: MasterDataRecord
            switch kind {
            case .warehouse:
                let body = try JSONCoding.decoder().decode(WarehouseBody.self, from: data)
                problems = body.identifierErrors + body.problems
                record = .warehouse(body.warehouse(id: key))
            case .product:
                let body = try JSONCoding.decoder().decode(ProductBody.self, from: data)
                problems = body.identifierErrors + body.problems(sku: key)
                record = .product(body.product(sku: key))
            case .priceList:
                let body = try JSONCoding.decoder().decode(PriceListBody.self, from: data)
                problems = body.identifierErrors + body.problems
                record = .priceList(body.priceList(id: key))
            case .customer:
                let body = try JSONCoding.decoder().decode(CustomerBody.self, from: data)
                problems = body.identifierErrors + body.problems
                record = .customer(body.customer(id: key), keepsOpenBalance: body.openBalance == nil)
            }
            guard problems.isEmpty else { return refused(problems) }
            return MasterDataFeed.Item(kind: kind, key: key, line: line, place: place, received: received, record: record, problems: [])
        } catch let error as DecodingError {
            let (field, reason) = JSONBody<JSONValue>.field(of: error)
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

import CrossdockDomain
import Foundation

/// Master data as CSV files from an ERP, turned into the JSON records `PUT /v1/{kind}/{id}` takes, one per record, so
/// a file is checked by the same rules as the API (docs/master-data.md has the columns of each kind).
///
/// - The first record is the header; columns are found by name, in any order, after `renames` (the sender's column
///   name → the hub's). An unknown or repeated column refuses the file, as does a line that is not CSV (RFC 4180)
///   or not UTF-8.
/// - Products and warehouses are one row each. A price list is every row with its `priceListId` (one entry each); a
///   customer is every row with its `id` (one ship-to each), whose account columns must agree.
/// - Amounts are decimals in the currency's major unit (`12.50` USD); they become minor units exactly or are refused.
/// - A record whose rows cannot be read keeps its problems, named by line and column, and is quarantined by the feed
///   like any invalid record; the other records go on.
public enum MasterDataCSV {
    /// One record read from the file.
    public struct Record: Sendable {
        /// The line its first row starts on (header = 1).
        public var line: Int
        /// Its key (SKU, id, price list id), when readable.
        public var key: String?
        /// The record in the API's JSON shape (nil when its rows could not be read).
        public var json: JSONValue?
        /// Its rows as received: `{"#csv": [{column: text}]}`, for the quarantine.
        public var raw: JSONValue
        /// Why it could not be read, by `line N, column C`.
        public var problems: [ConnectorError.FieldError]
    }

    /// The hub's columns of each kind.
    public static let columns: [String: [String]] = [
        "product": ["sku", "description", "unitOfMeasure", "gtin", "status", "substitutes", "units"],
        "warehouse": ["id", "name", "region", "priority", "partner"] + address("address"),
        "price_list": ["priceListId", "currency", "sku", "unitPrice", "minQuantity", "unitOfMeasure", "validFrom", "validTo"],
        "customer": [
            "id", "name", "status", "currency", "creditLimit", "openBalance", "creditHold", "paymentTerms", "netDays", "priceListId",
            "shipPolicy", "allowSubstitution", "taxExempt", "legalEntityId",
        ] + address("billTo") + ["shipTo.code"] + address("shipTo"),
    ]

    /// The columns a file of each kind must have.
    static let required: [String: Set<String>] = [
        "product": ["sku", "description"],
        "warehouse": ["id", "name", "region", "priority"],
        "price_list": ["priceListId", "currency", "sku", "unitPrice"],
        "customer": ["id", "name", "currency", "creditLimit", "priceListId", "billTo.name", "shipTo.code"],
    ]

    private static func address(_ prefix: String) -> [String] {
        ["name", "line1", "line2", "city", "region", "postalCode", "country"].map { "\(prefix).\($0)" }
    }

    /// Reads a file of `kind` (`product`, `warehouse`, `price_list`, `customer`).
    /// - Throws: `malformed_payload` when the file as a whole cannot be read (not CSV, not UTF-8, no header, unknown,
    ///   missing or repeated columns), naming the line and column.
    public static func records(kind: String, csv: some Collection<UInt8>, renames: [String: String] = [:]) throws(ConnectorError) -> [Record] {
        guard let known = columns[kind] else {
            throw ConnectorError.malformed(field: "kind", "must be one of \(columns.keys.sorted().joined(separator: ", "))")
        }
        let rows = try CSVReader.records(csv)
        guard let header = rows.first else { throw ConnectorError.malformed(field: "line 1", "the file is empty (expected a header)") }
        var errors = FieldErrors()
        var position: [String: Int] = [:]
        for (index, text) in header.fields.enumerated() {
            let given = text.trimmingCharacters(in: .whitespaces)
            let column = renames[given] ?? given
            if !known.contains(column) {
                errors.add("line 1, column \(index + 1)", "unknown column \"\(given)\" (the \(kind) columns are \(known.joined(separator: ",")))")
            } else if position[column] != nil {
                errors.add("line 1, column \(index + 1)", "column \(column) appears twice")
            } else {
                position[column] = index
            }
        }
        for missing in (required[kind] ?? []).subtracting(position.keys).sorted() { errors.add("line 1", "missing column \(missing)") }
        try errors.check("the \(kind) file")
        // Group rows into records by their key column, in order of first appearance.
        let keyColumn = kind == "price_list" ? "priceListId" : kind == "product" ? "sku" : "id"
        var groups: [(key: String, rows: [CSVReader.Record])] = []
        var index: [String: Int] = [:]
        var records: [Record] = []
        for row in rows.dropFirst() {
            guard row.fields.count == header.fields.count else {
                let problem = ConnectorError.FieldError(
                    field: "line \(row.row)",
                    reason: "has \(row.fields.count) fields, the header has \(header.fields.count)"
                )
                records.append(Record(line: row.row, key: nil, json: nil, raw: raw([row], header), problems: [problem]))
                continue
            }
            let key = position[keyColumn].map { row.fields[$0].trimmingCharacters(in: .whitespaces) } ?? ""
            let grouped = kind == "price_list" || kind == "customer"
            if grouped, !key.isEmpty, let at = index[key] {
                groups[at].rows.append(row)
            } else {
                if grouped, !key.isEmpty { index[key] = groups.count }
                groups.append((key, [row]))
            }
        }
        for group in groups {
            var reader = Rows(rows: group.rows, position: position)
            let json: JSONValue? =
                switch kind {
                case "product": reader.product()
                case "warehouse": reader.warehouse()
                case "price_list": reader.priceList()
                default: reader.customer()
                }
            records.append(
                Record(
                    line: group.rows[0].row,
                    key: group.key.isEmpty ? nil : group.key,
                    json: reader.errors.isEmpty ? json : nil,
                    raw: raw(group.rows, header),
                    problems: reader.errors.list
                )
            )
        }
        return records.sorted { $0.line < $1.line }
    }

    private static func raw(_ rows: [CSVReader.Record], _ header: CSVReader.Record) -> JSONValue {
        .object([
            "#csv": .array(
                rows.map { row in
                    .object(Dictionary(zip(header.fields, row.fields).map { ($0, JSONValue.string($1)) }) { first, _ in first })
                }
            )
        ])
    }
}

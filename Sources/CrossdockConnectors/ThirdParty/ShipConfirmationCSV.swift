import CrossdockDomain
import Foundation

/// A 3PL's shipping confirmation as CSV, mapped to one `shipped` ``FulfillmentFeedback`` per fulfilment order.
///
/// ```csv
/// fulfillment_order_id,line_no,sku,quantity_shipped,carrier,service,tracking_number,shipped_at,weight_grams
/// FO-1,1,WID-1,2,UPS,ground,1Z999AA10123456784,2024-08-01T16:30:00Z,1200
/// FO-1,2,WID-2,1,UPS,ground,1Z999AA10123456784,2024-08-01T16:30:00Z,1200
/// FO-1,2,WID-2,3,UPS,ground,1Z999AA10123456795,2024-08-01T16:30:00Z,2500
/// ```
///
/// - The first record is the header; columns are found by name, in any order. Unknown or repeated column names are
///   errors. Required: ``requiredColumns``; optional: `sku` (informational), `service`, `weight_grams`.
/// - One row is one order line's units in one package. Rows are grouped by `fulfillment_order_id` (in order of first
///   appearance) and, within it, into packages by `tracking_number`; a line repeated in one package adds up.
/// - Within a fulfilment order, `carrier`, `service` and `shipped_at` must agree on every row; within a package, the
///   non-empty `weight_grams` must agree.
/// - `line_no` and `quantity_shipped` are positive whole numbers, `weight_grams` a non-negative one, `shipped_at`
///   RFC 3339.
/// - Errors name the row (the line it starts on, header = 1) and column, e.g. `row 3, column quantity_shipped`. All
///   problems are reported together and nothing is returned from a file with any.
public enum ShipConfirmationCSV {
    /// Every column, in the documented order.
    public static let columns = [
        "fulfillment_order_id", "line_no", "sku", "quantity_shipped", "carrier", "service", "tracking_number", "shipped_at", "weight_grams",
    ]
    /// The columns a file must have.
    public static let requiredColumns: Set<String> = [
        "fulfillment_order_id", "line_no", "quantity_shipped", "carrier", "tracking_number", "shipped_at",
    ]

    /// Parses a confirmation file.
    /// - Parameter csv: the raw file (UTF-8).
    /// - Returns: one confirmation per fulfilment order, in order of first appearance.
    /// - Throws: `malformed_payload` naming each bad row and column.
    public static func confirmations(csv: some Collection<UInt8>) throws(ConnectorError) -> [ShipConfirmation] {
        let records = try CSVReader.records(csv)
        guard let header = records.first else { throw ConnectorError.malformed(field: "row 1", "the file is empty (expected a header)") }
        var errors = FieldErrors()
        var position: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let column = name.trimmingCharacters(in: .whitespaces)
            if !columns.contains(column) {
                errors.add("row 1, column \(index + 1)", "unknown column \"\(column)\" (expected \(columns.joined(separator: ",")))")
            } else if position[column] != nil {
                errors.add("row 1, column \(index + 1)", "column \(column) appears twice")
            } else {
                position[column] = index
            }
        }
        for missing in requiredColumns.subtracting(position.keys).sorted() { errors.add("row 1", "missing column \(missing)") }
        if records.count < 2 { errors.add("row 2", "no data rows") }
        try errors.check("the shipping confirmation")

        var groups: [String: ShipmentGroup] = [:]
        var order: [String] = []
        for record in records.dropFirst() {
            if record.fields.count != header.fields.count {
                errors.add("row \(record.row)", "has \(record.fields.count) fields, the header has \(header.fields.count)")
                continue
            }
            let row = CSVRow(record: record, position: position)
            guard let id = row.text("fulfillment_order_id", &errors) else { continue }
            if groups[id] == nil {
                order.append(id)
                groups[id] = ShipmentGroup()
            }
            groups[id]?.add(row, &errors)
        }
        try errors.check("the shipping confirmation")
        return order.compactMap { id in
            guard let group = groups[id], let carrier = group.carrier?.value, let shippedAt = group.shippedAt?.value else { return nil }
            return ShipConfirmation(
                fulfillmentOrderID: id,
                feedback: .shipped(carrier: carrier, service: group.service?.value, packages: group.packages, shippedAt: shippedAt)
            )
        }
    }
}

/// One data row, read by column name.
struct CSVRow {
    let record: CSVReader.Record
    let position: [String: Int]

    var row: Int { record.row }

    func field(_ column: String) -> String { "row \(record.row), column \(column)" }

    /// The trimmed value; nil when the column is absent or the value empty (an error when `required`).
    func text(_ column: String, _ errors: inout FieldErrors, required: Bool = true) -> String? {
        let value = position[column].map { record.fields[$0].trimmingCharacters(in: .whitespaces) } ?? ""
        if value.isEmpty {
            if required { errors.add(field(column), "missing") }
            return nil
        }
        return value
    }

    /// A whole number ≥ `minimum`.
    func integer(_ column: String, minimum: Int, _ errors: inout FieldErrors, required: Bool = true) -> Int? {
        guard let value = text(column, &errors, required: required) else { return nil }
        guard let number = Int(value), number >= minimum, number <= 1_000_000_000 else {
            errors.add(
                field(column),
                minimum > 0 ? "must be a positive whole number, not \(value)" : "must be a whole number ≥ \(minimum), not \(value)"
            )
            return nil
        }
        return number
    }
}

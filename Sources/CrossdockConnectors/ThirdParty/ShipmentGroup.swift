import CrossdockDomain
import Foundation

/// The rows of one fulfilment order in a shipping confirmation, gathered into packages.
struct ShipmentGroup {
    /// A value with the row it was first seen on, so a disagreement names both rows.
    struct Seen<Value: Equatable> {
        var value: Value
        var row: Int
    }

    var carrier: Seen<String>?
    var service: Seen<String?>?
    var shippedAt: Seen<Date>?
    private var packageOrder: [String] = []
    private var contents: [String: [(lineNo: Int, quantity: Int)]] = [:]
    private var weights: [String: Seen<Int>] = [:]

    /// The packages, in order of first appearance, each line's units summed.
    var packages: [Shipment.Package] {
        packageOrder.map { number in
            var quantities: [Int: Int] = [:]
            var lines: [Int] = []
            for item in contents[number] ?? [] {
                if quantities[item.lineNo] == nil { lines.append(item.lineNo) }
                quantities[item.lineNo, default: 0] += item.quantity
            }
            return Shipment.Package(
                trackingNumber: number,
                weightGrams: weights[number]?.value,
                contents: lines.map { Shipment.Package.Content(lineNo: $0, quantity: quantities[$0] ?? 0) }
            )
        }
    }

    mutating func add(_ row: CSVRow, _ errors: inout FieldErrors) {
        let lineNo = row.integer("line_no", minimum: 1, &errors)
        let quantity = row.integer("quantity_shipped", minimum: 1, &errors)
        let carrierText = row.text("carrier", &errors)
        let serviceText = row.text("service", &errors, required: false)
        let tracking = row.text("tracking_number", &errors)
        let weight = row.integer("weight_grams", minimum: 0, &errors, required: false)
        var time: Date?
        if let text = row.text("shipped_at", &errors) {
            time = JSONCoding.parse(text)
            if time == nil { errors.add(row.field("shipped_at"), "must be an RFC 3339 time, e.g. 2024-08-01T16:30:00Z, not \(text)") }
        }
        if let carrierText { agree(&carrier, carrierText, row, "carrier", &errors) }
        if carrierText != nil { agree(&service, serviceText, row, "service", &errors) }
        if let time { agree(&shippedAt, time, row, "shipped_at", &errors) }
        guard let lineNo, let quantity, let tracking else { return }
        if contents[tracking] == nil { packageOrder.append(tracking) }
        contents[tracking, default: []].append((lineNo, quantity))
        if let weight {
            if let known = weights[tracking], known.value != weight {
                errors.add(row.field("weight_grams"), "is \(weight) but row \(known.row) gives \(known.value) for package \(tracking)")
            } else if weights[tracking] == nil {
                weights[tracking] = Seen(value: weight, row: row.row)
            }
        }
    }

    private func agree<Value: Equatable>(_ seen: inout Seen<Value>?, _ value: Value, _ row: CSVRow, _ column: String, _ errors: inout FieldErrors) {
        guard let known = seen else {
            seen = Seen(value: value, row: row.row)
            return
        }
        if known.value != value {
            errors.add(row.field(column), "differs from row \(known.row) for the same fulfillment_order_id (one shipment per fulfilment order)")
        }
    }
}

import CrossdockDomain
import Foundation

extension MasterDataCSV {
    /// The rows of one record, read by column into the API's JSON shape; problems collect in `errors`.
    struct Rows {
        let rows: [CSVReader.Record]
        let position: [String: Int]
        var errors = FieldErrors()

        init(rows: [CSVReader.Record], position: [String: Int]) {
            self.rows = rows
            self.position = position
        }

        private func text(_ column: String, _ row: CSVReader.Record) -> String? {
            guard let index = position[column] else { return nil }
            let value = row.fields[index].trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }

        /// The column's text on the first row; every further row must leave it empty or agree.
        private mutating func shared(_ column: String) -> String? {
            let value = text(column, rows[0])
            for row in rows.dropFirst() {
                if let other = text(column, row), other != value {
                    errors.add("line \(row.row), column \(column)", "is \(other) but line \(rows[0].row) says \(value ?? "nothing")")
                }
            }
            return value
        }

        private mutating func string(_ column: String, _ value: String?, required: Bool, line: Int) -> JSONValue? {
            guard let value else {
                if required { errors.add("line \(line), column \(column)", "missing") }
                return nil
            }
            return .string(value)
        }

        private mutating func integer(_ column: String, _ value: String?, line: Int) -> JSONValue? {
            guard let value else { return nil }
            guard let number = Int(value), abs(number) <= 1_000_000_000 else {
                errors.add("line \(line), column \(column)", "must be a whole number, not \(value)")
                return nil
            }
            return .number(Double(number))
        }

        private mutating func boolean(_ column: String, _ value: String?, line: Int) -> JSONValue? {
            guard let value else { return nil }
            switch value.lowercased() {
            case "true", "yes", "y", "1": return .bool(true)
            case "false", "no", "n", "0": return .bool(false)
            default:
                errors.add("line \(line), column \(column)", "must be true or false, not \(value)")
                return nil
            }
        }

        private mutating func amount(_ column: String, _ value: String?, currency: String?, line: Int) -> JSONValue? {
            guard let value else { return nil }
            guard let currency, let code = Currency(currency) else {
                errors.add("line \(line), column \(column)", "needs a valid currency to read \(value)")
                return nil
            }
            switch MinorUnits.parse(value, exponent: MinorUnits.exponent(of: code)) {
            case .success(let minor): return .object(["minorUnits": .number(Double(minor)), "currency": .string(code.code)])
            case .failure(let failure):
                errors.add("line \(line), column \(column)", "\(failure.reason) (\(value))")
                return nil
            }
        }

        private func object(_ members: [String: JSONValue?]) -> JSONValue {
            .object(members.compactMapValues { $0 })
        }

        private mutating func address(_ prefix: String, _ row: CSVReader.Record, required: Bool) -> JSONValue? {
            let names = ["name", "line1", "line2", "city", "region", "postalCode", "country"]
            guard required || names.contains(where: { text("\(prefix).\($0)", row) != nil }) else { return nil }
            let lines = [text("\(prefix).line1", row), text("\(prefix).line2", row)].compactMap { $0 }.map(JSONValue.string)
            return object([
                "name": string("\(prefix).name", text("\(prefix).name", row), required: true, line: row.row),
                "lines": .array(lines),
                "city": .string(text("\(prefix).city", row) ?? ""),
                "region": .string(text("\(prefix).region", row) ?? ""),
                "postalCode": .string(text("\(prefix).postalCode", row) ?? ""),
                "country": .string(text("\(prefix).country", row) ?? ""),
            ])
        }

        mutating func product() -> JSONValue {
            let row = rows[0]
            var substitutes: [JSONValue] = []
            for (index, sku) in (text("substitutes", row) ?? "").split(separator: ";").enumerated() {
                let sku = sku.trimmingCharacters(in: .whitespaces)
                if !sku.isEmpty { substitutes.append(.object(["sku": .string(sku), "priority": .number(Double(index + 1))])) }
            }
            var units: [JSONValue] = []
            for unit in (text("units", row) ?? "").split(separator: ";") {
                let parts = unit.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let quantity = Int(parts[1]) else {
                    errors.add("line \(row.row), column units", "must be CODE=QUANTITY separated by ; (CS=12;PK=6), not \(unit)")
                    continue
                }
                units.append(.object(["code": .string(parts[0]), "quantity": .number(Double(quantity))]))
            }
            return object([
                "sku": string("sku", text("sku", row), required: true, line: row.row),
                "description": string("description", text("description", row), required: true, line: row.row),
                "unitOfMeasure": text("unitOfMeasure", row).map(JSONValue.string),
                "gtin": text("gtin", row).map(JSONValue.string),
                "status": text("status", row).map(JSONValue.string),
                "substitutes": .array(substitutes),
                "units": .array(units),
            ])
        }

        mutating func warehouse() -> JSONValue {
            let row = rows[0]
            return object([
                "id": string("id", text("id", row), required: true, line: row.row),
                "name": string("name", text("name", row), required: true, line: row.row),
                "region": string("region", text("region", row), required: true, line: row.row),
                "priority": integer("priority", text("priority", row), line: row.row),
                "partner": text("partner", row).map(JSONValue.string),
                "address": address("address", row, required: false),
            ])
        }

        mutating func priceList() -> JSONValue {
            let currency = shared("currency")
            var entries: [JSONValue] = []
            for row in rows {
                entries.append(
                    object([
                        "sku": string("sku", text("sku", row), required: true, line: row.row),
                        "unitPrice": amount("unitPrice", text("unitPrice", row), currency: currency, line: row.row).flatMap { money in
                            if case .object(let members) = money { members["minorUnits"] } else { nil }
                        },
                        "minQuantity": integer("minQuantity", text("minQuantity", row), line: row.row) ?? .number(1),
                        "unitOfMeasure": text("unitOfMeasure", row).map(JSONValue.string),
                        "validFrom": text("validFrom", row).map(JSONValue.string),
                        "validTo": text("validTo", row).map(JSONValue.string),
                    ])
                )
            }
            return object([
                "id": string("priceListId", text("priceListId", rows[0]), required: true, line: rows[0].row),
                "currency": string("currency", currency, required: true, line: rows[0].row),
                "entries": .array(entries),
            ])
        }

        mutating func customer() -> JSONValue {
            let line = rows[0].row
            let currency = shared("currency")
            var members: [String: JSONValue?] = [
                "id": string("id", text("id", rows[0]), required: true, line: line),
                "name": string("name", shared("name"), required: true, line: line),
                "status": shared("status").map(JSONValue.string),
                "creditLimit": amount("creditLimit", shared("creditLimit"), currency: currency, line: line),
                "openBalance": amount("openBalance", shared("openBalance"), currency: currency, line: line),
                "creditHold": shared("creditHold").map { .object(["reason": .string($0)]) },
                "priceListId": string("priceListId", shared("priceListId"), required: true, line: line),
                "shipPolicy": shared("shipPolicy").map(JSONValue.string),
                "allowSubstitution": boolean("allowSubstitution", shared("allowSubstitution"), line: line),
                "taxExempt": boolean("taxExempt", shared("taxExempt"), line: line),
                "legalEntityId": shared("legalEntityId").map(JSONValue.string),
            ]
            if members["creditLimit"] == nil || members["creditLimit"]! == nil { errors.add("line \(line), column creditLimit", "missing") }
            if let code = shared("paymentTerms") {
                members["paymentTerms"] = object([
                    "code": .string(code), "netDays": integer("netDays", shared("netDays"), line: line) ?? .number(30),
                ])
            }
            for column in ["billTo.name", "billTo.line1", "billTo.line2", "billTo.city", "billTo.region", "billTo.postalCode", "billTo.country"] {
                _ = shared(column)
            }
            members["billTo"] = address("billTo", rows[0], required: true)
            members["shipTo"] = .array(
                rows.map { row in
                    object([
                        "code": string("shipTo.code", text("shipTo.code", row), required: true, line: row.row),
                        "address": address("shipTo", row, required: true),
                    ])
                }
            )
            return object(members)
        }
    }
}

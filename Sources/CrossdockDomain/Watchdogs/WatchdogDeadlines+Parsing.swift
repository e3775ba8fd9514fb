import Foundation

extension WatchdogDeadlines {
    /// The override sections, in the order the document lists them.
    static let sections = ["warehouses", "carriers", "partners", "channels"]

    /// Reads a deadline document (the body of `PUT /v1/watchdog-deadlines`) strictly: only the known sections and
    /// members, whole numbers in range, each limit in the section it applies to.
    /// - Throws: ``IntakeError`` `invalid_fields` with one error per offending field (`carriers.UPS.returnWindowDays`,
    ///   `defaults.scanBusinessDays`, `channels`), nothing read then.
    public static func parse(_ json: JSONValue) throws(IntakeError) -> WatchdogDeadlines {
        var errors: [IntakeError.FieldError] = []
        guard case .object(let members) = json else {
            throw IntakeError(
                code: "invalid_fields",
                message: "the deadlines must be a JSON object",
                errors: [.init(field: "", reason: "must be an object")]
            )
        }
        func limits(_ value: JSONValue, at path: String) -> Limits {
            var result = Limits()
            guard case .object(let fields) = value else {
                errors.append(.init(field: path, reason: "must be an object of limits"))
                return result
            }
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
                let field = "\(path).\(name)"
                guard let member = Self.members.first(where: { $0.name == name }) else {
                    errors.append(.init(field: field, reason: "is not a deadline; known: \(Self.members.map(\.name).joined(separator: ", "))"))
                    continue
                }
                if case .null = value { continue }
                guard case .number(let number) = value, number == number.rounded(), abs(number) < 1e9 else {
                    errors.append(.init(field: field, reason: "must be a whole number"))
                    continue
                }
                switch member.name {
                case "fulfillmentAcknowledgementMinutes": result.fulfillmentAcknowledgementMinutes = Int(number)
                case "scanBusinessDays": result.scanBusinessDays = Int(number)
                case "transitGraceHours": result.transitGraceHours = Int(number)
                case "ediAcknowledgementHours": result.ediAcknowledgementHours = Int(number)
                case "ediAcknowledgementMinutes": result.ediAcknowledgementMinutes = Int(number)
                case "backorderGraceDays": result.backorderGraceDays = Int(number)
                case "silenceFactor": result.silenceFactor = Int(number)
                case "minimumSilenceMinutes": result.minimumSilenceMinutes = Int(number)
                default: result.returnWindowDays = Int(number)
                }
            }
            return result
        }
        var deadlines = WatchdogDeadlines()
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            if name == "defaults" {
                deadlines.defaults = limits(value, at: name)
                continue
            }
            guard sections.contains(name) else {
                errors.append(.init(field: name, reason: "is not a section; known: defaults, \(sections.joined(separator: ", "))"))
                continue
            }
            guard case .object(let overrides) = value else {
                errors.append(.init(field: name, reason: "must be an object keyed by \(name.dropLast()) id"))
                continue
            }
            var parsed: [String: Limits] = [:]
            for (key, value) in overrides { parsed[key] = limits(value, at: "\(name).\(key)") }
            switch name {
            case "warehouses": deadlines.warehouses = parsed
            case "carriers": deadlines.carriers = parsed
            case "partners": deadlines.partners = parsed
            default: deadlines.channels = parsed
            }
        }
        errors += deadlines.validate()
        guard errors.isEmpty else {
            throw IntakeError(code: "invalid_fields", message: "the deadlines have \(errors.count) problem(s)", errors: errors)
        }
        return deadlines
    }
}

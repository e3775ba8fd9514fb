import Foundation

extension WatchdogDeadlines {
    /// One member of ``Limits``: its JSON name, where it may be set, and its allowed range.
    struct Member: Sendable {
        let name: String
        let value: @Sendable (Limits) -> Int?
        let scope: String
        let range: ClosedRange<Int>
    }

    /// Every member, with the override section it belongs to (`warehouses`, `carriers`, `partners`, `channels`).
    static let members: [Member] = [
        Member(name: "fulfillmentAcknowledgementMinutes", value: { $0.fulfillmentAcknowledgementMinutes }, scope: "warehouses", range: 1...43_200),
        Member(name: "scanBusinessDays", value: { $0.scanBusinessDays }, scope: "carriers", range: 1...60),
        Member(name: "transitGraceHours", value: { $0.transitGraceHours }, scope: "carriers", range: 1...2_160),
        Member(name: "ediAcknowledgementHours", value: { $0.ediAcknowledgementHours }, scope: "partners", range: 1...720),
        Member(name: "ediAcknowledgementMinutes", value: { $0.ediAcknowledgementMinutes }, scope: "partners", range: 1...43_200),
        Member(name: "backorderGraceDays", value: { $0.backorderGraceDays }, scope: "channels", range: 0...365),
        Member(name: "silenceFactor", value: { $0.silenceFactor }, scope: "channels", range: 2...100),
        Member(name: "minimumSilenceMinutes", value: { $0.minimumSilenceMinutes }, scope: "channels", range: 1...43_200),
        Member(name: "returnWindowDays", value: { $0.returnWindowDays }, scope: "channels", range: 0...3_650),
    ]

    /// What makes no sense in the configuration, each naming its field (`carriers.UPS.scanBusinessDays`): a value out
    /// of its range, a limit set in a section it does not apply to (a return window for a carrier), an empty key.
    public func validate() -> [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        func check(_ limits: Limits, at prefix: String, scope: String?) {
            for member in Self.members {
                guard let value = member.value(limits) else { continue }
                let field = "\(prefix).\(member.name)"
                if let scope, scope != member.scope {
                    errors.append(.init(field: field, reason: "does not apply to \(scope); set it under defaults or \(member.scope)"))
                } else if !member.range.contains(value) {
                    errors.append(.init(field: field, reason: "must be between \(member.range.lowerBound) and \(member.range.upperBound)"))
                }
            }
            if limits.ediAcknowledgementHours != nil, limits.ediAcknowledgementMinutes != nil {
                errors.append(
                    .init(
                        field: "\(prefix).ediAcknowledgementMinutes",
                        reason: "set either ediAcknowledgementHours or ediAcknowledgementMinutes, not both"
                    )
                )
            }
        }
        check(defaults, at: "defaults", scope: nil)
        for (scope, overrides) in [("warehouses", warehouses), ("carriers", carriers), ("partners", partners), ("channels", channels)] {
            for key in overrides.keys.sorted() {
                if key.trimmingCharacters(in: .whitespaces).isEmpty {
                    errors.append(.init(field: "\(scope).\(key)", reason: "must name a \(scope.dropLast())"))
                    continue
                }
                check(overrides[key]!, at: "\(scope).\(key)", scope: scope)
            }
        }
        return errors
    }
}

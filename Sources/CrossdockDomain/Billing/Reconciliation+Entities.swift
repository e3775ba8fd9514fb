extension Reconciliation {
    /// Invoiced and credited amounts in one currency, in minor units.
    public struct Amounts: Hashable, Sendable, Codable {
        public var invoiced: Int64 = 0
        public var credited: Int64 = 0

        public init(invoiced: Int64 = 0, credited: Int64 = 0) {
            self.invoiced = invoiced
            self.credited = credited
        }
    }

    /// The reconciliation of one legal entity's orders.
    public struct EntitySummary: Hashable, Sendable, Codable {
        /// The entity (`""` for orders of customers that name none).
        public var legalEntityID: String
        /// Its orders.
        public var orders: Int
        /// Their figures added up (`orderId` is `*`).
        public var totals: OrderFacts
        /// How many identities failed (the mismatches themselves are in the summary's list).
        public var mismatches: Int
        /// Whether every order of the entity balances.
        public var balanced: Bool
        /// The summary line.
        public var line: String

        enum CodingKeys: String, CodingKey {
            case legalEntityID = "legalEntityId"
            case orders, totals, mismatches, balanced, line
        }
    }

    /// ``summarize(_:)`` with the same reconciliation per legal entity (``Summary/entities``), when any order names
    /// one.
    public static func summarizeByEntity(_ facts: [OrderFacts]) -> Summary {
        var summary = summarize(facts)
        guard facts.contains(where: { $0.legalEntityID != nil }) else { return summary }
        let groups = Dictionary(grouping: facts) { $0.legalEntityID ?? "" }
        summary.entities = groups.keys.sorted().map { id in
            let part = summarize(groups[id]!)
            return EntitySummary(
                legalEntityID: id,
                orders: part.orders,
                totals: part.totals,
                mismatches: part.mismatches.count,
                balanced: part.mismatches.isEmpty,
                line: part.line
            )
        }
        return summary
    }
}

extension Reconciliation.Summary {
    /// An amount for the summary line: the one figure when the orders share a currency, else one figure per
    /// currency (`USD 1234.50 + EUR 99.00`).
    func amounts(_ member: KeyPath<Reconciliation.Amounts, Int64>, single: Int64) -> String {
        guard totals.mixesCurrencies else { return Reconciliation.format(minorUnits: single) }
        return currencies.keys.sorted().map { "\($0) \(Reconciliation.format(minorUnits: currencies[$0]![keyPath: member]))" }
            .joined(separator: " + ")
    }
}

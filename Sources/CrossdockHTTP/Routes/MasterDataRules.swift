import CrossdockDomain

/// The rules a master-data record must meet on its own, the same for a PUT and for a feed batch (references to other
/// records are the feed's to check, `FeedPlan`).
extension CustomerBody {
    var problems: [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        errors.check(name.isEmpty, "name", "must not be empty")
        errors.check(shipTo.isEmpty, "shipTo", "needs at least one ship-to")
        errors.check(creditLimit.minorUnits < 0, "creditLimit.minorUnits", "must not be negative")
        errors.check(
            openBalance.map { $0.currency != creditLimit.currency } ?? false,
            "openBalance.currency",
            "must equal the credit limit's currency"
        )
        errors.check(Set(shipTo.map(\.code)).count != shipTo.count, "shipTo", "codes must be unique")
        let contracts = contracts ?? []
        errors.check(Set(contracts.map(\.id)).count != contracts.count, "contracts", "ids must be unique")
        for (index, contract) in contracts.enumerated() {
            errors.check(contract.id.isEmpty, "contracts[\(index)].id", "must not be empty")
            errors.check(errors.dates(contract.validFrom, contract.validTo, at: "contracts[\(index)]"))
            errors.check(entries: contract.entries, at: "contracts[\(index)].entries")
        }
        return errors
    }
}

extension ProductBody {
    func problems(sku: String) -> [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        errors.check(description.isEmpty, "description", "must not be empty")
        errors.check(substitutes?.contains { $0.sku == sku } ?? false, "substitutes", "a product cannot substitute itself")
        let base = (unitOfMeasure ?? "EA").uppercased()
        errors.check(!Self.isUnitCode(base), "unitOfMeasure", "must be a unit code of 1 to 3 letters or digits (EA, CS, PK)")
        let units = units ?? []
        errors.check(Set(units.map { $0.code.uppercased() }).count != units.count, "units", "codes must be unique")
        for (index, unit) in units.enumerated() {
            errors.check(
                unit.code.isEmpty || unit.code.uppercased() == base,
                "units[\(index)].code",
                "must be a unit other than the base unit \(base)"
            )
            errors.check(!unit.code.isEmpty && !Self.isUnitCode(unit.code.uppercased()), "units[\(index)].code", "must be 1 to 3 letters or digits")
            errors.check(!(2...10_000).contains(unit.quantity), "units[\(index)].quantity", "must be 2...10000 base units")
        }
        return errors
    }

    /// A unit of measure code as X12 element 355 and UN/ECE Recommendation 20 write them: `EA`, `CS`, `PK`, `KGM`.
    static func isUnitCode(_ code: String) -> Bool {
        (1...3).contains(code.utf8.count) && code.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) }
    }
}

extension WarehouseBody {
    var problems: [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        errors.check(name.isEmpty, "name", "must not be empty")
        errors.check(region.isEmpty, "region", "must not be empty")
        return errors
    }

    func warehouse(id: String) -> Warehouse {
        Warehouse(id: id, name: name, region: region, priority: priority, address: address, partner: partner)
    }
}

extension PriceListBody {
    var problems: [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        errors.check(entries: entries, at: "entries")
        return errors
    }

    func priceList(id: String) -> PriceList { PriceList(id: id, currency: currency, entries: entries) }
}

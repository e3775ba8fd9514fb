import CrossdockDomain
import CrossdockEngine
import CrossdockStore

/// A request body whose identifiers are checked against the ``Identifier`` rules once it is decoded: any that is
/// not printable ASCII or is longer than its partner formats allow makes the request a 422 naming the field. Orders
/// are checked by the domain instead (``OrderRequest/identifierErrors`` in ``OrderIntake/check(_:customer:products:)``),
/// so every channel's orders meet the same rules and answer `invalid_order`.
protocol IdentifierBearing {
    /// The identifiers that break the rules, as field errors named like the JSON members.
    var identifierErrors: [IntakeError.FieldError] { get }
}

extension Address {
    /// The errors of the address's region, under `prefix`.
    func identifierErrors(_ prefix: String) -> [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        Identifier.check(region, .region, field: "\(prefix).region", into: &errors)
        return errors
    }
}

extension CustomerBody: IdentifierBearing {
    var identifierErrors: [IntakeError.FieldError] {
        var errors = billTo.identifierErrors("billTo")
        Identifier.check(id, .customerID, field: "id", into: &errors)
        Identifier.check(priceListId, .priceListID, field: "priceListId", into: &errors)
        for (index, shipTo) in shipTo.enumerated() {
            Identifier.check(shipTo.code, .shipToCode, field: "shipTo[\(index)].code", into: &errors)
            errors += shipTo.address.identifierErrors("shipTo[\(index)].address")
        }
        for (index, contract) in (contracts ?? []).enumerated() {
            for (entryIndex, entry) in contract.entries.enumerated() {
                Identifier.check(entry.sku, .sku, field: "contracts[\(index)].entries[\(entryIndex)].sku", into: &errors)
            }
        }
        return errors
    }
}

extension ProductBody: IdentifierBearing {
    var identifierErrors: [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        Identifier.check(sku, .sku, field: "sku", into: &errors)
        Identifier.check(gtin, .sku, field: "gtin", into: &errors)
        for (index, substitute) in (substitutes ?? []).enumerated() {
            Identifier.check(substitute.sku, .sku, field: "substitutes[\(index)].sku", into: &errors)
        }
        for (index, unit) in (units ?? []).enumerated() {
            Identifier.check(unit.gtin, .sku, field: "units[\(index)].gtin", into: &errors)
        }
        return errors
    }
}

extension WarehouseBody: IdentifierBearing {
    var identifierErrors: [IntakeError.FieldError] {
        var errors = address?.identifierErrors("address") ?? []
        Identifier.check(id, .warehouseID, field: "id", into: &errors)
        Identifier.check(partner, .partnerID, field: "partner", into: &errors)
        if !region.isEmpty { Identifier.check(region, .region, field: "region", into: &errors) }
        return errors
    }
}

extension PriceListBody: IdentifierBearing {
    var identifierErrors: [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        Identifier.check(id, .priceListID, field: "id", into: &errors)
        for (index, entry) in entries.enumerated() { Identifier.check(entry.sku, .sku, field: "entries[\(index)].sku", into: &errors) }
        return errors
    }
}

extension MasterDataService.Adjustment: IdentifierBearing {
    var identifierErrors: [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        Identifier.check(warehouseId, .warehouseID, field: "warehouseId", into: &errors)
        Identifier.check(sku, .sku, field: "sku", into: &errors)
        Identifier.check(reference, .reference, field: "reference", into: &errors)
        return errors
    }
}

extension FeedbackBody: IdentifierBearing {
    var identifierErrors: [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        Identifier.check(carrier, .carrier, field: "carrier", into: &errors)
        // An empty tracking number is the domain's to refuse (`invalid_quantities`, with the fulfilment order's status).
        for (index, package) in (packages ?? []).enumerated() where !package.trackingNumber.isEmpty {
            Identifier.check(package.trackingNumber, .trackingNumber, field: "packages[\(index)].trackingNumber", into: &errors)
        }
        return errors
    }
}

extension ReturnBody: IdentifierBearing {
    var identifierErrors: [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        Identifier.check(orderId, .resourceID, field: "orderId", into: &errors)
        Identifier.check(warehouseId, .warehouseID, field: "warehouseId", into: &errors)
        return errors
    }
}

extension RegionPreferenceBody: IdentifierBearing {
    var identifierErrors: [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        for (index, id) in warehouses.enumerated() { Identifier.check(id, .warehouseID, field: "warehouses[\(index)]", into: &errors) }
        return errors
    }
}

extension SubscriptionBody: IdentifierBearing {
    var identifierErrors: [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        let kinds: [String: Identifier.Kind] = ["warehouse": .warehouseID, "channel": .channel, "customer": .customerID, "partner": .partnerID]
        for (name, value) in settings?.attributes ?? [:] {
            Identifier.check(value, kinds[name] ?? .resourceID, field: "settings.attributes.\(name)", into: &errors)
        }
        return errors
    }
}

extension BulkReplayBody: IdentifierBearing {
    var identifierErrors: [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        Identifier.check(subscriptionId, .resourceID, field: "subscriptionId", into: &errors)
        return errors
    }
}

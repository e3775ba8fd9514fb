extension OrderRequest {
    /// The identifiers of the request that break the ``Identifier`` rules (not printable ASCII, or longer than the
    /// partner formats allow), as field errors named like the JSON members (`externalId`, `lines[0].sku`).
    public var identifierErrors: [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        Identifier.check(channel, .channel, field: "channel", into: &errors)
        Identifier.check(externalID, .externalOrderID, field: "externalId", into: &errors)
        Identifier.check(customerID, .customerID, field: "customerId", into: &errors)
        Identifier.check(customerPO, .customerPO, field: "customerPo", into: &errors)
        Identifier.check(shipToCode, .shipToCode, field: "shipToCode", into: &errors)
        if let region = shipToAddress?.region, !region.isEmpty {
            Identifier.check(region, .region, field: "shipToAddress.region", into: &errors)
        }
        for (index, line) in lines.enumerated() {
            Identifier.check(line.sku, .sku, field: "lines[\(index)].sku", into: &errors)
        }
        return errors
    }
}

import CrossdockDomain

/// Maps one Order sObject; the rules are documented on ``SalesforceOrders``.
struct SalesforceOrderMapper {
    let org: SalesforceOrg

    func map(_ order: PayloadField) throws(ConnectorError) -> ChannelOrder {
        var errors = FieldErrors()
        let id = order["Id"].string(&errors)
        if let id, !(id.count == 15 || id.count == 18) || !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            errors.add("Id", "must be a 15- or 18-character Salesforce id")
        }
        let orderNumber = order["OrderNumber"].optionalString(&errors)
        let accountID = order["AccountId"].string(&errors)
        let effectiveDate = order["EffectiveDate"].optionalString(&errors)
        if let effectiveDate, BusinessDayText.isValid(effectiveDate) == false { errors.add("EffectiveDate", "must be a date YYYY-MM-DD") }
        let poNumber = order["PoNumber"].optionalString(&errors)
        let status = order["Status"].optionalString(&errors)
        // A Draft order can still change in Salesforce; only an activated one is booked.
        if status?.lowercased() == "draft" { errors.add("Status", "is Draft: activate the order in Salesforce first") }
        var currency = org.defaultCurrency
        if let code = order["CurrencyIsoCode"].optionalString(&errors) {
            currency = Currency(code)
            if currency == nil { errors.add("CurrencyIsoCode", "must be an ISO 4217 code") }
        } else if currency == nil {
            errors.add("CurrencyIsoCode", "missing, and the org has no default currency")
        }
        let consignee = order["Account"]["Name"].optionalString(&errors) ?? ""
        let shipTo = SalesforceAddress.read(order["ShippingAddress"], name: consignee, &errors)
        let billTo = SalesforceAddress.read(order["BillingAddress"], name: consignee, &errors)
        let amountCurrency = currency ?? .usd
        let lines = self.lines(order["OrderItems"], currency: amountCurrency, &errors)
        let totalAmount =
            order["TotalAmount"].isMissing
            ? nil : order["TotalAmount"].minorUnits(&errors, currency: amountCurrency, excess: .roundHalfAwayFromZero)
        try errors.check("the Salesforce Order")
        guard let id, let accountID, let currency, let lines else {
            throw ConnectorError.malformed(field: "body", "incomplete order")  // unreachable: each nil added an error
        }
        guard let customerID = org.customerID(account: accountID) else {
            throw ConnectorError(
                code: ConnectorError.unmappedValue,
                message: "org \(org.id) maps no hub customer for account \(accountID)",
                errors: [.init(field: "AccountId", reason: "account \(accountID) is not mapped")]
            )
        }
        var subtotal: Int64 = 0
        for line in lines {
            let (extended, overflow1) = (line.unitPrice ?? 0).multipliedReportingOverflow(by: Int64(line.quantity))
            let (sum, overflow2) = subtotal.addingReportingOverflow(extended)
            guard !overflow1, !overflow2 else { throw ConnectorError.malformed(field: "OrderItems.records", "amounts are too large") }
            subtotal = sum
        }
        var request = OrderRequest(
            channel: "salesforce",
            externalID: "\(org.id):\(id)",
            customerID: customerID,
            customerPO: poNumber ?? orderNumber,
            currency: currency,
            shipPolicy: org.shipPolicy,
            shipToCode: ShipToMatcher.code(for: shipTo, among: org.shipTos[customerID] ?? []),
            lines: lines
        )
        request.channelRef = ChannelReference(partner: org.id, orderId: id)
        let zero = Money.zero(currency)
        return ChannelOrder(
            request: request,
            shipTo: shipTo,
            billTo: billTo,
            totals: ChannelTotals(
                subtotal: Money(subtotal, currency),
                discounts: zero,
                tax: zero,
                shipping: zero,
                total: Money(totalAmount ?? subtotal, currency),
                scope: .goods
            ),
            orderDate: effectiveDate,
            channelStatus: status
        )
    }

    private func lines(_ field: PayloadField, currency: Currency, _ errors: inout FieldErrors) -> [OrderRequest.Line]? {
        guard !field.isMissing else {
            errors.add(field.name, "missing (query the Order with its OrderItems)")
            return nil
        }
        guard let records = field["records"].array(&errors) else { return nil }
        if records.isEmpty { errors.add(field["records"].name, "must hold at least one item") }
        if case .bool(false)? = field["done"].node {
            errors.add(field["done"].name, "is false: only part of the items was sent; send every OrderItem")
        }
        if !field["totalSize"].isMissing, let total = field["totalSize"].integer(&errors, in: 0...Int.max), total != records.count {
            errors.add(field["totalSize"].name, "is \(total) but \(records.count) record(s) were sent; send every OrderItem")
        }
        var lines: [OrderRequest.Line] = []
        var itemNumbers: [Int?] = []
        for record in records {
            let code = record["Product2"]["ProductCode"].string(&errors)
            let unit = record["Product2"]["QuantityUnitOfMeasure"].optionalString(&errors)
            let itemID = record["Id"].optionalString(&errors)
            let quantity = record["Quantity"].integer(&errors, in: 1...1_000_000_000)
            let unitPrice = record["UnitPrice"].minorUnits(&errors, currency: currency, excess: .roundHalfAwayFromZero)
            if let unitPrice, unitPrice < 0 { errors.add(record["UnitPrice"].name, "must not be negative") }
            itemNumbers.append(record["OrderItemNumber"].optionalString(&errors).flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil })
            guard let code, let quantity, let unitPrice else { continue }
            lines.append(.init(sku: org.skuMap[code] ?? code, quantity: quantity, unitPrice: unitPrice, unitOfMeasure: unit, channelLineRef: itemID))
        }
        let numbers = itemNumbers.compactMap(\.self)
        let useItemNumbers = numbers.count == records.count && Set(numbers).count == numbers.count
        for index in lines.indices { lines[index].lineNo = useItemNumbers ? numbers[index] : index + 1 }
        return lines
    }
}

/// `YYYY-MM-DD` with a real month and day.
enum BusinessDayText {
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month)
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return (1...[31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]).contains(day)
    }
}

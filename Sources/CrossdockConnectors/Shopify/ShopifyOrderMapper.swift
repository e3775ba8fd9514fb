import CrossdockDomain

/// Maps one Shopify order object; the rules are documented on ``ShopifyWebhook``.
struct ShopifyOrderMapper {
    let shop: ShopifyShop
    let webhookID: String?

    func map(_ order: PayloadField) throws(ConnectorError) -> ChannelOrder {
        var errors = FieldErrors()
        let orderID = order["id"].string(&errors, acceptNumber: true)
        let currencyText = order["currency"].string(&errors)
        let currency = currencyText.flatMap(Currency.init)
        if currencyText != nil, currency == nil { errors.add("currency", "must be an ISO 4217 code") }
        let name = order["name"].optionalString(&errors)
        let poNumber = order["po_number"].optionalString(&errors)
        if poNumber == nil, name == nil { errors.add("po_number", "missing, and so is name") }
        let email =
            order["email"].optionalString(&errors) ?? order["contact_email"].optionalString(&errors)
            ?? order["customer"]["email"].optionalString(&errors)
        let shopifyCustomerID = order["customer"]["id"].isMissing ? nil : order["customer"]["id"].string(&errors, acceptNumber: true)
        let shipTo = ShopifyAddress.read(order["shipping_address"], &errors)
        let billTo = ShopifyAddress.read(order["billing_address"], &errors)
        let createdAt = order["created_at"].optionalString(&errors)
        let financialStatus = order["financial_status"].optionalString(&errors)

        // Amounts need the currency; without a valid one only the structure is checked.
        let amountCurrency = currency ?? .usd
        let lines = self.lines(order["line_items"], currency: amountCurrency, &errors)
        let subtotal = order["subtotal_price"].minorUnits(&errors, currency: amountCurrency)
        let discounts = order["total_discounts"].isMissing ? 0 : order["total_discounts"].minorUnits(&errors, currency: amountCurrency)
        let tax = sum(order["tax_lines"], member: "price", currency: amountCurrency, &errors)
        let shipping = sum(order["shipping_lines"], member: "price", currency: amountCurrency, &errors)
        let total = order["total_price"].minorUnits(&errors, currency: amountCurrency)
        let taxesIncluded: Bool
        switch order["taxes_included"].node {
        case .bool(let value)?: taxesIncluded = value
        case nil, .null?: taxesIncluded = false
        case let other?:
            errors.add("taxes_included", "must be a boolean, not \(other.kindName)")
            taxesIncluded = false
        }
        try errors.check("the Shopify order")

        guard let orderID, let currency, let lines, let subtotal, let discounts, let tax, let shipping, let total else {
            throw ConnectorError.malformed(field: "body", "incomplete order")  // unreachable: each nil added an error
        }
        guard let customerID = shop.customerID(shopifyCustomerID: shopifyCustomerID, email: email) else {
            var fields: [ConnectorError.FieldError] = []
            if let shopifyCustomerID { fields.append(.init(field: "customer.id", reason: "Shopify customer \(shopifyCustomerID) is not mapped")) }
            if let email { fields.append(.init(field: "email", reason: "\(email) is not mapped")) }
            if fields.isEmpty { fields.append(.init(field: "customer", reason: "missing, and the shop has no default customer")) }
            let who = [shopifyCustomerID.map { "Shopify customer \($0)" }, email].compactMap(\.self).joined(separator: ", ")
            throw ConnectorError(
                code: ConnectorError.unmappedValue,
                message: "shop \(shop.id) maps no hub customer for \(who.isEmpty ? "an order without a customer" : who)",
                errors: fields
            )
        }
        var request = OrderRequest(
            channel: "shopify",
            externalID: "\(shop.id):\(orderID)",
            customerID: customerID,
            customerPO: poNumber ?? name,
            currency: currency,
            shipPolicy: shop.shipPolicy,
            shipToCode: ShipToMatcher.code(for: shipTo, among: shop.shipTos[customerID] ?? []),
            lines: lines
        )
        request.channelRef = ChannelReference(partner: shop.id, orderId: orderID)
        return ChannelOrder(
            request: request,
            shipTo: shipTo,
            billTo: billTo,
            totals: ChannelTotals(
                subtotal: Money(subtotal, currency),
                discounts: Money(discounts, currency),
                tax: Money(tax, currency),
                shipping: Money(shipping, currency),
                total: Money(total, currency),
                taxesIncluded: taxesIncluded
            ),
            customerEmail: email,
            webhookID: webhookID,
            orderDate: createdAt.flatMap { JSONCoding.parse($0) == nil ? nil : String($0.prefix(10)) },
            channelStatus: financialStatus
        )
    }

    private func lines(_ field: PayloadField, currency: Currency, _ errors: inout FieldErrors) -> [OrderRequest.Line]? {
        guard let items = field.array(&errors) else { return nil }
        if items.isEmpty { errors.add(field.name, "must hold at least one line") }
        var lines: [OrderRequest.Line] = []
        for (index, item) in items.enumerated() {
            let sku = item["sku"].string(&errors)
            let quantity = item["quantity"].integer(&errors, in: 1...1_000_000_000)
            let price = item["price"].minorUnits(&errors, currency: currency)
            let discount = sum(item["discount_allocations"], member: "amount", currency: currency, &errors)
            let lineItemID = item["id"].isMissing ? nil : item["id"].string(&errors, acceptNumber: true)
            guard let sku, let quantity, let price, let discount else { continue }
            let gross = price.multipliedReportingOverflow(by: Int64(quantity))
            guard !gross.overflow, price >= 0 else {
                errors.add(item["price"].name, "must be a non-negative amount that fits in 64 bits when multiplied by quantity")
                continue
            }
            guard discount >= 0, discount <= gross.partialValue else {
                errors.add(item["discount_allocations"].name, "must add up to between 0 and price × quantity")
                continue
            }
            // The list price is checked against Shopify's price; the promotion is the line's channel discount.
            lines.append(
                .init(
                    lineNo: index + 1,
                    sku: shop.skuMap[sku] ?? sku,
                    quantity: quantity,
                    unitPrice: price,
                    discount: discount == 0 ? nil : discount,
                    unitOfMeasure: shop.units[sku],
                    channelLineRef: lineItemID
                )
            )
        }
        return lines
    }

    /// Σ `member` over an optional array of objects; 0 when the array is absent.
    private func sum(_ field: PayloadField, member: String, currency: Currency, _ errors: inout FieldErrors) -> Int64? {
        guard !field.isMissing else { return 0 }
        guard let elements = field.array(&errors) else { return nil }
        var total: Int64 = 0
        var valid = true
        for element in elements {
            guard let amount = element[member].minorUnits(&errors, currency: currency) else {
                valid = false
                continue
            }
            let (sum, overflow) = total.addingReportingOverflow(amount)
            guard !overflow else {
                errors.add(field.name, "amounts are too large")
                return nil
            }
            total = sum
        }
        return valid ? total : nil
    }
}

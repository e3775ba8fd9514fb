import Foundation

extension OrderIntake {
    /// One requested line, priced, taxed and converted to base units.
    struct PricedLine {
        /// A channel price the hub did not book because it is beyond the tolerance.
        struct Mismatch {
            var lineNo: Int
            var sku: String
            /// Per ordered unit.
            var hub: Money
            var channel: Money
            var unit: String
        }

        var line: OrderLine
        var reasons: [SalesOrder.Reason]
        var mismatch: Mismatch?
    }

    /// Prices line `index` (see ``Pricing``), then applies the channel's price: within the tolerance it is booked
    /// (`;channel_price:<p>` on the source), beyond it the hub's price stands and the difference is returned for an
    /// exception. A channel discount lowers the booked price as before. Quantities and prices are converted to the
    /// product's base unit; the line remembers the unit it was ordered in.
    static func priceLine(
        _ requested: OrderRequest.Line,
        index: Int,
        context: Context,
        currency: Currency,
        region: String,
        day: String
    ) -> PricedLine {
        let lineNo = requested.lineNo ?? index + 1
        let product = context.products[requested.sku]
        let perUnit = product?.baseUnits(per: requested.unitOfMeasure) ?? 1
        let baseQuantity = requested.quantity * perUnit
        let unitCode = perUnit > 1 ? product?.units.first { $0.code.uppercased() == requested.unitOfMeasure?.uppercased() }?.code : nil
        var reasons: [SalesOrder.Reason] = []
        var mismatch: PricedLine.Mismatch?
        if product?.status == .discontinued {
            reasons.append(.init(code: "discontinued", message: "\(requested.sku) is discontinued", lineNo: lineNo))
        }
        let quote = Pricing.quote(
            sku: requested.sku,
            quantity: requested.quantity,
            unit: requested.unitOfMeasure,
            baseUnit: product?.unitOfMeasure ?? "EA",
            baseUnitsPerUnit: perUnit,
            contracts: context.customer.contracts,
            priceList: context.priceList,
            currency: currency,
            on: day
        )
        var unitPrice = Money(requested.unitPrice.map { $0.scaled(by: 1, over: Int64(perUnit)) } ?? 0, currency)
        var priceSource = "price_list:\(context.priceList.id)"
        if let quote {
            unitPrice = quote.unitPrice
            priceSource = quote.source
            if let offered = requested.unitPrice, offered != quote.orderedUnitPrice.minorUnits {
                let tolerance = quote.orderedUnitPrice.minorUnits.scaled(by: context.priceToleranceBasisPoints, over: 10_000)
                if abs(offered - quote.orderedUnitPrice.minorUnits) > tolerance {
                    mismatch = .init(
                        lineNo: lineNo,
                        sku: requested.sku,
                        hub: quote.orderedUnitPrice,
                        channel: Money(offered, currency),
                        unit: unitCode ?? product?.unitOfMeasure ?? "EA"
                    )
                } else {
                    unitPrice = Money(offered.scaled(by: 1, over: Int64(perUnit)), currency)
                    priceSource += ";channel_price:\(offered)"
                }
            }
        } else if context.priceList.currency != currency {
            reasons.append(
                .init(
                    code: "currency_mismatch",
                    message: "price list \(context.priceList.id) is in \(context.priceList.currency), the order in \(currency)",
                    lineNo: lineNo
                )
            )
        } else {
            reasons.append(
                .init(
                    code: "no_price",
                    message: "price list \(context.priceList.id) has no price for \(requested.sku) at quantity \(requested.quantity)",
                    lineNo: lineNo
                )
            )
        }
        if let discount = requested.discount, discount > 0, baseQuantity > 0 {
            let net = (unitPrice.minorUnits * Int64(baseQuantity) - discount).scaled(by: 1, over: Int64(baseQuantity))
            unitPrice = Money(max(0, net), currency)
            priceSource += ";channel_discount:\(discount)"
        }
        let extended = unitPrice * baseQuantity
        var tax = Money.zero(currency)
        if !context.customer.taxExempt {
            if let computed = context.taxRates.tax(on: extended, region: region) {
                tax = computed
            } else if index == 0 {
                reasons.append(.init(code: "no_tax_rate", message: "no tax rate for region \(region)"))
            }
        }
        var line = OrderLine(lineNo: lineNo, sku: requested.sku, quantity: baseQuantity, unitPrice: unitPrice, priceSource: priceSource, tax: tax)
        if let unitCode { line.orderedUnit = .init(code: unitCode, quantity: perUnit, baseUnit: product?.unitOfMeasure ?? "EA") }
        line.channelLineRef = requested.channelLineRef
        return PricedLine(line: line, reasons: reasons, mismatch: mismatch)
    }

    /// The exceptions of an order that is not rejected: one `price_mismatch` per line whose channel price was not
    /// booked, and one `channel_totals_mismatch` when the channel's tax or total differs from the hub's (see
    /// ``ChannelTotalsCheck``).
    static func exceptions(
        _ order: SalesOrder,
        mismatches: [PricedLine.Mismatch],
        request: OrderRequest,
        context: Context,
        now: Date,
        makeID: @Sendable () -> String
    ) -> [OperationsException] {
        var result = mismatches.map { mismatch in
            OperationsException(
                id: makeID(),
                kind: .priceMismatch,
                detail:
                    "line \(mismatch.lineNo) \(mismatch.sku): channel price \(mismatch.channel.minorUnits) per \(mismatch.unit), hub price \(mismatch.hub.minorUnits) (tolerance \(context.priceToleranceBasisPoints) bp); booked at the hub's price",
                orderID: order.id,
                lineNo: mismatch.lineNo,
                figures: [.init(name: "unitPrice", hub: mismatch.hub, channel: mismatch.channel)],
                openedAt: now
            )
        }
        if let totals = request.channelTotals {
            let figures = ChannelTotalsCheck.differences(order: order, channel: totals, tolerance: context.totalsToleranceMinorUnits)
            if !figures.isEmpty {
                let text = figures.map { "\($0.name): channel \($0.channel.minorUnits), hub \($0.hub.minorUnits)" }.joined(separator: "; ")
                result.append(
                    OperationsException(
                        id: makeID(),
                        kind: .channelTotalsMismatch,
                        detail: "\(text) (\(order.currency.code) minor units, tolerance \(context.totalsToleranceMinorUnits))",
                        orderID: order.id,
                        figures: figures,
                        openedAt: now
                    )
                )
            }
        }
        return result
    }
}

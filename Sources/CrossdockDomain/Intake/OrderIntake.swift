import Foundation

/// Decides what happens to an order request. Pure: everything it needs is passed in.
///
/// The decision runs the lifecycle steps in order and stops at the first that does not pass:
/// received → validated (or rejected) → accepted (or on hold: credit) → allocated / backordered → released.
public enum OrderIntake {
    /// Everything the decision reads.
    public struct Context: Sendable {
        /// The ordering account.
        public var customer: Customer
        /// Accepted, uninvoiced orders of the account.
        public var openOrders: Money
        /// Products by SKU (at least every SKU requested).
        public var products: [String: Product]
        /// The account's price list.
        public var priceList: PriceList
        /// Tax rates.
        public var taxRates: TaxRateTable
        /// Warehouses.
        public var warehouses: [Warehouse]
        /// Balances of the requested SKUs.
        public var balances: [InventoryBalance]
        /// Accepted distance between a channel's unit price and the hub's price, in basis points of the hub's price;
        /// within it the channel's price is booked, beyond it the hub's, with a `price_mismatch` exception.
        public var priceToleranceBasisPoints: Int64
        /// Accepted distance between the channel's tax (and total) and the hub's, in minor units; beyond it a
        /// `channel_totals_mismatch` exception is raised (default 5: rounding per line against rounding per order).
        public var totalsToleranceMinorUnits: Int64 = 5
        /// Region code → preferred warehouse ids.
        public var regionPreferences: [String: [String]] = [:]
        /// The backorder promise-date function (see ``AllocationContext/promise``).
        public var promise: @Sendable (_ sku: String, _ quantity: Int, _ requested: String?) -> String? = { _, _, _ in nil }

        /// Creates a context.
        public init(
            customer: Customer,
            openOrders: Money,
            products: [String: Product],
            priceList: PriceList,
            taxRates: TaxRateTable,
            warehouses: [Warehouse],
            balances: [InventoryBalance],
            priceToleranceBasisPoints: Int64 = 100
        ) {
            self.customer = customer
            self.openOrders = openOrders
            self.products = products
            self.priceList = priceList
            self.taxRates = taxRates
            self.warehouses = warehouses
            self.balances = balances
            self.priceToleranceBasisPoints = priceToleranceBasisPoints
        }

        /// The newest master-data version among the account, its price list and the products read: every record the
        /// decision used is as of that version. Nil when none carries a version.
        public var masterDataVersion: Int? {
            let versions = [customer.version, priceList.version] + products.values.map(\.version)
            return versions.compactMap { $0 }.max()
        }
    }

    /// What to commit.
    public struct Decision: Sendable {
        /// The order in its resulting state.
        public var order: SalesOrder
        /// Balance changes (reservations).
        public var inventory: [InventoryChange]
        /// Amount added to the account's open orders (the accepted order's total), if accepted.
        public var creditReserved: Money?
        /// Fulfilment orders released.
        public var fulfillmentOrders: [FulfillmentOrder]
        /// Events, in order.
        public var events: [EventDraft]
        /// Operations exceptions raised by the intake: prices and totals that differ from the channel's.
        public var exceptions: [OperationsException] = []
    }

    /// The largest unit price accepted, in minor units; with at most 1 000 000 units and 1 000 lines an order
    /// total stays far inside `Int64`.
    public static let maxUnitPrice: Int64 = 1_000_000_000

    /// Checks the request's shape and references; throws ``IntakeError`` listing every problem.
    public static func check(_ request: OrderRequest, customer: Customer?, products: [String: Product]) throws {
        var errors = request.identifierErrors
        let badFields = Set(errors.map(\.field))
        if customer == nil, !badFields.contains("customerId") {
            errors.append(.init(field: "customerId", reason: "unknown customer '\(request.customerID)'"))
        }
        if let address = request.shipToAddress {
            for (field, value) in [("name", address.name), ("city", address.city), ("region", address.region), ("country", address.country)]
            where value.trimmingCharacters(in: .whitespaces).isEmpty {
                errors.append(.init(field: "shipToAddress.\(field)", reason: "must not be empty"))
            }
            if address.lines.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                errors.append(.init(field: "shipToAddress.lines", reason: "must have at least one street line"))
            }
        } else if let code = request.shipToCode, !badFields.contains("shipToCode"), let customer,
            !customer.shipTo.contains(where: { $0.code == code })
        {
            errors.append(.init(field: "shipToCode", reason: "unknown ship-to '\(code)' for this customer"))
        }
        if let customer, request.shipToCode == nil, request.shipToAddress == nil, customer.shipTo.isEmpty {
            errors.append(.init(field: "shipToCode", reason: "the customer has no ship-to address"))
        }
        if let date = request.requestedDate, !isBusinessDate(date) {
            errors.append(.init(field: "requestedDate", reason: "must be a date YYYY-MM-DD"))
        }
        if request.lines.isEmpty { errors.append(.init(field: "lines", reason: "must have at least one line")) }
        if request.lines.count > 1000 { errors.append(.init(field: "lines", reason: "at most 1000 lines")) }
        var seen: Set<Int> = []
        for (index, line) in request.lines.enumerated() {
            let path = "lines[\(index)]"
            if line.quantity <= 0 { errors.append(.init(field: "\(path).quantity", reason: "must be a positive integer")) }
            if line.quantity > 1_000_000 { errors.append(.init(field: "\(path).quantity", reason: "at most 1000000")) }
            if let price = line.unitPrice, price < 0 { errors.append(.init(field: "\(path).unitPrice", reason: "must not be negative")) }
            if let price = line.unitPrice, price > maxUnitPrice {
                errors.append(.init(field: "\(path).unitPrice", reason: "at most \(maxUnitPrice) minor units"))
            }
            if let discount = line.discount {
                let gross = (line.unitPrice ?? 0).multipliedReportingOverflow(by: Int64(max(line.quantity, 0)))
                if line.unitPrice == nil {
                    errors.append(.init(field: "\(path).discount", reason: "needs the unitPrice it is taken from"))
                } else if discount < 0 || gross.overflow || discount > gross.partialValue {
                    errors.append(.init(field: "\(path).discount", reason: "must be between 0 and unitPrice × quantity"))
                }
            }
            if let product = products[line.sku] {
                if let perUnit = product.baseUnits(per: line.unitOfMeasure) {
                    if line.quantity > 0, line.quantity <= 1_000_000,
                        line.quantity.multipliedReportingOverflow(by: perUnit).partialValue > 1_000_000 || perUnit > 10_000
                    {
                        errors.append(.init(field: "\(path).quantity", reason: "at most 1000000 \(product.unitOfMeasure) in all"))
                    }
                } else {
                    let known = ([product.unitOfMeasure] + product.units.map(\.code)).joined(separator: ", ")
                    errors.append(
                        .init(field: "\(path).unitOfMeasure", reason: "\(line.sku) is not sold in '\(line.unitOfMeasure ?? "")' (units: \(known))")
                    )
                }
            } else if !badFields.contains("\(path).sku") {
                errors.append(.init(field: "\(path).sku", reason: "unknown SKU '\(line.sku)'"))
            }
            let lineNo = line.lineNo ?? index + 1
            if lineNo <= 0 { errors.append(.init(field: "\(path).lineNo", reason: "must be positive")) }
            if !seen.insert(lineNo).inserted { errors.append(.init(field: "\(path).lineNo", reason: "duplicate line number \(lineNo)")) }
        }
        if !errors.isEmpty {
            throw IntakeError(code: "invalid_order", message: "The order request has \(errors.count) problem(s).", errors: errors)
        }
    }

    /// Decides the fate of `request`.
    /// - Parameters:
    ///   - request: a request that passed ``check(_:customer:products:)``.
    ///   - context: reference data and balances.
    ///   - orderID: the new order's id.
    ///   - commandID: the id of the intake command (causation of the first event).
    ///   - now: the receive time.
    ///   - makeID: a source of unique ids for events and fulfilment orders.
    public static func decide(
        _ request: OrderRequest,
        context: Context,
        orderID: String,
        commandID: String,
        now: Date,
        makeID: @escaping @Sendable () -> String
    ) -> Decision {
        let customer = context.customer
        let shipTo =
            request.shipToAddress.map { ShipTo(code: request.shipToCode ?? "ONE-TIME", address: $0) }
            ?? customer.shipTo.first { $0.code == request.shipToCode } ?? customer.shipTo[0]
        let currency = request.currency
        var reasons: [SalesOrder.Reason] = []

        // Price and tax every line; collect line reasons and the prices that differ from the channel's.
        let day = JSONCoding.businessDay(now)
        var lines: [OrderLine] = []
        var mismatches: [PricedLine.Mismatch] = []
        for (index, requested) in request.lines.enumerated() {
            let priced = priceLine(requested, index: index, context: context, currency: currency, region: shipTo.address.region, day: day)
            lines.append(priced.line)
            reasons += priced.reasons
            if let mismatch = priced.mismatch { mismatches.append(mismatch) }
        }
        if customer.status == .blocked {
            reasons.insert(.init(code: "account_blocked", message: "customer \(customer.id) is blocked"), at: 0)
        }

        var order = SalesOrder(
            id: orderID,
            channel: request.channel,
            externalID: request.externalID,
            customerID: customer.id,
            customerPO: request.customerPO,
            shipTo: shipTo,
            requestedDate: request.requestedDate,
            shipPolicy: request.shipPolicy ?? customer.shipPolicy,
            currency: currency,
            lines: lines,
            taxRatePPM: customer.taxExempt ? 0 : context.taxRates.ratesPPM[shipTo.address.region] ?? 0,
            receivedAt: now
        )
        order.channelTotals = request.channelTotals
        order.masterDataVersion = context.masterDataVersion
        order.legalEntityID = context.customer.legalEntityID
        order.channelRef = request.channelRef
        if let shipping = request.channelTotals?.shipping, shipping.minorUnits > 0, shipping.currency == currency { order.shipping = shipping }
        var recorder = EventRecorder(correlationID: orderID, causationID: commandID, makeID: makeID)
        recorder.record(.orderReceived, subject: orderID, at: now, OrderEventData(order))

        // Validation.
        guard reasons.isEmpty else {
            order.reasons = reasons
            for index in order.lines.indices {
                order.lines[index].rejected = order.lines[index].open
                order.lines[index].open = 0
            }
            order.transition(to: .rejected, at: now)
            recorder.record(.orderRejected, subject: orderID, at: now, OrderEventData(order))
            return Decision(order: order, inventory: [], creditReserved: nil, fulfillmentOrders: [], events: recorder.events)
        }
        order.transition(to: .validated, at: now)
        recorder.record(.orderValidated, subject: orderID, at: now, OrderStatusData(order))

        // Credit.
        let standing = CreditStanding(customer: customer, openOrders: context.openOrders)
        if let hold = customer.creditHold {
            order.reasons = [.init(code: "credit_hold", message: "customer is on credit hold: \(hold.reason)")]
        } else if standing.exposure.minorUnits + order.total.minorUnits > customer.creditLimit.minorUnits {
            order.reasons = [
                .init(
                    code: "credit_limit_exceeded",
                    message:
                        "exposure \(standing.exposure.minorUnits) + order \(order.total.minorUnits) exceeds limit \(customer.creditLimit.minorUnits)"
                )
            ]
        }
        guard order.reasons.isEmpty else {
            order.transition(to: .onHold, at: now)
            recorder.record(.orderOnHold, subject: orderID, at: now, OrderEventData(order))
            var decision = Decision(order: order, inventory: [], creditReserved: nil, fulfillmentOrders: [], events: recorder.events)
            decision.exceptions = exceptions(order, mismatches: mismatches, request: request, context: context, now: now, makeID: makeID)
            return decision
        }
        order.transition(to: .accepted, at: now)
        recorder.record(.orderAccepted, subject: orderID, at: now, OrderEventData(order))

        // Allocation and release: one fulfilment order per warehouse.
        let allocation = AllocationContext(
            warehouses: context.warehouses,
            balances: context.balances,
            regionPreferences: context.regionPreferences,
            products: context.products,
            allowSubstitution: customer.allowSubstitution,
            today: JSONCoding.businessDay(now),
            promise: context.promise
        )
        let result = OrderAllocation.run(&order, context: allocation, now: now, recorder: &recorder, makeID: makeID)
        order.transition(to: order.derivedStatus, at: now)
        if order.status == .released {
            recorder.record(.orderReleased, subject: orderID, at: now, OrderStatusData(order))
        }
        var decision = Decision(
            order: order,
            inventory: result.inventory,
            creditReserved: order.total,
            fulfillmentOrders: result.fulfillmentOrders,
            events: recorder.events
        )
        decision.exceptions = exceptions(order, mismatches: mismatches, request: request, context: context, now: now, makeID: makeID)
        return decision
    }

    /// Whether `text` is a calendar date `YYYY-MM-DD`.
    static func isBusinessDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), parts[0].count == 4, parts[1].count == 2,
            parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }
}

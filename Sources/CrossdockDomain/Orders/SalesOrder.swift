import Foundation

/// A sales order: the aggregate intake creates and fulfilment feedback advances.
public struct SalesOrder: Hashable, Sendable, Codable {
    /// A reason attached to a rejection or hold, for the order or one line.
    public struct Reason: Hashable, Sendable, Codable {
        /// A stable machine code, e.g. `credit_limit_exceeded`.
        public var code: String
        /// A sentence for people.
        public var message: String
        /// The line it concerns, or `nil` for the whole order.
        public var lineNo: Int?

        /// Creates a reason.
        public init(code: String, message: String, lineNo: Int? = nil) {
            self.code = code
            self.message = message
            self.lineNo = lineNo
        }
    }

    /// One status change, kept for the order's timeline.
    public struct StatusChange: Hashable, Sendable, Codable {
        /// The new status.
        public var status: OrderStatus
        /// When it changed.
        public var at: Date

        /// Creates a change.
        public init(status: OrderStatus, at: Date) {
            self.status = status
            self.at = at
        }
    }

    /// Hub order id.
    public var id: String
    /// Channel the order came from.
    public var channel: String
    /// The channel's order id.
    public var externalID: String
    /// The account.
    public var customerID: String
    /// The customer's PO number.
    public var customerPO: String?
    /// Ship-to snapshot at order time.
    public var shipTo: ShipTo
    /// Requested ship date (`YYYY-MM-DD`).
    public var requestedDate: String?
    /// Ship policy in force.
    public var shipPolicy: ShipPolicy
    /// Order currency.
    public var currency: Currency
    /// The lines.
    public var lines: [OrderLine]
    /// Header status.
    public var status: OrderStatus
    /// Why the order is rejected or on hold.
    public var reasons: [Reason]
    /// Sum of line extensions.
    public var subtotal: Money
    /// Sum of line taxes.
    public var tax: Money
    /// `subtotal + tax`.
    public var total: Money
    /// When the hub received it.
    public var receivedAt: Date
    /// Status history, oldest first.
    public var history: [StatusChange]
    /// Fulfilment orders created for it.
    public var fulfillmentOrderIDs: [String]
    /// Where each shipment of the order stands with the carrier, by shipment id.
    public var shipments: [String: ShipmentState]
    /// The tax rate applied to the order, in parts per million (0 for tax-exempt accounts); invoices and credits
    /// use the rate the order was accepted at.
    public var taxRatePPM: Int64
    /// The channel's own totals (a storefront's tax and shipping), kept beside the hub's; nil for channels that send
    /// none.
    public var channelTotals: ChannelAmounts?
    /// The channel's partner and order id, to send status back to it; nil for API orders.
    public var channelRef: ChannelReference?
    /// The shipping the channel charged the buyer (Shopify's shipping lines), invoiced with the order's first
    /// shipment; nil when none. Not part of ``total`` (goods and tax), which credit exposure follows.
    public var shipping: Money?
    /// Aggregate version; incremented by every change.
    public var version: Int
    /// The master-data version that validated and priced the order: the newest ``Customer/version``,
    /// ``PriceList/version`` and ``Product/version`` among the records intake read; nil when none carried one.
    public var masterDataVersion: Int?
    /// The legal entity that sells: the customer's (``Customer/legalEntityID``) when the order was taken; its
    /// invoices and credit memos carry it too. Nil when the customer names none.
    public var legalEntityID: String?

    /// Where one shipment stands, as far as the order's status is concerned.
    public enum ShipmentState: String, Hashable, Sendable, Codable, CaseIterable {
        /// With the carrier.
        case inTransit = "in_transit"
        /// Delivered.
        case delivered
        /// The carrier reported damage, loss or return to sender; operations has not acted yet.
        case exception
        /// An exception operations resolved with a credit; nothing more will happen to the shipment.
        case settled
    }

    enum CodingKeys: String, CodingKey {
        case id, channel
        case externalID = "externalId"
        case customerID = "customerId"
        case customerPO = "customerPo"
        case shipTo,
            requestedDate, shipPolicy, currency, lines, status, reasons, subtotal, tax, total, receivedAt, history
        case
            fulfillmentOrderIDs = "fulfillmentOrderIds"
        case shipments, taxRatePPM, version, channelTotals, channelRef, shipping, masterDataVersion
        case legalEntityID = "legalEntityId"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        channel = try c.decode(String.self, forKey: .channel)
        externalID = try c.decode(String.self, forKey: .externalID)
        customerID = try c.decode(String.self, forKey: .customerID)
        customerPO = try c.decodeIfPresent(String.self, forKey: .customerPO)
        shipTo = try c.decode(ShipTo.self, forKey: .shipTo)
        requestedDate = try c.decodeIfPresent(String.self, forKey: .requestedDate)
        shipPolicy = try c.decode(ShipPolicy.self, forKey: .shipPolicy)
        currency = try c.decode(Currency.self, forKey: .currency)
        lines = try c.decode([OrderLine].self, forKey: .lines)
        status = try c.decode(OrderStatus.self, forKey: .status)
        reasons = try c.decode([Reason].self, forKey: .reasons)
        subtotal = try c.decode(Money.self, forKey: .subtotal)
        tax = try c.decode(Money.self, forKey: .tax)
        total = try c.decode(Money.self, forKey: .total)
        receivedAt = try c.decode(Date.self, forKey: .receivedAt)
        history = try c.decode([StatusChange].self, forKey: .history)
        fulfillmentOrderIDs = try c.decode([String].self, forKey: .fulfillmentOrderIDs)
        // Fields added after the first schema default when absent, so older documents still load.
        shipments = try c.decodeIfPresent([String: ShipmentState].self, forKey: .shipments) ?? [:]
        taxRatePPM = try c.decodeIfPresent(Int64.self, forKey: .taxRatePPM) ?? 0
        channelTotals = try c.decodeIfPresent(ChannelAmounts.self, forKey: .channelTotals)
        channelRef = try c.decodeIfPresent(ChannelReference.self, forKey: .channelRef)
        shipping = try c.decodeIfPresent(Money.self, forKey: .shipping)
        version = try c.decode(Int.self, forKey: .version)
        masterDataVersion = try c.decodeIfPresent(Int.self, forKey: .masterDataVersion)
        legalEntityID = try c.decodeIfPresent(String.self, forKey: .legalEntityID)
    }

    /// Creates an order in `received` state.
    public init(
        id: String,
        channel: String,
        externalID: String,
        customerID: String,
        customerPO: String?,
        shipTo: ShipTo,
        requestedDate: String?,
        shipPolicy: ShipPolicy,
        currency: Currency,
        lines: [OrderLine],
        taxRatePPM: Int64 = 0,
        receivedAt: Date
    ) {
        self.id = id
        self.channel = channel
        self.externalID = externalID
        self.customerID = customerID
        self.customerPO = customerPO
        self.shipTo = shipTo
        self.requestedDate = requestedDate
        self.shipPolicy = shipPolicy
        self.currency = currency
        self.lines = lines
        self.status = .received
        self.reasons = []
        self.subtotal = lines.reduce(.zero(currency)) { $0 + $1.extended }
        self.tax = lines.reduce(.zero(currency)) { $0 + $1.tax }
        self.total = subtotal + tax
        self.receivedAt = receivedAt
        self.history = [StatusChange(status: .received, at: receivedAt)]
        self.fulfillmentOrderIDs = []
        self.shipments = [:]
        self.taxRatePPM = taxRatePPM
        self.version = 1
    }

    /// Goods, tax and shipping: what the buyer is billed in all.
    public var totalWithShipping: Money { total + (shipping ?? .zero(currency)) }

    /// Moves to `status`, recording it in the history.
    public mutating func transition(to status: OrderStatus, at time: Date) {
        guard status != self.status else { return }
        self.status = status
        history.append(StatusChange(status: status, at: time))
    }

    /// The header status the lines and shipments imply once the order is past acceptance (DOMAIN.md 2.2): the most
    /// advanced warehouse activity, then the carrier's, then billing.
    public var derivedStatus: OrderStatus {
        let live = lines.filter { $0.live > 0 }
        if live.isEmpty { return lines.allSatisfy { $0.rejected == $0.quantity } ? .rejected : .cancelled }
        let states = Set(shipments.values)
        let allShipped = live.allSatisfy { $0.shipped == $0.live }
        if allShipped {
            if states.contains(.exception) { return .deliveryException }
            if !states.isEmpty, states.isSubset(of: [.delivered, .settled]) {
                return live.allSatisfy { $0.invoiced >= $0.shipped } ? .invoiced : .delivered
            }
            return .shipped
        }
        if live.contains(where: { $0.shipped > 0 }) { return states.contains(.exception) ? .deliveryException : .partiallyShipped }
        if live.contains(where: { $0.picked > 0 && $0.released > 0 }) { return .inFulfillment }
        if live.contains(where: { $0.released > 0 }) { return .released }
        if live.allSatisfy({ $0.allocated == $0.live }) { return .allocated }
        if live.contains(where: { $0.allocated > 0 }) { return .partiallyAllocated }
        return .backordered
    }

    /// What the order still adds to the account's credit exposure: every live, uninvoiced unit at its price plus
    /// tax at the order's rate (per line, half away from zero). Equals ``total`` at acceptance; invoices and
    /// cancellations lower it.
    public var openValue: Money {
        var sum: Int64 = 0
        for line in lines {
            let units = line.live - line.invoiced
            guard units > 0 else { continue }
            let extended = line.unitPrice.minorUnits * Int64(units)
            sum += extended + extended.scaled(by: taxRatePPM, over: 1_000_000)
        }
        return Money(sum, currency)
    }

    /// Whether the order waits on nothing a warehouse still has to do: no unit is allocated or released and
    /// unshipped (final orders, held orders and backorders waiting for stock are settled in this sense).
    public var isSettled: Bool {
        switch status {
        case .rejected, .cancelled, .onHold: return true
        default: return lines.allSatisfy { $0.released == 0 && $0.allocated == 0 }
        }
    }
}

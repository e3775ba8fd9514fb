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
    /// Aggregate version; incremented by every change.
    public var version: Int

    enum CodingKeys: String, CodingKey {
        case id, channel
        case externalID = "externalId"
        case customerID = "customerId"
        case customerPO = "customerPo"
        case shipTo,
            requestedDate, shipPolicy, currency, lines, status, reasons, subtotal, tax, total, receivedAt, history
        case
            fulfillmentOrderIDs = "fulfillmentOrderIds"
        case version
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
        self.version = 1
    }

    /// Moves to `status`, recording it in the history.
    public mutating func transition(to status: OrderStatus, at time: Date) {
        guard status != self.status else { return }
        self.status = status
        history.append(StatusChange(status: status, at: time))
    }

    /// The header status the lines imply once the order is past acceptance.
    public var fulfilmentStatus: OrderStatus {
        let statuses = lines.map(\.status).filter { $0 != .cancelled && $0 != .rejected }
        if statuses.isEmpty { return .cancelled }
        if statuses.allSatisfy({ $0 == .shipped }) { return .shipped }
        if lines.contains(where: { $0.shipped > 0 }) { return .partiallyShipped }
        if lines.contains(where: { $0.picked > 0 && $0.released > 0 }) { return .inFulfillment }
        if lines.contains(where: { $0.released > 0 }) { return .released }
        if statuses.allSatisfy({ $0 == .allocated }) { return .allocated }
        if lines.contains(where: { $0.allocated > 0 }) { return .partiallyAllocated }
        return .backordered
    }

    /// Whether the order waits on nothing a warehouse still has to do: no unit is released and unshipped.
    public var isSettled: Bool {
        switch status {
        case .rejected, .cancelled, .onHold: return true
        default: return lines.allSatisfy { $0.released == 0 && $0.allocated == 0 }
        }
    }
}

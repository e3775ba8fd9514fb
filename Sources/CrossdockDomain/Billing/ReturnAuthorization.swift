import Foundation

/// A return merchandise authorisation (RMA): permission for a customer to send shipped units of one order back to
/// a warehouse.
public struct ReturnAuthorization: Hashable, Sendable, Codable {
    /// The RMA's status.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// Authorised; nothing received yet.
        case authorized
        /// Some, not all, authorised units received.
        case partiallyReceived = "partially_received"
        /// Every authorised unit received.
        case received
        /// Cancelled before anything was received.
        case cancelled

        /// Whether no further receipt or cancellation is possible.
        public var isTerminal: Bool { self == .received || self == .cancelled }
    }

    /// What happens to a received unit.
    public enum Condition: String, Hashable, Sendable, Codable, CaseIterable {
        /// Back into available stock.
        case restock
        /// Written off.
        case scrap
    }

    /// One authorised order line.
    public struct Line: Hashable, Sendable, Codable {
        /// The original order line number.
        public var lineNo: Int
        /// The SKU shipped on it.
        public var sku: String
        /// Units the customer may send back.
        public var quantityAuthorized: Int
        /// Units received so far (`quantityRestocked + quantityScrapped`).
        public var quantityReceived: Int
        /// Received units put back into stock.
        public var quantityRestocked: Int
        /// Received units written off.
        public var quantityScrapped: Int
        /// The customer's or CSR's reason.
        public var reason: String

        /// Creates a line.
        /// - Parameters:
        ///   - lineNo: the original order line number.
        ///   - sku: the SKU.
        ///   - quantityAuthorized: units authorised.
        ///   - quantityReceived: units received so far.
        ///   - quantityRestocked: received units restocked.
        ///   - quantityScrapped: received units scrapped.
        ///   - reason: the return reason.
        public init(
            lineNo: Int,
            sku: String,
            quantityAuthorized: Int,
            quantityReceived: Int = 0,
            quantityRestocked: Int = 0,
            quantityScrapped: Int = 0,
            reason: String
        ) {
            self.lineNo = lineNo
            self.sku = sku
            self.quantityAuthorized = quantityAuthorized
            self.quantityReceived = quantityReceived
            self.quantityRestocked = quantityRestocked
            self.quantityScrapped = quantityScrapped
            self.reason = reason
        }

        /// Units authorised and not yet received.
        public var quantityOutstanding: Int { quantityAuthorized - quantityReceived }
    }

    /// Hub RMA id.
    public var id: String
    /// RMA number given to the customer, e.g. `RMA-000017`.
    public var number: String
    /// The original order.
    public var orderID: String
    /// The account.
    public var customerID: String
    /// The warehouse the goods come back to.
    public var warehouseID: String
    /// Status.
    public var status: Status
    /// The lines.
    public var lines: [Line]
    /// When it was authorised.
    public var authorizedAt: Date
    /// Aggregate version; incremented by every change.
    public var version: Int

    enum CodingKeys: String, CodingKey {
        case id, number
        case orderID = "orderId"
        case customerID = "customerId"
        case warehouseID = "warehouseId"
        case status, lines, authorizedAt, version
    }

    /// Creates an RMA.
    /// - Parameters:
    ///   - id: hub RMA id.
    ///   - number: the RMA number.
    ///   - orderID: the original order.
    ///   - customerID: the account.
    ///   - warehouseID: where the goods come back.
    ///   - status: status; `authorized` for a new RMA.
    ///   - lines: the lines, usually from ``Returns/authorize(request:shipped:alreadyAuthorized:)``.
    ///   - authorizedAt: when it was authorised.
    ///   - version: aggregate version; 1 for a new RMA.
    public init(
        id: String,
        number: String,
        orderID: String,
        customerID: String,
        warehouseID: String,
        status: Status = .authorized,
        lines: [Line],
        authorizedAt: Date,
        version: Int = 1
    ) {
        self.id = id
        self.number = number
        self.orderID = orderID
        self.customerID = customerID
        self.warehouseID = warehouseID
        self.status = status
        self.lines = lines
        self.authorizedAt = authorizedAt
        self.version = version
    }
}

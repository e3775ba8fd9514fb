import Foundation

/// The work one warehouse does for one order: created on release, closed when every unit shipped or was short.
public struct FulfillmentOrder: Hashable, Sendable, Codable {
    /// Fulfilment order status (DOMAIN.md 1.8, aligned with Shopify's FulfillmentOrderStatus).
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// Sent to the warehouse, nothing reported yet.
        case released
        /// The warehouse has started (picked something).
        case inProgress = "in_progress"
        /// Every unit shipped.
        case closed
        /// Every unit shipped or reported short, at least one short.
        case incomplete
        /// The hub asked the warehouse to cancel some or all remaining units; the warehouse has not answered.
        case cancellationRequested = "cancellation_requested"
        /// The warehouse confirmed the cancellation and nothing had shipped.
        case cancelled

        /// Whether the warehouse has nothing left to do.
        public var isTerminal: Bool { self == .closed || self == .incomplete || self == .cancelled }
    }

    /// One line of warehouse work.
    public struct Line: Hashable, Sendable, Codable {
        /// The order line number.
        public var lineNo: Int
        /// The SKU to ship.
        public var sku: String
        /// Units released.
        public var quantity: Int
        /// Units picked so far.
        public var picked: Int
        /// Units shipped so far.
        public var shipped: Int
        /// Units reported short.
        public var short: Int
        /// Units cancelled (confirmed by the warehouse).
        public var cancelled: Int
        /// Units the hub asked the warehouse to cancel, awaiting its answer.
        public var cancelRequested: Int

        /// Units still to ship, report short or cancel.
        public var remaining: Int { quantity - shipped - short - cancelled }

        /// Creates a line.
        public init(lineNo: Int, sku: String, quantity: Int) {
            self.lineNo = lineNo
            self.sku = sku
            self.quantity = quantity
            self.picked = 0
            self.shipped = 0
            self.short = 0
            self.cancelled = 0
            self.cancelRequested = 0
        }

        enum CodingKeys: String, CodingKey { case lineNo, sku, quantity, picked, shipped, short, cancelled, cancelRequested }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            lineNo = try c.decode(Int.self, forKey: .lineNo)
            sku = try c.decode(String.self, forKey: .sku)
            quantity = try c.decode(Int.self, forKey: .quantity)
            picked = try c.decode(Int.self, forKey: .picked)
            shipped = try c.decode(Int.self, forKey: .shipped)
            short = try c.decode(Int.self, forKey: .short)
            cancelled = try c.decodeIfPresent(Int.self, forKey: .cancelled) ?? 0
            cancelRequested = try c.decodeIfPresent(Int.self, forKey: .cancelRequested) ?? 0
        }
    }

    /// The status a fulfilment order returns to when a cancellation request is refused, or that its lines imply
    /// once the warehouse has nothing left to do.
    public var workStatus: Status {
        if lines.allSatisfy({ $0.remaining == 0 }) {
            if lines.allSatisfy({ $0.shipped == 0 && $0.short == 0 }) { return .cancelled }
            return lines.contains { $0.short > 0 } ? .incomplete : .closed
        }
        return lines.contains { $0.picked > 0 || $0.shipped > 0 || $0.short > 0 || $0.cancelled > 0 } ? .inProgress : .released
    }

    /// Fulfilment order id.
    public var id: String
    /// The order.
    public var orderID: String
    /// The warehouse doing the work.
    public var warehouseID: String
    /// Status.
    public var status: Status
    /// Lines.
    public var lines: [Line]
    /// Ship-to snapshot.
    public var shipTo: ShipTo
    /// Requested ship date.
    public var requestedDate: String?
    /// When it was released.
    public var releasedAt: Date
    /// Shipments against it.
    public var shipmentIDs: [String]
    /// Aggregate version.
    public var version: Int

    enum CodingKeys: String, CodingKey {
        case id
        case orderID = "orderId"
        case warehouseID = "warehouseId"
        case status, lines, shipTo, requestedDate, releasedAt
        case
            shipmentIDs = "shipmentIds"
        case version
    }

    /// Creates a released fulfilment order.
    public init(id: String, orderID: String, warehouseID: String, lines: [Line], shipTo: ShipTo, requestedDate: String?, releasedAt: Date) {
        self.id = id
        self.orderID = orderID
        self.warehouseID = warehouseID
        self.status = .released
        self.lines = lines
        self.shipTo = shipTo
        self.requestedDate = requestedDate
        self.releasedAt = releasedAt
        self.shipmentIDs = []
        self.version = 1
    }
}

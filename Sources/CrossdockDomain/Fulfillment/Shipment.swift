import Foundation

/// Goods that left a warehouse together under one carrier hand-off.
public struct Shipment: Hashable, Sendable, Codable {
    /// One package (carton) and what is in it.
    public struct Package: Hashable, Sendable, Codable {
        /// One line's units in the package.
        public struct Content: Hashable, Sendable, Codable {
            /// The order line.
            public var lineNo: Int
            /// Units.
            public var quantity: Int

            /// Creates content.
            public init(lineNo: Int, quantity: Int) {
                self.lineNo = lineNo
                self.quantity = quantity
            }
        }

        /// The carrier tracking number.
        public var trackingNumber: String
        /// Weight in grams, if known.
        public var weightGrams: Int?
        /// Contents.
        public var contents: [Content]

        /// Creates a package.
        public init(trackingNumber: String, weightGrams: Int? = nil, contents: [Content]) {
            self.trackingNumber = trackingNumber
            self.weightGrams = weightGrams
            self.contents = contents
        }
    }

    /// Shipment id.
    public var id: String
    /// The fulfilment order shipped against.
    public var fulfillmentOrderID: String
    /// The order.
    public var orderID: String
    /// The shipping warehouse.
    public var warehouseID: String
    /// Carrier code (SCAC or name).
    public var carrier: String
    /// Service level, e.g. `ground`.
    public var service: String?
    /// Packages.
    public var packages: [Package]
    /// When the carrier took it.
    public var shippedAt: Date
    /// The carrier's milestones and where each package stands.
    public var tracking: ShipmentTracking
    /// The invoice posted for it.
    public var invoiceID: String?
    /// The open delivery exception, if any.
    public var exceptionID: String?
    /// Aggregate version.
    public var version: Int

    enum CodingKeys: String, CodingKey {
        case id
        case fulfillmentOrderID = "fulfillmentOrderId"
        case orderID = "orderId"
        case warehouseID = "warehouseId"
        case carrier,
            service, packages, shippedAt, tracking
        case invoiceID = "invoiceId"
        case exceptionID = "exceptionId"
        case version
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        fulfillmentOrderID = try c.decode(String.self, forKey: .fulfillmentOrderID)
        orderID = try c.decode(String.self, forKey: .orderID)
        warehouseID = try c.decode(String.self, forKey: .warehouseID)
        carrier = try c.decode(String.self, forKey: .carrier)
        service = try c.decodeIfPresent(String.self, forKey: .service)
        packages = try c.decode([Package].self, forKey: .packages)
        shippedAt = try c.decode(Date.self, forKey: .shippedAt)
        // Fields added after the first schema default when absent, so older documents still load.
        tracking =
            try c.decodeIfPresent(ShipmentTracking.self, forKey: .tracking)
            ?? ShipmentTracking(trackingNumbers: packages.map(\.trackingNumber))
        invoiceID = try c.decodeIfPresent(String.self, forKey: .invoiceID)
        exceptionID = try c.decodeIfPresent(String.self, forKey: .exceptionID)
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
    }

    /// Creates a shipment.
    public init(
        id: String,
        fulfillmentOrderID: String,
        orderID: String,
        warehouseID: String,
        carrier: String,
        service: String?,
        packages: [Package],
        shippedAt: Date
    ) {
        self.id = id
        self.fulfillmentOrderID = fulfillmentOrderID
        self.orderID = orderID
        self.warehouseID = warehouseID
        self.carrier = carrier
        self.service = service
        self.packages = packages
        self.shippedAt = shippedAt
        self.tracking = ShipmentTracking(trackingNumbers: packages.map(\.trackingNumber))
        self.invoiceID = nil
        self.exceptionID = nil
        self.version = 1
    }

    /// Units shipped per order line.
    public var quantitiesByLine: [Int: Int] {
        var result: [Int: Int] = [:]
        for package in packages {
            for content in package.contents { result[content.lineNo, default: 0] += content.quantity }
        }
        return result
    }
}

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

    enum CodingKeys: String, CodingKey {
        case id
        case fulfillmentOrderID = "fulfillmentOrderId"
        case orderID = "orderId"
        case warehouseID = "warehouseId"
        case carrier,
            service, packages, shippedAt
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

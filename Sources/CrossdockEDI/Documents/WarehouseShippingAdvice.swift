/// A 945 warehouse shipping advice: a warehouse (3PL) confirms what it shipped against a shipping order (940).
///
/// ```swift
/// let advice = try WarehouseShippingAdvice.decode(set)
/// let feedback = try advice.fulfillmentFeedback(for: fulfillmentOrder)   // .shipped(carrier:service:packages:shippedAt:)
/// ```
public struct WarehouseShippingAdvice: Hashable, Sendable, Codable {
    /// A W12 loop: one shipped line.
    public struct Item: Hashable, Sendable, Codable {
        /// W1201: `CC` shipped complete, `CP` partial, `IS` substitute shipped, `SH` short...
        public var status: String
        /// W1202, quantity ordered, as written.
        public var orderedQuantity: String?
        /// W1203, units shipped, as written.
        public var shippedQuantity: String?
        /// W1204, the difference, as written.
        public var difference: String?
        /// W1205, the unit.
        public var unit: String?
        /// W1206, the UPC.
        public var upc: String?
        /// W1207/W1208, the item ID (e.g. `VN` our SKU).
        public var item: ItemID?
        /// W1209, the warehouse lot number.
        public var lot: String?
        /// W1217/W1218, the originally ordered item when a substitute shipped.
        public var originalItem: ItemID?
        /// G69 descriptions.
        public var descriptions: [String]
        /// N9 references of the line (`LI` line number, `2I` tracking, `LV` license plate...).
        public var references: [Reference]

        /// Creates an item.
        public init(
            status: String,
            orderedQuantity: String? = nil,
            shippedQuantity: String? = nil,
            difference: String? = nil,
            unit: String? = nil,
            upc: String? = nil,
            item: ItemID? = nil,
            lot: String? = nil,
            originalItem: ItemID? = nil,
            descriptions: [String] = [],
            references: [Reference] = []
        ) {
            self.status = status
            self.orderedQuantity = orderedQuantity
            self.shippedQuantity = shippedQuantity
            self.difference = difference
            self.unit = unit
            self.upc = upc
            self.item = item
            self.lot = lot
            self.originalItem = originalItem
            self.descriptions = descriptions
            self.references = references
        }
    }

    /// An LX loop: a group of lines, usually one package, with its marks (MAN) and references (N9).
    public struct Group: Hashable, Sendable, Codable {
        /// LX01, the assigned number.
        public var number: String
        /// MAN marks: qualifier (`CP` carrier-assigned package ID, `GM` SSCC) and number.
        public var marks: [ItemID]
        /// N9 references of the group.
        public var references: [Reference]
        /// The W12 loops.
        public var items: [Item]

        /// Creates a group.
        public init(number: String, marks: [ItemID] = [], references: [Reference] = [], items: [Item] = []) {
            self.number = number
            self.marks = marks
            self.references = references
            self.items = items
        }
    }

    /// W27: the carrier.
    public struct Carrier: Hashable, Sendable, Codable {
        /// W2701, transportation method, e.g. `M` motor, `U` parcel.
        public var method: String
        /// W2702, the SCAC.
        public var scac: String?
        /// W2703, routing (service).
        public var routing: String?
        /// W2704, shipment method of payment, e.g. `PP`.
        public var payment: String?

        /// Creates a carrier.
        public init(method: String, scac: String? = nil, routing: String? = nil, payment: String? = nil) {
            self.method = method
            self.scac = scac
            self.routing = routing
            self.payment = payment
        }
    }

    /// W0601, reporting code: `F` final, `P` partial.
    public var reportingCode: String
    /// W0602, the depositor order number: our fulfilment order id.
    public var depositorOrderNumber: String?
    /// W0603, the date, `CCYYMMDD`.
    public var date: String?
    /// W0604, the shipment identification number.
    public var shipmentID: String?
    /// W0606, the purchase order number.
    public var purchaseOrderNumber: String?
    /// N1 loops.
    public var parties: [Party]
    /// Header N9 references (`BM` bill of lading, `CN` PRO number, `2I` tracking).
    public var references: [Reference]
    /// G62 dates (`10` requested ship, `11` shipped on).
    public var dates: [DateReference]
    /// W27.
    public var carrier: Carrier?
    /// LX loops.
    public var groups: [Group]
    /// W0301, total units shipped, as written.
    public var totalUnits: String?
    /// W0302, total weight, as written.
    public var totalWeight: String?
    /// W0303, the weight's unit.
    public var weightUnit: String?

    /// Creates an advice.
    public init(
        reportingCode: String = "F",
        depositorOrderNumber: String?,
        date: String?,
        shipmentID: String? = nil,
        purchaseOrderNumber: String? = nil,
        parties: [Party] = [],
        references: [Reference] = [],
        dates: [DateReference] = [],
        carrier: Carrier? = nil,
        groups: [Group],
        totalUnits: String? = nil,
        totalWeight: String? = nil,
        weightUnit: String? = nil
    ) {
        self.reportingCode = reportingCode
        self.depositorOrderNumber = depositorOrderNumber
        self.date = date
        self.shipmentID = shipmentID
        self.purchaseOrderNumber = purchaseOrderNumber
        self.parties = parties
        self.references = references
        self.dates = dates
        self.carrier = carrier
        self.groups = groups
        self.totalUnits = totalUnits
        self.totalWeight = totalWeight
        self.weightUnit = weightUnit
    }
}

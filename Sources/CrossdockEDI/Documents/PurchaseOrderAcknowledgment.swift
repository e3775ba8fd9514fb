/// An 855 purchase order acknowledgment: the seller's answer to an 850, header (BAK02) and line by line (ACK01).
///
/// ```swift
/// let ack = PurchaseOrderAcknowledgment(order: salesOrder, purchaseOrder: po, date: "20250314")
/// let set = ack.transactionSet()
/// ```
public struct PurchaseOrderAcknowledgment: Hashable, Sendable, Codable {
    /// An ACK: the status of (part of) a line.
    public struct LineStatus: Hashable, Sendable, Codable {
        /// ACK01: `IA` accepted, `IB` backordered, `IR` rejected, `IS` substituted, `IQ` quantity changed, `IH` on hold.
        public var code: String
        /// ACK02, the quantity this status covers, as written.
        public var quantity: String?
        /// ACK03, its unit.
        public var unit: String?
        /// ACK04, the date qualifier, e.g. `068` current schedule ship.
        public var dateQualifier: String?
        /// ACK05, `CCYYMMDD`.
        public var date: String?
        /// ACK07...ACK26, item IDs (for `IS`, the substitute).
        public var items: [ItemID]

        /// Creates a status.
        public init(
            code: String,
            quantity: String? = nil,
            unit: String? = nil,
            dateQualifier: String? = nil,
            date: String? = nil,
            items: [ItemID] = []
        ) {
            self.code = code
            self.quantity = quantity
            self.unit = unit
            self.dateQualifier = dateQualifier
            self.date = date
            self.items = items
        }
    }

    /// A PO1 loop: the ordered line, echoed, and its ACKs.
    public struct Line: Hashable, Sendable, Codable, BaselineItemLine {
        /// PO101, the buyer's line number as the 850 had it.
        public var lineNumber: String?
        /// PO102, the ordered quantity.
        public var quantity: String?
        /// PO103, the unit.
        public var unit: String?
        /// PO104, the unit price.
        public var unitPrice: String?
        /// PO105, the basis of unit price.
        public var priceBasis: String?
        /// PO106...PO125, the item IDs as ordered.
        public var items: [ItemID]
        /// PID05 free-form descriptions.
        public var descriptions: [String]
        /// The ACK segments.
        public var statuses: [LineStatus]

        /// Creates a line.
        public init(
            lineNumber: String? = nil,
            quantity: String? = nil,
            unit: String? = nil,
            unitPrice: String? = nil,
            priceBasis: String? = nil,
            items: [ItemID] = [],
            descriptions: [String] = [],
            statuses: [LineStatus] = []
        ) {
            self.lineNumber = lineNumber
            self.quantity = quantity
            self.unit = unit
            self.unitPrice = unitPrice
            self.priceBasis = priceBasis
            self.items = items
            self.descriptions = descriptions
            self.statuses = statuses
        }

        /// An empty line.
        init() { self.init(lineNumber: nil) }
    }

    /// BAK01, purpose: `00` original, `06` confirmation.
    public var purpose: String
    /// BAK02: `AT` accepted, `AC` accepted with changes, `AD` accepted with detail, `RD` rejected with detail...
    public var status: String
    /// BAK03, the buyer's PO number.
    public var purchaseOrderNumber: String
    /// BAK04, the PO date, `CCYYMMDD`.
    public var purchaseOrderDate: String
    /// BAK08, the seller's order number (the hub order id).
    public var orderNumber: String?
    /// BAK09, the acknowledgment date, `CCYYMMDD`.
    public var acknowledgmentDate: String?
    /// CUR02, the currency.
    public var currency: String?
    /// REF segments.
    public var references: [Reference]
    /// N1 loops.
    public var parties: [Party]
    /// PO1 loops.
    public var lines: [Line]
    /// CTT02, a hash total, as written.
    public var hashTotal: String?

    /// Creates an acknowledgment.
    public init(
        purpose: String = "00",
        status: String,
        purchaseOrderNumber: String,
        purchaseOrderDate: String,
        orderNumber: String? = nil,
        acknowledgmentDate: String? = nil,
        currency: String? = nil,
        references: [Reference] = [],
        parties: [Party] = [],
        lines: [Line],
        hashTotal: String? = nil
    ) {
        self.purpose = purpose
        self.status = status
        self.purchaseOrderNumber = purchaseOrderNumber
        self.purchaseOrderDate = purchaseOrderDate
        self.orderNumber = orderNumber
        self.acknowledgmentDate = acknowledgmentDate
        self.currency = currency
        self.references = references
        self.parties = parties
        self.lines = lines
        self.hashTotal = hashTotal
    }
}

/// A channel's request to create an order: the canonical intake command every channel maps to.
public struct OrderRequest: Hashable, Sendable, Codable {
    /// One requested line.
    public struct Line: Hashable, Sendable, Codable {
        /// The channel's line number (PO101); assigned 1… when absent.
        public var lineNo: Int?
        /// The SKU ordered.
        public var sku: String
        /// Quantity in the product's unit; must be positive.
        public var quantity: Int
        /// The unit price the channel expects, in minor units; the price list's when absent.
        public var unitPrice: Int64?
        /// A discount the channel granted on the whole line (a promotion or coupon), in minor units. The unit price is
        /// checked against the price list before it; the line is then priced at
        /// `(unit price × quantity − discount) / quantity`, rounded half away from zero to the minor unit.
        public var discount: Int64?
        /// The unit `quantity` and `unitPrice` are in (`CA` for cases, converted through the product's units); nil
        /// for the product's base unit.
        public var unitOfMeasure: String?
        /// The channel's own id of the line (Shopify line item id, Salesforce OrderItem id, PO101), echoed when the
        /// hub reports the line back.
        public var channelLineRef: String?

        /// Creates a line.
        public init(
            lineNo: Int? = nil,
            sku: String,
            quantity: Int,
            unitPrice: Int64? = nil,
            discount: Int64? = nil,
            unitOfMeasure: String? = nil,
            channelLineRef: String? = nil
        ) {
            self.lineNo = lineNo
            self.sku = sku
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.discount = discount
            self.unitOfMeasure = unitOfMeasure
            self.channelLineRef = channelLineRef
        }
    }

    /// The channel the order comes from, e.g. `api`, `shopify`, `edi`.
    public var channel: String
    /// The channel's order id; unique per channel.
    public var externalID: String
    /// The ordering account.
    public var customerID: String
    /// The customer's purchase order number.
    public var customerPO: String?
    /// Currency of the prices; must match the price list.
    public var currency: Currency
    /// Requested ship date, `YYYY-MM-DD` in the ship-to's calendar.
    public var requestedDate: String?
    /// Ship policy; the account's default when absent.
    public var shipPolicy: ShipPolicy?
    /// Ship-to location code; the account's first ship-to when absent.
    public var shipToCode: String?
    /// A one-time delivery address (ecommerce and EDI orders often carry one); when set it is the order's ship-to,
    /// under `shipToCode` if given, and its region decides tax and warehouse preference.
    public var shipToAddress: Address?
    /// The channel's own totals, kept on the order for comparison; they never price the order. Intake compares them
    /// with its own (see ``OrderIntake``) and invoices their shipping.
    public var channelTotals: ChannelAmounts?
    /// The channel's partner and order id, for sending status back (set by the channel connectors).
    public var channelRef: ChannelReference?
    /// The lines.
    public var lines: [Line]

    enum CodingKeys: String, CodingKey {
        case channel
        case externalID = "externalId"
        case customerID = "customerId"
        case customerPO = "customerPo"
        case currency,
            requestedDate, shipPolicy, shipToCode, shipToAddress, channelTotals, channelRef, lines
    }

    /// Creates a request.
    public init(
        channel: String,
        externalID: String,
        customerID: String,
        customerPO: String? = nil,
        currency: Currency = .usd,
        requestedDate: String? = nil,
        shipPolicy: ShipPolicy? = nil,
        shipToCode: String? = nil,
        shipToAddress: Address? = nil,
        lines: [Line]
    ) {
        self.channel = channel
        self.externalID = externalID
        self.customerID = customerID
        self.customerPO = customerPO
        self.currency = currency
        self.requestedDate = requestedDate
        self.shipPolicy = shipPolicy
        self.shipToCode = shipToCode
        self.shipToAddress = shipToAddress
        self.lines = lines
    }
}

/// One line of a sales order.
///
/// Every ordered unit sits in exactly one bucket:
/// `quantity = rejected + open + allocated + released + shipped + cancelled` (see ``isBalanced``);
/// `backordered` is the part of `open` that allocation tried and could not cover.
public struct OrderLine: Hashable, Sendable, Codable {
    /// The unit a line was ordered in when it is not the product's base unit.
    public struct OrderedUnit: Hashable, Sendable, Codable {
        /// The unit code as the product lists it (`CA`).
        public var code: String
        /// Base units in one.
        public var quantity: Int
        /// The product's base unit code (`EA`), for quantities that are not a whole number of `code`.
        public var baseUnit: String

        /// Creates an ordered unit.
        public init(code: String, quantity: Int, baseUnit: String) {
            self.code = code
            self.quantity = quantity
            self.baseUnit = baseUnit
        }
    }

    /// The line number, echoed on every document about the line.
    public var lineNo: Int
    /// The SKU that will ship.
    public var sku: String
    /// The SKU as the customer ordered it (differs from `sku` after a substitution).
    public var orderedSKU: String
    /// Ordered quantity in the product's base unit (an order in cases is booked in base units: 2 CA of 12 is 24).
    public var quantity: Int
    /// The unit the customer ordered in when it is not the base unit (`{"code": "CA", "quantity": 12, "baseUnit":
    /// "EA"}`); documents answer in it (see ``partnerQuantity(_:)``).
    public var orderedUnit: OrderedUnit?
    /// The channel's own id of the line (Shopify line item id, Salesforce OrderItem id, PO101).
    public var channelLineRef: String?
    /// Unit price at order time.
    public var unitPrice: Money
    /// Where the price came from, e.g. `price_list:PL-STD`.
    public var priceSource: String
    /// `unitPrice × quantity`.
    public var extended: Money
    /// Tax on `extended`.
    public var tax: Money
    /// Units rejected by validation.
    public var rejected: Int
    /// Units not allocated to any warehouse.
    public var open: Int
    /// The part of `open` that allocation could not cover (waiting for stock).
    public var backordered: Int
    /// Units reserved in a warehouse, not yet released to it.
    public var allocated: Int
    /// Units released to a warehouse and not yet shipped.
    public var released: Int
    /// Units shipped.
    public var shipped: Int
    /// Units cancelled.
    public var cancelled: Int
    /// Units the warehouse reported picked (information; not a bucket).
    public var picked: Int
    /// Units the warehouse reported short (moved back to `open` and `backordered`).
    public var shortPicked: Int
    /// Reservations by warehouse id (units allocated or released there, not yet shipped).
    public var warehouseQuantities: [String: Int]
    /// The date the open units are promised for (`YYYY-MM-DD`): today when allocated, the projected
    /// available-to-promise date when backordered, `nil` when no receipt within the horizon covers them.
    public var promisedDate: String?
    /// Released units the customer asked to cancel; the warehouse has not answered yet.
    public var cancelRequested: Int
    /// Shipped units invoiced.
    public var invoiced: Int
    /// Units received back on returns.
    public var returned: Int
    /// Units credited (returns and shipments lost or damaged in transit).
    public var credited: Int

    /// Creates a line with every unit open.
    public init(lineNo: Int, sku: String, quantity: Int, unitPrice: Money, priceSource: String, tax: Money) {
        self.lineNo = lineNo
        self.sku = sku
        self.orderedSKU = sku
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.priceSource = priceSource
        self.extended = unitPrice * quantity
        self.tax = tax
        self.rejected = 0
        self.open = quantity
        self.backordered = 0
        self.allocated = 0
        self.released = 0
        self.shipped = 0
        self.cancelled = 0
        self.picked = 0
        self.shortPicked = 0
        self.warehouseQuantities = [:]
        self.promisedDate = nil
        self.cancelRequested = 0
        self.invoiced = 0
        self.returned = 0
        self.credited = 0
        self.orderedUnit = nil
        self.channelLineRef = nil
    }

    enum CodingKeys: String, CodingKey {
        case lineNo, sku, orderedSKU, quantity, unitPrice, priceSource, extended, tax, rejected, open, backordered
        case allocated, released, shipped, cancelled, picked, shortPicked, warehouseQuantities, promisedDate
        case cancelRequested, invoiced, returned, credited, orderedUnit, channelLineRef
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        lineNo = try c.decode(Int.self, forKey: .lineNo)
        sku = try c.decode(String.self, forKey: .sku)
        orderedSKU = try c.decode(String.self, forKey: .orderedSKU)
        quantity = try c.decode(Int.self, forKey: .quantity)
        unitPrice = try c.decode(Money.self, forKey: .unitPrice)
        priceSource = try c.decode(String.self, forKey: .priceSource)
        extended = try c.decode(Money.self, forKey: .extended)
        tax = try c.decode(Money.self, forKey: .tax)
        rejected = try c.decode(Int.self, forKey: .rejected)
        open = try c.decode(Int.self, forKey: .open)
        backordered = try c.decode(Int.self, forKey: .backordered)
        allocated = try c.decode(Int.self, forKey: .allocated)
        released = try c.decode(Int.self, forKey: .released)
        shipped = try c.decode(Int.self, forKey: .shipped)
        cancelled = try c.decode(Int.self, forKey: .cancelled)
        picked = try c.decode(Int.self, forKey: .picked)
        shortPicked = try c.decode(Int.self, forKey: .shortPicked)
        warehouseQuantities = try c.decode([String: Int].self, forKey: .warehouseQuantities)
        // Fields added after the first schema default when absent, so older documents still load.
        promisedDate = try c.decodeIfPresent(String.self, forKey: .promisedDate)
        cancelRequested = try c.decodeIfPresent(Int.self, forKey: .cancelRequested) ?? 0
        invoiced = try c.decodeIfPresent(Int.self, forKey: .invoiced) ?? 0
        returned = try c.decodeIfPresent(Int.self, forKey: .returned) ?? 0
        credited = try c.decodeIfPresent(Int.self, forKey: .credited) ?? 0
        orderedUnit = try c.decodeIfPresent(OrderedUnit.self, forKey: .orderedUnit)
        channelLineRef = try c.decodeIfPresent(String.self, forKey: .channelLineRef)
    }

    /// `base` units in the unit the customer ordered in when they make a whole number of it, else in the base unit:
    /// how a partner document states a quantity of this line (`(2, "CA")` for 24 units ordered in cases of 12,
    /// `(18, "EA")` for 18 units of them).
    /// - Returns: the quantity and its unit code; nil for a line ordered in the base unit (the caller writes the
    ///   product's unit).
    public func partnerQuantity(_ base: Int) -> (quantity: Int, unit: String?) {
        guard let unit = orderedUnit, unit.quantity > 1 else { return (base, nil) }
        return base % unit.quantity == 0 ? (base / unit.quantity, unit.code) : (base, unit.baseUnit)
    }

    /// Units that will ship or have shipped: ordered less rejected and cancelled.
    public var live: Int { quantity - rejected - cancelled }

    /// Whether the line was filled with a substitute for the SKU the customer ordered.
    public var isSubstituted: Bool { sku != orderedSKU }

    /// Whether the buckets add up to the ordered quantity and none is negative.
    public var isBalanced: Bool {
        let buckets = [rejected, open, allocated, released, shipped, cancelled]
        return buckets.allSatisfy { $0 >= 0 } && buckets.reduce(0, +) == quantity && backordered >= 0
            && backordered <= open
            && warehouseQuantities.values.reduce(0, +) == allocated + released
            && cancelRequested >= 0 && cancelRequested <= released
            && invoiced >= 0 && invoiced <= shipped && returned >= 0 && returned <= shipped
    }

    /// The line status, derived from the buckets.
    public var status: LineStatus {
        if rejected == quantity { return .rejected }
        if cancelled == quantity { return .cancelled }
        let live = quantity - cancelled - rejected
        if live == 0 { return .cancelled }
        if shipped == live { return invoiced >= shipped ? .invoiced : .shipped }
        if shipped > 0 { return .partiallyShipped }
        if released > 0 { return .released }
        if allocated == live { return .allocated }
        if allocated > 0 { return .partiallyAllocated }
        if backordered > 0 { return .backordered }
        return .open
    }
}

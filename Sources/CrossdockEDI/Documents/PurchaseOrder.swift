/// An 850 purchase order, as the buyer wrote it: values are kept as written (numbers as their X12 text), so the
/// order can be echoed back on the 855 and written again without loss.
///
/// ```swift
/// let order = try PurchaseOrder.decode(set)                         // X12SetRejection with 997 codes
/// let intake = try order.orderRequest(for: partner) { gtin in catalog.sku(gtin: gtin) }
/// ```
public struct PurchaseOrder: Hashable, Sendable, Codable {
    /// A PO1 loop: one ordered line.
    public struct Line: Hashable, Sendable, Codable, BaselineItemLine {
        /// PO101, the buyer's line number (any text; usually `1`, `2`...).
        public var lineNumber: String?
        /// PO102, the quantity ordered, as written (decimal).
        public var quantity: String?
        /// PO103, the unit of measure, e.g. `EA`, `CA`.
        public var unit: String?
        /// PO104, the unit price, as written (decimal).
        public var unitPrice: String?
        /// PO105, the basis of unit price, e.g. `PE` price per each, `TE` contract.
        public var priceBasis: String?
        /// PO106...PO125, the qualified item IDs in order.
        public var items: [ItemID]
        /// PID descriptions (PID01 `F` free form: PID05).
        public var descriptions: [Description]
        /// PO4 pack: PO401 pack, PO402 size, PO403 unit.
        public var pack: Pack?
        /// REF segments of the line.
        public var references: [Reference]
        /// DTM segments of the line.
        public var dates: [DateReference]
        /// N1 loops of the line (e.g. a line-level ship-to).
        public var parties: [Party]

        /// Creates a line.
        public init(
            lineNumber: String? = nil,
            quantity: String? = nil,
            unit: String? = nil,
            unitPrice: String? = nil,
            priceBasis: String? = nil,
            items: [ItemID] = [],
            descriptions: [Description] = [],
            pack: Pack? = nil,
            references: [Reference] = [],
            dates: [DateReference] = [],
            parties: [Party] = []
        ) {
            self.lineNumber = lineNumber
            self.quantity = quantity
            self.unit = unit
            self.unitPrice = unitPrice
            self.priceBasis = priceBasis
            self.items = items
            self.descriptions = descriptions
            self.pack = pack
            self.references = references
            self.dates = dates
            self.parties = parties
        }

        /// An empty line.
        init() { self.init(lineNumber: nil) }
    }

    /// A PID description.
    public struct Description: Hashable, Sendable, Codable {
        /// PID01, `F` free form, `S` structured.
        public var type: String
        /// PID05, the text.
        public var text: String?

        /// Creates a description.
        public init(type: String = "F", text: String?) {
            self.type = type
            self.text = text
        }
    }

    /// A PO4 pack.
    public struct Pack: Hashable, Sendable, Codable {
        /// PO401, inner units per outer pack.
        public var pack: String?
        /// PO402, size of each unit.
        public var size: String?
        /// PO403, the size's unit.
        public var unit: String?

        /// Creates a pack.
        public init(pack: String?, size: String? = nil, unit: String? = nil) {
            self.pack = pack
            self.size = size
            self.unit = unit
        }
    }

    /// An ITD: terms of sale.
    public struct Terms: Hashable, Sendable, Codable {
        /// ITD01, terms type, e.g. `01` basic, `14` previously agreed.
        public var type: String?
        /// ITD02, terms basis date code, e.g. `3` invoice date.
        public var basisDate: String?
        /// ITD03, discount percent.
        public var discountPercent: String?
        /// ITD05, discount days due.
        public var discountDays: String?
        /// ITD07, net days.
        public var netDays: String?
        /// ITD12, a description.
        public var description: String?

        /// Creates terms.
        public init(
            type: String? = nil,
            basisDate: String? = nil,
            discountPercent: String? = nil,
            discountDays: String? = nil,
            netDays: String? = nil,
            description: String? = nil
        ) {
            self.type = type
            self.basisDate = basisDate
            self.discountPercent = discountPercent
            self.discountDays = discountDays
            self.netDays = netDays
            self.description = description
        }
    }

    /// A TD5: routing.
    public struct Routing: Hashable, Sendable, Codable {
        /// TD501, routing sequence code.
        public var sequence: String?
        /// TD502, carrier ID qualifier, e.g. `2` SCAC.
        public var carrierQualifier: String?
        /// TD503, carrier ID (SCAC).
        public var carrier: String?
        /// TD504, transportation method, e.g. `M` motor, `U` parcel.
        public var method: String?
        /// TD505, routing text or service.
        public var routing: String?

        /// Creates routing.
        public init(sequence: String? = nil, carrierQualifier: String? = nil, carrier: String? = nil, method: String? = nil, routing: String? = nil) {
            self.sequence = sequence
            self.carrierQualifier = carrierQualifier
            self.carrier = carrier
            self.method = method
            self.routing = routing
        }
    }

    /// BEG01, transaction set purpose: `00` original, `05` replace, `06` confirmation.
    public var purpose: String
    /// BEG02, PO type: `SA` stand-alone, `NE` new order, `DS` drop ship...
    public var type: String
    /// BEG03, the purchase order number.
    public var number: String
    /// BEG04, the release number.
    public var release: String?
    /// BEG05, the PO date, `CCYYMMDD`.
    public var date: String
    /// BEG06, the contract number.
    public var contract: String?
    /// CUR02, the currency (CUR01 is `BY`).
    public var currency: String?
    /// REF segments.
    public var references: [Reference]
    /// PER segments.
    public var contacts: [Contact]
    /// FOB01, shipment method of payment, e.g. `PP` prepaid, `CC` collect, `DF` defined by buyer and seller.
    public var fobPayment: String?
    /// CSH01, sales requirement: `SC` ship complete, `Y` back order if out of stock, `N` no back order.
    public var salesRequirement: String?
    /// ITD segments.
    public var terms: [Terms]
    /// DTM segments.
    public var dates: [DateReference]
    /// TD5 segments.
    public var routings: [Routing]
    /// N1 loops.
    public var parties: [Party]
    /// PO1 loops.
    public var lines: [Line]
    /// CTT01, the number of PO1 segments the buyer counted.
    public var lineCount: Int?
    /// CTT02, the buyer's hash total, as written (not checked: partners sum different quantities).
    public var hashTotal: String?
    /// AMT02 of `AMT*TT` (or the first AMT), the total amount, as written.
    public var totalAmount: String?

    /// Creates an order.
    public init(
        purpose: String = "00",
        type: String = "SA",
        number: String,
        release: String? = nil,
        date: String,
        contract: String? = nil,
        currency: String? = nil,
        references: [Reference] = [],
        contacts: [Contact] = [],
        fobPayment: String? = nil,
        salesRequirement: String? = nil,
        terms: [Terms] = [],
        dates: [DateReference] = [],
        routings: [Routing] = [],
        parties: [Party] = [],
        lines: [Line],
        lineCount: Int? = nil,
        hashTotal: String? = nil,
        totalAmount: String? = nil
    ) {
        self.purpose = purpose
        self.type = type
        self.number = number
        self.release = release
        self.date = date
        self.contract = contract
        self.currency = currency
        self.references = references
        self.contacts = contacts
        self.fobPayment = fobPayment
        self.salesRequirement = salesRequirement
        self.terms = terms
        self.dates = dates
        self.routings = routings
        self.parties = parties
        self.lines = lines
        self.lineCount = lineCount
        self.hashTotal = hashTotal
        self.totalAmount = totalAmount
    }

    /// The first party with N101 `role`.
    public func party(_ role: String) -> Party? { parties.first { $0.role == role } }

    /// The first header date with `qualifier`.
    public func date(_ qualifier: String) -> DateReference? { dates.first { $0.qualifier == qualifier } }
}

/// An X12 trading partner: who it is in the envelopes, which documents it exchanges, and where its documents go.
///
/// A profile is stored by the hub (`PUT /v1/partners/{id}` with `"kind": "x12"`) and read whenever an interchange
/// arrives from the partner (matched on ISA05/ISA06) or a document is written for it.
public struct TradingPartner: Hashable, Sendable, Codable {
    /// What the partner is to the distributor.
    public enum Role: String, Hashable, Sendable, Codable, CaseIterable {
        /// A customer that sends 850 orders and receives 855, 856 and 810.
        case customer
        /// A third-party warehouse that receives 940 shipping orders and sends 945 advices.
        case warehouse
    }

    /// Which item identifier the partner uses on its lines, in order of preference when reading and writing.
    public enum ItemQualifier: String, Hashable, Sendable, Codable, CaseIterable {
        /// Vendor's (seller's) part number: our SKU.
        case vendorPart = "VP"
        /// Buyer's part number: looked up in the partner's item cross-reference.
        case buyerPart = "BP"
        /// UPC (GTIN-12) or EAN/GTIN: looked up in the product master's `gtin`.
        case upc = "UP"
    }

    /// The hub's partner id, e.g. `acme-edi`.
    public var id: String
    /// A display name.
    public var name: String
    /// Customer or warehouse.
    public var role: Role
    /// The account orders from this partner are booked to (customers).
    public var customerID: String?
    /// The hub warehouse the partner operates (warehouses).
    public var warehouseID: String?
    /// The partner's ISA05/ISA07 qualifier, e.g. `ZZ` or `01`.
    public var isaQualifier: String
    /// The partner's ISA06/ISA08 id, unpadded.
    public var isaID: String
    /// The partner's GS02/GS03 application code.
    public var gsCode: String
    /// Our ISA qualifier towards this partner.
    public var ourISAQualifier: String
    /// Our ISA id towards this partner, unpadded.
    public var ourISAID: String
    /// Our GS application code towards this partner.
    public var ourGSCode: String
    /// GS08 version, `004010` (default) or `005010`.
    public var version: String
    /// Element separator to write with, `*` by default.
    public var elementSeparator: String
    /// Component separator (ISA16) to write with, `>` by default.
    public var componentSeparator: String
    /// Repetition separator (ISA11 from 00402 on), `^` by default.
    public var repetitionSeparator: String
    /// Segment terminator, `~` by default.
    public var segmentTerminator: String
    /// Whether to write a line feed after each segment.
    public var newlineAfterSegment: Bool
    /// ISA15: `P` production or `T` test.
    public var usage: String
    /// Transaction sets accepted from the partner, e.g. `["850", "997"]`.
    public var inbound: [String]
    /// Transaction sets sent to the partner, e.g. `["997", "855", "856", "810"]`.
    public var outbound: [String]
    /// Where outbound interchanges are POSTed (`application/edi-x12`); `nil` keeps them for pick-up only.
    public var endpoint: String?
    /// The Standard Webhooks secret (`whsec_…`) the hub signs deliveries to `endpoint` with; a new one when nil.
    public var endpointSecret: String?
    /// Item identifiers, most preferred first.
    public var itemQualifiers: [ItemQualifier]
    /// The partner's buyer part numbers mapped to our SKUs.
    public var buyerPartNumbers: [String: String]
    /// Whether the partner wants a 997 for each functional group it sends.
    public var sendsFunctionalAcknowledgments: Bool

    /// Creates a profile; the defaults are 004010, `* > ^ ~`, production, 997 on.
    public init(
        id: String,
        name: String,
        role: Role = .customer,
        customerID: String? = nil,
        warehouseID: String? = nil,
        isaQualifier: String = "ZZ",
        isaID: String,
        gsCode: String,
        ourISAQualifier: String = "ZZ",
        ourISAID: String,
        ourGSCode: String,
        version: String = "004010",
        elementSeparator: String = "*",
        componentSeparator: String = ">",
        repetitionSeparator: String = "^",
        segmentTerminator: String = "~",
        newlineAfterSegment: Bool = false,
        usage: String = "P",
        inbound: [String] = ["850", "997"],
        outbound: [String] = ["997", "855", "856", "810"],
        endpoint: String? = nil,
        endpointSecret: String? = nil,
        itemQualifiers: [ItemQualifier] = [.vendorPart, .buyerPart, .upc],
        buyerPartNumbers: [String: String] = [:],
        sendsFunctionalAcknowledgments: Bool = true
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.customerID = customerID
        self.warehouseID = warehouseID
        self.isaQualifier = isaQualifier
        self.isaID = isaID
        self.gsCode = gsCode
        self.ourISAQualifier = ourISAQualifier
        self.ourISAID = ourISAID
        self.ourGSCode = ourGSCode
        self.version = version
        self.elementSeparator = elementSeparator
        self.componentSeparator = componentSeparator
        self.repetitionSeparator = repetitionSeparator
        self.segmentTerminator = segmentTerminator
        self.newlineAfterSegment = newlineAfterSegment
        self.usage = usage
        self.inbound = inbound
        self.outbound = outbound
        self.endpoint = endpoint
        self.endpointSecret = endpointSecret
        self.itemQualifiers = itemQualifiers
        self.buyerPartNumbers = buyerPartNumbers
        self.sendsFunctionalAcknowledgments = sendsFunctionalAcknowledgments
    }

    /// The key the serializer uses for control numbers: `ISA07:ISA08` of documents we send to the partner.
    public var controlNumberKey: String { "\(isaQualifier):\(isaID)" }
}

import Foundation

/// Expected inbound stock of one SKU at one warehouse: an open purchase order line or a transfer on its way.
///
/// Only its ``remaining`` units count as supply for promising, on its ``expectedDate``.
public struct ScheduledReceipt: Hashable, Sendable, Codable {
    /// Where the stock comes from.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A supplier purchase order.
        case purchaseOrder = "purchase_order"
        /// A planned transfer from another warehouse, not yet shipped.
        case transfer
        /// A transfer or shipment already on its way.
        case inTransit = "in_transit"
    }

    /// Whether the receipt is still expected.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// Still expected; its remaining units are supply.
        case open
        /// Closed by the warehouse: what arrived is on hand now.
        case received
        /// Will not arrive.
        case cancelled
    }

    /// A request to record a receipt, as a client sends it; check it with ``validate(_:)``.
    public struct Request: Hashable, Sendable, Codable {
        /// The receiving warehouse.
        public var warehouseID: String
        /// The SKU.
        public var sku: String
        /// Expected units, 1…1 000 000.
        public var quantity: Int
        /// Expected arrival, `YYYY-MM-DD` (UTC calendar day).
        public var expectedDate: String
        /// The source document, e.g. a PO number.
        public var reference: String?
        /// The kind; a purchase order when absent.
        public var kind: Kind?

        enum CodingKeys: String, CodingKey {
            case warehouseID = "warehouseId"
            case sku,
                quantity, expectedDate, reference, kind
        }

        /// Creates a request.
        /// - Parameters:
        ///   - warehouseID: the receiving warehouse.
        ///   - sku: the SKU.
        ///   - quantity: expected units.
        ///   - expectedDate: expected arrival, `YYYY-MM-DD`.
        ///   - reference: the source document, e.g. a PO number.
        ///   - kind: the kind; a purchase order when nil.
        public init(warehouseID: String, sku: String, quantity: Int, expectedDate: String, reference: String? = nil, kind: Kind? = nil) {
            self.warehouseID = warehouseID
            self.sku = sku
            self.quantity = quantity
            self.expectedDate = expectedDate
            self.reference = reference
            self.kind = kind
        }
    }

    /// The largest quantity one receipt may expect.
    public static let maxQuantity = 1_000_000

    /// Receipt id.
    public var id: String
    /// The receiving warehouse.
    public var warehouseID: String
    /// The SKU.
    public var sku: String
    /// Expected units (positive).
    public var quantity: Int
    /// Units received against it so far.
    public var receivedQuantity: Int
    /// The UTC calendar day the stock is expected to be available.
    public var expectedDate: BusinessDay
    /// The source document, e.g. a PO number.
    public var reference: String?
    /// Where the stock comes from.
    public var kind: Kind
    /// Whether it is still expected.
    public var status: Status
    /// When it was recorded.
    public var createdAt: Date
    /// Optimistic-concurrency version, 1 on creation.
    public var version: Int

    enum CodingKeys: String, CodingKey {
        case id
        case warehouseID = "warehouseId"
        case sku,
            quantity, receivedQuantity, expectedDate, reference, kind, status, createdAt, version
    }

    /// Creates a receipt.
    /// - Parameters:
    ///   - id: the receipt id.
    ///   - warehouseID: the receiving warehouse.
    ///   - sku: the SKU.
    ///   - quantity: expected units.
    ///   - receivedQuantity: units received so far.
    ///   - expectedDate: the expected day.
    ///   - reference: the source document, e.g. a PO number.
    ///   - kind: where the stock comes from.
    ///   - status: whether it is still expected.
    ///   - createdAt: when it was recorded.
    ///   - version: optimistic-concurrency version.
    public init(
        id: String,
        warehouseID: String,
        sku: String,
        quantity: Int,
        receivedQuantity: Int = 0,
        expectedDate: BusinessDay,
        reference: String? = nil,
        kind: Kind = .purchaseOrder,
        status: Status = .open,
        createdAt: Date,
        version: Int = 1
    ) {
        self.id = id
        self.warehouseID = warehouseID
        self.sku = sku
        self.quantity = quantity
        self.receivedQuantity = receivedQuantity
        self.expectedDate = expectedDate
        self.reference = reference
        self.kind = kind
        self.status = status
        self.createdAt = createdAt
        self.version = version
    }

    /// Units still expected: `quantity − receivedQuantity` (never below zero) while open, otherwise 0.
    public var remaining: Int {
        status == .open ? max(0, quantity - receivedQuantity) : 0
    }

    /// Every problem of `request`, with JSON field names; empty when it is valid.
    /// - Parameters:
    ///   - request: the request to check.
    public static func validate(_ request: Request) -> [IntakeError.FieldError] {
        var errors: [IntakeError.FieldError] = []
        if request.warehouseID.allSatisfy(\.isWhitespace) {
            errors.append(.init(field: "warehouseId", reason: "must not be empty"))
        } else {
            Identifier.check(request.warehouseID, .warehouseID, field: "warehouseId", into: &errors)
        }
        if request.sku.allSatisfy(\.isWhitespace) {
            errors.append(.init(field: "sku", reason: "must not be empty"))
        } else {
            Identifier.check(request.sku, .sku, field: "sku", into: &errors)
        }
        Identifier.check(request.reference, .reference, field: "reference", into: &errors)
        if request.quantity <= 0 { errors.append(.init(field: "quantity", reason: "must be a positive integer")) }
        if request.quantity > maxQuantity { errors.append(.init(field: "quantity", reason: "at most \(maxQuantity)")) }
        if BusinessDay(request.expectedDate) == nil {
            errors.append(.init(field: "expectedDate", reason: "must be a date YYYY-MM-DD"))
        }
        return errors
    }

    /// Creates an open receipt from a request that passes ``validate(_:)``.
    /// - Parameters:
    ///   - request: the request.
    ///   - id: the new receipt's id.
    ///   - createdAt: the time it is recorded.
    /// - Throws: ``IntakeError`` with code `invalid_receipt` listing every problem of the request.
    public init(request: Request, id: String, createdAt: Date) throws(IntakeError) {
        let errors = Self.validate(request)
        guard errors.isEmpty, let expectedDate = BusinessDay(request.expectedDate) else {
            throw IntakeError(code: "invalid_receipt", message: "The receipt request has \(errors.count) problem(s).", errors: errors)
        }
        self.init(
            id: id,
            warehouseID: request.warehouseID,
            sku: request.sku,
            quantity: request.quantity,
            expectedDate: expectedDate,
            reference: request.reference,
            kind: request.kind ?? .purchaseOrder,
            createdAt: createdAt
        )
    }
}

import Foundation

/// The sandbox shop's own records: its copy of every order it placed (line items, fulfillments with tracking and
/// delivery status, cancellations, refunds, metafields) and its products (price, inventory per location), as the
/// Admin API calls of the hub changed them.
public struct ShopState: Sendable {
    /// One line item of a shop order.
    public struct LineItem: Sendable {
        /// Shopify's line item id.
        public var id: Int64
        /// The SKU.
        public var sku: String
        /// Ordered, in the shop's unit.
        public var quantity: Int
        /// Units in fulfillments.
        public var fulfilled = 0
        /// Units cancelled before they shipped (cancel, or refunds with `restock_type: cancel`).
        public var cancelled = 0
        /// Units refunded after they shipped (`return` or `no_restock`).
        public var refunded = 0
        /// Of those, units restocked (`return`).
        public var returned = 0
    }

    /// One fulfillment the hub created.
    public struct Fulfillment: Sendable {
        /// Shopify's id.
        public var id: Int64
        /// `tracking_company`.
        public var trackingCompany: String
        /// `tracking_numbers`.
        public var trackingNumbers: [String]
        /// Line item id → units.
        public var lineItems: [Int64: Int]
        /// The last fulfillment event's status (`delivered`), nil before any.
        public var shipmentStatus: String?
    }

    /// One order as the shop has it.
    public struct Order: Sendable {
        /// Shopify's id.
        public var id: Int64
        /// The line items.
        public var lineItems: [LineItem]
        /// The fulfillments the hub created, in order.
        public var fulfillments: [Fulfillment] = []
        /// Set when the order was cancelled.
        public var cancelledAt: String?
        /// The reason it was cancelled with.
        public var cancelReason: String?
        /// Σ refund transactions of refunds for units that shipped (credits), in cents.
        public var creditedAmount: Int64 = 0
        /// Σ refund transactions of refunds for units cancelled before they shipped, in cents.
        public var cancellationRefunds: Int64 = 0
        /// `namespace.key` → value.
        public var metafields: [String: String] = [:]

        /// Shopify's `fulfillment_status`: nil, `partial` or `fulfilled`.
        public var fulfillmentStatus: String? {
            let fulfilled = lineItems.reduce(0) { $0 + $1.fulfilled }
            if fulfilled == 0 { return nil }
            return lineItems.allSatisfy { $0.fulfilled + $0.cancelled >= $0.quantity } ? "fulfilled" : "partial"
        }
    }

    /// One product.
    public struct Product: Sendable {
        /// The SKU.
        public var sku: String
        /// The product title.
        public var title: String?
        /// `ACTIVE` or `ARCHIVED`.
        public var status: String?
        /// Price of one unit, in cents.
        public var price: Int64?
        /// The variant barcode.
        public var barcode: String?
        /// Location gid → available.
        public var available: [String: Int] = [:]
        /// When the hub computed the availability last applied.
        public var availabilityAsOf: Date?
    }

    /// What the Admin API did.
    public struct Counters: Sendable {
        /// Fulfillments created.
        public var fulfillments = 0
        /// Fulfillment events posted.
        public var fulfillmentEvents = 0
        /// Orders cancelled.
        public var cancellations = 0
        /// Refunds created.
        public var refunds = 0
        /// `metafieldsSet` calls.
        public var metafieldWrites = 0
        /// Product changes (title).
        public var productWrites = 0
        /// Price changes.
        public var priceWrites = 0
        /// Inventory level writes.
        public var inventoryWrites = 0
        /// Calls refused with 409 because the shop already has a later state.
        public var staleRefusals = 0
        /// Calls refused for another reason (404, 422), one line each.
        public var refusals: [String] = []
        /// Sync lag of each availability write: hub stock change → applied here, in milliseconds.
        public var availabilityLagsMs: [Double] = []
        /// When the first stock change behind each availability write happened (same order as ``availabilityLagsMs``).
        public var availabilityChangedAt: [Date] = []
    }

    /// Orders by Shopify id.
    public var orders: [Int64: Order] = [:]
    /// Products by SKU.
    public var products: [String: Product] = [:]
    /// What the Admin API did.
    public var counters = Counters()
    var nextID: Int64 = 9_000_000_000
}

import Foundation

/// The sandbox org's own records: its copy of every Order it pushed (status, the hub's fields, items, shipments),
/// accounts, products and price book entries, as the hub's REST calls changed them.
public struct CRMState: Sendable {
    /// One OrderItem.
    public struct Item: Sendable {
        /// The OrderItem id.
        public var id: String
        /// The hub line status.
        public var status: String?
        /// Shipped, cancelled, backordered and returned quantities, as the hub last sent them.
        public var shipped = 0
        /// Cancelled units.
        public var cancelled = 0
        /// Backordered units.
        public var backordered = 0
        /// Returned units.
        public var returned = 0
        /// The promise date of the unshipped units.
        public var promisedDate: String?
    }

    /// One Shipment record.
    public struct Shipment: Sendable {
        /// `Crossdock_Shipment_Id__c`.
        public var hubShipmentID: String
        /// The Order it belongs to.
        public var orderID: String
        /// `Provider`: the carrier.
        public var provider: String?
        /// The tracking numbers.
        public var trackingNumbers: [String] = []
        /// `Status`, as the hub last set it.
        public var status: String?
        /// `ActualDeliveryDate`.
        public var deliveredAt: String?
    }

    /// One Order.
    public struct Order: Sendable {
        /// The Order id.
        public var id: String
        /// `Status`.
        public var status = "Activated"
        /// `Crossdock_Status__c`: the hub's status.
        public var hubStatus: String?
        /// `Crossdock_Sequence__c`: the log sequence of the last update applied.
        public var sequence: Int64 = 0
        /// `Crossdock_Promised_Date__c`.
        public var promisedDate: String?
        /// `Crossdock_Credited_Amount__c`, in cents.
        public var creditedAmount: Int64 = 0
        /// Items by OrderItem id.
        public var items: [String: Item]
    }

    /// One Account (by `Crossdock_Customer_Id__c`).
    public struct Account: Sendable {
        /// `Crossdock_Customer_Id__c`.
        public var customerID: String
        /// `Name`.
        public var name: String?
        /// `Credit_Hold__c`.
        public var creditHold = false
        /// `Credit_Hold_Reason__c`.
        public var creditHoldReason: String?
        /// In cents.
        public var creditLimit: Int64?
        /// `Crossdock_Active__c`.
        public var active = true
    }

    /// What the REST calls did.
    public struct Counters: Sendable {
        /// Order updates applied.
        public var orderUpdates = 0
        /// Shipments created.
        public var shipmentUpserts = 0
        /// Account upserts.
        public var accountUpserts = 0
        /// Product2 upserts.
        public var productUpserts = 0
        /// PricebookEntry upserts.
        public var priceBookUpserts = 0
        /// Order updates refused with 409: the org already applied a later one.
        public var staleRefusals = 0
        /// Order updates the org had already applied (same sequence), acknowledged without change.
        public var alreadyApplied = 0
        /// Calls refused for another reason, one line each.
        public var refusals: [String] = []
    }

    /// Orders by id.
    public var orders: [String: Order] = [:]
    /// Shipments by `Crossdock_Shipment_Id__c`.
    public var shipments: [String: Shipment] = [:]
    /// Accounts by `Crossdock_Customer_Id__c`.
    public var accounts: [String: Account] = [:]
    /// `Crossdock_SKU__c` → (name, active).
    public var products: [String: (name: String, active: Bool)] = [:]
    /// `Crossdock_Key__c` (`<price list>:<sku>`) → (unit price in cents, active).
    public var priceBook: [String: (unitPrice: Int64, active: Bool)] = [:]
    /// What the REST calls did.
    public var counters = Counters()
}

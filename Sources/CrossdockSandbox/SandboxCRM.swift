import AsyncHTTPClient
import CrossdockConnectors
import CrossdockDomain
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A simulated Salesforce org: its sales reps' activated Orders (with their OrderItems) are pushed to
/// `POST /v1/inbound/salesforce/orders`, signed with the org's shared secret (`X-Crossdock-Signature`) and named by
/// `X-Crossdock-Partner`, as an Apex trigger or Flow callout would. It re-sends one Order (the hub answers 200 with
/// the existing order).
///
/// As a `Service` it runs its REST API on loopback (``run()``): the hub's signed composite requests update its own
/// Orders, OrderItems and Shipments (status, quantities, tracking, delivery), Accounts (credit hold), Products and
/// price book entries (``state``), which the demo compares with the hub's. It keeps no memory of webhook ids, as a
/// Salesforce org would not: it applies Order updates by their sequence and refuses older ones with 409.
public final class SandboxCRM: Service, Sendable {
    /// Behaviour knobs.
    public struct Configuration: Sendable {
        /// The hub's id for the org.
        public var id: String
        /// Orders to push.
        public var orders: Int
        /// Seed of the orders.
        public var seed: UInt64
        /// Share of the hub's REST calls answered 503 (0…1), to exercise the hub's retries.
        public var failureRate: Double
        /// Where the REST API listens; 0 picks a free port.
        public var port: Int

        /// Creates a configuration.
        public init(id: String = "contoso-sf", orders: Int = 5, seed: UInt64 = 5, failureRate: Double = 0, port: Int = 0) {
            self.id = id
            self.orders = orders
            self.seed = seed
            self.failureRate = failureRate
            self.port = port
        }
    }

    /// One Order the org pushed.
    public struct PushedOrder: Sendable {
        /// The Order's 18-character id.
        public var salesforceID: String
        /// The hub customer its account maps to.
        public var customerID: String
        /// The lines: item number, SKU, quantity and unit price in cents.
        public var lines: [OrderRequest.Line]
        /// The hub's order id, once created.
        public var hubOrderID: String?
    }

    /// What the org pushed and what the hub answered.
    public struct Stats: Sendable {
        /// Requests posted.
        public var sent = 0
        /// Orders the hub created (201).
        public var created = 0
        /// Re-sent Orders answered 200 with the existing order.
        public var resentAnsweredExisting = 0
        /// Answers the org did not expect, one line each.
        public var unexpected: [String] = []
    }

    let configuration: Configuration
    let secret = PartnerSignature.makeSecret()
    let hub: HubClient
    let logger: Logger
    let state = Mutex<(stats: Stats, orders: [PushedOrder])>((Stats(), []))
    /// The org's own records, changed by the hub's REST calls.
    let records = Mutex(CRMState())
    /// The REST API's server.
    let endpoint: WebhookEndpoint

    /// Creates the org.
    /// - Parameters:
    ///   - hubURL: the hub's base URL.
    ///   - configuration: behaviour.
    ///   - client: HTTP client (requests carry no API key: the signature authenticates them).
    ///   - logger: the org's logger.
    public init(
        hubURL: String,
        configuration: Configuration = .init(),
        client: HTTPClient = .shared,
        logger: Logger = Logger(label: "crossdock.sandbox.crm")
    ) {
        self.configuration = configuration
        hub = HubClient(baseURL: hubURL, apiKey: "", client: client)
        self.logger = logger
        endpoint = WebhookEndpoint(
            port: configuration.port,
            failureRate: configuration.failureRate,
            serverName: "sandbox-crm",
            logger: logger,
            dedupe: false
        )
    }

    /// Runs the REST API until graceful shutdown.
    public func run() async throws {
        try await endpoint.runRaw { path, body in self.rest(path, body) }
    }

    /// The org's own records.
    public var crm: CRMState { records.withLock { $0 } }

    /// What the REST API's endpoint saw (signatures, redeliveries, refusals).
    public var webhooks: WebhookCounters { endpoint.counters }

    /// Takes the org's REST API down (every call answered 503) or brings it back.
    public func setDown(_ isDown: Bool) { endpoint.setDown(isDown) }

    /// Subscribes the org's REST API through `admin`: order updates of this org (`channel.order_updated`, mapping
    /// `salesforce-order-sync`) and master data (products, every price list's prices, credit status, mapping
    /// `salesforce-catalog-sync`). Returns the subscription ids (orders, catalogue).
    @discardableResult
    public func subscribe(through admin: HubClient) async throws -> (orders: String, catalog: String) {
        let orders = try await endpoint.subscription(
            through: admin,
            eventTypes: [EventType.channelOrderUpdated.name],
            mapping: "salesforce-order-sync",
            attributes: ["partner": configuration.id]
        )
        let catalog = try await endpoint.subscription(
            through: admin,
            eventTypes: [EventType.productUpserted.name, EventType.priceListPriceChanged.name, EventType.customerCreditStatusChanged.name],
            mapping: "salesforce-catalog-sync"
        )
        return (orders.id, catalog.id)
    }

    /// The hub's id for the org.
    public var id: String { configuration.id }

    /// A snapshot of the counters.
    public var stats: Stats { state.withLock { $0.stats } }

    /// The Orders pushed so far.
    public var orders: [PushedOrder] { state.withLock { $0.orders } }

    /// The org's Account id for `customer`: 18 characters whose 15-character stem is unique.
    static func accountID(_ customer: Customer) -> String {
        "001" + String(format: "%012d", Int(customer.id.filter { $0.isNumber }) ?? 0) + "AAE"
    }

    /// The accounts the reps sell to: every account but those on hold or near their limit.
    static func customers(_ catalog: Catalog) -> [Customer] { SandboxStorefront.customers(catalog) }

    /// Registers the org through `admin` (`PUT /v1/partners/{id}`, kind `salesforce`): its shared secret, accounts
    /// and the accounts' known ship-tos.
    public func register(through admin: HubClient, catalog: Catalog) async throws {
        let customers = Self.customers(catalog)
        let profile = SalesforceOrg(
            id: configuration.id,
            sharedSecret: secret,
            accounts: Dictionary(uniqueKeysWithValues: customers.map { (Self.accountID($0), $0.id) }),
            defaultCurrency: .usd,
            shipTos: Dictionary(uniqueKeysWithValues: customers.map { ($0.id, $0.shipTo) })
        )
        try await admin.putPartner(configuration.id, kind: "salesforce", profile: profile)
    }

    /// Pushes the configured Orders, then the last one again. Returns the counters.
    @discardableResult
    public func pushOrders(from catalog: Catalog) async -> Stats {
        var random = SplitMix64(seed: configuration.seed)
        let customers = Self.customers(catalog)
        let products = catalog.orderableProducts.filter { !catalog.scarceSKUs.contains($0.sku) }
        guard !customers.isEmpty, !products.isEmpty else { return stats }
        var last: (body: [UInt8], orderID: String?)?
        for index in 0..<configuration.orders {
            let customer = customers[Int(random.next() % UInt64(customers.count))]
            var lines: [OrderRequest.Line] = []
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let product = products[Int(random.next() % UInt64(products.count))]
                guard !lines.contains(where: { $0.sku == product.sku }) else { continue }
                let quantity = 1 + Int(random.next() % 8)
                let price = catalog.priceList.unitPrice(sku: product.sku, quantity: quantity)?.minorUnits ?? 1_000
                lines.append(OrderRequest.Line(lineNo: lines.count + 1, sku: product.sku, quantity: quantity, unitPrice: price))
            }
            let salesforceID = "8015g0000" + String(format: "%09d", Int(configuration.seed) * 1_000 + index)
            let body = Array(Self.orderJSON(salesforceID, number: index + 1, customer: customer, lines: lines).utf8)
            let (status, orderID) = await push(body)
            if status == 201 {
                state.withLock {
                    $0.stats.created += 1
                    $0.orders.append(PushedOrder(salesforceID: salesforceID, customerID: customer.id, lines: lines, hubOrderID: orderID))
                }
                let items = lines.map { Self.itemID(salesforceID, lineNo: $0.lineNo ?? 1) }
                records.withLock { crm in
                    crm.orders[salesforceID] = CRMState.Order(
                        id: salesforceID,
                        items: Dictionary(uniqueKeysWithValues: items.map { ($0, CRMState.Item(id: $0)) })
                    )
                }
            } else {
                unexpected("Order \(salesforceID)", status)
            }
            last = (body, orderID)
        }
        if let last {
            let (status, orderID) = await push(last.body)
            if status == 200 && orderID == last.orderID {
                state.withLock { $0.stats.resentAnsweredExisting += 1 }
            } else {
                unexpected("re-sent Order", status)
            }
        }
        return stats
    }

    /// Posts one signed Order; returns the status and the hub's order id.
    private func push(_ body: [UInt8]) async -> (status: Int, orderID: String?) {
        let headers = [("X-Crossdock-Partner", configuration.id), ("X-Crossdock-Signature", "sha256=" + PartnerSignature.hex(body, secret: secret))]
        state.withLock { $0.stats.sent += 1 }
        let answer = await hub.retrying(logger: logger) {
            try await hub.post("/v1/inbound/salesforce/orders", body: body, contentType: "application/json", headers: headers, authorized: false)
        }
        guard let answer else { return (0, nil) }
        let object = (try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [String: Any]
        return (answer.status, object?["id"] as? String)
    }

    private func unexpected(_ what: String, _ status: Int) {
        logger.warning("unexpected answer", metadata: [LogKey.sandboxStatus: "\(status)", LogKey.sandboxBody: "\(what)"])
        state.withLock { $0.stats.unexpected.append("\(what): \(status)") }
    }

    /// The 18-character id of the OrderItem of line `lineNo` of Order `orderID`.
    public static func itemID(_ orderID: String, lineNo: Int) -> String {
        "802" + String(orderID.suffix(12)) + String(format: "%03d", lineNo % 1000)
    }

    /// The Order sObject `id` (the `number`-th of the org) for `customer`, as the REST API returns it with its
    /// OrderItems; numbers are written exactly.
    public static func orderJSON(_ id: String, number: Int, customer: Customer, lines: [OrderRequest.Line]) -> String {
        let address = customer.shipTo[0].address
        let state = address.region.split(separator: "-").last.map(String.init) ?? ""
        let items = lines.map { line in
            let itemNumber = String(format: "%010d", line.lineNo ?? 1)
            return
                #"{"attributes":{"type":"OrderItem"},"Id":"\#(itemID(id, lineNo: line.lineNo ?? 1))","OrderItemNumber":"\#(itemNumber)","Product2":{"ProductCode":"\#(line.sku)"},"Quantity":\#(line.quantity).0,"UnitPrice":\#(PartnerSignature.decimal(line.unitPrice ?? 0))}"#
        }
        return #"""
            {"attributes":{"type":"Order"},"Id":"\#(id)","OrderNumber":"\#(String(format: "%08d", number))","AccountId":"\#(accountID(customer))",\#
            "Account":{"Name":"\#(address.name)"},"EffectiveDate":"\#(JSONCoding.businessDay(Date()))",\#
            "PoNumber":"CRM-\#(id.suffix(6))","CurrencyIsoCode":"USD","Status":"Activated",\#
            "ShippingAddress":{"street":"\#(address.lines.joined(separator: "\\n"))","city":"\#(address.city)","stateCode":"\#(state)","postalCode":"\#(address.postalCode)","countryCode":"\#(address.country)"},\#
            "OrderItems":{"totalSize":\#(lines.count),"done":true,"records":[\#(items.joined(separator: ","))]}}
            """#
    }
}

import AsyncHTTPClient
import CrossdockDomain
import CrossdockEDI
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A simulated retailer's EDI system (an X12 trading partner with the `customer` role) on loopback.
///
/// It sends 850 purchase orders to `POST /v1/inbound/edi` in interchanges of several POs with its own control numbers
/// (lines identified by `VP` SKU or by `UP` GTIN, some shipping to a one-time store address), including one PO with a
/// real defect (CTT01 does not count the lines: the hub's 997 must reject it) and one for an item the hub does not
/// sell (the 855 must say `RD`); it reads the 997 the hub answers to each. At its endpoint it receives the hub's 855,
/// 856 and 810 as raw X12 signed with Standard Webhooks, decodes them and answers each functional group with a 997.
///
/// ```swift
/// let partner = SandboxEDIPartner(hubURL: hub, apiKey: keyBoundToPartner, configuration: .init(customerID: "CUST-006"))
/// // run it in a ServiceGroup, then:
/// try await partner.register(through: admin)
/// await partner.sendPurchaseOrders(from: catalog)
/// ```
public final class SandboxEDIPartner: Service {
    /// The hub's ISA/GS ids towards the sandbox partners.
    public static let hubISAID = "CROSSDOCK"

    /// Behaviour knobs.
    public struct Configuration: Sendable {
        /// The hub's partner id, also the prefix of the orders' external ids.
        public var id: String
        /// A display name.
        public var name: String
        /// The retailer's ISA06 and GS02.
        public var isaID: String
        /// The account the hub books the retailer's orders to.
        public var customerID: String
        /// Valid purchase orders to send (plus the defective one and the one for an unknown item).
        public var purchaseOrders: Int
        /// POs per interchange.
        public var perInterchange: Int
        /// Where every third PO ships (a store the account does not know, sent as an N1 `ST` address); nil for none.
        public var oneTimeShipTo: Address?
        /// Share of the hub's deliveries answered 503 (0…1).
        public var failureRate: Double
        /// Deliveries answered 503 first, whatever `failureRate` draws, so the hub's retry is always exercised.
        public var refuseFirst: Int
        /// Seed of the POs' lines.
        public var seed: UInt64

        /// Creates a configuration.
        public init(
            id: String = "northwind-edi",
            name: String = "Northwind Retail",
            isaID: String = "NORTHWINDRT",
            customerID: String,
            purchaseOrders: Int = 6,
            perInterchange: Int = 3,
            oneTimeShipTo: Address? = SandboxEDIPartner.pennsylvaniaStore,
            failureRate: Double = 0,
            refuseFirst: Int = 0,
            seed: UInt64 = 1
        ) {
            self.refuseFirst = refuseFirst
            self.id = id
            self.name = name
            self.isaID = isaID
            self.customerID = customerID
            self.purchaseOrders = purchaseOrders
            self.perInterchange = perInterchange
            self.oneTimeShipTo = oneTimeShipTo
            self.failureRate = failureRate
            self.seed = seed
        }
    }

    /// A store in Pennsylvania, served by the 3PL's warehouse.
    public static let pennsylvaniaStore = Address(
        name: "Northwind Store 114",
        lines: ["2100 Hamilton Blvd"],
        city: "Allentown",
        region: "US-PA",
        postalCode: "18104",
        country: "US"
    )

    /// What the partner has sent and received.
    public struct Stats: Sendable {
        /// Deliveries from the hub at the endpoint.
        public var webhooks = WebhookCounters()
        /// Interchanges posted that the hub answered 200.
        public var interchangesSent = 0
        /// Transaction sets sent (`850`, `997`) and received: at the endpoint (`855`, `856`, `810`), and the hub's 997s
        /// answered to our interchanges (`997`).
        public var x12 = X12Counters()
        /// Received sets the partner could not read (it rejects them in its 997).
        public var rejectedByUs = 0
        /// The ship notice it never acknowledged (``withholdAcknowledgmentOfNextShipNotice()``): its interchange and
        /// group control numbers (ISA13, GS06) and shipment id (BSN02).
        public var unacknowledged: (interchange: Int, group: Int, shipmentID: String)?
    }

    let configuration: Configuration
    let logger: Logger
    let endpoint: WebhookEndpoint
    let mailbox: X12Mailbox
    let hub: HubClient
    let state = Mutex<(stats: Stats, orders: [String: PurchaseOrderRecord], pending: Int)>((Stats(), [:], 0))
    /// Whether the next interchange carrying an 856 goes unanswered.
    private let withholdNext = Atomic<Bool>(false)
    private let acknowledgments: AsyncStream<X12Mailbox.Received>
    private let acknowledgmentSink: AsyncStream<X12Mailbox.Received>.Continuation

    /// Creates the partner.
    /// - Parameters:
    ///   - hubURL: the hub's base URL.
    ///   - apiKey: a key with `orders:write`, bound to the partner id.
    ///   - port: where the endpoint listens; 0 picks a free port.
    ///   - configuration: behaviour.
    ///   - client: HTTP client for posts.
    ///   - logger: the partner's logger.
    public init(
        hubURL: String,
        apiKey: String,
        port: Int = 0,
        configuration: Configuration,
        client: HTTPClient = .shared,
        logger: Logger = Logger(label: "crossdock.sandbox.edi")
    ) {
        self.configuration = configuration
        self.logger = logger
        hub = HubClient(baseURL: hubURL, apiKey: apiKey, client: client)
        endpoint = WebhookEndpoint(
            port: port,
            failureRate: configuration.failureRate,
            serverName: "sandbox-edi",
            logger: logger,
            refuseFirst: configuration.refuseFirst
        )
        mailbox = X12Mailbox(partner: Self.profile(configuration, endpoint: nil, secret: nil), hub: hub, firstControlNumber: 5001, logger: logger)
        (acknowledgments, acknowledgmentSink) = AsyncStream.makeStream(of: X12Mailbox.Received.self)
    }

    /// The hub's partner id.
    public var id: String { configuration.id }

    /// A snapshot of the counters.
    public var stats: Stats {
        let webhooks = endpoint.counters
        var stats = state.withLock { $0.stats }
        stats.webhooks = webhooks
        return stats
    }

    /// Every PO sent and what came back for it, by PO number.
    public var purchaseOrders: [PurchaseOrderRecord] { state.withLock { $0.orders.values.sorted { $0.number < $1.number } } }

    /// Makes the partner file the next interchange that carries an 856 and never answer it with a 997 (nor any
    /// redelivery of it), as a partner whose translator dropped it would: the hub's watchdog must notice.
    public func withholdAcknowledgmentOfNextShipNotice() { withholdNext.store(true, ordering: .relaxed) }

    /// Whether no 997 is waiting to be posted.
    public var isIdle: Bool { state.withLock { $0.pending == 0 } }

    /// The profile the hub keeps for the partner.
    static func profile(_ configuration: Configuration, endpoint: String?, secret: String?) -> TradingPartner {
        TradingPartner(
            id: configuration.id,
            name: configuration.name,
            role: .customer,
            customerID: configuration.customerID,
            isaID: configuration.isaID,
            gsCode: configuration.isaID,
            ourISAID: Self.hubISAID,
            ourGSCode: Self.hubISAID,
            inbound: ["850", "997"],
            outbound: ["997", "855", "856", "810"],
            endpoint: endpoint,
            endpointSecret: secret,
            itemQualifiers: [.vendorPart, .upc]
        )
    }

    /// Waits until the endpoint listens, then registers the partner through `admin` (`PUT /v1/partners/{id}`, kind
    /// `x12`) with its endpoint and signing secret. Returns the endpoint URL.
    @discardableResult
    public func register(through admin: HubClient) async throws -> String {
        let url = await endpoint.waitUntilListening() + "/x12"
        try await admin.putPartner(configuration.id, kind: "x12", profile: Self.profile(configuration, endpoint: url, secret: endpoint.secret))
        return url
    }

    /// Runs the endpoint and the partner's outgoing work until graceful shutdown.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.endpoint.runRaw { _, body in self.receive(body) } }
            group.addTask {
                for await received in self.acknowledgments {
                    let ok = await self.mailbox.acknowledge(received)
                    self.state.withLock { state in
                        state.pending -= 1
                        state.stats.x12.countAcknowledgment(of: received, posted: ok)
                    }
                }
            }
            try await gracefulShutdown()
            self.acknowledgmentSink.finish()
        }
    }

    /// Reads one interchange from the hub, files its documents under their POs and queues the 997.
    private func receive(_ body: [UInt8]) -> WebhookEndpoint.Reply {
        let received = mailbox.receive(String(decoding: body, as: UTF8.self))
        let answer = state.withLock { state in
            state.stats.x12.count(received)
            state.stats.rejectedByUs += received.reading.groups.flatMap(\.sets).filter { !$0.isAccepted }.count
            for document in received.documents {
                switch document {
                case .purchaseOrderAcknowledgment(let acknowledgment):
                    let number = acknowledgment.purchaseOrderNumber
                    state.orders[number]?.acknowledgments.append(acknowledgment)
                    let cases = state.orders[number]?.caseLines ?? [:]
                    for line in acknowledgment.lines where cases[Int(line.lineNumber ?? "") ?? 0] != nil {
                        state.orders[number]?.caseAnswers["855", default: []] += line.statuses.map {
                            "\(line.lineNumber ?? ""):\($0.quantity ?? ""):\($0.unit ?? "")"
                        }
                    }
                case .shipNotice(let notice):
                    for order in notice.orders {
                        let number = order.purchaseOrderNumber
                        state.orders[number]?.shipNotices.append(notice.shipmentID)
                        let cases = state.orders[number]?.caseLines ?? [:]
                        for item in order.packages.flatMap(\.items) + order.items where cases[Int(item.lineNumber ?? "") ?? 0] != nil {
                            state.orders[number]?.caseAnswers["856", default: []].append(
                                "\(item.lineNumber ?? ""):\(item.quantityShipped):\(item.unit)"
                            )
                        }
                    }
                case .invoice(let invoice):
                    if let number = invoice.purchaseOrderNumber {
                        state.orders[number]?.invoices.append(invoice.invoiceNumber)
                        let cases = state.orders[number]?.caseLines ?? [:]
                        for line in invoice.lines where cases[Int(line.lineNumber ?? "") ?? 0] != nil {
                            state.orders[number]?.caseAnswers["810", default: []].append("\(line.lineNumber ?? ""):\(line.quantity):\(line.unit)")
                        }
                    }
                default:
                    break
                }
            }
            guard !received.reading.groups.isEmpty else { return false }
            if let withheld = state.stats.unacknowledged, withheld.interchange == received.reading.interchange?.header.controlNumber {
                return false
            }
            let notice = received.reading.groups.lazy.compactMap { group -> (Int, String)? in
                for set in group.sets where set.isAccepted {
                    if case .shipNotice(let notice) = set.document { return (group.group.controlNumber, notice.shipmentID) }
                }
                return nil
            }.first
            if let notice, let interchange = received.reading.interchange?.header.controlNumber, state.stats.unacknowledged == nil,
                withholdNext.compareExchange(expected: true, desired: false, ordering: .relaxed).exchanged
            {
                state.stats.unacknowledged = (interchange, notice.0, notice.1)
                return false
            }
            state.pending += 1
            return true
        }
        if answer { acknowledgmentSink.yield(received) }
        return .init(status: 200)
    }
}

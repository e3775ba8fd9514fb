import CrossdockDomain
import CrossdockStore
import Foundation

/// One timeline of an order across every system (`GET /v1/orders/{id}/trace`, the console's trace page), built from
/// stored facts: the order's events (its correlation in the log), fulfilment orders, shipments, invoices, credit
/// memos, returns, operations exceptions, the partners' numbers, X12 documents with their 997 status, and the
/// outbound deliveries of its events with every attempt. Steps are in time order; a tie keeps the order above.
public struct OrderTrace: Encodable, Sendable {
    /// One thing that happened to the order, in one system.
    public struct Step: Encodable, Sendable {
        public var time: Date
        /// Where it happened: `hub`, `channel:<id>`, `warehouse:<id>`, `carrier:<name>`, `billing`, `edi:<partner>`,
        /// `subscription:<id>`, or the partner that gave a number.
        public var system: String
        /// What it is: an event type (`order.accepted`), or a record (`shipment`, `invoice`, `delivery`, …).
        public var kind: String
        /// One line for people.
        public var summary: String
        /// The id of the event or record.
        public var ref: String?
        /// The record's status where it has one (a delivery's, a document's, an exception's).
        public var status: String?
        /// The W3C trace id of the request that caused it, where one is stored.
        public var traceId: String?
        /// A delivery's attempts, oldest first (time, HTTP status, latency, error and response excerpt).
        public var attempts: [DeliveryAttempt]?

        public init(
            time: Date,
            system: String,
            kind: String,
            summary: String,
            ref: String? = nil,
            status: String? = nil,
            traceId: String? = nil,
            attempts: [DeliveryAttempt]? = nil
        ) {
            self.time = time
            self.system = system
            self.kind = kind
            self.summary = summary
            self.ref = ref
            self.status = status
            self.traceId = traceId
            self.attempts = attempts
        }
    }

    public var orderId: String
    public var status: OrderStatus
    public var channel: String
    public var externalId: String
    public var customerId: String
    /// The customer's name, when the customer is on file.
    public var customerName: String?
    public var customerPo: String?
    /// The selling legal entity (``SalesOrder/legalEntityID``), when the customer names one.
    public var legalEntityId: String? = nil
    /// Every step, oldest first.
    public var steps: [Step]
    /// The channel message that created the order, with its payload (Shopify and Salesforce orders).
    public var inboundMessages: [InboundMessage] = []
    /// The trace id of the request that created the order, when traces are exported (`serve --otel-endpoint`).
    public var traceId: String? = nil
    /// Whether the log held more events (or deliveries) than a trace shows (``OrderTrace/maxEvents``).
    public var truncated: Bool

    /// The most events, and the most deliveries, one trace reads.
    public static let maxEvents = 2000

    /// The trace of `order`; with `partner`, only the deliveries to that partner's subscriptions.
    public static func build(_ order: SalesOrder, partner: String?, store: any Store) async throws -> OrderTrace {
        let events = try await store.events(correlationID: order.id, limit: maxEvents)
        var deliveryQuery = DeliveryQuery(partner: partner, limit: maxEvents)
        deliveryQuery.orderID = order.id
        let deliveries = try await store.deliveryDetails(deliveryQuery)
        let subscriptions = Dictionary(try await store.subscriptions().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let eventTimes = Dictionary(events.map { ($0.id, $0.time) }, uniquingKeysWith: { first, _ in first })
        let eventTraces = Dictionary(events.map { ($0.id, $0.traceparent) }, uniquingKeysWith: { first, _ in first })

        var steps = events.map { TraceSummaries.step(for: $0, order: order) }
        let documents = try await store.ediDocuments(orderID: order.id)
        var inbound = try await store.inboundMessages(orderID: order.id)
        // An X12 order's message is the interchange that carried its 850, kept by the EDI intake.
        for document in documents where document.direction == .inbound && document.transactionSet == "850" {
            guard let interchange = try await store.ediInterchange(document.interchangeID) else { continue }
            inbound.append(
                InboundMessage(
                    orderID: order.id,
                    channel: "edi",
                    partner: interchange.partnerID,
                    receivedAt: interchange.createdAt,
                    authentication: "X12 interchange \(interchange.controlNumber) (ISA13) from partner \(interchange.partnerID), "
                        + "850 in group \(document.groupControl), set \(document.setControl)",
                    messageID: String(interchange.controlNumber),
                    contentType: "application/edi-x12",
                    body: Array(interchange.text.utf8)
                )
            )
        }
        for message in inbound {
            steps.append(
                Step(
                    time: message.receivedAt,
                    system: "channel:\(message.partner)",
                    kind: "inbound_message",
                    summary: "\(message.channel) message\(message.messageID.map { " \($0)" } ?? ""), \(message.bodyBytes) bytes of "
                        + "\(message.contentType): \(message.authentication)",
                    ref: message.messageID,
                    status: message.channel == "edi" ? "received" : "authenticated"
                )
            )
        }
        // Every write an API key made to the order (its creation through `POST /v1/orders`, a cancel, a hold
        // released), from the audit log; a partner-bound reader sees only its own keys' writes.
        var audit = AuditQuery(limit: maxEvents)
        audit.resource = "order/\(order.id)"
        for entry in try await store.auditEntries(audit) where partner == nil || entry.partner == partner {
            steps.append(
                Step(
                    time: entry.at,
                    system: entry.partner.map { "api:\($0)" } ?? "api",
                    kind: "api_request",
                    summary: "\(entry.method) \(entry.path) by key '\(entry.keyName)'"
                        + (entry.status.map { ", answered \($0)" } ?? "") + ", request \(entry.requestId)",
                    ref: entry.requestId,
                    status: entry.status.map(String.init)
                )
            )
        }
        for fulfillment in try await store.fulfillments(orderID: order.id) {
            let units = fulfillment.lines.reduce(0) { $0 + $1.quantity }
            steps.append(
                Step(
                    time: fulfillment.releasedAt,
                    system: "warehouse:\(fulfillment.warehouseID)",
                    kind: "fulfillment_order",
                    summary:
                        "fulfilment order \(fulfillment.id): \(fulfillment.lines.count) lines, \(units) units, \(fulfillment.shipmentIDs.count) shipments",
                    ref: fulfillment.id,
                    status: fulfillment.status.rawValue
                )
            )
        }
        for shipment in try await store.shipments(orderID: order.id) {
            let tracking = shipment.packages.map(\.trackingNumber).joined(separator: ", ")
            steps.append(
                Step(
                    time: shipment.shippedAt,
                    system: "carrier:\(shipment.carrier)",
                    kind: "shipment",
                    summary: "shipment \(shipment.id) from \(shipment.warehouseID): \(shipment.packages.count) packages, tracking \(tracking)",
                    ref: shipment.id,
                    status: order.shipments[shipment.id]?.rawValue
                )
            )
        }
        for invoice in try await store.invoices(orderID: order.id) {
            steps.append(
                Step(
                    time: invoice.issuedAt,
                    system: "billing",
                    kind: "invoice",
                    summary: "invoice \(invoice.number) for shipment \(invoice.shipmentID): \(TraceSummaries.amount(invoice.total))",
                    ref: invoice.id,
                    status: invoice.status.rawValue
                )
            )
        }
        for memo in try await store.creditMemos(orderID: order.id) {
            steps.append(
                Step(
                    time: memo.issuedAt,
                    system: "billing",
                    kind: "credit_memo",
                    summary: "credit memo \(memo.number) (\(memo.reason.rawValue)): \(TraceSummaries.amount(memo.total))",
                    ref: memo.id
                )
            )
        }
        for rma in try await store.returns(orderID: order.id) {
            let units = rma.lines.reduce(0) { $0 + $1.quantityAuthorized }
            steps.append(
                Step(
                    time: rma.authorizedAt,
                    system: "warehouse:\(rma.warehouseID)",
                    kind: "return",
                    summary: "return \(rma.number): \(units) units authorized",
                    ref: rma.id,
                    status: rma.status.rawValue
                )
            )
        }
        for exception in try await store.operationsExceptions(status: nil, orderID: order.id, limit: 1000) {
            steps.append(TraceSummaries.step(for: exception))
            if let resolved = exception.resolvedAt {
                var step = TraceSummaries.step(for: exception)
                step.time = resolved
                step.kind = "exception_resolved"
                step.summary =
                    "\(exception.kind.rawValue) resolved: \(exception.resolution?.rawValue ?? "")\(exception.note.map { " (\($0))" } ?? "")"
                steps.append(step)
            }
        }
        for reference in try await store.externalReferences(orderID: order.id) {
            steps.append(
                Step(
                    time: reference.recordedAt,
                    system: reference.partner,
                    kind: "external_reference",
                    summary: "\(reference.partner) \(reference.documentType) \(reference.number)",
                    ref: reference.number
                )
            )
        }
        for document in documents {
            steps += TraceSummaries.steps(for: document)
        }
        for detail in deliveries {
            let subscription = subscriptions[detail.delivery.subscriptionID]
            var step = TraceSummaries.step(for: detail, url: subscription?.url, eventTime: eventTimes[detail.delivery.eventID] ?? order.receivedAt)
            // A delivery attempt continues the trace of the request that appended its event.
            step.traceId = TraceSummaries.traceID(eventTraces[detail.delivery.eventID] ?? nil)
            steps.append(step)
        }
        // Time order; at the same instant, what came in (the channel's message, the caller's request) before what the
        // hub made of it.
        let cause = { (step: Step) in step.kind == "inbound_message" || step.kind == "api_request" ? 0 : 1 }
        let ordered = steps.enumerated().sorted {
            ($0.element.time, cause($0.element), $0.offset) < ($1.element.time, cause($1.element), $1.offset)
        }.map(\.element)
        var trace = OrderTrace(
            orderId: order.id,
            status: order.status,
            channel: order.channel,
            externalId: order.externalID,
            customerId: order.customerID,
            customerName: try await store.customer(order.customerID)?.name,
            customerPo: order.customerPO,
            steps: ordered,
            inboundMessages: inbound,
            traceId: ordered.first { $0.kind == EventType.orderReceived.name }?.traceId ?? ordered.first { $0.traceId != nil }?.traceId,
            truncated: events.count == maxEvents || deliveries.count == maxEvents
        )
        trace.legalEntityId = order.legalEntityID
        return trace
    }
}

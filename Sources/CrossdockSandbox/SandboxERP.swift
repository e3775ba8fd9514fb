import CrossdockDomain
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A simulated ERP, the system of record for sales orders and invoices: it takes the hub's orders and invoices in
/// its own JSON (rendered by the bundled `sandbox-erp-sales-order` and `sandbox-erp-invoice` mappings) and answers
/// each with its own document number, which the hub records against the order.
public final class SandboxERP: Service, Sendable {
    /// What the ERP has booked.
    public struct Counters: Sendable {
        /// Sales orders booked.
        public var salesOrders = 0
        /// Invoices booked.
        public var invoices = 0
        /// Payloads it could not read (answered 400).
        public var unreadable = 0
    }

    private let endpoint: WebhookEndpoint
    private let state = Mutex<(counters: Counters, next: Int, numbers: [String: String])>((Counters(), 100_000, [:]))

    /// Creates an ERP listening on `port` (0 picks one) that refuses `failureRate` of deliveries with 503.
    public init(port: Int = 0, failureRate: Double = 0, logger: Logger = Logger(label: "crossdock.sandbox.erp")) {
        endpoint = WebhookEndpoint(port: port, failureRate: failureRate, serverName: "sandbox-erp", logger: logger)
    }

    /// What it booked so far.
    public var counters: Counters { state.withLock { $0.counters } }

    /// Subscribes its sales-order and invoice endpoints through `hub`; returns their URLs.
    public func subscribe(through hub: HubClient) async throws -> [String] {
        [
            try await endpoint.subscribe(
                through: hub,
                eventTypes: [EventType.orderAccepted.name],
                path: "/sales-orders",
                mapping: "sandbox-erp-sales-order"
            ),
            try await endpoint.subscribe(through: hub, eventTypes: [EventType.invoicePosted.name], path: "/invoices", mapping: "sandbox-erp-invoice"),
        ]
    }

    public func run() async throws {
        try await endpoint.runRaw { path, body in self.book(path: path, body: body) }
    }

    /// Books one document and answers `{"documentNumber", "documentType"}`; the same hub document (by its
    /// `externalRef`, else the whole body) gets the same number again.
    func book(path: String, body: [UInt8]) -> WebhookEndpoint.Reply {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            state.withLock { $0.counters.unreadable += 1 }
            return .init(status: 400, body: Array(#"{"error":"not a JSON object"}"#.utf8))
        }
        let isInvoice = path.hasPrefix("/invoices")
        let key = (object["externalRef"] as? String).map { "\(path):\($0)" } ?? "\(path):\(body.hashValue)"
        let number = state.withLock { state -> String in
            if let known = state.numbers[key] { return known }
            state.next += 1
            let number = (isInvoice ? "ERP-INV-" : "ERP-SO-") + String(state.next)
            state.numbers[key] = number
            if isInvoice { state.counters.invoices += 1 } else { state.counters.salesOrders += 1 }
            return number
        }
        let reply = #"{"documentNumber":"\#(number)","documentType":"\#(isInvoice ? "invoice" : "sales_order")"}"#
        return .init(status: 201, body: Array(reply.utf8))
    }
}

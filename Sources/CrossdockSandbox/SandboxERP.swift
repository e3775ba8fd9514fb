import CrossdockDomain
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A simulated ERP instance, the system of record for sales orders, invoices and credit memos: it takes the hub's
/// documents in its own JSON (rendered by the bundled `sandbox-erp-sales-order`, `sandbox-erp-invoice` and
/// `sandbox-erp-credit-memo` mappings) and answers each with its own document number, which the hub records against
/// the order. An instance may serve one legal entity: it then subscribes to that entity's documents only, and counts
/// any document of another entity that reaches it.
public final class SandboxERP: Service, Sendable {
    /// What the ERP has booked.
    public struct Counters: Sendable {
        /// Sales orders booked.
        public var salesOrders = 0
        /// Invoices booked.
        public var invoices = 0
        /// Credit memos booked.
        public var creditMemos = 0
        /// Payloads it could not read (answered 400).
        public var unreadable = 0
        /// Documents booked, by the legal entity they name (`""` for none).
        public var byEntity: [String: Int] = [:]
        /// Hub orders it booked a sales order for.
        public var orders: Set<String> = []
    }

    /// The legal entity it serves, if any.
    public let entity: String?
    private let endpoint: WebhookEndpoint
    private let state = Mutex<(counters: Counters, next: Int, numbers: [String: String])>((Counters(), 100_000, [:]))

    /// Creates an ERP listening on `port` (0 picks one) that refuses `failureRate` of deliveries with 503.
    /// - Parameter entity: the legal entity the instance serves (its subscriptions filter on it), or nil for all.
    public init(port: Int = 0, failureRate: Double = 0, entity: String? = nil, logger: Logger = Logger(label: "crossdock.sandbox.erp")) {
        self.entity = entity
        endpoint = WebhookEndpoint(port: port, failureRate: failureRate, serverName: "sandbox-erp", logger: logger)
    }

    /// What it booked so far.
    public var counters: Counters { state.withLock { $0.counters } }

    /// Subscribes its sales-order, invoice and credit-memo endpoints through `hub` (only its entity's documents when
    /// it serves one); returns their URLs.
    public func subscribe(through hub: HubClient) async throws -> [String] {
        let attributes = entity.map { ["entity": $0] } ?? [:]
        let documents: [(EventType, String, String)] = [
            (.orderAccepted, "/sales-orders", "sandbox-erp-sales-order"),
            (.invoicePosted, "/invoices", "sandbox-erp-invoice"),
            (.creditMemoIssued, "/credit-memos", "sandbox-erp-credit-memo"),
        ]
        var urls: [String] = []
        for (type, path, mapping) in documents {
            urls.append(try await endpoint.subscribe(through: hub, eventTypes: [type.name], path: path, mapping: mapping, attributes: attributes))
        }
        return urls
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
        let (prefix, type): (String, String) =
            path.hasPrefix("/invoices")
            ? ("ERP-INV-", "invoice") : path.hasPrefix("/credit-memos") ? ("ERP-CM-", "credit_memo") : ("ERP-SO-", "sales_order")
        let key = (object["externalRef"] as? String).map { "\(path):\($0)" } ?? "\(path):\(body.hashValue)"
        let entity = object["legalEntity"] as? String ?? ""
        let number = state.withLock { state -> String in
            if let known = state.numbers[key] { return known }
            state.next += 1
            let number = prefix + String(state.next)
            state.numbers[key] = number
            switch type {
            case "invoice": state.counters.invoices += 1
            case "credit_memo": state.counters.creditMemos += 1
            default:
                state.counters.salesOrders += 1
                if let order = object["externalRef"] as? String { state.counters.orders.insert(order) }
            }
            state.counters.byEntity[entity, default: 0] += 1
            return number
        }
        let reply = #"{"documentNumber":"\#(number)","documentType":"\#(type)"}"#
        return .init(status: 201, body: Array(reply.utf8))
    }
}

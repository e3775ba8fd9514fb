import CrossdockDomain
import CrossdockStore
import Foundation

/// Search by any business key (`GET /v1/search`, the console's search): an order id, a channel's order id or PO
/// number, a customer id, a SKU, a tracking number, an invoice, credit-memo or return number, a partner's number for
/// an order (ERP documents), an X12 interchange or group control number or document reference. Exact matches only
/// (keys are identifiers, not prose), each record once, best kinds first.
public struct KeySearch: Sendable {
    /// One record the key names.
    public struct Hit: Encodable, Sendable, Hashable {
        /// `order`, `customer`, `product`, `fulfillment`, `shipment`, `invoice`, `credit_memo`, `return`, `edi_document`.
        public var kind: String
        public var id: String
        /// The order it belongs to, when it belongs to one (the trace to open).
        public var orderId: String?
        /// One line for people: what it is and which key matched.
        public var label: String
        /// Which key matched (``SearchMatch/Field``).
        public var matched: String
    }

    /// The most hits one search answers.
    public static let maxHits = 100

    let store: any Store

    /// Creates a search over `store`.
    public init(store: any Store) { self.store = store }

    /// What `key` names; with `partner`, only what belongs to that partner (its orders and their records, its X12
    /// documents), never master data.
    public func run(_ key: String, partner: String?, limit: Int = KeySearch.maxHits) async throws -> [Hit] {
        var seen = Set<String>()
        var hits: [Hit] = []
        for match in try await store.search(key, partner: partner, limit: limit) {
            guard seen.insert("\(match.kind.rawValue) \(match.id)").inserted else { continue }
            hits.append(
                Hit(
                    kind: match.kind.rawValue,
                    id: match.id,
                    orderId: match.orderID,
                    label: Self.label(match, key: key),
                    matched: match.field.rawValue
                )
            )
        }
        return hits
    }

    /// `Order O-1 (shipped): PO number 4711`.
    static func label(_ match: SearchMatch, key: String) -> String {
        let what: String =
            switch match.kind {
            case .order: "Order \(match.id)\(match.detail.map { " (\($0))" } ?? "")"
            case .customer: "Customer \(match.id)"
            case .product: "Product \(match.id)"
            case .fulfillment: "Fulfilment order \(match.id)\(match.detail.map { " (\($0))" } ?? "")"
            case .shipment: "Shipment \(match.id)"
            case .invoice: "Invoice \(match.detail ?? match.id)"
            case .creditMemo: "Credit memo \(match.detail ?? match.id)"
            case .return: "Return \(match.detail ?? match.id)"
            case .ediDocument: "X12 \(match.detail ?? match.id)"
            }
        let field: String =
            switch match.field {
            case .id: "id"
            case .externalID: "channel order id"
            case .customerPO: "PO number"
            case .customerID: "customer"
            case .sku: "SKU"
            case .trackingNumber: "tracking number"
            case .number: "number"
            case .externalReference: "partner number"
            case .interchangeControl: "interchange control number"
            case .groupControl: "group control number"
            case .documentReference: "document reference"
            }
        let owner = match.orderID.map { match.kind == .order ? "" : ", order \($0)" } ?? ""
        return "\(what): \(field) \(key)\(owner)"
    }
}

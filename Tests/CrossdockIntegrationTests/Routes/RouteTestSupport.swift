import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}

extension JSONValue {
    /// The element `index`, if this is an array that long.
    subscript(index: Int) -> JSONValue? {
        guard let elements = arrayValue, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The boolean, if this is one.
    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}

/// Checks `response` is an RFC 9457 problem with `status` and `code` and, when given, exactly the offending
/// `fields` (in any order); returns the document.
@discardableResult
func expectProblem(
    _ response: TestResponse,
    _ status: HTTPResponse.Status,
    code: String,
    fields: [String]? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> JSONValue {
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
    let document = try response.json()
    #expect(document["status"]?.intValue == status.code, sourceLocation: sourceLocation)
    #expect(document["code"]?.stringValue == code, "\(response.text)", sourceLocation: sourceLocation)
    #expect(
        document["type"]?.stringValue == "https://crossdock.dev/problems/\(code.replacingOccurrences(of: "_", with: "-"))",
        sourceLocation: sourceLocation
    )
    #expect(document["title"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
    #expect(
        ProblemCatalogue.documented.contains(code),
        "problem code \(code) is not documented in openapi.yaml x-problem-types",
        sourceLocation: sourceLocation
    )
    if let fields {
        #expect(Set(problemFields(document)) == Set(fields), "\(response.text)", sourceLocation: sourceLocation)
    }
    return document
}

/// The `errors[].field` values of a problem document.
func problemFields(_ document: JSONValue) -> [String] {
    (document["errors"]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue }
}

extension TestClientProtocol {
    /// POSTs an order, with an `Idempotency-Key` when given.
    func postOrder(_ json: String, key: String, idempotencyKey: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let idempotencyKey { headers[.idempotencyKey] = idempotencyKey }
        return try await send(.post, "/v1/orders", key: key, json: json, headers: headers)
    }

    /// POSTs an order that must be created (201) and returns it.
    func createOrder(_ json: String, key: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> SalesOrder {
        let response = try await postOrder(json, key: key)
        try #require(response.status == .created, "\(response.text)", sourceLocation: sourceLocation)
        return try response.decode(SalesOrder.self)
    }

    /// GETs `uri` (must answer 200) and decodes the body as `T`.
    func get<T: Decodable>(_ type: T.Type, _ uri: String, key: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> T {
        let response = try await send(.get, uri, key: key)
        try #require(response.status == .ok, "\(uri): \(response.text)", sourceLocation: sourceLocation)
        return try response.decode(type)
    }

    /// Posts a warehouse report about a fulfilment order.
    func feedback(_ fulfillmentID: String, _ json: String, key: String) async throws -> TestResponse {
        try await send(.post, "/v1/fulfillments/\(fulfillmentID)/events", key: key, json: json)
    }

    /// The availability of `sku`.
    func availability(_ sku: String, key: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> AvailabilityDocument {
        try await get(AvailabilityDocument.self, "/v1/inventory/availability?sku=\(sku)", key: key, sourceLocation: sourceLocation)
    }
}

/// `GET /v1/inventory/availability` as clients see it.
struct AvailabilityDocument: Decodable, Equatable {
    struct Row: Decodable, Equatable {
        var warehouseId: String
        var onHand: Int
        var reserved: Int
        var safetyStock: Int
        var availableToPromise: Int
    }

    var sku: String
    var availableToPromise: Int
    var warehouses: [Row]

    func row(_ warehouseID: String) -> Row? { warehouses.first { $0.warehouseId == warehouseID } }
}

/// `GET /v1/orders` as clients see it.
struct OrderPage: Decodable {
    var orders: [SalesOrder]
    var nextCursor: Int64?
}

/// `GET /v1/events` as clients see it.
struct EventPage: Decodable {
    var events: [CloudEvent]
    var nextAfter: Int64
}

/// A customer body for `PUT /v1/customers/{id}`; `extra` is spliced in before the closing brace.
func customerJSON(
    name: String = "Blocked Buyer Inc",
    status: String = "active",
    creditLimit: Int64 = 10_000_000,
    shipTo: Bool = true,
    extra: String = ""
) -> String {
    let address = #"{"name":"Dock","lines":["1 Pier Rd"],"city":"Newark","region":"US-NY","postalCode":"07101","country":"US"}"#
    let shipTos = shipTo ? #"[{"code":"ST-1","address":\#(address)}]"# : "[]"
    return
        #"{"name":"\#(name)","status":"\#(status)","creditLimit":{"minorUnits":\#(creditLimit),"currency":"USD"},"billTo":\#(address),"shipTo":\#(shipTos),"priceListId":"PL-STD"\#(extra)}"#
}

/// An order body with arbitrary `lines` JSON for the default catalog.
func orderJSON(externalID: String, customer: String = "CUST-001", lines: String) -> String {
    #"{"channel":"api","externalId":"\#(externalID)","customerId":"\#(customer)","currency":"USD","lines":\#(lines)}"#
}

/// A `shipped` report of `quantity` units of line 1 in one package.
func shippedJSON(quantity: Int, tracking: String = "1Z999AA10123456784") -> String {
    #"{"type":"shipped","carrier":"UPS","service":"GROUND","packages":[{"trackingNumber":"\#(tracking)","weightGrams":1200,"contents":[{"lineNo":1,"quantity":\#(quantity)}]}]}"#
}

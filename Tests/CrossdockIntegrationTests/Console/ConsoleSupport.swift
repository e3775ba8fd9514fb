import CrossdockDomain
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// An order of 2 × SKU-0010 for `customer` with PO `po`, released, picked and shipped in one package with `tracking`
/// (which posts its invoice).
struct ShippedOrder {
    var order: SalesOrder
    var fulfillment: FulfillmentOrder
    var shipment: Shipment
    var invoice: Invoice

    static func make(
        _ client: any TestClientProtocol,
        key: String,
        externalID: String,
        po: String,
        tracking: String,
        customer: String = "CUST-001",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ShippedOrder {
        let order = try await client.createOrder(
            orderJSON(externalID: externalID, customer: customer, extra: #","customerPo":"\#(po.replacingOccurrences(of: "\"", with: "\\\""))""#),
            key: key,
            sourceLocation: sourceLocation
        )
        try #require(order.status == .released, sourceLocation: sourceLocation)
        let fulfillment = try #require(
            try await client.get([FulfillmentOrder].self, "/v1/orders/\(order.id)/fulfillments", key: key).first,
            sourceLocation: sourceLocation
        )
        let picked = try await client.feedback(fulfillment.id, #"{"type":"picked","lines":[{"lineNo":1,"quantity":2}]}"#, key: key)
        try #require(picked.status == .ok, "\(picked.text)", sourceLocation: sourceLocation)
        let shipped = try await client.feedback(fulfillment.id, shippedJSON(quantity: 2, tracking: tracking), key: key)
        try #require(shipped.status == .ok, "\(shipped.text)", sourceLocation: sourceLocation)
        let shipment = try #require(
            try await client.get([Shipment].self, "/v1/orders/\(order.id)/shipments", key: key).first,
            sourceLocation: sourceLocation
        )
        let invoices = try await client.get(InvoiceList.self, "/v1/invoices?order=\(order.id)", key: key, sourceLocation: sourceLocation).items
        let invoice = try #require(invoices.first, "shipping posts the invoice", sourceLocation: sourceLocation)
        return ShippedOrder(order: order, fulfillment: fulfillment, shipment: shipment, invoice: invoice)
    }
}

/// `GET /v1/invoices` as clients see it.
struct InvoiceList: Decodable {
    var items: [Invoice]
}

/// `GET /v1/orders/{id}/trace` as clients see it.
struct TraceDocument: Decodable {
    struct Step: Decodable {
        var time: Date
        var system: String
        var kind: String
        var summary: String
        var ref: String?
        var status: String?
        var attempts: [DeliveryAttempt]?
    }

    var orderId: String
    var status: String
    var customerPo: String?
    var steps: [Step]
    var truncated: Bool
}

/// One hit of `GET /v1/search`.
struct SearchHitDocument: Decodable, Equatable {
    var kind: String
    var id: String
    var orderId: String?
    var label: String
    var matched: String
}

/// `GET /v1/search` as clients see it.
struct SearchDocument: Decodable {
    var items: [SearchHitDocument]
}

extension TestClientProtocol {
    /// The hits of `GET /v1/search?q=` (must answer 200).
    func search(_ query: String, key: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [SearchHitDocument] {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        return try await get(SearchDocument.self, "/v1/search?q=\(encoded)", key: key, sourceLocation: sourceLocation).items
    }

    /// Signs in to the console with `key` and returns the `Cookie` header value of the session.
    func consoleSession(key: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let answer = try await execute(
            uri: "/console/sign-in",
            method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "key=\(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key)")
        )
        try #require(answer.status == .seeOther, "\(String(buffer: answer.body))", sourceLocation: sourceLocation)
        let cookie = try #require(answer.headers[.setCookie], sourceLocation: sourceLocation)
        return String(cookie.prefix { $0 != ";" })
    }

    /// GETs a console page with the session `cookie`.
    func consolePage(_ uri: String, cookie: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: [.cookie: cookie], body: nil)
    }
}

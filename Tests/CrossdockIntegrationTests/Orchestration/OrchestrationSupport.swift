import CrossdockDomain
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// A list answer (`{"items":[…]}`).
struct ItemsDocument<Item: Decodable>: Decodable {
    var items: [Item]
}

extension TestClientProtocol {
    /// POSTs JSON and requires `status`; returns the response.
    @discardableResult
    func post(
        _ uri: String,
        _ json: String,
        key: String,
        expect status: HTTPResponse.Status = .ok,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        let response = try await send(.post, uri, key: key, json: json)
        try #require(response.status == status, "\(uri): \(response.text)", sourceLocation: sourceLocation)
        return response
    }

    /// The order's fulfilment orders.
    func fulfillments(of orderID: String, key: String) async throws -> [FulfillmentOrder] {
        try await get([FulfillmentOrder].self, "/v1/orders/\(orderID)/fulfillments", key: key)
    }

    /// The order.
    func order(_ id: String, key: String) async throws -> SalesOrder {
        try await get(SalesOrder.self, "/v1/orders/\(id)", key: key)
    }

    /// Ships `quantity` of line 1 of `fulfillment` and returns the shipment.
    func ship(_ fulfillment: FulfillmentOrder, quantity: Int, tracking: String, key: String) async throws -> Shipment {
        try await post("/v1/fulfillments/\(fulfillment.id)/events", shippedJSON(quantity: quantity, tracking: tracking), key: key)
        let shipments = try await get([Shipment].self, "/v1/orders/\(fulfillment.orderID)/shipments", key: key)
        return try #require(shipments.last { $0.fulfillmentOrderID == fulfillment.id })
    }

    /// Posts a carrier milestone.
    @discardableResult
    func track(
        _ shipment: Shipment,
        _ status: String,
        at offset: TimeInterval,
        extra: String = "",
        key: String,
        expect: HTTPResponse.Status = .ok
    ) async throws -> TestResponse {
        let time = JSONCoding.format(shipment.shippedAt.addingTimeInterval(offset))
        let tracking = shipment.packages[0].trackingNumber
        return try await post(
            "/v1/shipments/\(shipment.id)/tracking",
            #"{"trackingNumber":"\#(tracking)","status":"\#(status)","occurredAt":"\#(time)"\#(extra)}"#,
            key: key,
            expect: expect
        )
    }
}

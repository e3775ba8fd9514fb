import CrossdockDomain
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct CancellationAndHoldTests {
    @Test func cancellingOpenUnitsIsImmediateAndReleasedUnitsWaitForTheWarehouse() async throws {
        try await withHub(testing: .live) { client, _, key in
            // 10 × a scarce SKU (5 in stock): 5 released across two warehouses, 5 backordered.
            let order = try await client.createOrder(orderJSON(externalID: "CX-1", sku: "SKU-0003", quantity: 10), key: key)
            #expect(order.lines[0].released == 5 && order.lines[0].backordered == 5)
            let before = try await client.get(CreditStanding.self, "/v1/customers/CUST-001/standing", key: key)

            let cancelled = try await client.post(
                "/v1/orders/\(order.id)/cancel",
                #"{"lines":[{"lineNo":1,"quantity":6}],"reason":"customer"}"#,
                key: key
            )
            .decode(SalesOrder.self)
            #expect(cancelled.lines[0].cancelled == 5)
            #expect(cancelled.lines[0].open == 0 && cancelled.lines[0].backordered == 0)
            #expect(cancelled.lines[0].cancelRequested == 1)
            let requested = try await client.fulfillments(of: order.id, key: key).filter { $0.status == .cancellationRequested }
            try #require(requested.count == 1)

            let reserved = try #require(try await client.availability("SKU-0003", key: key).row(requested[0].warehouseID)).reserved
            try await client.post("/v1/fulfillments/\(requested[0].id)/events", #"{"type":"cancel_accepted"}"#, key: key)
            let after = try await client.order(order.id, key: key)
            #expect(after.lines[0].cancelled == 6 && after.lines[0].released == 4 && after.lines[0].cancelRequested == 0)
            #expect(try #require(try await client.availability("SKU-0003", key: key).row(requested[0].warehouseID)).reserved == reserved - 1)
            let standing = try await client.get(CreditStanding.self, "/v1/customers/CUST-001/standing", key: key)
            #expect(standing.openOrders.minorUnits < before.openOrders.minorUnits)
            #expect(standing.openOrders.minorUnits == before.openOrders.minorUnits - (order.openValue.minorUnits - after.openValue.minorUnits))
        }
    }

    @Test func aRefusedCancellationRaisesAnExceptionAndTheGoodsShip() async throws {
        try await withHub(testing: .live) { client, _, key in
            let order = try await client.createOrder(orderJSON(externalID: "CX-2"), key: key)
            try await client.post("/v1/orders/\(order.id)/cancel", #"{"reason":"changed mind"}"#, key: key)
            let fulfillment = try #require(try await client.fulfillments(of: order.id, key: key).first)
            #expect(fulfillment.status == .cancellationRequested)
            try await client.post(
                "/v1/fulfillments/\(fulfillment.id)/events",
                #"{"type":"cancel_refused","reason":"already on the truck"}"#,
                key: key
            )
            let exceptions = try await client.get(ItemsDocument<OperationsException>.self, "/v1/exceptions?status=open", key: key).items
            #expect(exceptions.map(\.kind) == [.cancelRefused])
            #expect(exceptions.first?.detail == "already on the truck")
            #expect(try await client.order(order.id, key: key).status == .released)
            _ = try await client.ship(fulfillment, quantity: 2, tracking: "1ZREFUSED1", key: key)
            #expect(try await client.order(order.id, key: key).status == .shipped)
            try await client.post("/v1/exceptions/\(exceptions[0].id)/resolve", #"{"resolution":"credit"}"#, key: key, expect: .unprocessableContent)
            try await client.post("/v1/exceptions/\(exceptions[0].id)/resolve", #"{"resolution":"acknowledge","note":"customer told"}"#, key: key)
            #expect(try await client.get(ItemsDocument<OperationsException>.self, "/v1/exceptions?status=open", key: key).items.isEmpty)
        }
    }

    @Test func illegalTransitionsNameTheStateAndTheActionAndChangeNothing() async throws {
        try await withHub(testing: .live) { client, database, key in
            let order = try await client.createOrder(orderJSON(externalID: "CX-3", sku: "SKU-0004", quantity: 20), key: key)
            try await client.post("/v1/orders/\(order.id)/cancel", "{}", key: key)
            let fulfillments = try await client.fulfillments(of: order.id, key: key)
            for fulfillment in fulfillments {
                try await client.post("/v1/fulfillments/\(fulfillment.id)/events", #"{"type":"cancel_accepted"}"#, key: key)
            }
            let cancelled = try await client.order(order.id, key: key)
            #expect(cancelled.status == .cancelled)
            let events = try await database.store.lastSequence()
            let refused = try await client.post("/v1/orders/\(order.id)/cancel", "{}", key: key, expect: .conflict).json()
            #expect(refused["code"]?.stringValue == "illegal_transition")
            #expect(refused["currentStatus"]?.stringValue == "cancelled")
            #expect(refused["action"]?.stringValue == "cancel")
            let hold = try await client.post("/v1/orders/\(order.id)/release-hold", "{}", key: key, expect: .conflict).json()
            #expect(hold["detail"]?.stringValue?.contains("order is cancelled; 'release_hold' is not allowed") == true)
            #expect(try await database.store.lastSequence() == events)
            #expect(try await client.order(order.id, key: key) == cancelled)
        }
    }

    @Test func releasingAHoldRevalidatesCreditThenAllocates() async throws {
        try await withHub(testing: .live) { client, _, key in
            // CUST-007: limit 2 500.00, open balance 1 000.00.
            let held = try await client.createOrder(orderJSON(externalID: "HD-1", customer: "CUST-007", sku: "SKU-0010", quantity: 120), key: key)
            #expect(held.status == .onHold)
            let refused = try await client.post("/v1/orders/\(held.id)/release-hold", "{}", key: key, expect: .conflict).json()
            #expect(refused["code"]?.stringValue == "credit_refused")
            #expect(try await client.order(held.id, key: key).status == .onHold)

            let customer = try await client.get(Customer.self, "/v1/customers/CUST-007", key: key)
            var raised = customer
            raised.creditLimit = Money(100_000_000, .usd)
            let body = String(decoding: try JSONCoding.encode(raised), as: UTF8.self)
            let put = try await client.send(.put, "/v1/customers/CUST-007", key: key, json: body)
            try #require(put.status == .ok, "\(put.text)")
            let released = try await client.post("/v1/orders/\(held.id)/release-hold", #"{"actor":"ar-clerk"}"#, key: key).decode(SalesOrder.self)
            #expect(released.status == .released)
            #expect(released.history.map(\.status).suffix(3) == [.accepted, .allocated, .released])
            let standing = try await client.get(CreditStanding.self, "/v1/customers/CUST-007/standing", key: key)
            #expect(standing.openOrders == released.openValue)
        }
    }
}

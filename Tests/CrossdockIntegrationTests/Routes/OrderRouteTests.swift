import CrossdockDomain
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct OrderRouteTests {
    @Test func aNormalOrderIsCreatedAndReleased() async throws {
        try await withHub { client, database, key in
            let before = try await database.store.rowCounts()
            let response = try await client.postOrder(orderJSON(externalID: "N-1"), key: key)
            #expect(response.status == .created)
            #expect(response.headers[.contentType] == "application/json")
            let order = try response.decode(SalesOrder.self)
            #expect(response.headers[.location] == "/v1/orders/\(order.id)")
            #expect(try response.json()["status"]?.stringValue == "released")
            #expect(order.status == .released)
            #expect(order.reasons.isEmpty)
            #expect(order.customerID == "CUST-001")
            #expect(order.externalID == "N-1")
            #expect(order.history.map(\.status) == [.received, .validated, .accepted, .allocated, .released])
            let line = try #require(order.lines.first)
            #expect(line.sku == "SKU-0010" && line.quantity == 2 && line.released == 2 && line.backordered == 0)
            #expect(line.unitPrice == Money(1732, .usd))  // PL-STD: 499 + 9 × 137
            #expect(order.subtotal == Money(3464, .usd))
            #expect(order.total == order.subtotal + order.tax)
            #expect(order.tax.minorUnits > 0)
            #expect(order.fulfillmentOrderIDs.count == 1)

            let after = try await database.store.rowCounts()
            #expect(after["orders"] == before["orders"]! + 1)
            #expect(after["fulfillment_orders"] == before["fulfillment_orders"]! + 1)
            #expect(after["balances.reserved"] == before["balances.reserved"]! + 2)
            #expect(after["customers.open_orders"] == before["customers.open_orders"]! + Int(order.total.minorUnits))

            let fetched = try await client.send(.get, "/v1/orders/\(order.id)", key: key)
            #expect(fetched.status == .ok)
            #expect(try fetched.decode(SalesOrder.self) == order)
            #expect(fetched.text == response.text)
        }
    }

    @Test func unknownOrderIs404() async throws {
        try await withHub { client, _, key in
            for path in [
                "/v1/orders/nope", "/v1/orders/nope/shipments", "/v1/orders/nope/fulfillments", "/v1/fulfillments/nope", "/v1/shipments/nope",
            ] {
                let problem = try expectProblem(try await client.send(.get, path, key: key), .notFound, code: "not_found")
                #expect(problem["instance"]?.stringValue == path)
            }
        }
    }

    @Test func listFiltersByStatusAndPages() async throws {
        try await withHub { client, _, key in
            var released: [String] = []
            for index in 1...5 {
                released.append(try await client.createOrder(orderJSON(externalID: "L-\(index)", quantity: 1), key: key).id)
            }
            let held = try await client.createOrder(orderJSON(externalID: "L-H", customer: "CUST-013", quantity: 1), key: key)
            #expect(held.status == .onHold)

            let all = try await client.get(OrderPage.self, "/v1/orders", key: key)
            #expect(all.orders.map(\.id) == [held.id] + released.reversed())  // newest first
            #expect(all.nextCursor == nil)

            let onHold = try await client.get(OrderPage.self, "/v1/orders?status=on_hold", key: key)
            #expect(onHold.orders.map(\.id) == [held.id])
            let byCustomer = try await client.get(OrderPage.self, "/v1/orders?customerId=CUST-013", key: key)
            #expect(byCustomer.orders.map(\.id) == [held.id])
            #expect(try await client.get(OrderPage.self, "/v1/orders?status=shipped", key: key).orders.isEmpty)

            // Pages of 2 over the released orders: 2 + 2 + 1, no overlap, no gap.
            var seen: [String] = []
            var uri = "/v1/orders?status=released&limit=2"
            var pages = 0
            while true {
                let page = try await client.get(OrderPage.self, uri, key: key)
                pages += 1
                #expect(page.orders.count <= 2)
                #expect(page.orders.allSatisfy { $0.status == .released })
                seen += page.orders.map(\.id)
                guard let cursor = page.nextCursor else { break }
                uri = "/v1/orders?status=released&limit=2&cursor=\(cursor)"
                try #require(pages < 10)
            }
            #expect(seen == released.reversed())
            #expect(pages == 3)
        }
    }

    @Test(arguments: ["status=bogus", "limit=0", "limit=501", "limit=x", "cursor=-1", "cursor=abc"])
    func badListQueriesAre400(query: String) async throws {
        try await withHub(catalog: nil) { client, _, key in
            let field = String(query.prefix { $0 != "=" })
            try expectProblem(try await client.send(.get, "/v1/orders?\(query)", key: key), .badRequest, code: "invalid_query", fields: [field])
        }
    }

    @Test func blockedCustomerIsRejected() async throws {
        try await withHub { client, database, key in
            let put = try await client.send(.put, "/v1/customers/CUST-099", key: key, json: customerJSON(status: "blocked"))
            #expect(put.status == .ok)
            let before = try await database.store.rowCounts()
            let response = try await client.postOrder(orderJSON(externalID: "B-1", customer: "CUST-099"), key: key)
            #expect(response.status == .created)
            let order = try response.decode(SalesOrder.self)
            #expect(order.status == .rejected)
            #expect(order.reasons.first?.code == "account_blocked")
            #expect(order.reasons.first?.lineNo == nil)
            #expect(order.lines.allSatisfy { $0.rejected == $0.quantity && $0.released == 0 })
            #expect(order.fulfillmentOrderIDs.isEmpty)
            let after = try await database.store.rowCounts()
            #expect(after["orders"] == before["orders"]! + 1)
            #expect(after["balances.reserved"] == before["balances.reserved"])
            #expect(after["customers.open_orders"] == before["customers.open_orders"])
            #expect(after["fulfillment_orders"] == before["fulfillment_orders"])
            let standing = try await client.get(CreditStanding.self, "/v1/customers/CUST-099/standing", key: key)
            #expect(standing.holds == ["account_blocked"])
            #expect(!standing.canOrder)
        }
    }

    @Test func customerOnCreditHoldIsHeld() async throws {
        try await withHub { client, database, key in
            let before = try await database.store.rowCounts()
            let order = try await client.createOrder(orderJSON(externalID: "H-1", customer: "CUST-013"), key: key)
            #expect(order.status == .onHold)
            #expect(order.reasons.map(\.code) == ["credit_hold"])
            #expect(order.reasons.first?.message.contains("invoices 60 days past due") == true)
            #expect(order.lines.allSatisfy { $0.open == $0.quantity && $0.released == 0 })
            let after = try await database.store.rowCounts()
            #expect(after["balances.reserved"] == before["balances.reserved"])
            #expect(after["customers.open_orders"] == before["customers.open_orders"])
        }
    }

    @Test func customerNearItsLimitIsHeldForAnOrderAboveItsAvailableCredit() async throws {
        try await withHub { client, _, key in
            let standing = try await client.get(CreditStanding.self, "/v1/customers/CUST-007/standing", key: key)
            #expect(standing.availableCredit == Money(150_000, .usd))
            // 100 × 1645 (the ≥ 50 tier of SKU-0010) = 164 500 before tax: over the 150 000 left.
            let order = try await client.createOrder(orderJSON(externalID: "CL-1", customer: "CUST-007", quantity: 100), key: key)
            #expect(order.status == .onHold)
            #expect(order.reasons.map(\.code) == ["credit_limit_exceeded"])
            #expect(order.total.minorUnits > standing.availableCredit.minorUnits)
            // A small order still fits.
            let small = try await client.createOrder(orderJSON(externalID: "CL-2", customer: "CUST-007", quantity: 1), key: key)
            #expect(small.status == .released)
        }
    }

    @Test(arguments: [(1800, true), (1700, true), (1749, false), (1715, false), (1732, false)])
    func channelPriceOutsideTheToleranceIsBookedAtTheHubPriceWithAnException(price: Int, outside: Bool) async throws {
        try await withHub { client, _, key in
            let lines = #"[{"lineNo":7,"sku":"SKU-0010","quantity":2,"unitPrice":\#(price)}]"#
            let order = try await client.createOrder(orderJSON(externalID: "P-\(price)", lines: lines), key: key)
            #expect(order.status == .released)
            #expect(order.lines[0].lineNo == 7)
            struct Items: Decodable { var items: [OperationsException] }
            let list = try await client.send(.get, "/v1/exceptions?status=open", key: key).decode(Items.self).items
            if outside {
                // The list price (1732) stands; operations sees both figures.
                #expect(order.lines[0].unitPrice == Money(1_732, .usd))
                let exception = try #require(list.first { $0.orderID == order.id })
                #expect(exception.kind == .priceMismatch && exception.lineNo == 7)
                #expect(exception.figures == [.init(name: "unitPrice", hub: Money(1_732, .usd), channel: Money(Int64(price), .usd))])
            } else {
                #expect(order.lines[0].unitPrice == Money(Int64(price), .usd))
                #expect(list.isEmpty)
            }
        }
    }

    @Test func scarceSKUBeyondStockIsPartlyBackordered() async throws {
        try await withHub { client, _, key in
            // SKU-0001: 3 in WH-EAST, 2 in WH-CENTRAL, 0 in WH-WEST.
            #expect(try await client.availability("SKU-0001", key: key).availableToPromise == 5)
            let order = try await client.createOrder(orderJSON(externalID: "S-1", sku: "SKU-0001", quantity: 8), key: key)
            let line = try #require(order.lines.first)
            #expect(line.released == 5)
            #expect(line.backordered == 3)
            #expect(line.open == 3)
            #expect(line.warehouseQuantities == ["WH-EAST": 3, "WH-CENTRAL": 2])
            #expect(order.reasons.map(\.code) == ["backordered"])
            #expect(order.reasons.first?.lineNo == 1)
            #expect(order.fulfillmentOrderIDs.count == 2)
            let fulfillments = try await client.get([FulfillmentOrder].self, "/v1/orders/\(order.id)/fulfillments", key: key)
            #expect(Set(fulfillments.map(\.warehouseID)) == ["WH-EAST", "WH-CENTRAL"])
            let availability = try await client.availability("SKU-0001", key: key)
            #expect(availability.availableToPromise == 0)
            #expect(availability.warehouses.reduce(0) { $0 + $1.reserved } == 5)

            // Nothing left: the next order is wholly backordered.
            let next = try await client.createOrder(orderJSON(externalID: "S-2", sku: "SKU-0001", quantity: 2), key: key)
            #expect(next.status == .backordered)
            #expect(next.lines[0].backordered == 2)
            #expect(next.fulfillmentOrderIDs.isEmpty)
        }
    }

    @Test func duplicateExternalIDWithoutAKeyIs409() async throws {
        try await withHub { client, database, key in
            let first = try await client.createOrder(orderJSON(externalID: "DUP-1"), key: key)
            let before = try await database.store.rowCounts()
            let again = try await client.postOrder(orderJSON(externalID: "DUP-1", quantity: 5), key: key)
            let problem = try expectProblem(again, .conflict, code: "duplicate_order", fields: ["externalId"])
            #expect(problem["existingOrderId"]?.stringValue == first.id)
            #expect(try await database.store.rowCounts() == before)
            // Another channel may reuse the id.
            let other = try await client.postOrder(
                orderJSON(externalID: "DUP-1").replacingOccurrences(of: #""channel":"api""#, with: #""channel":"edi""#),
                key: key
            )
            #expect(other.status == .created)
        }
    }
}

import CrossdockDomain
import CrossdockStore
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct FulfillmentRouteTests {
    /// A released order of `quantity` × SKU-0010 for CUST-001 with its only fulfilment order.
    func releasedOrder(
        _ client: any TestClientProtocol,
        key: String,
        externalID: String,
        quantity: Int = 2
    ) async throws -> (SalesOrder, FulfillmentOrder) {
        let order = try await client.createOrder(orderJSON(externalID: externalID, quantity: quantity), key: key)
        try #require(order.status == .released)
        let fulfillments = try await client.get([FulfillmentOrder].self, "/v1/orders/\(order.id)/fulfillments", key: key)
        try #require(fulfillments.count == 1)
        #expect(fulfillments.map(\.id) == order.fulfillmentOrderIDs)
        #expect(fulfillments[0].status == .released)
        #expect(fulfillments[0].orderID == order.id)
        #expect(fulfillments[0].lines.map(\.quantity) == [quantity])
        return (order, fulfillments[0])
    }

    @Test func pickedThenShippedClosesTheFulfillmentAndShipsTheOrder() async throws {
        try await withHub { client, _, key in
            let start = try await client.availability("SKU-0010", key: key)
            let (order, fulfillment) = try await releasedOrder(client, key: key, externalID: "F-1")
            let warehouse = fulfillment.warehouseID
            let reserved = try #require(try await client.availability("SKU-0010", key: key).row(warehouse))
            #expect(reserved.reserved == 2)

            let picked = try await client.feedback(fulfillment.id, #"{"type":"picked","lines":[{"lineNo":1,"quantity":2}]}"#, key: key)
            #expect(picked.status == .ok)
            let afterPick = try picked.decode(FulfillmentOrder.self)
            #expect(afterPick.status == .inProgress)
            #expect(afterPick.lines[0].picked == 2)
            #expect(try await client.get(SalesOrder.self, "/v1/orders/\(order.id)", key: key).status == .inFulfillment)

            let shipped = try await client.feedback(fulfillment.id, shippedJSON(quantity: 2, tracking: "1ZTRACK0001"), key: key)
            #expect(shipped.status == .ok)
            let closed = try shipped.decode(FulfillmentOrder.self)
            #expect(closed.status == .closed)
            #expect(closed.lines[0].shipped == 2)
            #expect(closed.shipmentIDs.count == 1)
            #expect(try await client.get(FulfillmentOrder.self, "/v1/fulfillments/\(fulfillment.id)", key: key) == closed)

            let final = try await client.get(SalesOrder.self, "/v1/orders/\(order.id)", key: key)
            #expect(final.status == .shipped)
            #expect(final.lines[0].shipped == 2 && final.lines[0].released == 0)
            #expect(final.history.map(\.status).suffix(3) == [.released, .inFulfillment, .shipped])

            let shipments = try await client.get([Shipment].self, "/v1/orders/\(order.id)/shipments", key: key)
            try #require(shipments.count == 1)
            #expect(shipments[0].id == closed.shipmentIDs[0])
            #expect(shipments[0].packages.map(\.trackingNumber) == ["1ZTRACK0001"])
            #expect(shipments[0].carrier == "UPS")
            #expect(shipments[0].warehouseID == warehouse)
            #expect(shipments[0].quantitiesByLine == [1: 2])
            #expect(try await client.get(Shipment.self, "/v1/shipments/\(shipments[0].id)", key: key) == shipments[0])

            let end = try #require(try await client.availability("SKU-0010", key: key).row(warehouse))
            let initial = try #require(start.row(warehouse))
            #expect(end.onHand == initial.onHand - 2)
            #expect(end.reserved == initial.reserved)
            #expect(end.reserved == reserved.reserved - 2)
        }
    }

    @Test func shippedEmitsEventsCorrelatedWithTheOrder() async throws {
        try await withHub { client, _, key in
            let (order, fulfillment) = try await releasedOrder(client, key: key, externalID: "F-EV")
            let mark = try await client.get(EventPage.self, "/v1/events?limit=1000", key: key).nextAfter
            #expect(try await client.feedback(fulfillment.id, shippedJSON(quantity: 2), key: key).status == .ok)
            let events = try await client.get(EventPage.self, "/v1/events?after=\(mark)&limit=1000", key: key).events
            #expect(events.map(\.shortType) == ["shipment.shipped", "invoice.posted", "fulfillment.closed", "order.status_changed"])
            #expect(events.allSatisfy { $0.correlationid == order.id })
            // One unit, so consecutive positions after the mark (dense across units on SQLite only).
            let positions = events.map { Int64($0.sequence)! }
            #expect(positions.first.map { $0 > mark } == true)
            #expect(positions == Array(positions[0]..<(positions[0] + 4)))
        }
    }

    @Test func shortPickedUnitsAreReallocatedAndLowerOnHand() async throws {
        try await withHub { client, _, key in
            let (order, fulfillment) = try await releasedOrder(client, key: key, externalID: "F-SP", quantity: 3)
            let before = try #require(try await client.availability("SKU-0010", key: key).row(fulfillment.warehouseID))
            let response = try await client.feedback(
                fulfillment.id,
                #"{"type":"short_picked","reason":"bin empty","lines":[{"lineNo":1,"quantity":1}]}"#,
                key: key
            )
            #expect(response.status == .ok)
            let short = try response.decode(FulfillmentOrder.self)
            #expect(short.status == .inProgress)
            #expect(short.lines[0].short == 1)

            let updated = try await client.get(SalesOrder.self, "/v1/orders/\(order.id)", key: key)
            let line = updated.lines[0]
            // The missing unit is re-allocated to another warehouse that has stock.
            #expect(line.released == 3)
            #expect(line.open == 0)
            #expect(line.backordered == 0)
            #expect(line.shortPicked == 1)
            #expect(line.isBalanced)
            #expect(updated.fulfillmentOrderIDs.count == 2)

            let after = try #require(try await client.availability("SKU-0010", key: key).row(fulfillment.warehouseID))
            #expect(after.onHand == before.onHand - 1)
            #expect(after.reserved == before.reserved - 1)

            // Shipping the rest leaves the fulfilment incomplete and the order partly shipped.
            let shipped = try await client.feedback(fulfillment.id, shippedJSON(quantity: 2), key: key)
            #expect(try shipped.decode(FulfillmentOrder.self).status == .incomplete)
            let final = try await client.get(SalesOrder.self, "/v1/orders/\(order.id)", key: key)
            #expect(final.status == .partiallyShipped)
            #expect(final.lines[0].shipped == 2 && final.lines[0].released == 1)
        }
    }

    @Test func shippedTwiceIsAConflictThatChangesNothing() async throws {
        try await withHub { client, database, key in
            let (order, fulfillment) = try await releasedOrder(client, key: key, externalID: "F-2X")
            #expect(try await client.feedback(fulfillment.id, shippedJSON(quantity: 2), key: key).status == .ok)
            let before = try await database.store.rowCounts()
            let orderBefore = try await client.send(.get, "/v1/orders/\(order.id)", key: key).text

            let again = try await client.feedback(fulfillment.id, shippedJSON(quantity: 2, tracking: "1ZSECOND"), key: key)
            let problem = try expectProblem(again, .conflict, code: "illegal_transition")
            #expect(problem["currentStatus"]?.stringValue == "closed")
            #expect(problem["action"]?.stringValue == "shipped")

            let picked = try await client.feedback(fulfillment.id, #"{"type":"picked","lines":[{"lineNo":1,"quantity":1}]}"#, key: key)
            let pickedProblem = try expectProblem(picked, .conflict, code: "illegal_transition")
            #expect(pickedProblem["action"]?.stringValue == "picked")

            #expect(try await database.store.rowCounts() == before)
            #expect(try await client.send(.get, "/v1/orders/\(order.id)", key: key).text == orderBefore)
            #expect(try await client.get([Shipment].self, "/v1/orders/\(order.id)/shipments", key: key).count == 1)
        }
    }

    @Test(arguments: [
        (#"{"type":"picked","lines":[{"lineNo":1,"quantity":3}]}"#, "lines"),
        (#"{"type":"picked","lines":[{"lineNo":9,"quantity":1}]}"#, "lines"),
        (#"{"type":"picked","lines":[{"lineNo":1,"quantity":0}]}"#, "lines[0].quantity"),
        (#"{"type":"short_picked","lines":[]}"#, "lines"),
        (#"{"type":"shipped","carrier":"UPS","packages":[]}"#, "packages"),
        (
            #"{"type":"shipped","carrier":"UPS","packages":[{"trackingNumber":"","contents":[{"lineNo":1,"quantity":1}]}]}"#,
            "packages[0].trackingNumber"
        ),
        (
            #"{"type":"shipped","carrier":"UPS","packages":[{"trackingNumber":"A","contents":[{"lineNo":1,"quantity":2}]},{"trackingNumber":"B","contents":[{"lineNo":1,"quantity":1}]}]}"#,
            "packages.contents"
        ),
    ])
    func quantitiesThatDoNotFitAre422(body: String, field: String) async throws {
        try await withHub { client, database, key in
            let (_, fulfillment) = try await releasedOrder(client, key: key, externalID: "F-Q")
            let before = try await database.store.rowCounts()
            let problem = try expectProblem(
                try await client.feedback(fulfillment.id, body, key: key),
                .unprocessableContent,
                code: "invalid_quantities"
            )
            #expect(problemFields(problem).contains(field), "\(problemFields(problem))")
            #expect(problem["currentStatus"]?.stringValue == "released")
            #expect(try await database.store.rowCounts() == before)
        }
    }

    @Test func aReplayedReportAppliesOnce() async throws {
        try await withHub { client, database, key in
            let (_, fulfillment) = try await releasedOrder(client, key: key, externalID: "F-IDEM")
            var headers: HTTPFields = [:]
            headers[.idempotencyKey] = "ship-1"
            let first = try await client.send(
                .post,
                "/v1/fulfillments/\(fulfillment.id)/events",
                key: key,
                json: shippedJSON(quantity: 2),
                headers: headers
            )
            #expect(first.status == .ok)
            let counts = try await database.store.rowCounts()
            let second = try await client.send(
                .post,
                "/v1/fulfillments/\(fulfillment.id)/events",
                key: key,
                json: shippedJSON(quantity: 2),
                headers: headers
            )
            #expect(second.status == .ok)
            #expect(second.headers[.idempotentReplayed] == "true")
            #expect(second.text == first.text)
            #expect(try await database.store.rowCounts() == counts)
        }
    }

    @Test
    func concurrentRetriesOfOneReportAllReplay() async throws {
        try await withHub { client, database, key in
            let (order, fulfillment) = try await releasedOrder(client, key: key, externalID: "F-RACE")
            var headers: HTTPFields = [:]
            headers[.idempotencyKey] = "ship-race"
            let fields = headers
            let answers = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await client.send(
                            .post,
                            "/v1/fulfillments/\(fulfillment.id)/events",
                            key: key,
                            json: shippedJSON(quantity: 2),
                            headers: fields
                        )
                    }
                }
                var answers: [TestResponse] = []
                for try await answer in group { answers.append(answer) }
                return answers
            }
            let refused = answers.filter { $0.status != .ok }.map { "\($0.status.code) \($0.text)" }
            #expect(refused.isEmpty, "\(refused)")
            #expect(Set(answers.map(\.text)).count == 1)
            #expect(try await client.get([Shipment].self, "/v1/orders/\(order.id)/shipments", key: key).count == 1)
            #expect(try await database.store.rowCounts()["shipments"] == 1)
        }
    }
}

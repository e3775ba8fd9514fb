import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The exception workflow over real HTTP: assign, comment, and the resolutions that fit each kind (issue 17).
@Suite struct ExceptionWorkflowTests {
    @Test func aLostShipmentIsReshippedByAReplacementOrderForExactlyItsUnits() async throws {
        try await withHub(testing: .live) { client, database, key in
            let order = try await client.createOrder(orderJSON(externalID: "RS-1", quantity: 3), key: key)
            let fulfillment = try #require(try await client.fulfillments(of: order.id, key: key).first)
            let shipment = try await client.ship(fulfillment, quantity: 2, tracking: "1ZRESHIP01", key: key)
            try await client.track(shipment, "exception", at: 60, extra: #","exceptionKind":"lost""#, key: key)
            let open = try await client.get(ItemsDocument<OperationsException>.self, "/v1/exceptions?status=open&order=\(order.id)", key: key).items
            let exception = try #require(open.first)
            let onHand = try await client.availability("SKU-0010", key: key)

            let resolved = try await client.post(
                "/v1/exceptions/\(exception.id)/resolve",
                #"{"resolution":"reship","note":"carrier claim 77"}"#,
                key: key
            ).decode(OperationsException.self)
            #expect(resolved.status == .resolved && resolved.resolution == .reship)
            let replacementID = try #require(resolved.replacementOrderID)
            let replacement = try await client.order(replacementID, key: key)
            #expect(replacement.lines.map(\.sku) == ["SKU-0010"] && replacement.lines.map(\.quantity) == [2])
            #expect(replacement.total.minorUnits == 0 && replacement.reasons.map(\.code).contains("replacement"))
            #expect(replacement.customerID == order.customerID && replacement.status == .released)
            let released = try await client.fulfillments(of: replacementID, key: key)
            #expect(released.flatMap(\.lines).map(\.quantity).reduce(0, +) == 2)
            // The units are reserved like any order's.
            let after = try await client.availability("SKU-0010", key: key)
            let warehouse = try #require(released.first?.warehouseID)
            #expect(try #require(after.row(warehouse)).reserved == (try #require(onHand.row(warehouse))).reserved + 2)
            // The original order's shipment is settled and the channel hears of the replacement.
            #expect(try await client.order(order.id, key: key).shipments[shipment.id] == .settled)
            let events = try await database.store.events(after: 0, limit: 5000)
            let reshipped = try #require(events.first { $0.shortType == "order.reshipped" })
            #expect(reshipped.correlationid == order.id && reshipped.data["replacementOrderId"]?.stringValue == replacementID)
            #expect(reshipped.data["fulfillmentOrderIds"]?.arrayValue?.count == released.count)
            #expect(events.contains { $0.shortType == "fulfillment.released" && $0.correlationid == replacementID })
            #expect(events.contains { $0.shortType == "exception.resolved" && $0.subject == exception.id })
            try await client.post("/v1/exceptions/\(exception.id)/resolve", #"{"resolution":"reship"}"#, key: key, expect: .conflict)
            try await EventSchemaCheck.expectValid(database.store)
        }
    }

    @Test func aSilentParcelReshippedIsSettledSoItNoLongerHoldsItsOrderOpen() async throws {
        try await withHub(testing: .live) { client, database, key in
            let order = try await client.createOrder(orderJSON(externalID: "RS-SILENT", quantity: 2), key: key)
            let fulfillment = try #require(try await client.fulfillments(of: order.id, key: key).first)
            let shipment = try await client.ship(fulfillment, quantity: 2, tracking: "1ZSILENT01", key: key)
            #expect(try await client.order(order.id, key: key).status == .shipped)
            var silent = OperationsException(
                id: "EX-SILENT",
                kind: .shipmentSilent,
                detail: "no scan for 3 business days",
                orderID: order.id,
                shipmentID: shipment.id,
                openedAt: Date()
            )
            silent.watchdogKey = "shipment_silent:\(shipment.id)@0"
            var unit = UnitOfWork()
            unit.exceptions = [.init(silent, expectedVersion: nil)]
            #expect(try await database.store.commit(unit) == .committed(sequences: []))

            let resolved = try await client.post("/v1/exceptions/EX-SILENT/resolve", #"{"resolution":"reship"}"#, key: key)
                .decode(OperationsException.self)
            let replacementID = try #require(resolved.replacementOrderID)
            #expect(try await client.order(replacementID, key: key).lines.map(\.quantity) == [2])
            let after = try await client.order(order.id, key: key)
            #expect(after.shipments[shipment.id] == .settled)
            #expect(after.status != .shipped && after.status.isTerminal, "\(after.status)")
            let events = try await database.store.events(after: 0, limit: 5000)
            #expect(events.contains { $0.shortType == "order.accepted" && $0.subject == replacementID }, "the ERP hears of the replacement")
        }
    }

    @Test func assignAndCommentAreRecordedWithWhoAndAreIdempotent() async throws {
        try await withHub(testing: .live) { client, database, key in
            let order = try await client.createOrder(orderJSON(externalID: "AC-1"), key: key)
            try await insertException(.priceMismatch, order: order.id, id: "EX-AC", database)
            let headers: HTTPFields = [.idempotencyKey: "assign-1"]
            let first = try await client.send(.post, "/v1/exceptions/EX-AC/assign", key: key, json: #"{"assignee":"dana"}"#, headers: headers)
            let again = try await client.send(.post, "/v1/exceptions/EX-AC/assign", key: key, json: #"{"assignee":"dana"}"#, headers: headers)
            #expect(first.status == .ok && again.status == .ok && again.text == first.text)
            try await client.post("/v1/exceptions/EX-AC/comments", #"{"text":"called the buyer"}"#, key: key)
            try await client.post("/v1/exceptions/EX-AC/comments", #"{"text":"  "}"#, key: key, expect: .unprocessableContent)
            let exception = try await client.get(OperationsException.self, "/v1/exceptions/EX-AC", key: key)
            #expect(exception.assignee == "dana")
            #expect(exception.activity.map(\.action) == [.assigned, .commented])
            #expect(exception.activity.allSatisfy { $0.by.name == "test-admin" && $0.by.keyId != nil && $0.manual })
            #expect(exception.activity.last?.text == "called the buyer" && exception.manualTouches == 2)

            // A resolution that does not fit the kind changes nothing.
            let events = try await database.store.lastSequence()
            let refused = try await client.post("/v1/exceptions/EX-AC/resolve", #"{"resolution":"reship"}"#, key: key, expect: .unprocessableContent)
            #expect(problemFields(try refused.json()) == ["resolution"])
            #expect(try await database.store.lastSequence() == events)
            #expect(try await client.get(OperationsException.self, "/v1/exceptions/EX-AC", key: key) == exception)

            let resolved = try await client.post("/v1/exceptions/EX-AC/resolve", #"{"resolution":"acknowledge"}"#, key: key)
                .decode(OperationsException.self)
            #expect(resolved.manualTouches == 3 && (resolved.timeToResolveSeconds ?? 0) >= 3600)
            try await client.post("/v1/exceptions/EX-AC/resolve", #"{"resolution":"acknowledge"}"#, key: key, expect: .conflict)
            try await client.post("/v1/exceptions/EX-AC/comments", #"{"text":"late"}"#, key: key, expect: .conflict)

            let kpis = try await client.get(JSONValue.self, "/v1/kpis", key: key)
            #expect(kpis["exceptions"]?["timeToResolve"]?["count"]?.intValue == 1, "\(kpis)")
            #expect((kpis["exceptions"]?["timeToResolve"]?["p50Seconds"]?.intValue ?? 0) >= 3600)
            #expect(kpis["exceptions"]?["manualTouches"]?["touches"]?.intValue == 3)
            #expect(kpis["exceptions"]?["manualTouches"]?["perOrder"]?.intValue == 3)
            try await EventSchemaCheck.expectValid(database.store)
        }
    }

    @Test func anOverdueBackorderIsCancelledSubstitutedOrNotified() async throws {
        try await withHub(testing: .live) { client, database, key in
            // SKU-0001 has 5 in stock and lists SKU-0002 as its substitute.
            let cancelled = try await client.createOrder(orderJSON(externalID: "BO-1", sku: "SKU-0001", quantity: 7), key: key)
            try #require(cancelled.lines[0].backordered > 0)
            try await insertException(.backorderOverdue, order: cancelled.id, id: "EX-CANCEL", lineNo: 1, database)
            try await client.post("/v1/exceptions/EX-CANCEL/resolve", #"{"resolution":"credit"}"#, key: key, expect: .unprocessableContent)
            try await client.post("/v1/exceptions/EX-CANCEL/resolve", #"{"resolution":"cancel_remainder"}"#, key: key)
            let line = try await client.order(cancelled.id, key: key).lines[0]
            #expect(line.open == 0 && line.backordered == 0 && line.cancelled + line.cancelRequested == 7 - line.shipped)

            try await client.post(
                "/v1/inventory/adjustments",
                #"{"warehouseId":"WH-EAST","sku":"SKU-0002","quantity":10,"reason":"receipt"}"#,
                key: key,
                expect: .created
            )
            let waiting = try await client.createOrder(orderJSON(externalID: "BO-2", sku: "SKU-0001", quantity: 9), key: key)
            let backordered = waiting.lines[0].backordered
            try #require(backordered > 0)
            try await insertException(.backorderOverdue, order: waiting.id, id: "EX-SUB", lineNo: 1, database)
            let wrong = try await client.post(
                "/v1/exceptions/EX-SUB/resolve",
                #"{"resolution":"substitute","substituteSku":"SKU-0003"}"#,
                key: key,
                expect: .unprocessableContent
            )
            #expect(problemFields(try wrong.json()) == ["substituteSku"])
            let substituted = try await client.post(
                "/v1/exceptions/EX-SUB/resolve",
                #"{"resolution":"substitute","substituteSku":"SKU-0002"}"#,
                key: key
            ).decode(OperationsException.self)
            #expect(substituted.substituteSKU == "SKU-0002")
            let after = try await client.order(waiting.id, key: key)
            #expect(after.lines[0].sku == "SKU-0002" && after.lines[0].backordered == 0 && after.lines[0].open == 0)
            let substitutes = try await client.fulfillments(of: waiting.id, key: key).flatMap(\.lines).filter { $0.sku == "SKU-0002" }
            #expect(substitutes.map(\.quantity).reduce(0, +) == backordered)

            try await insertException(.backorderOverdue, order: waiting.id, id: "EX-NOTE", lineNo: 1, database)
            let silent = try await client.post(
                "/v1/exceptions/EX-NOTE/resolve",
                #"{"resolution":"notify_customer"}"#,
                key: key,
                expect: .unprocessableContent
            )
            #expect(problemFields(try silent.json()) == ["note"])
            try await client.post("/v1/exceptions/EX-NOTE/resolve", #"{"resolution":"notify_customer","note":"ships Friday"}"#, key: key)
            let events = try await database.store.events(after: 0, limit: 5000)
            let notified = try #require(events.first { $0.shortType == "exception.customer_notified" })
            #expect(notified.correlationid == waiting.id && notified.data["message"]?.stringValue == "ships Friday")
            #expect(notified.data["externalId"]?.stringValue == "BO-2")
            try await EventSchemaCheck.expectValid(database.store)
        }
    }
}

/// Stores an open exception of `kind` on `order`, opened an hour ago.
private func insertException(_ kind: OperationsException.Kind, order: String, id: String, lineNo: Int? = nil, _ database: TestDatabase) async throws {
    let exception = OperationsException(
        id: id,
        kind: kind,
        detail: "test",
        orderID: order,
        lineNo: lineNo,
        openedAt: Date().addingTimeInterval(-3600)
    )
    var unit = UnitOfWork()
    unit.exceptions = [.init(exception, expectedVersion: nil)]
    #expect(try await database.store.commit(unit) == .committed(sequences: []))
}

import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct IdempotencyRouteTests {
    @Test func sameKeyAndBodyReplaysTheFirstAnswer() async throws {
        try await withHub { client, database, key in
            let body = orderJSON(externalID: "I-1")
            let first = try await client.postOrder(body, key: key, idempotencyKey: "idem-1")
            #expect(first.status == .created)
            #expect(first.headers[.idempotentReplayed] == nil)
            let afterFirst = try await database.store.rowCounts()

            let second = try await client.postOrder(body, key: key, idempotencyKey: "idem-1")
            #expect(second.status == first.status)
            #expect(second.headers[.idempotentReplayed] == "true")
            #expect(Array(second.body.readableBytesView) == Array(first.body.readableBytesView))
            #expect(try await database.store.rowCounts() == afterFirst)

            let order = try first.decode(SalesOrder.self)
            let page = try await client.get(OrderPage.self, "/v1/orders", key: key)
            #expect(page.orders.map(\.id) == [order.id])
            #expect(afterFirst["idempotency_keys"] == 1)
        }
    }

    @Test func aReplayOfARejectedOrderIsAlsoIdentical() async throws {
        try await withHub { client, database, key in
            let body = orderJSON(externalID: "I-H", customer: "CUST-013")
            let first = try await client.postOrder(body, key: key, idempotencyKey: "idem-held")
            #expect(try first.decode(SalesOrder.self).status == .onHold)
            let counts = try await database.store.rowCounts()
            let second = try await client.postOrder(body, key: key, idempotencyKey: "idem-held")
            #expect(second.status == .created)
            #expect(second.text == first.text)
            #expect(second.headers[.idempotentReplayed] == "true")
            #expect(try await database.store.rowCounts() == counts)
        }
    }

    @Test func sameKeyWithADifferentBodyIsRefused() async throws {
        try await withHub { client, database, key in
            let first = try await client.postOrder(orderJSON(externalID: "I-2"), key: key, idempotencyKey: "idem-2")
            #expect(first.status == .created)
            let counts = try await database.store.rowCounts()
            let changed = try await client.postOrder(orderJSON(externalID: "I-2", quantity: 3), key: key, idempotencyKey: "idem-2")
            try expectProblem(changed, .unprocessableContent, code: "idempotency_key_reused", fields: ["Idempotency-Key"])
            // Even a body that differs only in whitespace is another request.
            let spaced = try await client.postOrder(orderJSON(externalID: "I-2") + " ", key: key, idempotencyKey: "idem-2")
            try expectProblem(spaced, .unprocessableContent, code: "idempotency_key_reused")
            #expect(try await database.store.rowCounts() == counts)
        }
    }

    @Test func keysAreScopedToTheCaller() async throws {
        try await withHub { client, database, key in
            let (_, other) = try await APIKeys.create(in: database.store, name: "partner", scopes: ["orders:write"])
            let first = try await client.postOrder(orderJSON(externalID: "I-3"), key: key, idempotencyKey: "shared")
            #expect(first.status == .created)
            // Another caller's same key is a new request: here a duplicate external id, not a replay.
            let second = try await client.postOrder(orderJSON(externalID: "I-3"), key: other, idempotencyKey: "shared")
            try expectProblem(second, .conflict, code: "duplicate_order")
            #expect(second.headers[.idempotentReplayed] == nil)
        }
    }

    @Test
    func twentyConcurrentRequestsWithOneKeyCreateOneOrder() async throws {
        try await withHub { client, database, key in
            let before = try await database.store.rowCounts()
            let body = orderJSON(externalID: "I-RACE", quantity: 3)
            let answers = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let response = try await client.postOrder(body, key: key, idempotencyKey: "race-1")
                        return (response.status.code, Array(response.body.readableBytesView))
                    }
                }
                var answers: [(Int, [UInt8])] = []
                for try await answer in group { answers.append(answer) }
                return answers
            }
            #expect(answers.count == 20)
            let refused = answers.filter { $0.0 != 201 }.map { "\($0.0) \(String(decoding: $0.1, as: UTF8.self))" }
            #expect(refused.isEmpty, "\(refused)")
            #expect(Set(answers.map(\.1)).count == 1)

            let after = try await database.store.rowCounts()
            #expect(after["orders"] == before["orders"]! + 1)
            #expect(after["idempotency_keys"] == before["idempotency_keys"]! + 1)
            #expect(after["balances.reserved"] == before["balances.reserved"]! + 3)
            let page = try await client.get(OrderPage.self, "/v1/orders", key: key)
            #expect(page.orders.count == 1)
            #expect(page.orders.first?.externalID == "I-RACE")
        }
    }

    /// Concurrent retries with one key never create a second order or a second reservation.
    @Test func concurrentRetriesWithOneKeyNeverCreateASecondOrder() async throws {
        try await withHub { client, database, key in
            let before = try await database.store.rowCounts()
            let body = orderJSON(externalID: "I-RACE-2", quantity: 2)
            let answers = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await client.postOrder(body, key: key, idempotencyKey: "race-2") }
                }
                var answers: [TestResponse] = []
                for try await answer in group { answers.append(answer) }
                return answers
            }
            let created = answers.filter { $0.status == .created }
            #expect(!created.isEmpty)
            #expect(Set(created.map(\.text)).count == 1)
            #expect(answers.allSatisfy { $0.status == .created || $0.status == .conflict })
            let after = try await database.store.rowCounts()
            #expect(after["orders"] == before["orders"]! + 1)
            #expect(after["balances.reserved"] == before["balances.reserved"]! + 2)
        }
    }

    @Test func duplicateExternalIDWithoutAKeyNamesTheExistingOrder() async throws {
        try await withHub { client, database, key in
            let first = try await client.createOrder(orderJSON(externalID: "I-DUP"), key: key)
            let counts = try await database.store.rowCounts()
            let second = try await client.postOrder(orderJSON(externalID: "I-DUP"), key: key)
            let problem = try expectProblem(second, .conflict, code: "duplicate_order", fields: ["externalId"])
            #expect(problem["existingOrderId"]?.stringValue == first.id)
            #expect(problem["detail"]?.stringValue?.contains("I-DUP") == true)
            #expect(try await database.store.rowCounts() == counts)
        }
    }

    @Test func adjustmentsReplayToo() async throws {
        try await withHub { client, _, key in
            var headers: HTTPFields = [:]
            headers[.idempotencyKey] = "adj-1"
            let body = #"{"warehouseId":"WH-EAST","sku":"SKU-0010","quantity":4,"reason":"receipt"}"#
            let first = try await client.send(.post, "/v1/inventory/adjustments", key: key, json: body, headers: headers)
            #expect(first.status == .created)
            let onHand = try #require(try await client.availability("SKU-0010", key: key).row("WH-EAST")).onHand
            let second = try await client.send(.post, "/v1/inventory/adjustments", key: key, json: body, headers: headers)
            #expect(second.status == .created)
            #expect(second.headers[.idempotentReplayed] == "true")
            #expect(second.text == first.text)
            #expect(try #require(try await client.availability("SKU-0010", key: key).row("WH-EAST")).onHand == onHand)
            let other = try await client.send(
                .post,
                "/v1/inventory/adjustments",
                key: key,
                json: body.replacingOccurrences(of: "4", with: "5"),
                headers: headers
            )
            try expectProblem(other, .unprocessableContent, code: "idempotency_key_reused")
        }
    }
}

import CrossdockDomain
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A refused order body: what is sent and the problem it must produce.
struct BadOrder: Sendable, CustomTestStringConvertible {
    var name: String
    var body: String
    var status: HTTPResponse.Status
    var code: String
    var fields: [String]
    var contentType: String = "application/json"

    var testDescription: String { name }

    static let valid = orderJSON(externalID: "BAD-1")

    static let all: [BadOrder] = [
        .init(name: "malformed JSON", body: #"{"channel":"api","#, status: .badRequest, code: "malformed_json", fields: []),
        .init(name: "not JSON at all", body: "channel=api", status: .badRequest, code: "malformed_json", fields: []),
        .init(
            name: "wrong content type",
            body: valid,
            status: .unsupportedMediaType,
            code: "unsupported_media_type",
            fields: ["Content-Type"],
            contentType: "text/plain"
        ),
        .init(
            name: "form content type",
            body: valid,
            status: .unsupportedMediaType,
            code: "unsupported_media_type",
            fields: ["Content-Type"],
            contentType: "application/x-www-form-urlencoded"
        ),
        .init(
            name: "missing customerId",
            body: #"{"channel":"api","externalId":"BAD-1","currency":"USD","lines":[{"lineNo":1,"sku":"SKU-0010","quantity":2}]}"#,
            status: .unprocessableContent,
            code: "invalid_fields",
            fields: ["customerId"]
        ),
        .init(
            name: "missing line sku",
            body: orderJSON(externalID: "BAD-1", lines: #"[{"lineNo":1,"quantity":2}]"#),
            status: .unprocessableContent,
            code: "invalid_fields",
            fields: ["lines[0].sku"]
        ),
        .init(
            name: "unknown top-level field",
            body: orderJSON(externalID: "BAD-1", extra: #","priority":"high""#),
            status: .unprocessableContent,
            code: "unknown_fields",
            fields: ["priority"]
        ),
        .init(
            name: "unknown nested field",
            body: orderJSON(externalID: "BAD-1", lines: #"[{"lineNo":1,"sku":"SKU-0010","quantity":2,"colour":"red"}]"#),
            status: .unprocessableContent,
            code: "unknown_fields",
            fields: ["lines[0].colour"]
        ),
        .init(
            name: "unknown fields at two levels",
            body: String(
                orderJSON(
                    externalID: "BAD-1",
                    lines: #"[{"lineNo":1,"sku":"SKU-0010","quantity":2},{"lineNo":2,"sku":"SKU-0011","quantity":1,"note":"x"}]"#
                ).dropLast()
            ) + #","gift":true}"#,
            status: .unprocessableContent,
            code: "unknown_fields",
            fields: ["gift", "lines[1].note"]
        ),
        .init(
            name: "quantity as string",
            body: orderJSON(externalID: "BAD-1", lines: #"[{"lineNo":1,"sku":"SKU-0010","quantity":"2"}]"#),
            status: .unprocessableContent,
            code: "invalid_fields",
            fields: ["lines[0].quantity"]
        ),
        .init(
            name: "lines as object",
            body: orderJSON(externalID: "BAD-1", lines: #"{"sku":"SKU-0010"}"#),
            status: .unprocessableContent,
            code: "invalid_fields",
            fields: ["lines"]
        ),
        .init(
            name: "customerId as number",
            body: #"{"channel":"api","externalId":"BAD-1","customerId":1,"currency":"USD","lines":[{"lineNo":1,"sku":"SKU-0010","quantity":2}]}"#,
            status: .unprocessableContent,
            code: "invalid_fields",
            fields: ["customerId"]
        ),
        .init(
            name: "bad currency",
            body: orderJSON(externalID: "BAD-1").replacingOccurrences(of: #""USD""#, with: #""US""#),
            status: .unprocessableContent,
            code: "invalid_fields",
            fields: ["currency"]
        ),
        .init(
            name: "unknown customer",
            body: orderJSON(externalID: "BAD-1", customer: "CUST-999"),
            status: .unprocessableContent,
            code: "invalid_order",
            fields: ["customerId"]
        ),
        .init(
            name: "unknown SKU",
            body: orderJSON(externalID: "BAD-1", sku: "SKU-9999"),
            status: .unprocessableContent,
            code: "invalid_order",
            fields: ["lines[0].sku"]
        ),
        .init(
            name: "zero quantity",
            body: orderJSON(externalID: "BAD-1", quantity: 0),
            status: .unprocessableContent,
            code: "invalid_order",
            fields: ["lines[0].quantity"]
        ),
        .init(
            name: "negative quantity",
            body: orderJSON(externalID: "BAD-1", quantity: -3),
            status: .unprocessableContent,
            code: "invalid_order",
            fields: ["lines[0].quantity"]
        ),
        .init(
            name: "duplicate lineNo",
            body: orderJSON(externalID: "BAD-1", lines: #"[{"lineNo":1,"sku":"SKU-0010","quantity":2},{"lineNo":1,"sku":"SKU-0011","quantity":1}]"#),
            status: .unprocessableContent,
            code: "invalid_order",
            fields: ["lines[1].lineNo"]
        ),
        .init(
            name: "bad requestedDate",
            body: orderJSON(externalID: "BAD-1", extra: #","requestedDate":"2024-02-30""#),
            status: .unprocessableContent,
            code: "invalid_order",
            fields: ["requestedDate"]
        ),
        .init(
            name: "requestedDate not a date",
            body: orderJSON(externalID: "BAD-1", extra: #","requestedDate":"next week""#),
            status: .unprocessableContent,
            code: "invalid_order",
            fields: ["requestedDate"]
        ),
        .init(
            name: "no lines",
            body: orderJSON(externalID: "BAD-1", lines: "[]"),
            status: .unprocessableContent,
            code: "invalid_order",
            fields: ["lines"]
        ),
        .init(
            name: "empty channel and externalId",
            body: #"{"channel":"","externalId":"","customerId":"CUST-001","currency":"USD","lines":[{"lineNo":1,"sku":"SKU-0010","quantity":2}]}"#,
            status: .unprocessableContent,
            code: "invalid_order",
            fields: ["channel", "externalId"]
        ),
        .init(
            name: "several problems at once",
            body: orderJSON(
                externalID: "BAD-1",
                lines: #"[{"lineNo":1,"sku":"SKU-9999","quantity":0},{"lineNo":2,"sku":"SKU-0010","quantity":1,"unitPrice":-5}]"#
            ),
            status: .unprocessableContent,
            code: "invalid_order",
            fields: ["lines[0].sku", "lines[0].quantity", "lines[1].unitPrice"]
        ),
        .init(
            name: "unknown ship-to",
            body: orderJSON(externalID: "BAD-1", extra: #","shipToCode":"ST-NOPE""#),
            status: .unprocessableContent,
            code: "invalid_order",
            fields: ["shipToCode"]
        ),
    ]
}

@Suite struct OrderInputRouteTests {
    @Test(arguments: BadOrder.all)
    func refusedOrdersWriteNothing(bad: BadOrder) async throws {
        try await withHub { client, database, key in
            let before = try await database.store.rowCounts()
            var headers: HTTPFields = [:]
            headers[.contentType] = bad.contentType
            let response = try await client.send(.post, "/v1/orders", key: key, json: bad.body, headers: headers)
            let problem = try expectProblem(response, bad.status, code: bad.code, fields: bad.fields)
            #expect(problem["instance"]?.stringValue == "/v1/orders")
            #expect(try await database.store.rowCounts() == before)
        }
    }

    @Test func refusedOrdersWithAnIdempotencyKeyRecordNothing() async throws {
        try await withHub { client, database, key in
            let before = try await database.store.rowCounts()
            let first = try await client.postOrder(orderJSON(externalID: "BAD-IDEM", quantity: 0), key: key, idempotencyKey: "bad-1")
            try expectProblem(first, .unprocessableContent, code: "invalid_order", fields: ["lines[0].quantity"])
            #expect(try await database.store.rowCounts() == before)
            // The key was not spent: the corrected request succeeds under it.
            let fixed = try await client.postOrder(orderJSON(externalID: "BAD-IDEM"), key: key, idempotencyKey: "bad-1")
            #expect(fixed.status == .created)
        }
    }

    @Test func missingContentTypeIs415() async throws {
        try await withHub { client, database, key in
            let before = try await database.store.rowCounts()
            let response = try await client.execute(
                uri: "/v1/orders",
                method: .post,
                headers: [.authorization: "Bearer \(key)"],
                body: .init(string: BadOrder.valid)
            )
            try expectProblem(response, .unsupportedMediaType, code: "unsupported_media_type", fields: ["Content-Type"])
            #expect(try await database.store.rowCounts() == before)
        }
    }

    @Test func bodyOver1MiBIs413() async throws {
        try await withHub { client, database, key in
            let before = try await database.store.rowCounts()
            let padding = String(repeating: "x", count: (1 << 20) + 1)
            let response = try await client.postOrder(orderJSON(externalID: "BIG", extra: #","customerPo":"\#(padding)""#), key: key)
            try expectProblem(response, .contentTooLarge, code: "body_too_large", fields: ["body"])
            #expect(try await database.store.rowCounts() == before)
        }
    }

    @Test func bodyJustUnder1MiBIsRead() async throws {
        try await withHub { client, _, key in
            // Padded with trailing whitespace: identifiers have length limits of their own.
            let base = orderJSON(externalID: "BIG-OK", customer: "CUST-999")
            let body = base + String(repeating: " ", count: (1 << 20) - 1 - base.utf8.count)
            #expect(body.utf8.count == (1 << 20) - 1)
            // Read and checked, not refused for its size.
            try expectProblem(try await client.postOrder(body, key: key), .unprocessableContent, code: "invalid_order", fields: ["customerId"])
        }
    }

    @Test func invalidIdempotencyKeyIs400() async throws {
        try await withHub { client, database, key in
            let before = try await database.store.rowCounts()
            let long = String(repeating: "k", count: 256)
            try expectProblem(
                try await client.postOrder(orderJSON(externalID: "IK"), key: key, idempotencyKey: long),
                .badRequest,
                code: "invalid_idempotency_key",
                fields: ["Idempotency-Key"]
            )
            #expect(try await database.store.rowCounts() == before)
        }
    }
}

@Suite struct OtherInputRouteTests {
    @Test(arguments: [
        (
            "unknown nested fields", customerJSON().replacingOccurrences(of: #""country":"US"}"#, with: #""country":"US","zip":"1"}"#),
            "unknown_fields", ["billTo.zip", "shipTo[0].address.zip"]
        ),
        ("unknown top-level field", customerJSON(extra: #","vip":true"#), "unknown_fields", ["vip"]),
        ("missing name", customerJSON().replacingOccurrences(of: #""name":"Blocked Buyer Inc","#, with: ""), "invalid_fields", ["name"]),
        ("empty name", customerJSON(name: ""), "invalid_fields", ["name"]),
        ("id differs from path", customerJSON(extra: #","id":"CUST-002""#), "invalid_fields", ["id"]),
        ("no ship-to", customerJSON(shipTo: false), "invalid_fields", ["shipTo"]),
        ("negative credit limit", customerJSON(creditLimit: -1), "invalid_fields", ["creditLimit.minorUnits"]),
        ("unknown status", customerJSON(status: "sleeping"), "invalid_fields", ["status"]),
    ])
    func badCustomerBodies(name: String, body: String, code: String, fields: [String]) async throws {
        try await withHub { client, database, key in
            let before = try await database.store.rowCounts()
            let original = try await client.send(.get, "/v1/customers/CUST-001", key: key).text
            let response = try await client.send(.put, "/v1/customers/CUST-001", key: key, json: body)
            try expectProblem(response, .unprocessableContent, code: code, fields: fields)
            #expect(try await database.store.rowCounts() == before)
            #expect(try await client.send(.get, "/v1/customers/CUST-001", key: key).text == original)
        }
    }

    @Test func validCustomerPutIsStored() async throws {
        try await withHub { client, _, key in
            let response = try await client.send(.put, "/v1/customers/CUST-001", key: key, json: customerJSON(name: "Renamed Co"))
            #expect(response.status == .ok)
            let stored = try await client.get(Customer.self, "/v1/customers/CUST-001", key: key)
            #expect(stored.name == "Renamed Co")
            #expect(stored.shipTo.map(\.code) == ["ST-1"])
        }
    }

    @Test(arguments: [
        (#"{"warehouseId":"WH-NOWHERE","sku":"SKU-0010","quantity":5,"reason":"receipt"}"#, ["warehouseId"]),
        (#"{"warehouseId":"WH-EAST","sku":"SKU-9999","quantity":5,"reason":"receipt"}"#, ["sku"]),
        (#"{"warehouseId":"WH-NOWHERE","sku":"SKU-9999","quantity":0,"reason":"receipt"}"#, ["warehouseId", "sku", "quantity"]),
        (#"{"warehouseId":"WH-EAST","sku":"SKU-0010","quantity":1,"reason":"receipt","safetyStock":-1}"#, ["safetyStock"]),
    ])
    func badAdjustments(body: String, fields: [String]) async throws {
        try await withHub { client, database, key in
            let before = try await database.store.rowCounts()
            let response = try await client.send(.post, "/v1/inventory/adjustments", key: key, json: body)
            try expectProblem(response, .unprocessableContent, code: "invalid_adjustment", fields: fields)
            #expect(try await database.store.rowCounts() == before)
        }
    }

    @Test func adjustmentSchemaErrors() async throws {
        try await withHub { client, database, key in
            let before = try await database.store.rowCounts()
            try expectProblem(
                try await client.send(
                    .post,
                    "/v1/inventory/adjustments",
                    key: key,
                    json: #"{"warehouseId":"WH-EAST","sku":"SKU-0010","quantity":1,"reason":"theft"}"#
                ),
                .unprocessableContent,
                code: "invalid_fields",
                fields: ["reason"]
            )
            try expectProblem(
                try await client.send(
                    .post,
                    "/v1/inventory/adjustments",
                    key: key,
                    json: #"{"warehouseId":"WH-EAST","sku":"SKU-0010","quantity":1,"reason":"receipt","bin":"A1"}"#
                ),
                .unprocessableContent,
                code: "unknown_fields",
                fields: ["bin"]
            )
            #expect(try await database.store.rowCounts() == before)
        }
    }

    @Test func adjustmentBelowReservedIs409() async throws {
        try await withHub { client, database, key in
            // SKU-0001 has 3 on hand in WH-EAST; an order reserves all 3 there.
            let order = try await client.createOrder(orderJSON(externalID: "RES-1", sku: "SKU-0001", quantity: 3), key: key)
            #expect(order.lines[0].warehouseQuantities == ["WH-EAST": 3])
            let before = try await database.store.rowCounts()
            let response = try await client.send(
                .post,
                "/v1/inventory/adjustments",
                key: key,
                json: #"{"warehouseId":"WH-EAST","sku":"SKU-0001","quantity":-1,"reason":"damage"}"#
            )
            try expectProblem(response, .conflict, code: "insufficient_stock", fields: ["quantity"])
            #expect(try await database.store.rowCounts() == before)
            let east = try #require(try await client.availability("SKU-0001", key: key).row("WH-EAST"))
            #expect(east.onHand == 3 && east.reserved == 3)
        }
    }

    @Test func validAdjustmentChangesOnHand() async throws {
        try await withHub { client, _, key in
            let before = try #require(try await client.availability("SKU-0010", key: key).row("WH-WEST"))
            let response = try await client.send(
                .post,
                "/v1/inventory/adjustments",
                key: key,
                json: #"{"warehouseId":"WH-WEST","sku":"SKU-0010","quantity":-7,"reason":"cycle_count","reference":"CC-1"}"#
            )
            #expect(response.status == .created)
            let after = try #require(try await client.availability("SKU-0010", key: key).row("WH-WEST"))
            #expect(after.onHand == before.onHand - 7)
            #expect(after.availableToPromise == before.availableToPromise - 7)
        }
    }

    @Test func feedbackForAnUnknownFulfillmentIs404() async throws {
        try await withHub { client, database, key in
            let before = try await database.store.rowCounts()
            let response = try await client.feedback("no-such-fo", #"{"type":"picked","lines":[{"lineNo":1,"quantity":1}]}"#, key: key)
            try expectProblem(response, .notFound, code: "not_found")
            #expect(try await database.store.rowCounts() == before)
        }
    }

    @Test(arguments: [
        (#"{"type":"shipped","carrier":"UPS"}"#, ["packages"]),
        (#"{"type":"shipped","packages":[{"trackingNumber":"T1","contents":[{"lineNo":1,"quantity":1}]}]}"#, ["carrier"]),
        (
            #"{"type":"shipped","carrier":"UPS","lines":[{"lineNo":1,"quantity":1}],"packages":[{"trackingNumber":"T1","contents":[{"lineNo":1,"quantity":1}]}]}"#,
            ["lines"]
        ),
        (#"{"type":"picked"}"#, ["lines"]),
        (#"{"type":"short_picked","lines":[{"lineNo":1,"quantity":1}],"packages":[]}"#, ["packages"]),
        (#"{"type":"delivered"}"#, ["type"]),
    ])
    func badFeedbackBodies(body: String, fields: [String]) async throws {
        try await withHub { client, database, key in
            let order = try await client.createOrder(orderJSON(externalID: "FB-BAD"), key: key)
            let fulfillmentID = try #require(order.fulfillmentOrderIDs.first)
            let before = try await database.store.rowCounts()
            let response = try await client.feedback(fulfillmentID, body, key: key)
            try expectProblem(response, .unprocessableContent, code: "invalid_fields", fields: fields)
            #expect(try await database.store.rowCounts() == before)
        }
    }
}

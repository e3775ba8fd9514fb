import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Reviewer's failing tests for the order-orchestration feature, over real HTTP. Each test documents one bug and
/// is expected to fail until the code is fixed.
@Suite struct OrchestrationHTTPRegressionTests {
    @Test("regression, once a bug: adding stock and raising safety stock in one adjustment while backorders wait answers 503 contention")
    func adjustmentWithSafetyStockAndBackordersNeverCommits() async throws {
        try await withHub(testing: .live) { client, _, key in
            // SKU-0002: 3 in WH-EAST, 2 in WH-CENTRAL, 0 in WH-WEST → 5 released, 5 backordered.
            let order = try await client.createOrder(orderJSON(externalID: "ADJ-1", sku: "SKU-0002", quantity: 10), key: key)
            try #require(order.lines[0].backordered == 5)
            // 5 units arrive in WH-WEST, all held back as safety stock: nothing becomes available.
            let response = try await client.send(
                .post,
                "/v1/inventory/adjustments",
                key: key,
                json: #"{"warehouseId":"WH-WEST","sku":"SKU-0002","quantity":5,"reason":"receipt","safetyStock":5}"#
            )
            #expect(response.status == .created, "\(response.status): \(response.text)")
            let west = try #require(try await client.availability("SKU-0002", key: key).row("WH-WEST"))
            #expect(west.onHand == 5 && west.safetyStock == 5 && west.reserved == 0, "\(west)")
            #expect(try await client.order(order.id, key: key).lines[0].backordered == 5)
        }
    }

    @Test("regression, once a bug: a safety-stock change moves available-to-promise but publishes no inventory.availability_changed")
    func safetyStockChangeIsNotPublished() async throws {
        try await withHub(testing: .live) { client, database, key in
            // Publish everything the seed changed, so the next publication reflects only what follows.
            _ = try await database.store.publishAvailability(changedBefore: .distantFuture, now: Date(), limit: 100_000, makeID: IDs.make)
            let before = try #require(try await client.availability("SKU-0010", key: key).row("WH-EAST"))
            try await client.post(
                "/v1/inventory/adjustments",
                #"{"warehouseId":"WH-EAST","sku":"SKU-0010","quantity":0,"reason":"correction","safetyStock":100}"#,
                key: key,
                expect: .created
            )
            let after = try #require(try await client.availability("SKU-0010", key: key).row("WH-EAST"))
            try #require(after.availableToPromise == before.availableToPromise - 95)
            let published = try await database.store.publishAvailability(changedBefore: .distantFuture, now: Date(), limit: 100_000, makeID: IDs.make)
            #expect(published.map(\.sku) == ["SKU-0010"], "channels still advertise \(before.availableToPromise) in WH-EAST")
        }
    }

    @Test("regression, once a bug: inventory.availability_changed went back in time, so the shop refused fresher figures as stale")
    func availabilityAsOfNeverGoesBackwards() async throws {
        try await withHub(testing: .live) { client, database, key in
            // The previous publication's clock ran ahead (another node, or a change stamped before it that committed
            // after): the next one must still be as of no earlier, or a channel keeps the older figures.
            let ahead = Date().addingTimeInterval(3600)
            try await client.post(
                "/v1/inventory/adjustments",
                #"{"warehouseId":"WH-EAST","sku":"SKU-0010","quantity":1,"reason":"correction"}"#,
                key: key,
                expect: .created
            )
            _ = try await database.store.publishAvailability(changedBefore: .distantFuture, now: ahead, limit: 100_000, makeID: IDs.make)
            let after = try await database.store.lastSequence()
            try await client.post(
                "/v1/inventory/adjustments",
                #"{"warehouseId":"WH-EAST","sku":"SKU-0010","quantity":2,"reason":"correction"}"#,
                key: key,
                expect: .created
            )
            let published = try await database.store.publishAvailability(changedBefore: .distantFuture, now: Date(), limit: 100_000, makeID: IDs.make)
            try #require(published.map(\.sku) == ["SKU-0010"])
            let event = try #require(
                try await database.store.events(after: after, limit: 1_000).last { $0.type.hasSuffix("inventory.availability_changed.v1") }
            )
            let asOf = try #require(event.data["asOf"]?.stringValue.flatMap(JSONCoding.parse))
            let changed = try #require(event.data["sourceOccurredAt"]?.stringValue.flatMap(JSONCoding.parse))
            #expect(asOf >= ahead.addingTimeInterval(-0.001), "as of \(asOf), the previous figures were as of \(ahead)")
            #expect(changed < ahead, "sourceOccurredAt stays the change's own time")
        }
    }

    @Test("regression, once a bug: PUT /v1/customers without openBalance wipes the receivables invoices added, lowering exposure")
    func customerUpsertWithoutOpenBalanceErasesInvoicedReceivables() async throws {
        try await withHub(testing: .live) { client, _, key in
            let order = try await client.createOrder(orderJSON(externalID: "AR-1", quantity: 3), key: key)
            let fulfillment = try #require(try await client.fulfillments(of: order.id, key: key).first)
            _ = try await client.ship(fulfillment, quantity: 3, tracking: "1ZRECEIV01", key: key)
            let invoiced = try await client.get(CreditStanding.self, "/v1/customers/CUST-001/standing", key: key)
            // A CRM changes a flag on the account; it knows nothing of receivables and omits openBalance.
            let customer = try await client.send(.get, "/v1/customers/CUST-001", key: key)
            var document = try #require(try JSONSerialization.jsonObject(with: Data(customer.body.readableBytesView)) as? [String: Any])
            document["openBalance"] = nil
            document["allowSubstitution"] = true
            let body = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
            let put = try await client.send(.put, "/v1/customers/CUST-001", key: key, json: body)
            try #require(put.status == .ok, "\(put.text)")
            let after = try await client.get(CreditStanding.self, "/v1/customers/CUST-001/standing", key: key)
            #expect(after.openBalance == invoiced.openBalance, "receivables \(invoiced.openBalance.minorUnits) → \(after.openBalance.minorUnits)")
            #expect(after.exposure == invoiced.exposure)
        }
    }

    @Test("regression, once a bug: a return credited against the oldest invoice leaves a later-lost shipment impossible to credit")
    func lostShipmentCannotBeCreditedAfterAReturnConsumedItsInvoice() async throws {
        try await withHub(testing: .live) { client, _, key in
            let order = try await client.createOrder(orderJSON(externalID: "RL-1", quantity: 2), key: key)
            let fulfillment = try #require(try await client.fulfillments(of: order.id, key: key).first)
            let first = try await client.ship(fulfillment, quantity: 1, tracking: "1ZFIRST001", key: key)
            let refreshed = try #require(try await client.fulfillments(of: order.id, key: key).first { $0.id == fulfillment.id })
            let second = try await client.ship(refreshed, quantity: 1, tracking: "1ZSECOND01", key: key)
            try #require(first.id != second.id)
            // The second parcel arrives and its unit comes back; the first parcel is lost in transit.
            try await client.track(second, "delivered", at: 600, key: key)
            let rma = try await client.post(
                "/v1/returns",
                #"{"orderId":"\#(order.id)","lines":[{"lineNo":1,"quantity":1,"reason":"unwanted"}]}"#,
                key: key,
                expect: .created
            ).decode(ReturnAuthorization.self)
            try await client.post(
                "/v1/returns/\(rma.id)/receipts",
                #"{"lines":[{"lineNo":1,"quantity":1,"condition":"restock"}]}"#,
                key: key,
                expect: .created
            )
            try await client.track(first, "exception", at: 60, extra: #","exceptionKind":"lost""#, key: key)
            let open = try await client.get(ItemsDocument<OperationsException>.self, "/v1/exceptions?status=open&order=\(order.id)", key: key).items
            let exception = try #require(open.first)
            let resolve = try await client.send(.post, "/v1/exceptions/\(exception.id)/resolve", key: key, json: #"{"resolution":"credit"}"#)
            // One unit returned and one unit lost: both must be creditable.
            #expect(resolve.status == .ok, "\(resolve.status): \(resolve.text)")
            let memos = try await client.get(ItemsDocument<CreditMemo>.self, "/v1/credit-memos?order=\(order.id)", key: key).items
            #expect(memos.map(\.reason).sorted { $0.rawValue < $1.rawValue } == [.lostShipment, .return])
            // Everything invoiced is credited back (per-shipment invoices round tax per shipment, so compare with them).
            let invoices = try await client.get(ItemsDocument<Invoice>.self, "/v1/invoices?order=\(order.id)", key: key).items
            #expect(memos.reduce(0) { $0 + $1.total.minorUnits } == invoices.reduce(0) { $0 + $1.total.minorUnits })
        }
    }
}

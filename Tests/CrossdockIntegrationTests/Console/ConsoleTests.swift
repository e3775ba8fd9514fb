import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The operations API behind the console: an order's trace across every system, search by business key, the KPIs
/// from stored facts, and partner isolation on each. (The console's pages: ConsoleTests+Pages.swift.)
@Suite struct ConsoleTests {
    static let partnerScopes = ["orders:write", "orders:read", "events:read", "subscriptions:write"]

    @Test func theTraceOfAShippedAndInvoicedOrderHasEverySystemsStepsInTimeOrder() async throws {
        let receiver = TestReceiver(mode: .accept(delay: .zero))
        try await withReceiver(receiver) { url in
            try await withHub { client, _, key in
                let subscribe = try await client.send(
                    .post,
                    "/v1/subscriptions",
                    key: key,
                    json: #"{"url":"\#(url)","eventTypes":["order.*"],"secret":"\#(receiver.secret)"}"#
                )
                try #require(subscribe.status == .created, "\(subscribe.text)")
                let shipped = try await ShippedOrder.make(client, key: key, externalID: "T-1", po: "PO-4711", tracking: "1ZTRACE0001")
                let id = shipped.order.id
                #expect(try await eventually(timeout: .seconds(30)) { receiver.receipts.contains { $0.subject == id && $0.accepted } })
                // The delivery's attempt is recorded after the receiver answers; wait for it.
                #expect(
                    try await eventually(timeout: .seconds(30)) {
                        let steps = try await client.get(TraceDocument.self, "/v1/orders/\(id)/trace", key: key).steps
                        return steps.contains { $0.kind == "delivery" && $0.status == "delivered" }
                    }
                )

                let trace = try await client.get(TraceDocument.self, "/v1/orders/\(id)/trace", key: key)
                #expect(trace.orderId == id)
                #expect(trace.customerPo == "PO-4711")
                #expect(trace.status == "invoiced" || trace.status == "shipped", "\(trace.status)")
                #expect(!trace.truncated)
                #expect(zip(trace.steps, trace.steps.dropFirst()).allSatisfy { $0.time <= $1.time }, "steps in time order")
                let kinds = trace.steps.map(\.kind)
                func first(_ kind: String) -> Int? { kinds.firstIndex(of: kind) }
                let milestones = [
                    "order.received", "order.accepted", "fulfillment.released", "fulfillment.picked", "shipment.shipped", "invoice.posted",
                ]
                let positions = milestones.map(first)
                #expect(positions.allSatisfy { $0 != nil }, "every milestone: \(kinds)")
                #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "milestones in lifecycle order: \(kinds)")
                for record in ["fulfillment_order", "shipment", "invoice", "delivery"] {
                    #expect(kinds.contains(record), "a \(record) step: \(kinds)")
                }
                // Each system speaks: the channel took the order in, the warehouse shipped it, the carrier carries it,
                // billing invoiced it, a subscriber received its events.
                let received = try #require(trace.steps.first { $0.kind == "order.received" })
                #expect(received.system == "channel:api")
                // The caller's request, from the audit log: who placed the order, with its request id.
                let request = try #require(trace.steps.first { $0.kind == "api_request" }, "\(kinds)")
                #expect(request.system == "api" && request.status == "201", "\(request)")
                #expect(request.summary.hasPrefix("POST /v1/orders by key 'test-admin'") && request.ref.map { request.summary.contains($0) } == true)
                let shipment = try #require(trace.steps.first { $0.kind == "shipment" })
                #expect(shipment.system == "carrier:UPS" && shipment.ref == shipped.shipment.id && shipment.summary.contains("1ZTRACE0001"))
                let invoice = try #require(trace.steps.first { $0.kind == "invoice" })
                #expect(invoice.system == "billing" && invoice.summary.contains(shipped.invoice.number))
                let fulfillment = try #require(trace.steps.first { $0.kind == "fulfillment_order" })
                #expect(fulfillment.system == "warehouse:\(shipped.fulfillment.warehouseID)" && fulfillment.status == "closed")
                let delivery = try #require(trace.steps.first { $0.kind == "delivery" && $0.status == "delivered" })
                let attempt = try #require(delivery.attempts?.first)
                #expect(attempt.statusCode == 200 && attempt.latencyMs >= 0)
                #expect(delivery.summary.contains(url))

                // An order that does not exist is a 404 problem; a malformed id a 400.
                try expectProblem(try await client.send(.get, "/v1/orders/no-such-order/trace", key: key), .notFound, code: "not_found")
            }
        }
    }

    @Test func searchFindsAnOrderByPONumberTrackingNumberAndInvoiceNumber() async throws {
        try await withHub { client, _, key in
            let one = try await ShippedOrder.make(client, key: key, externalID: "S-1", po: "PO-9001", tracking: "1ZSEARCH0001")
            let other = try await ShippedOrder.make(client, key: key, externalID: "S-2", po: "PO-9002", tracking: "1ZSEARCH0002")
            let id = one.order.id

            let byPO = try await client.search("PO-9001", key: key)
            #expect(byPO.map(\.kind) == ["order"] && byPO.first?.id == id && byPO.first?.matched == "customerPo", "\(byPO)")
            #expect(byPO.first?.label.contains("PO-9001") == true)
            let byTracking = try await client.search("1ZSEARCH0001", key: key)
            #expect(byTracking.count == 1)
            #expect(
                byTracking.first
                    == .init(kind: "shipment", id: one.shipment.id, orderId: id, label: byTracking.first?.label ?? "", matched: "trackingNumber")
            )
            let byInvoice = try await client.search(one.invoice.number, key: key)
            #expect(byInvoice.map(\.kind) == ["invoice"] && byInvoice.first?.id == one.invoice.id && byInvoice.first?.orderId == id)
            let byChannelID = try await client.search("  S-1 ", key: key)
            #expect(byChannelID.map(\.id) == [id] && byChannelID.first?.matched == "externalId", "surrounding spaces are ignored")
            #expect(try await client.search(id, key: key).first?.matched == "id")
            // A customer id finds the customer and its orders, newest first; a SKU its product.
            let byCustomer = try await client.search("CUST-001", key: key)
            #expect(byCustomer.first?.kind == "customer")
            #expect(byCustomer.filter { $0.kind == "order" }.map(\.id) == [other.order.id, id])
            #expect(try await client.search("SKU-0010", key: key).map(\.kind) == ["product"])
            #expect(try await client.search("PO-NOTHING", key: key).isEmpty)

            try expectProblem(try await client.send(.get, "/v1/search", key: key), .badRequest, code: "invalid_query", fields: ["q"])
            try expectProblem(try await client.send(.get, "/v1/search?q=%20%20", key: key), .badRequest, code: "invalid_query", fields: ["q"])
            let long = String(repeating: "x", count: 129)
            try expectProblem(try await client.send(.get, "/v1/search?q=\(long)", key: key), .badRequest, code: "invalid_query", fields: ["q"])
            try expectProblem(try await client.send(.get, "/v1/search?q=a&limit=0", key: key), .badRequest, code: "invalid_query", fields: ["limit"])
        }
    }

    @Test func kpisMatchAKnownSetOfOrders() async throws {
        try await withHub { client, database, key in
            let start = Date().addingTimeInterval(-60)
            let first = try await ShippedOrder.make(client, key: key, externalID: "K-1", po: "PO-K1", tracking: "1ZKPI0001")
            let second = try await ShippedOrder.make(client, key: key, externalID: "K-2", po: "PO-K2", tracking: "1ZKPI0002")
            let released = try await client.createOrder(orderJSON(externalID: "K-3"), key: key)
            #expect(released.status == .released)
            let held = try await client.createOrder(orderJSON(externalID: "K-4", customer: "CUST-013", quantity: 1), key: key)
            #expect(held.status == .onHold)
            #expect(try await client.send(.put, "/v1/customers/CUST-099", key: key, json: customerJSON(status: "blocked")).status == .ok)
            let rejected = try await client.createOrder(orderJSON(externalID: "K-5", customer: "CUST-099"), key: key)
            #expect(rejected.status == .rejected)
            let end = Date().addingTimeInterval(60)

            let window = "from=\(JSONCoding.format(start))&to=\(JSONCoding.format(end))&bucket=1m"
            let report = try await client.send(.get, "/v1/kpis?\(window)", key: key).json()
            let orders = try #require(report["orders"])
            #expect(orders["received"]?.intValue == 5, "\(report)")
            #expect(orders["accepted"]?.intValue == 3)
            #expect(orders["rejected"]?.intValue == 1)
            #expect(orders["onHold"]?.intValue == 1)
            let buckets = report["buckets"]?.arrayValue ?? []
            // The window is whole minutes: from rounded down, to up.
            let origin = try #require(report["from"]?.stringValue.flatMap(JSONCoding.parse))
            let until = try #require(report["to"]?.stringValue.flatMap(JSONCoding.parse))
            #expect(origin == Date(timeIntervalSince1970: (start.timeIntervalSince1970 / 60).rounded(.down) * 60))
            #expect(until == Date(timeIntervalSince1970: (end.timeIntervalSince1970 / 60).rounded(.up) * 60))
            #expect(buckets.count == Int(until.timeIntervalSince(origin) / 60))
            #expect(buckets.reduce(0) { $0 + ($1["received"]?.intValue ?? 0) } == 5)
            #expect(report["bucketSeconds"]?.intValue == 60)

            // Cycle time: the two invoiced orders, received → invoiced, from the events of each.
            let events = try await database.store.events(after: 0, limit: 10_000)
            // Each receipt in the minute bucket its time falls in.
            var perMinute = Array(repeating: 0, count: buckets.count)
            for event in events where event.shortType == "order.received" { perMinute[Int(event.time.timeIntervalSince(origin) / 60)] += 1 }
            #expect(buckets.map { $0["received"]?.intValue ?? 0 } == perMinute)
            func time(_ type: String, _ order: String) throws -> Date {
                try #require(events.first { $0.shortType == type && $0.correlationid == order }?.time)
            }
            let cycles = try [first, second].map {
                try time("invoice.posted", $0.order.id).timeIntervalSince(try time("order.received", $0.order.id))
            }.sorted()
            let cycle = try #require(report["cycleTime"])
            #expect(cycle["count"]?.intValue == 2)
            // Within 1 % (the rollup's log-spaced histogram), nearest rank: p50 of two is the lower.
            func near(_ value: Double?, _ exact: Double) -> Bool { abs((value ?? -1) - exact) <= exact * 0.01 + 0.001 }
            #expect(near(cycle["p50Seconds"]?.doubleValue, cycles[0]), "\(cycle) \(cycles)")
            #expect(near(cycle["p90Seconds"]?.doubleValue, cycles[1]))
            let latency = try #require(report["fulfillmentLatency"])
            #expect(latency["count"]?.intValue == 2)
            let latencies = try [first, second].map {
                try time("shipment.shipped", $0.order.id).timeIntervalSince(try time("fulfillment.released", $0.order.id))
            }.sorted()
            #expect(near(latency["p90Seconds"]?.doubleValue, latencies[1]), "\(latency) \(latencies)")

            // The held order is the one order of five with an exception; nothing was delivered.
            let exceptions = try #require(report["exceptions"])
            #expect(exceptions["ordersReceived"]?.intValue == 5)
            #expect(exceptions["ordersWithException"]?.intValue == 1)
            #expect(abs((exceptions["rate"]?.doubleValue ?? -1) - 0.2) < 1e-9)
            #expect(exceptions["byClass"]?["hold"]?.intValue == 1)
            #expect(report["deliveries"]?["attempts"]?.intValue == 0)
            #expect(report["deliveries"]?["successRate"] == nil, "no rate without attempts")
            #expect(report["truncated"]?.boolValue == false)

            // A window before the orders counts none of them.
            let before = "from=\(JSONCoding.format(start.addingTimeInterval(-3600)))&to=\(JSONCoding.format(start))"
            #expect(try await client.send(.get, "/v1/kpis?\(before)", key: key).json()["orders"]?["received"]?.intValue == 0)

            for (query, field) in [
                ("bucket=7x", "bucket"), ("bucket=0m", "bucket"), ("from=\(JSONCoding.format(end))&to=\(JSONCoding.format(start))", "from"),
                ("from=yesterday", "from"), ("from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from"),
                ("from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z&bucket=1m", "bucket"),
            ] {
                try expectProblem(try await client.send(.get, "/v1/kpis?\(query)", key: key), .badRequest, code: "invalid_query", fields: [field])
            }
        }
    }

    @Test func aPartnerBoundKeyTracesAndFindsOnlyItsOwnOrders() async throws {
        try await withHub { client, database, admin in
            let store = database.store
            let shopA = try await APIKeys.create(in: store, name: "shop-a", scopes: Self.partnerScopes, partner: "shop-a").1
            let shopB = try await APIKeys.create(in: store, name: "shop-b", scopes: Self.partnerScopes, partner: "shop-b").1
            func order(_ key: String, _ channel: String, _ externalID: String) async throws -> SalesOrder {
                let body = orderJSON(externalID: externalID, extra: #","customerPo":"PO-SHARED""#)
                    .replacingOccurrences(of: #""channel":"api""#, with: #""channel":"\#(channel)""#)
                return try await client.createOrder(body, key: key)
            }
            let mine = try await order(shopA, "shop-a", "P-1")
            let theirs = try await order(shopB, "shop-b", "P-2")

            let missing = try await client.send(.get, "/v1/orders/no-such-order/trace", key: shopA)
            let foreign = try await client.send(.get, "/v1/orders/\(theirs.id)/trace", key: shopA)
            #expect(foreign.status == .notFound)
            #expect(try foreign.json()["code"] == missing.json()["code"], "no existence leak")
            #expect(try await client.get(TraceDocument.self, "/v1/orders/\(mine.id)/trace", key: shopA).orderId == mine.id)
            #expect(try await client.get(TraceDocument.self, "/v1/orders/\(theirs.id)/trace", key: shopB).orderId == theirs.id)
            // The hub's own operator cancels shop A's order: the operator sees both writes, shop A only its own key's.
            let cancel = try await client.send(.post, "/v1/orders/\(mine.id)/cancel", key: admin, json: #"{"reason":"customer called"}"#)
            #expect(cancel.status == .ok, "\(cancel.text)")
            func requests(_ key: String) async throws -> [String] {
                try await client.get(TraceDocument.self, "/v1/orders/\(mine.id)/trace", key: key).steps.filter { $0.kind == "api_request" }.map(
                    \.system
                )
            }
            #expect(try await requests(admin) == ["api:shop-a", "api"])
            #expect(try await requests(shopA) == ["api:shop-a"])

            #expect(try await client.search("PO-SHARED", key: shopA).map(\.id) == [mine.id])
            #expect(try await client.search("PO-SHARED", key: shopB).map(\.id) == [theirs.id])
            #expect(Set(try await client.search("PO-SHARED", key: admin).map(\.id)) == [mine.id, theirs.id])
            #expect(try await client.search(theirs.id, key: shopA).isEmpty, "another partner's order id finds nothing")
            let byCustomer = try await client.search("CUST-001", key: shopA)
            #expect(byCustomer.map(\.id) == [mine.id], "its own orders of the customer, not the customer record")
            #expect(try await client.search("SKU-0010", key: shopA).isEmpty, "no master data")

            let kpis = try await client.send(.get, "/v1/kpis", key: shopA)
            try expectProblem(kpis, .forbidden, code: "partner_bound_key")
        }
    }
}

extension JSONValue {
    /// The number, if this is one.
    var doubleValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockSandbox
import CrossdockStore
import CrossdockTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOHTTP1
import Testing

/// Partner isolation, per route class: a key bound to one partner creates orders for its own channel only and sees
/// only its own orders, documents, events, subscriptions and deliveries; another partner's resource answers 404 exactly
/// as a missing one does, and hub-wide views answer 403.
@Suite struct PartnerIsolationTests {
    static let partnerScopes = ["orders:write", "orders:read", "events:read", "subscriptions:write"]

    @Test func ordersAndTheirResourcesAreVisibleToTheirOwnPartnerOnly() async throws {
        try await withHub { client, database, admin in
            let store = database.store
            let shopA = try await APIKeys.create(in: store, name: "shop-a", scopes: Self.partnerScopes, partner: "shop-a").1
            let shopB = try await APIKeys.create(in: store, name: "shop-b", scopes: Self.partnerScopes, partner: "shop-b").1

            // Creating: a partner's orders come from its own channel, and belong to it.
            func order(_ externalID: String, channel: String) -> String {
                orderJSON(externalID: externalID).replacingOccurrences(of: #""channel":"api""#, with: #""channel":"\#(channel)""#)
            }
            let mine = try await client.send(.post, "/v1/orders", key: shopA, json: order("A-1", channel: "shop-a"))
            #expect(mine.status == .created)
            let mineID = try #require(try mine.json()["id"]?.stringValue)
            #expect(try await store.order(mineID)?.channelRef == ChannelReference(partner: "shop-a", orderId: "A-1"))
            let before = try await store.orders(OrderQuery(limit: 500)).orders.count
            for channel in ["shop-b", "api"] {
                let forged = try await client.send(.post, "/v1/orders", key: shopA, json: order("A-2", channel: channel))
                #expect(forged.status == .unprocessableContent)
                #expect(try forged.json()["errors"]?.arrayValue?.first?["field"]?.stringValue == "channel")
            }
            #expect(try await store.orders(OrderQuery(limit: 500)).orders.count == before, "a refused order changes nothing")
            // The same external id from another partner is that partner's own order, not a duplicate of this one.
            let theirs = try await client.send(.post, "/v1/orders", key: shopB, json: order("A-1", channel: "shop-b"))
            #expect(theirs.status == .created)
            let theirsID = try #require(try theirs.json()["id"]?.stringValue)
            let hubWide = try await client.send(.post, "/v1/orders", key: admin, json: orderJSON(externalID: "H-1"))
            #expect(hubWide.status == .created)

            // Lists hold only the partner's own orders; a hub-wide key sees every order.
            let listed = try await client.send(.get, "/v1/orders", key: shopA).json()["orders"]?.arrayValue ?? []
            #expect(listed.compactMap { $0["id"]?.stringValue } == [mineID])
            #expect((try await client.send(.get, "/v1/orders", key: admin).json()["orders"]?.arrayValue ?? []).count == 3)

            // Another partner's order and everything under it answer 404, the same problem as an order that does not exist.
            let missing = try await client.send(.get, "/v1/orders/no-such-order", key: shopA)
            #expect(missing.status == .notFound)
            for path in ["", "/fulfillments", "/shipments", "/documents", "/references", "/returns"] {
                let answer = try await client.send(.get, "/v1/orders/\(theirsID)\(path)", key: shopA)
                #expect(answer.status == .notFound, "GET /v1/orders/:id\(path)")
                #expect(try answer.json()["code"] == missing.json()["code"], "no existence leak on \(path)")
                #expect(try await client.send(.get, "/v1/orders/\(theirsID)\(path)", key: shopB).status == .ok, "its owner reads \(path)")
            }
            for path in ["/v1/invoices?order=\(theirsID)", "/v1/credit-memos?order=\(theirsID)", "/v1/exceptions?order=\(theirsID)"] {
                #expect(try await client.send(.get, path, key: shopA).status == .notFound, "GET \(path)")
            }
            let cancel = try await client.send(.post, "/v1/orders/\(theirsID)/cancel", key: shopA, json: #"{"reason":"not mine"}"#)
            #expect(cancel.status == .notFound)
            #expect(try await store.order(theirsID)?.status != .cancelled, "a refused cancel changes nothing")
            let replay = try await client.send(.post, "/v1/orders/\(theirsID)/replay", key: shopA)
            #expect(replay.status == .notFound)
            let rma = try await client.send(
                .post,
                "/v1/returns",
                key: shopA,
                json: #"{"orderId":"\#(theirsID)","lines":[{"lineNo":1,"quantity":1}]}"#
            )
            #expect(rma.status == .notFound)

            // Hub-wide views are refused outright.
            for path in ["/v1/reconciliation", "/v1/exceptions"] {
                let answer = try await client.send(.get, path, key: shopA)
                #expect(answer.status == .forbidden, "GET \(path)")
                #expect(try answer.json()["code"]?.stringValue == "partner_bound_key")
            }
        }
    }

    @Test func theEventFeedHoldsOnlyThePartnersEventsAndMovesPastTheOthers() async throws {
        try await withHub { client, database, admin in
            let store = database.store
            let shopA = try await APIKeys.create(in: store, name: "shop-a", scopes: Self.partnerScopes, partner: "shop-a").1
            let shopB = try await APIKeys.create(in: store, name: "shop-b", scopes: Self.partnerScopes, partner: "shop-b").1
            var ids: [String: [String]] = [:]
            for (index, (key, owner)) in [(shopB, "shop-b"), (shopA, "shop-a"), (shopB, "shop-b"), (admin, "api")].enumerated() {
                let body = orderJSON(externalID: "E-\(index)").replacingOccurrences(of: #""channel":"api""#, with: #""channel":"\#(owner)""#)
                let answer = try await client.send(.post, "/v1/orders", key: key, json: body)
                ids[owner, default: []].append(try #require(try answer.json()["id"]?.stringValue))
            }
            let last = try await store.lastSequence()

            // Paging one event at a time still reaches the end: nextAfter moves past events the partner cannot see.
            var after: Int64 = 0
            var seen: [JSONValue] = []
            for _ in 0..<200 where after < last {
                let page = try await client.send(.get, "/v1/events?after=\(after)&limit=1", key: shopA).json()
                seen += page["events"]?.arrayValue ?? []
                after = Int64(try #require(page["nextAfter"]?.intValue))
            }
            #expect(after == last, "the partner's feed reaches the end of the log")
            let correlations = Set(seen.compactMap { $0["correlationid"]?.stringValue })
            #expect(!seen.isEmpty && correlations == Set(ids["shop-a"] ?? []), "only its own order's events")
            let all = try await client.send(.get, "/v1/events?limit=1000", key: admin).json()["events"]?.arrayValue ?? []
            #expect(all.count > seen.count, "a hub-wide key sees every event")
            let everyCorrelation: Set<String> = Set(all.compactMap { $0["correlationid"]?.stringValue })
            let othersOrders: Set<String> = Set(ids["shop-b"] ?? [])
            #expect(everyCorrelation.isSuperset(of: othersOrders))
        }
    }

    @Test func subscriptionsAndDeliveriesBelongToThePartnerThatMadeThem() async throws {
        let receiverA = TestReceiver(mode: .accept(delay: .zero))
        let receiverHub = TestReceiver(mode: .accept(delay: .zero))
        try await withReceiver(receiverA) { urlA in
            try await withReceiver(receiverHub) { urlHub in
                try await withLiveHub(configuration: CrossdockHTTPConfiguration.fastRetries) { baseURL, adminKey, database in
                    let store = database.store
                    let keyA = try await APIKeys.create(in: store, name: "shop-a", scopes: Self.partnerScopes, partner: "shop-a").1
                    let keyB = try await APIKeys.create(in: store, name: "shop-b", scopes: Self.partnerScopes, partner: "shop-b").1
                    let (shopA, shopB, admin) = (
                        HubClient(baseURL: baseURL, apiKey: keyA), HubClient(baseURL: baseURL, apiKey: keyB),
                        HubClient(baseURL: baseURL, apiKey: adminKey)
                    )
                    func subscribe(_ client: HubClient, _ url: String, _ secret: String) async throws -> String {
                        let body = #"{"url":"\#(url)","eventTypes":["order.*"],"secret":"\#(secret)"}"#
                        let answer = try await client.send(.POST, "/v1/subscriptions", body: Array(body.utf8))
                        #expect(answer.status == 201)
                        return try #require(JSONDecoder().decode(JSONValue.self, from: Data(answer.body))["id"]?.stringValue)
                    }
                    let subscriptionA = try await subscribe(shopA, urlA, receiverA.secret)
                    let subscriptionHub = try await subscribe(admin, urlHub, receiverHub.secret)
                    #expect(try await store.subscription(subscriptionA)?.partner == "shop-a")

                    func order(_ client: HubClient, _ externalID: String, channel: String) async throws -> String {
                        let body = orderJSON(externalID: externalID).replacingOccurrences(of: #""channel":"api""#, with: #""channel":"\#(channel)""#)
                        let answer = try await client.send(.POST, "/v1/orders", body: Array(body.utf8))
                        return try #require(JSONDecoder().decode(JSONValue.self, from: Data(answer.body))["id"]?.stringValue)
                    }
                    let orderB = try await order(shopB, "S-B", channel: "shop-b")
                    let orderA = try await order(shopA, "S-A", channel: "shop-a")
                    // The hub-wide subscription gets both orders' events; the partner's only its own.
                    let both: Set<String> = [orderA, orderB]
                    #expect(try await eventually(timeout: .seconds(30)) { Set(receiverHub.receipts.map(\.subject)).isSuperset(of: both) })
                    #expect(try await eventually(timeout: .seconds(30)) { receiverA.receipts.contains { $0.subject == orderA } })
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(!receiverA.receipts.contains { $0.subject == orderB }, "no event of another partner's order")

                    // Another partner's subscription answers 404 on every route; its owner and a hub-wide key see it.
                    for (method, path) in [
                        (HTTPMethod.GET, ""), (.POST, "/pause"), (.POST, "/resume"), (.POST, "/rotate-secret"), (.POST, "/replay"), (.DELETE, ""),
                    ] {
                        let body: [UInt8]? = method == .POST ? Array(#"{"fromSequence":0}"#.utf8) : nil
                        let answer = try await shopB.send(
                            method,
                            "/v1/subscriptions/\(subscriptionA)\(path)",
                            body: path == "/replay" ? body : (method == .POST ? Array("{}".utf8) : nil)
                        )
                        #expect(answer.status == 404, "\(method) /v1/subscriptions/:id\(path)")
                    }
                    #expect(try await store.subscription(subscriptionA)?.status == .active, "nothing changed")
                    let listedByB = try JSONDecoder().decode([JSONValue].self, from: Data(try await shopB.send(.GET, "/v1/subscriptions").body))
                    #expect(listedByB.isEmpty)
                    let listedByA = try JSONDecoder().decode([JSONValue].self, from: Data(try await shopA.send(.GET, "/v1/subscriptions").body))
                    #expect(listedByA.compactMap { $0["id"]?.stringValue } == [subscriptionA])

                    // Deliveries: a partner lists only its subscription's, cannot read or replay another's.
                    let mine = try JSONCoding.decoder().decode([DeliveryDetail].self, from: Data(try await shopA.send(.GET, "/v1/deliveries").body))
                    #expect(!mine.isEmpty && mine.allSatisfy { $0.delivery.subscriptionID == subscriptionA })
                    let hubDeliveries = try await store.deliveryDetails(DeliveryQuery(subscriptionID: subscriptionHub))
                    let foreign = try #require(hubDeliveries.first?.delivery.id)
                    #expect(try await shopA.send(.GET, "/v1/deliveries/\(foreign)").status == 404)
                    #expect(try await shopA.send(.POST, "/v1/deliveries/\(foreign)/replay").status == 404)
                    let bulk = try await shopA.send(.POST, "/v1/deliveries/replay", body: Array(#"{"status":"delivered"}"#.utf8))
                    let plan = try JSONCoding.decoder().decode(ReplayPlan.self, from: Data(bulk.body))
                    #expect(plan.endpoints.map(\.subscriptionID) == [subscriptionA], "the plan names only the partner's subscription")
                    let hubPlan = try JSONCoding.decoder().decode(
                        ReplayPlan.self,
                        from: Data(try await admin.send(.POST, "/v1/deliveries/replay", body: Array(#"{"status":"delivered"}"#.utf8)).body)
                    )
                    #expect(Set(hubPlan.endpoints.map(\.subscriptionID)) == [subscriptionA, subscriptionHub])
                }
            }
        }
    }

    @Test func aWarehouseOperatorAloneReachesItsFulfilmentWork() async throws {
        try await withHub { client, database, admin in
            let store = database.store
            let operatorKey = try await APIKeys.create(in: store, name: "3pl-x", scopes: ["fulfillment:write", "orders:read"], partner: "3pl-x").1
            let otherKey = try await APIKeys.create(in: store, name: "3pl-y", scopes: ["fulfillment:write", "orders:read"], partner: "3pl-y").1
            let created = try await client.send(.post, "/v1/orders", key: admin, json: orderJSON(externalID: "W-1"))
            let orderID = try #require(try created.json()["id"]?.stringValue)
            let fulfillmentID = try #require(try await store.order(orderID)?.fulfillmentOrderIDs.first)
            let fulfillment = try #require(try await store.fulfillment(fulfillmentID))
            // Before the warehouse names an operator, any fulfilment-side key works it (as before).
            #expect(try await client.send(.get, "/v1/fulfillments/\(fulfillmentID)", key: otherKey).status == .ok)

            let warehouse = try #require(try await store.warehouses().first { $0.id == fulfillment.warehouseID })
            let body = #"{"name":"\#(warehouse.name)","region":"\#(warehouse.region)","priority":\#(warehouse.priority),"partner":"3pl-x"}"#
            #expect(try await client.send(.put, "/v1/warehouses/\(warehouse.id)", key: admin, json: body).status == .ok)
            #expect(try await store.warehouses().first { $0.id == warehouse.id }?.partner == "3pl-x")

            #expect(try await client.send(.get, "/v1/fulfillments/\(fulfillmentID)", key: operatorKey).status == .ok)
            #expect(try await client.send(.get, "/v1/fulfillments/\(fulfillmentID)", key: otherKey).status == .notFound)
            let picked = #"{"type":"picked","lines":[{"lineNo":1,"quantity":1}]}"#
            let refused = try await client.send(.post, "/v1/fulfillments/\(fulfillmentID)/events", key: otherKey, json: picked)
            #expect(refused.status == .notFound)
            #expect(try await store.fulfillment(fulfillmentID) == fulfillment, "a refused report changes nothing")
            let bad = #"{"name":"X","region":"US-ZZ","priority":1,"partner":"bad/partner"}"#
            let invalid = try await client.send(.put, "/v1/warehouses/WH-BAD", key: admin, json: bad)
            #expect(invalid.status == .unprocessableContent)
        }
    }

    @Test func aPartnerBoundKeyHoldsNoHubWideScope() async throws {
        try await withHub { client, database, _ in
            let store = database.store
            await #expect(throws: EngineError.self) {
                _ = try await APIKeys.create(in: store, name: "shop", scopes: ["orders:read", "master:write"], partner: "shop-a")
            }
            await #expect(throws: EngineError.self) {
                _ = try await APIKeys.create(in: store, name: "shop", scopes: ["admin"], partner: "shop-a")
            }
            // A key stored before the rule (or by hand) is refused at the edge all the same.
            let secret = "cdk_bound-admin-test-secret"
            try await store.insertKey(
                APIKeyRecord(id: "bound-admin", name: "old", hash: APIKeys.hash(secret), scopes: ["admin"], partner: "shop-a", createdAt: Date())
            )
            let answer = try await client.send(.put, "/v1/warehouses/WH-ZZ", key: secret, json: #"{"name":"Rogue","region":"US-ZZ","priority":9}"#)
            #expect(answer.status == .forbidden)
            #expect(try answer.json()["code"]?.stringValue == "partner_bound_key")
            #expect(try await store.warehouses().allSatisfy { $0.id != "WH-ZZ" }, "a refused write changes nothing")
        }
    }
}

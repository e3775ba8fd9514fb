import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Deliveries settled without any HTTP: two paused subscriptions (so the running worker sends nothing), fanned
/// out over the events of a few orders; every delivery of `dead` dead-lettered (one of them after two attempts),
/// every delivery of `delivered` delivered.
struct ReplayFixture: Sendable {
    static let sink = "http://127.0.0.1:9/dead"
    static let live = "http://127.0.0.1:9/live"

    var orderIDs: [String]
    /// `order.*`, every delivery dead.
    var dead: String
    /// `*`, every delivery delivered.
    var delivered: String

    static func make(_ client: some TestClientProtocol, _ store: any Store, key: String, orders: Int = 3) async throws -> ReplayFixture {
        var orderIDs: [String] = []
        for index in 0..<orders {
            orderIDs.append(try await client.createOrder(orderJSON(externalID: "REPLAY-\(index)"), key: key).id)
        }
        // On PostgreSQL the log may hold a just-committed order's events back for a moment (its fence waits for an
        // older transaction of one of the hub's jobs): fan out only once the feed shows every order's events.
        let deadline = ContinuousClock.now + .seconds(30)
        var last: Int64 = 0
        while true {
            let events = try await store.events(after: 0, limit: 100_000)
            if Set(events.map(\.correlationid)).isSuperset(of: orderIDs) {
                last = events.compactMap { Int64($0.sequence) }.max() ?? 0
                break
            }
            guard ContinuousClock.now < deadline else { throw FixtureError("the feed never showed every order's events") }
            try await Task.sleep(for: .milliseconds(50))
        }
        let fixture = ReplayFixture(orderIDs: orderIDs, dead: "sub-dead", delivered: "sub-delivered")
        for (id, url, types) in [(fixture.dead, sink, ["order.*"]), (fixture.delivered, live, ["*"])] {
            try await store.insertSubscription(
                Subscription(
                    id: id,
                    url: url,
                    eventTypes: types,
                    secret: WebhookSigner.makeSecret(),
                    createdAt: Date(),
                    cursor: 0,
                    status: .paused
                )
            )
            // The hub's delivery worker fans every subscription out too, paused ones included; on PostgreSQL a fan-out
            // in progress there makes this one skip the subscription (SKIP LOCKED) and answer 0. The deliveries exist
            // once the subscription's cursor has passed the orders' events.
            while true {
                while try await store.fanOut(subscriptionID: id, limit: 500, now: Date()) > 0 {}
                if let cursor = try await store.subscription(id)?.cursor, cursor >= last { break }
                guard ContinuousClock.now < deadline + .seconds(30) else { throw FixtureError("subscription \(id) never fanned out") }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let dead = try await store.deliveryDetails(DeliveryQuery(subscriptionID: fixture.dead, limit: 1000))
        for (index, item) in dead.enumerated() {
            if index == 0 {
                try await store.recordAttempt(
                    deliveryID: item.delivery.id,
                    result: .failed(statusCode: nil, error: "connection refused", latency: .milliseconds(3), retryAt: Date()),
                    at: Date()
                )
            }
            try await store.recordAttempt(
                deliveryID: item.delivery.id,
                result: .failed(statusCode: 503, error: "HTTP 503: down for maintenance", latency: .milliseconds(12), retryAt: nil),
                at: Date()
            )
        }
        for item in try await store.deliveryDetails(DeliveryQuery(subscriptionID: fixture.delivered, limit: 1000)) {
            try await store.recordAttempt(deliveryID: item.delivery.id, result: .delivered(statusCode: 200, latency: .milliseconds(5)), at: Date())
        }
        return fixture
    }
}

/// The fixture could not be built (the hub never got to where it should be).
struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

@Suite struct ReplayRouteTests {
    @Test func deadLettersListWithTheLastErrorAndEveryAttempt() async throws {
        try await withHub { client, database, key in
            let fixture = try await ReplayFixture.make(client, database.store, key: key)
            let all = try await database.store.allDeliveries()
            let expected = all.filter { $0.delivery.subscriptionID == fixture.dead }
            #expect(!expected.isEmpty)

            let response = try await client.send(.get, "/v1/deliveries?status=dead", key: key)
            #expect(response.status == .ok)
            let dead = try response.decode([DeliveryDetail].self)
            #expect(dead.map(\.delivery.id) == expected.map(\.delivery.id))
            #expect(dead.allSatisfy { $0.delivery.status == .dead && $0.delivery.lastError == "HTTP 503: down for maintenance" })
            #expect(dead.allSatisfy { $0.eventType.hasPrefix("com.crossdock.order.") })
            #expect(dead.allSatisfy { $0.parked == nil }, "only pending deliveries say whether they are parked")
            // The first went through two attempts: numbered, timed, with status, latency and the response excerpt.
            let first = try #require(dead.first)
            #expect(first.history.map(\.attempt) == [1, 2])
            #expect(first.history.map(\.statusCode) == [nil, 503])
            #expect(first.history.map(\.error) == ["connection refused", "HTTP 503: down for maintenance"])
            #expect(first.history.map(\.latencyMs) == [3, 12])
            #expect(dead.dropFirst().allSatisfy { $0.history.count == 1 })
            // The raw document: delivery fields plus type and history.
            let document = try response.json()[0]
            #expect(document?["attempts"]?.intValue == 2)
            #expect(document?["history"]?[1]?["statusCode"]?.intValue == 503)
            #expect(document?["history"]?[1]?["latencyMs"]?.intValue == 12)
            #expect(document?["type"]?.stringValue == first.eventType)
            // Old clients still read the list as deliveries.
            #expect(try response.decode([Delivery].self).count == expected.count)

            let one = try await client.get(DeliveryDetail.self, "/v1/deliveries/\(first.delivery.id)", key: key)
            #expect(one == first)
            let ofOne = try await client.get([DeliveryDetail].self, "/v1/deliveries?subscription=\(fixture.delivered)&limit=2", key: key)
            #expect(ofOne.count == 2 && ofOne.allSatisfy { $0.delivery.subscriptionID == fixture.delivered && $0.delivery.status == .delivered })
            let paged = try await client.get([DeliveryDetail].self, "/v1/deliveries?after=\(ofOne[0].delivery.id)&limit=1", key: key)
            #expect(paged.map(\.delivery.id) == [ofOne[0].delivery.id + 1])

            try expectProblem(try await client.send(.get, "/v1/deliveries/999999", key: key), .notFound, code: "not_found")
            try expectProblem(try await client.send(.get, "/v1/deliveries/abc", key: key), .notFound, code: "not_found")
            try expectProblem(
                try await client.send(.get, "/v1/deliveries?status=gone", key: key),
                .badRequest,
                code: "invalid_query",
                fields: ["status"]
            )
            try expectProblem(try await client.send(.get, "/v1/deliveries?after=-1", key: key), .badRequest, code: "invalid_query", fields: ["after"])
        }
    }

    @Test func aPendingDeliveryBehindADeadOneOfItsKeyIsParked() async throws {
        try await withHub { client, database, key in
            let fixture = try await ReplayFixture.make(client, database.store, key: key, orders: 1)
            let dead = try await database.store.allDeliveries().filter { $0.delivery.subscriptionID == fixture.dead }
            let byKey = Dictionary(grouping: dead, by: \.delivery.orderingKey).values.first { $0.count >= 2 }
            let sameKey = try #require(byKey, "an order's events share its subject").sorted { $0.delivery.eventSequence < $1.delivery.eventSequence }
            let (head, next) = (sameKey[0], sameKey[1])

            let later = try await client.send(.post, "/v1/deliveries/\(next.delivery.id)/replay", key: key)
            #expect(later.status == .ok)
            let parked = try later.decode(DeliveryDetail.self)
            #expect(parked.delivery.status == .pending)
            #expect(parked.parked == true && parked.parkedBy == head.delivery.id, "it waits for the dead head of its key")

            let replayedHead = try await client.send(.post, "/v1/deliveries/\(head.delivery.id)/replay", key: key, json: "{}")
            #expect(replayedHead.status == .ok)
            #expect(try replayedHead.decode(DeliveryDetail.self).parked == false)
            let stillWaiting = try await client.get(DeliveryDetail.self, "/v1/deliveries/\(next.delivery.id)", key: key)
            #expect(stillWaiting.parked == true && stillWaiting.parkedBy == head.delivery.id, "now behind the pending head")
        }
    }

    @Test func replayingOneResetsItAndKeepsTheEventIdAndTheHistory() async throws {
        try await withHub { client, database, key in
            let fixture = try await ReplayFixture.make(client, database.store, key: key)
            let before = try await database.store.allDeliveries()
            let target = try #require(before.first { $0.delivery.subscriptionID == fixture.dead })

            let response = try await client.send(.post, "/v1/deliveries/\(target.delivery.id)/replay", key: key)
            #expect(response.status == .ok, "\(response.text)")
            let replayed = try response.decode(DeliveryDetail.self)
            #expect(replayed.delivery.status == .pending)
            #expect(replayed.delivery.attempts == 0, "a new round of retries")
            #expect(replayed.delivery.eventID == target.delivery.eventID)
            #expect(replayed.delivery.eventSequence == target.delivery.eventSequence)
            #expect(replayed.delivery.lastError == target.delivery.lastError)
            #expect(replayed.history.map(\.attempt) == target.history.map(\.attempt))
            #expect(try await database.store.deliveryDetail(id: target.delivery.id)?.history == target.history, "the history is kept")
            #expect(abs(replayed.delivery.nextAttemptAt.timeIntervalSinceNow) < 5, "due now")
            // Nothing else moved.
            let after = try await database.store.allDeliveries()
            #expect(after.filter { $0.delivery.id != target.delivery.id } == before.filter { $0.delivery.id != target.delivery.id })

            // Its next attempt continues the numbering.
            try await database.store.recordAttempt(
                deliveryID: target.delivery.id,
                result: .delivered(statusCode: 204, latency: .milliseconds(1)),
                at: Date()
            )
            let settled = try #require(try await database.store.deliveryDetail(id: target.delivery.id))
            #expect(settled.history.map(\.attempt) == Array(1...(target.history.count + 1)))
            #expect(settled.delivery.status == .delivered)

            // Delivered ones can be replayed too; pending ones cannot.
            let delivered = try #require(before.first { $0.delivery.subscriptionID == fixture.delivered })
            #expect(try await client.send(.post, "/v1/deliveries/\(delivered.delivery.id)/replay", key: key, json: "{}").status == .ok)
            let counts = try await database.store.rowCounts()
            let refused = try expectProblem(
                try await client.send(.post, "/v1/deliveries/\(delivered.delivery.id)/replay", key: key),
                .conflict,
                code: "illegal_transition"
            )
            #expect(refused["currentStatus"]?.stringValue == "pending")
            try expectProblem(try await client.send(.post, "/v1/deliveries/424242/replay", key: key), .notFound, code: "not_found")
            try expectProblem(
                try await client.send(.post, "/v1/deliveries/\(target.delivery.id)/replay", key: key, json: #"{"force":true}"#),
                .unprocessableContent,
                code: "unknown_fields",
                fields: ["force"]
            )
            #expect(try await database.store.rowCounts() == counts)
        }
    }

    @Test func aBulkReplayAnswersAPlanAndRunsOnlyWhenConfirmed() async throws {
        try await withHub { client, database, key in
            let fixture = try await ReplayFixture.make(client, database.store, key: key)
            let before = try await database.store.allDeliveries()
            let rows = try await database.store.rowCounts()
            let dead = before.filter { $0.delivery.status == .dead }
            let received = dead.filter { $0.eventType == EventType.orderReceived.qualifiedName }
            #expect(received.count == fixture.orderIDs.count)

            let plan = try await client.send(.post, "/v1/deliveries/replay", key: key, json: #"{"status":"dead"}"#)
            #expect(plan.status == .ok, "\(plan.text)")
            #expect(
                try plan.decode(ReplayPlan.self)
                    == ReplayPlan(
                        deliveries: dead.count,
                        endpoints: [.init(subscriptionID: fixture.dead, url: ReplayFixture.sink, deliveries: dead.count)],
                        confirmed: false
                    )
            )
            #expect(try plan.json()["endpoints"]?[0]?["subscriptionId"]?.stringValue == fixture.dead)
            for (body, count) in [
                (#"{"eventType":"order.received"}"#, received.count),
                (#"{"eventType":"com.crossdock.order.received.v1","confirm":false}"#, received.count),
                (#"{"eventType":"order.*","subscriptionId":"sub-dead"}"#, dead.count),
                (#"{"subscriptionId":"sub-delivered"}"#, 0),
                (#"{"status":"delivered"}"#, before.count - dead.count),
                (#"{"since":"2999-01-01T00:00:00Z"}"#, 0),
                (#"{"since":"2000-01-01T00:00:00Z"}"#, dead.count),
            ] {
                let answer = try await client.send(.post, "/v1/deliveries/replay", key: key, json: body)
                #expect(try answer.decode(ReplayPlan.self).deliveries == count, "\(body)")
            }
            // Dry runs change nothing.
            #expect(try await database.store.allDeliveries() == before)
            #expect(try await database.store.rowCounts() == rows)

            for (body, fields) in [
                (#"{"status":"pending"}"#, ["status"]),
                (
                    #"{"status":"bogus","eventType":"order.teleported","since":"yesterday","subscriptionId":"nope"}"#,
                    ["status", "eventType", "since", "subscriptionId"]
                ),
                (#"{"confirm":"yes"}"#, ["confirm"]),
            ] {
                try expectProblem(
                    try await client.send(.post, "/v1/deliveries/replay", key: key, json: body),
                    .unprocessableContent,
                    code: "invalid_fields",
                    fields: fields
                )
            }
            try expectProblem(
                try await client.send(.post, "/v1/deliveries/replay", key: key, json: #"{"confirm":true,"all":true}"#),
                .unprocessableContent,
                code: "unknown_fields",
                fields: ["all"]
            )
            #expect(try await database.store.allDeliveries() == before, "bad input changes nothing")

            let confirmed = try await client.send(
                .post,
                "/v1/deliveries/replay",
                key: key,
                json: #"{"status":"dead","eventType":"order.received","confirm":true}"#
            )
            #expect(try confirmed.decode(ReplayPlan.self).confirmed == true)
            #expect(try confirmed.decode(ReplayPlan.self).deliveries == received.count)
            let after = try await database.store.allDeliveries()
            let reset = Set(received.map(\.delivery.id))
            #expect(after.filter { reset.contains($0.delivery.id) }.allSatisfy { $0.delivery.status == .pending && $0.delivery.attempts == 0 })
            #expect(after.filter { !reset.contains($0.delivery.id) } == before.filter { !reset.contains($0.delivery.id) })
            #expect(after.map(\.delivery.eventID) == before.map(\.delivery.eventID), "replays keep the event ids")
            #expect(try await database.store.rowCounts() == rows, "no delivery or event is created")

            let rest = try await client.send(.post, "/v1/deliveries/replay", key: key, json: #"{"confirm":true}"#)
            #expect(try rest.decode(ReplayPlan.self).deliveries == dead.count - received.count)
            #expect(try await database.store.deliveryCounts().dead == 0)
        }
    }

    @Test func aSubscriptionReplaysFromASequenceNumberOrATime() async throws {
        try await withHub { client, database, key in
            let fixture = try await ReplayFixture.make(client, database.store, key: key)
            let before = try await database.store.allDeliveries()
            let ofSubscription = before.filter { $0.delivery.subscriptionID == fixture.delivered }
            let middle = ofSubscription[ofSubscription.count / 2].delivery.eventSequence
            let fromMiddle = ofSubscription.filter { $0.delivery.eventSequence >= middle }
            let path = "/v1/subscriptions/\(fixture.delivered)/replay"

            for (body, count) in [
                (#"{"fromSequence":\#(middle)}"#, fromMiddle.count),
                (#"{"fromSequence":0}"#, ofSubscription.count),
                (#"{"fromTime":"2000-01-01T00:00:00Z"}"#, ofSubscription.count),
                (#"{"fromTime":"2999-01-01T00:00:00.000Z","confirm":false}"#, 0),
            ] {
                let answer = try await client.send(.post, path, key: key, json: body)
                #expect(answer.status == .ok, "\(answer.text)")
                let plan = try answer.decode(ReplayPlan.self)
                #expect(plan.deliveries == count, "\(body)")
                #expect(plan.confirmed == false)
                #expect(plan.endpoints.map(\.url) == (count == 0 ? [] : [ReplayFixture.live]))
            }
            #expect(try await database.store.allDeliveries() == before)

            for (body, fields) in [
                ("{}", ["fromSequence", "fromTime"]),
                (#"{"fromSequence":1,"fromTime":"2000-01-01T00:00:00Z"}"#, ["fromSequence", "fromTime"]),
                (#"{"fromTime":"last tuesday"}"#, ["fromTime"]),
                (#"{"fromSequence":-1}"#, ["fromSequence"]),
                (#"{"fromSequence":"1"}"#, ["fromSequence"]),
            ] {
                try expectProblem(
                    try await client.send(.post, path, key: key, json: body),
                    .unprocessableContent,
                    code: "invalid_fields",
                    fields: fields
                )
            }
            try expectProblem(
                try await client.send(.post, "/v1/subscriptions/nope/replay", key: key, json: #"{"fromSequence":0}"#),
                .notFound,
                code: "not_found"
            )
            #expect(try await database.store.allDeliveries() == before)

            let confirmed = try await client.send(.post, path, key: key, json: #"{"fromSequence":\#(middle),"confirm":true}"#)
            #expect(
                try confirmed.decode(ReplayPlan.self)
                    == ReplayPlan(
                        deliveries: fromMiddle.count,
                        endpoints: [.init(subscriptionID: fixture.delivered, url: ReplayFixture.live, deliveries: fromMiddle.count)],
                        confirmed: true
                    )
            )
            let after = try await database.store.allDeliveries()
            for item in after where item.delivery.subscriptionID == fixture.delivered {
                #expect(item.delivery.status == (item.delivery.eventSequence >= middle ? .pending : .delivered))
            }
            #expect(
                after.filter { $0.delivery.subscriptionID != fixture.delivered } == before.filter { $0.delivery.subscriptionID != fixture.delivered }
            )
            #expect(after.map(\.delivery.eventID) == before.map(\.delivery.eventID))
        }
    }

    @Test func aSubscriptionReplayDeliversEventsBehindItsCursorThatItNeverHad() async throws {
        try await withHub { client, database, key in
            _ = try await ReplayFixture.make(client, database.store, key: key, orders: 2)
            let last = try await database.store.lastSequence()
            // Created "from now on": its cursor is at the end of the log, so it has no deliveries at all.
            try await database.store.insertSubscription(
                Subscription(
                    id: "sub-late",
                    url: "http://127.0.0.1:9/late",
                    eventTypes: ["order.received"],
                    secret: WebhookSigner.makeSecret(),
                    createdAt: Date(),
                    cursor: last,
                    status: .paused
                )
            )
            let received = try await database.store.events(after: 0, limit: 10_000).filter { $0.shortType == "order.received" }
            let plan = try await client.send(.post, "/v1/subscriptions/sub-late/replay", key: key, json: #"{"fromSequence":1}"#)
            #expect(try plan.decode(ReplayPlan.self).deliveries == received.count)
            #expect(try await database.store.allDeliveries().allSatisfy { $0.delivery.subscriptionID != "sub-late" })

            let confirmed = try await client.send(.post, "/v1/subscriptions/sub-late/replay", key: key, json: #"{"fromSequence":1,"confirm":true}"#)
            #expect(try confirmed.decode(ReplayPlan.self).deliveries == received.count)
            let created = try await database.store.allDeliveries().filter { $0.delivery.subscriptionID == "sub-late" }
            #expect(created.map(\.delivery.eventID) == received.map(\.id))
            #expect(created.allSatisfy { $0.delivery.status == .pending && $0.delivery.orderingKey != "" })
        }
    }

    @Test func anOrderReplaysEveryEventToEverySubscriptionThatHadIt() async throws {
        try await withHub { client, database, key in
            let fixture = try await ReplayFixture.make(client, database.store, key: key)
            let before = try await database.store.allDeliveries()
            let rows = try await database.store.rowCounts()
            let order = fixture.orderIDs[1]
            let events = Set(try await database.store.events(after: 0, limit: 10_000).filter { $0.correlationid == order }.map(\.id))
            let ofOrder = before.filter { events.contains($0.delivery.eventID) }
            let toDead = ofOrder.filter { $0.delivery.subscriptionID == fixture.dead }.count
            #expect(toDead > 0 && ofOrder.count > toDead, "the order's events went to both subscriptions")

            for body in [nil, "{}", #"{"confirm":false}"#] {
                let answer = try await client.send(.post, "/v1/orders/\(order)/replay", key: key, json: body)
                #expect(answer.status == .ok, "\(answer.text)")
                let plan = try answer.decode(ReplayPlan.self)
                #expect(plan.deliveries == ofOrder.count && plan.confirmed == false)
                #expect(
                    Set(plan.endpoints) == [
                        .init(subscriptionID: fixture.delivered, url: ReplayFixture.live, deliveries: ofOrder.count - toDead),
                        .init(subscriptionID: fixture.dead, url: ReplayFixture.sink, deliveries: toDead),
                    ]
                )
            }
            #expect(try await database.store.allDeliveries() == before)
            try expectProblem(
                try await client.send(.post, "/v1/orders/SO-NOPE/replay", key: key, json: #"{"confirm":true}"#),
                .notFound,
                code: "not_found"
            )
            try expectProblem(
                try await client.send(.post, "/v1/orders/\(order)/replay", key: key, json: #"{"confirm":1}"#),
                .unprocessableContent,
                code: "invalid_fields",
                fields: ["confirm"]
            )
            #expect(try await database.store.allDeliveries() == before)

            let confirmed = try await client.send(.post, "/v1/orders/\(order)/replay", key: key, json: #"{"confirm":true}"#)
            #expect(try confirmed.decode(ReplayPlan.self).deliveries == ofOrder.count)
            let after = try await database.store.allDeliveries()
            #expect(after.filter { events.contains($0.delivery.eventID) }.allSatisfy { $0.delivery.status == .pending })
            #expect(
                after.filter { !events.contains($0.delivery.eventID) } == before.filter { !events.contains($0.delivery.eventID) },
                "other orders untouched"
            )
            #expect(after.map(\.delivery.eventID) == before.map(\.delivery.eventID))
            #expect(try await database.store.rowCounts() == rows)
        }
    }

    @Test func readingNeedsEventsReadAndReplayingSubscriptionsWrite() async throws {
        try await withHub { client, database, key in
            let fixture = try await ReplayFixture.make(client, database.store, key: key, orders: 1)
            let (_, reader) = try await APIKeys.create(in: database.store, name: "reader", scopes: ["events:read"])
            let id = try #require(try await database.store.allDeliveries().first?.delivery.id)
            #expect(try await client.send(.get, "/v1/deliveries?status=dead", key: reader).status == .ok)
            #expect(try await client.send(.get, "/v1/deliveries/\(id)", key: reader).status == .ok)
            let before = try await database.store.allDeliveries()
            for (path, body) in [
                ("/v1/deliveries/\(id)/replay", nil),
                ("/v1/deliveries/replay", #"{"confirm":true}"#),
                ("/v1/subscriptions/\(fixture.dead)/replay", #"{"fromSequence":0,"confirm":true}"#),
                ("/v1/orders/\(fixture.orderIDs[0])/replay", #"{"confirm":true}"#),
            ] {
                let problem = try expectProblem(try await client.send(.post, path, key: reader, json: body), .forbidden, code: "insufficient_scope")
                #expect(problem["requiredScope"]?.stringValue == "subscriptions:write")
            }
            #expect(try await database.store.allDeliveries() == before)
        }
    }
}

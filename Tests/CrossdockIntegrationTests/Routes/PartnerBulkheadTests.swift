import CrossdockDomain
import CrossdockEngine
import CrossdockHTTP
import CrossdockStore
import CrossdockTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The per-partner cap on requests worked on at once (`--partner-concurrency`): a partner's requests beyond its turns
/// wait, first come first served, other partners are not held, and every waiting request is eventually served.
@Suite struct PartnerBulkheadTests {
    @Test func requestsBeyondAPartnersTurnsWaitInOrderOfArrivalAndOthersDoNot() async throws {
        let turns = PartnerTurns(limit: 2)
        #expect(await turns.take("shop") == false)
        #expect(await turns.take("shop") == false)
        #expect(await turns.take("3pl") == false, "another partner has turns of its own")
        let served = Served()
        let third = Task {
            #expect(await turns.take("shop"), "the third request of shop waits")
            await served.append(3)
        }
        try await Self.until { turns.state("shop").waiting == 1 }
        let fourth = Task {
            _ = await turns.take("shop")
            await served.append(4)
        }
        try await Self.until { turns.state("shop").waiting == 2 }
        #expect(await served.order.isEmpty)
        turns.give("shop")
        await third.value
        #expect(await served.order == [3])
        #expect(turns.state("shop") == (2, 1), "the turn passed on: two at work, one waiting")
        turns.give("shop")
        await fourth.value
        #expect(await served.order == [3, 4], "first come, first served")
        turns.give("shop")
        turns.give("shop")
        turns.give("3pl")
        #expect(turns.state("shop") == (0, 0) && turns.state("3pl") == (0, 0))
    }

    /// Over HTTP with one turn per partner: a partner's concurrent orders are all taken, one after the other, and a
    /// key bound to no partner is not queued behind them.
    @Test func aPartnersConcurrentRequestsAreAllServedWithOneTurn() async throws {
        var configuration = Hub.Configuration.quiet
        configuration.partnerConcurrency = 1
        try await withHub(configuration: configuration) { client, database, admin in
            let shop = try await APIKeys.create(in: database.store, name: "shop", scopes: ["orders:write", "orders:read"], partner: "shop").1
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await client.send(
                            .post,
                            "/v1/orders",
                            key: shop,
                            json: orderJSON(externalID: "BULK-\(index)").replacingOccurrences(of: #""channel":"api""#, with: #""channel":"shop""#)
                        ).status
                    }
                }
                group.addTask { try await client.send(.get, "/v1/orders", key: admin).status }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 8, "\(statuses)")
            #expect(statuses.filter { $0 == .ok }.count == 1)
        }
    }

    static func until(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// The order in which waiting requests were served.
private actor Served {
    var order: [Int] = []
    func append(_ request: Int) { order.append(request) }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockSandbox
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Contention always ends in progress: commands that keep losing their guards are decided again while the store holds
/// their keys, so a hot SKU never answers 503 `contention`.
@Suite struct ContentionTests {
    @Test func twoHundredConcurrentCommandsOnOneSKUAllCommitAndTheBooksBalance() async throws {
        let catalog = Catalog().stocking("SKU-0001", ["WH-EAST": 60], safetyStock: 0)
        try await withHub(catalog: catalog) { client, database, key in
            // Orders to cancel and receipts to arrive, made before the storm.
            var orders: [String] = []
            for index in 0..<40 {
                orders.append(try await client.createOrder(orderJSON(externalID: "HOT-PRE-\(index)", sku: "SKU-0001", quantity: 1), key: key).id)
            }
            var receipts: [String] = []
            for index in 0..<30 {
                let response = try await client.send(
                    .post,
                    "/v1/inventory/receipts",
                    key: key,
                    json:
                        #"{"warehouseId":"WH-EAST","sku":"SKU-0001","quantity":2,"expectedDate":"2030-01-0\#(1 + index % 9)","reference":"PO-HOT-\#(index)"}"#
                )
                #expect(response.status == .created, "\(response.text)")
                receipts.append(try #require(try response.json()["id"]?.stringValue))
            }
            let commands: [(String, String)] =
                (0..<100).map {
                    ("/v1/orders", orderJSON(externalID: "HOT-\($0)", customer: "CUST-00\(1 + $0 % 5)", sku: "SKU-0001", quantity: 1 + $0 % 2))
                }
                + orders.map { ("/v1/orders/\($0)/cancel", #"{"reason":"customer"}"#) }
                + receipts.map { ("/v1/inventory/receipts/\($0)/arrivals", #"{"quantity":2}"#) }
                + (0..<30).map { _ in
                    ("/v1/inventory/adjustments", #"{"warehouseId":"WH-EAST","sku":"SKU-0001","quantity":3,"reason":"cycle_count"}"#)
                }
            let statuses = try await withThrowingTaskGroup(of: (String, Int, String).self) { group in
                for (index, (path, body)) in commands.shuffled().enumerated() {
                    group.addTask {
                        let response = try await client.send(.post, path, key: key, json: body, headers: [.idempotencyKey: "hot-\(index)"])
                        return (path, Int(response.status.code), response.text)
                    }
                }
                var all: [(String, Int, String)] = []
                for try await result in group { all.append(result) }
                return all
            }
            let refused = statuses.filter { !(200..<300).contains($0.1) }
            #expect(refused.isEmpty, "every command commits; refused: \(refused.prefix(2).map { "\($0.0) \($0.1) \($0.2.prefix(200))" })")
            #expect(!statuses.contains { $0.2.contains("contention") })

            let balances = try await database.store.balances(sku: "SKU-0001")
            let onHand = balances.reduce(0) { $0 + $1.onHand }
            #expect(onHand == 60 + 30 * 2 + 30 * 3, "every adjustment and arrival counted once")
            let all = try await database.store.orders(OrderQuery(limit: 1000)).orders
            let held = all.flatMap(\.lines).filter { $0.sku == "SKU-0001" }.reduce(0) { $0 + $1.allocated + $1.released }
            #expect(balances.reduce(0) { $0 + $1.reserved } == held, "reservations equal what the orders hold")
            #expect(balances.allSatisfy { $0.reserved <= $0.onHand })
            // Open units are cancelled at once; released ones are asked of the warehouse.
            let cancelled = all.filter { $0.externalID.hasPrefix("HOT-PRE-") }
            #expect(cancelled.allSatisfy { order in order.status == .cancelled || order.lines.allSatisfy { $0.cancelRequested == $0.released } })
        }
    }
}

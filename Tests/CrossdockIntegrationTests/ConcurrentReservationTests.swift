import CrossdockDomain
import CrossdockEngine
import CrossdockSandbox
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Reservations are race-free by construction: a conditional update on the balance, re-decided on conflict.
@Suite struct ConcurrentReservationTests {
    @Test func fiftyConcurrentOrdersForTwentyUnitsReserveExactlyTwenty() async throws {
        // SKU-0001 is scarce in the default catalog; give it exactly 20 units in one warehouse.
        let catalog = Catalog().stocking("SKU-0001", ["WH-EAST": 20], safetyStock: 0)
        try await withHub(catalog: catalog) { client, database, key in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let customer = "CUST-00\(1 + index % 5)"
                        let response = try await client.send(
                            .post,
                            "/v1/orders",
                            key: key,
                            json: orderJSON(externalID: "RACE-\(index)", customer: customer, sku: "SKU-0001", quantity: 1)
                        )
                        return Int(response.status.code)
                    }
                }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                #expect(statuses.allSatisfy { $0 == 201 })
            }
            let balances = try await database.store.balances(sku: "SKU-0001")
            #expect(balances.reduce(0) { $0 + $1.reserved } == 20)
            #expect(balances.allSatisfy { $0.reserved <= $0.onHand })
            let orders = try await database.store.orders(OrderQuery(limit: 100)).orders
            #expect(orders.count == 50)
            let allocated = orders.flatMap(\.lines).reduce(0) { $0 + $1.released + $1.allocated }
            let backordered = orders.flatMap(\.lines).reduce(0) { $0 + $1.backordered }
            #expect(allocated == 20)
            #expect(backordered == 30)
            #expect(orders.filter { $0.status == .released }.count == 20)
            #expect(orders.filter { $0.status == .backordered }.count == 30)
        }
    }
}

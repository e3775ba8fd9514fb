import CrossdockDomain
import CrossdockEDI
import CrossdockEngine
import CrossdockSandbox
import CrossdockStore
import CrossdockTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing

/// Onboarding by configuration (docs/onboarding.md): a fourth warehouse, operated by an X12 3PL, is added to a running
/// hub through the API while orders keep flowing, with no code and no restart.
@Suite struct OnboardingTests {
    @Test func aFourthWarehousePartnerAddedWhileOrdersFlowGetsItsOrdersAndItsConfirmationsApply() async throws {
        // SKU-0005 is out of stock everywhere, so its order can only go to the warehouse being onboarded.
        let catalog = Catalog().stocking("SKU-0005", [:])
        try await withHub(catalog: catalog) { client, database, key in
            // Orders for other SKUs keep arriving the whole time.
            let flowing = Task {
                var statuses: [Int] = []
                for index in 0..<40 where !Task.isCancelled {
                    let response = try await client.postOrder(orderJSON(externalID: "FLOW-\(index)", sku: "SKU-0010", quantity: 1), key: key)
                    statuses.append(Int(response.status.code))
                    try await Task.sleep(for: .milliseconds(20))
                }
                return statuses
            }
            // The configuration: the warehouse, its stock, and the 3PL's partner profile.
            let warehouse = #"{"name":"North 3PL","region":"US-MN","priority":4}"#
            #expect(try await client.send(.put, "/v1/warehouses/WH-NORTH", key: key, json: warehouse).status == .ok)
            let stock = #"{"warehouseId":"WH-NORTH","sku":"SKU-0005","quantity":50,"reason":"receipt"}"#
            #expect(try await client.send(.post, "/v1/inventory/adjustments", key: key, json: stock).status == .created)
            let profile = X12Fixtures.profile(role: "warehouse", warehouse: "WH-NORTH")
            #expect(try await client.send(.put, "/v1/partners/acme", key: key, json: profile).status == .ok)

            let order = try await client.createOrder(orderJSON(externalID: "NORTH-1", sku: "SKU-0005", quantity: 2), key: key)
            let fulfillment = try #require(try await database.store.fulfillments(orderID: order.id).first)
            #expect(fulfillment.warehouseID == "WH-NORTH", "released to the new warehouse")

            let follower = EDIOutbound(store: database.store, logger: Logger(label: "test"))
            try await EDIOutboundTests.drain(follower, database, orderID: order.id, sets: ["940"])
            let sent = try await database.store.ediDocuments(orderID: order.id).filter { $0.transactionSet == "940" }
            #expect(sent.count == 1, "the 3PL gets its shipping order")
            let record = try #require(sent.first)
            let text = try #require(try await database.store.ediInterchange(record.interchangeID)?.text)
            try ExternalValidators.expectValid(text, "940")

            let advice = X12Fixtures.shippingAdvice(
                fulfillmentID: fulfillment.id,
                shipment: "SHP-N1",
                tracking: "1ZNORTH0001",
                sku: "SKU-0005",
                quantity: 2
            )
            let answer = try await EDIRouteTests.post(
                client,
                X12Fixtures.interchange(control: 500, functionalID: "SW", sets: [("945", advice)]),
                key: key
            )
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.text.contains("AK9*A*1*1*1"), "the 945 is accepted: \(answer.text)")
            let shipments = try await database.store.shipments(orderID: order.id)
            #expect(shipments.map { $0.packages.map(\.trackingNumber) } == [["1ZNORTH0001"]], "its confirmation ships the order")

            let statuses = try await flowing.value
            #expect(statuses.count == 40 && statuses.allSatisfy { $0 == 201 }, "orders kept flowing: \(Set(statuses))")
        }
    }
}

import CrossdockDomain
import CrossdockStore
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct CustomerStandingRouteTests {
    @Test func standingOfAnOrdinaryCustomer() async throws {
        try await withHub { client, _, key in
            let response = try await client.send(.get, "/v1/customers/CUST-001/standing", key: key)
            #expect(response.status == .ok)
            let json = try response.json()
            for field in ["creditLimit", "openBalance", "openOrders", "exposure", "availableCredit", "holds", "canOrder", "status"] {
                #expect(json[field] != nil, "missing \(field)")
            }
            #expect(json["creditLimit"]?["minorUnits"]?.intValue == 500_000_000)
            #expect(json["creditLimit"]?["currency"]?.stringValue == "USD")
            #expect(json["holds"]?.arrayValue == [])
            #expect(json["canOrder"]?.boolValue == true)
            let standing = try response.decode(CreditStanding.self)
            #expect(standing.openBalance == Money(1_000_000, .usd))  // 1 × 10 000.00
            #expect(standing.openOrders == .zero(.usd))
            #expect(standing.exposure == standing.openBalance)
            #expect(standing.availableCredit == standing.creditLimit - standing.exposure)
            #expect(standing.status == .active)
        }
    }

    @Test func exposureGrowsByTheAcceptedOrdersTotal() async throws {
        try await withHub { client, _, key in
            let before = try await client.get(CreditStanding.self, "/v1/customers/CUST-002/standing", key: key)
            let order = try await client.createOrder(orderJSON(externalID: "ST-1", customer: "CUST-002", quantity: 3), key: key)
            #expect(order.status == .released)
            let after = try await client.get(CreditStanding.self, "/v1/customers/CUST-002/standing", key: key)
            #expect(after.openOrders == before.openOrders + order.total)
            #expect(after.exposure == before.exposure + order.total)
            #expect(after.availableCredit == before.availableCredit - order.total)
            #expect(after.creditLimit == before.creditLimit)
            #expect(after.canOrder)

            // Held and rejected orders reserve no credit.
            let rejected = try await client.createOrder(
                #"{"channel":"api","externalId":"ST-2","customerId":"CUST-002","currency":"EUR","lines":[{"sku":"SKU-0010","quantity":1}]}"#,
                key: key
            )
            #expect(rejected.status == .rejected)
            #expect(try await client.get(CreditStanding.self, "/v1/customers/CUST-002/standing", key: key) == after)
            // Other customers are untouched.
            let other = try await client.get(CreditStanding.self, "/v1/customers/CUST-003/standing", key: key)
            #expect(other.openOrders == .zero(.usd))
        }
    }

    @Test func creditHoldShowsAndBlocksOrdering() async throws {
        try await withHub { client, _, key in
            let standing = try await client.get(CreditStanding.self, "/v1/customers/CUST-013/standing", key: key)
            #expect(standing.holds == ["credit_hold: invoices 60 days past due"])
            #expect(!standing.canOrder)
            #expect(standing.availableCredit.minorUnits > 0)
        }
    }

    @Test func nearLimitCustomer() async throws {
        try await withHub { client, _, key in
            let standing = try await client.get(CreditStanding.self, "/v1/customers/CUST-007/standing", key: key)
            #expect(standing.creditLimit == Money(250_000, .usd))
            #expect(standing.exposure == Money(100_000, .usd))
            #expect(standing.availableCredit == Money(150_000, .usd))
            #expect(standing.canOrder)
        }
    }

    @Test func unknownCustomerIs404() async throws {
        try await withHub { client, _, key in
            let problem = try expectProblem(try await client.send(.get, "/v1/customers/CUST-404/standing", key: key), .notFound, code: "not_found")
            #expect(problem["detail"]?.stringValue?.contains("CUST-404") == true)
            try expectProblem(try await client.send(.get, "/v1/customers/CUST-404", key: key), .notFound, code: "not_found")
        }
    }
}

@Suite struct AvailabilityRouteTests {
    @Test func perWarehouseAndTotal() async throws {
        try await withHub { client, _, key in
            let response = try await client.send(.get, "/v1/inventory/availability?sku=SKU-0010", key: key)
            #expect(response.status == .ok)
            let json = try response.json()
            #expect(json["sku"]?.stringValue == "SKU-0010")
            let availability = try response.decode(AvailabilityDocument.self)
            #expect(Set(availability.warehouses.map(\.warehouseId)) == ["WH-EAST", "WH-CENTRAL", "WH-WEST"])
            // Catalog: 400 − (9 × 7 + w × 13) mod 100 units, safety stock 5.
            #expect(availability.row("WH-EAST")?.onHand == 337)
            #expect(availability.row("WH-CENTRAL")?.onHand == 324)
            #expect(availability.row("WH-WEST")?.onHand == 311)
            for row in availability.warehouses {
                #expect(row.reserved == 0)
                #expect(row.safetyStock == 5)
                #expect(row.availableToPromise == row.onHand - row.reserved - row.safetyStock)
            }
            #expect(availability.availableToPromise == availability.warehouses.reduce(0) { $0 + $1.availableToPromise })
            #expect(availability.availableToPromise == 337 + 324 + 311 - 15)
        }
    }

    @Test func reservationsLowerAvailableToPromise() async throws {
        try await withHub { client, _, key in
            let before = try await client.availability("SKU-0010", key: key)
            let order = try await client.createOrder(orderJSON(externalID: "AV-1", quantity: 4), key: key)
            let warehouse = try #require(order.lines[0].warehouseQuantities.keys.first)
            let after = try await client.availability("SKU-0010", key: key)
            #expect(after.availableToPromise == before.availableToPromise - 4)
            #expect(after.row(warehouse)?.reserved == 4)
            #expect(after.row(warehouse)?.onHand == before.row(warehouse)?.onHand)
        }
    }

    @Test func scarceSKUHasNoSafetyStock() async throws {
        try await withHub { client, _, key in
            let availability = try await client.availability("SKU-0001", key: key)
            #expect(availability.availableToPromise == 5)
            #expect(availability.warehouses.allSatisfy { $0.safetyStock == 0 })
            #expect((availability.row("WH-WEST")?.onHand ?? 0) == 0)
        }
    }

    @Test(arguments: ["/v1/inventory/availability", "/v1/inventory/availability?sku=", "/v1/inventory/availability?warehouse=WH-EAST"])
    func missingSKUIs400(uri: String) async throws {
        try await withHub { client, _, key in
            let problem = try expectProblem(try await client.send(.get, uri, key: key), .badRequest, code: "invalid_query", fields: ["sku"])
            #expect(problem["instance"]?.stringValue == "/v1/inventory/availability")
        }
    }

    @Test func unknownSKUIs404() async throws {
        try await withHub { client, _, key in
            let problem = try expectProblem(
                try await client.send(.get, "/v1/inventory/availability?sku=SKU-9999", key: key),
                .notFound,
                code: "not_found"
            )
            #expect(problem["detail"]?.stringValue?.contains("SKU-9999") == true)
        }
    }
}

import CrossdockDomain
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Master data for pricing and units through the API: dated prices, case prices, contracts and product units are
/// checked field by field (a bad one is a 422 naming it and changes nothing), and orders use them.
@Suite("Pricing and units routes")
struct PricingAndUnitsRouteTests {
    static let product =
        #"{"description":"Item 10","unitOfMeasure":"EA","gtin":"000123400010","units":[{"code":"CA","quantity":12,"gtin":"10001234000107"}]}"#

    @Test func badPricesUnitsAndContractsAreRefusedFieldByField() async throws {
        try await withHub { client, database, key in
            let list =
                #"{"currency":"USD","entries":[{"sku":"SKU-0010","unitPrice":100,"validFrom":"2026-02-30"},{"sku":"SKU-0010","unitPrice":100,"validFrom":"2026-03-02","validTo":"2026-03-01"},{"sku":"SKU-0010","unitPrice":100,"unitOfMeasure":""}]}"#
            let refused = try await client.send(.put, "/v1/price-lists/PL-STD", key: key, json: list)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.headers[.contentType] == "application/problem+json")
            for field in ["entries[0].validFrom", "entries[1].validTo", "entries[2].unitOfMeasure"] {
                #expect(refused.text.contains("\"field\":\"\(field)\""), "\(refused.text)")
            }
            #expect(try await database.store.priceList("PL-STD")?.entries.contains { $0.validFrom != nil } == false, "nothing was written")

            let units =
                #"{"description":"X","unitOfMeasure":"EA","units":[{"code":"EA","quantity":12},{"code":"CA","quantity":1},{"code":"ca","quantity":6}]}"#
            let badProduct = try await client.send(.put, "/v1/products/SKU-0010", key: key, json: units)
            #expect(badProduct.status == .unprocessableContent)
            for field in ["units", "units[0].code", "units[1].quantity"] {
                #expect(badProduct.text.contains("\"field\":\"\(field)\""), "\(badProduct.text)")
            }

            let customer = try await client.get(Customer.self, "/v1/customers/CUST-001", key: key)
            var json = String(decoding: try JSONCoding.encoder().encode(customer), as: UTF8.self)
            json.removeLast()
            json += #","contracts":[{"id":"","currency":"USD","validFrom":"2026-13-01","entries":[{"sku":"SKU-0010","unitPrice":-1}]}]}"#
            let badContract = try await client.send(
                .put,
                "/v1/customers/CUST-001",
                key: key,
                json: json.replacingOccurrences(of: #""contracts":[],"#, with: "")
            )
            #expect(badContract.status == .unprocessableContent, "\(badContract.text)")
            for field in ["contracts[0].id", "contracts[0].validFrom", "contracts[0].entries[0].unitPrice"] {
                #expect(badContract.text.contains("\"field\":\"\(field)\""), "\(badContract.text)")
            }
        }
    }

    @Test func contractSKUsAndUnitGTINsMeetTheIdentifierRules() async throws {
        try await withHub { client, database, key in
            let before = try await database.store.product("SKU-0010")
            let units = #"{"description":"X","unitOfMeasure":"EA","units":[{"code":"CA","quantity":12,"gtin":"1000\u202E7"}]}"#
            let badProduct = try await client.send(.put, "/v1/products/SKU-0010", key: key, json: units)
            _ = try expectProblem(badProduct, .unprocessableContent, code: "invalid_fields")
            #expect(badProduct.text.contains(#""field":"units[0].gtin""#), "\(badProduct.text)")
            #expect(try await database.store.product("SKU-0010") == before, "nothing was written")

            var customer = try await client.get(Customer.self, "/v1/customers/CUST-001", key: key)
            customer.contracts = [PriceContract(id: "K-1", currency: .usd, entries: [.init(sku: "SKU\u{202E}10", unitPrice: 100)])]
            let badContract = try await client.send(
                .put,
                "/v1/customers/CUST-001",
                key: key,
                json: String(decoding: try JSONCoding.encoder().encode(customer), as: UTF8.self)
            )
            _ = try expectProblem(badContract, .unprocessableContent, code: "invalid_fields")
            #expect(badContract.text.contains(#""field":"contracts[0].entries[0].sku""#), "\(badContract.text)")
            #expect(try await database.store.customer("CUST-001")?.contracts == [], "nothing was written")
        }
    }

    @Test func anOrderInCasesIsBookedInEachAtTheCaseOrContractPrice() async throws {
        try await withHub { client, _, key in
            #expect(try await client.send(.put, "/v1/products/SKU-0010", key: key, json: Self.product).status == .ok)
            // 3 cases: 36 EA at the list's base price (1732, no break under 50).
            let order = try await client.createOrder(
                orderJSON(externalID: "CA-1", lines: #"[{"lineNo":1,"sku":"SKU-0010","quantity":3,"unitOfMeasure":"CA"}]"#),
                key: key
            )
            let line = try #require(order.lines.first)
            #expect(line.quantity == 36 && line.unitPrice == Money(1_732, .usd) && line.orderedUnit?.code == "CA")
            #expect(order.status == .released)
            let fulfillment = try #require(order.fulfillmentOrderIDs.first)
            let released = try await client.get(FulfillmentOrder.self, "/v1/fulfillments/\(fulfillment)", key: key)
            #expect(released.lines.first?.quantity == 36, "the warehouse gets eaches")

            // A contract for the customer with a case price and a break.
            let customer = try await client.get(Customer.self, "/v1/customers/CUST-001", key: key)
            var contracted = customer
            contracted.contracts = [
                PriceContract(
                    id: "K-1",
                    currency: .usd,
                    entries: [
                        .init(sku: "SKU-0010", unitPrice: 18_000, unitOfMeasure: "CA"),
                        .init(sku: "SKU-0010", minQuantity: 10, unitPrice: 17_400, unitOfMeasure: "CA"),
                    ]
                )
            ]
            let put = try await client.send(
                .put,
                "/v1/customers/CUST-001",
                key: key,
                json: String(decoding: try JSONCoding.encoder().encode(contracted), as: UTF8.self)
            )
            #expect(put.status == .ok, "\(put.text)")
            let cased = try await client.createOrder(
                orderJSON(externalID: "CA-2", lines: #"[{"lineNo":1,"sku":"SKU-0010","quantity":10,"unitOfMeasure":"CA"}]"#),
                key: key
            )
            #expect(cased.lines[0].unitPrice == Money(1_450, .usd) && cased.lines[0].priceSource == "contract:K-1;min:10;unit:CA")

            let unknown = try await client.send(
                .post,
                "/v1/orders",
                key: key,
                json: orderJSON(externalID: "CA-3", lines: #"[{"sku":"SKU-0011","quantity":1,"unitOfMeasure":"CA"}]"#)
            )
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("lines[0].unitOfMeasure"), "\(unknown.text)")
        }
    }
}

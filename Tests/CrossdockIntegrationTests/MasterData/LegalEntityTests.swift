import CrossdockDomain
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Legal entities on a real hub (both backends): accounts name their entity and must book in its currency, orders take
/// the entity and its tax rules, each ERP instance's subscription gets only its entity's documents, only the entity's
/// ERP instance may feed its accounts, and the reconciliation balances per entity and per currency.
@Suite("Legal entities")
struct LegalEntityTests {
    static var catalog: Catalog {
        var catalog = Catalog()
        catalog.addEuropeanEntity(accounts: 2)
        return catalog
    }

    static func euroOrder(_ externalID: String, customer: String = "CUST-EU-01") -> String {
        #"{"channel":"api","externalId":"\#(externalID)","customerId":"\#(customer)","currency":"EUR","lines":[{"lineNo":1,"sku":"SKU-0010","quantity":2}]}"#
    }

    static func account(_ id: String, entity: String, currency: String, priceList: String) -> String {
        let address = #"{"name":"Dock","lines":["1 Quay"],"city":"Hamburg","region":"DE","postalCode":"20457","country":"DE"}"#
        return #"{"id":"\#(id)","name":"Account \#(id)","creditLimit":{"minorUnits":100000,"currency":"\#(currency)"},"billTo":\#(address),"#
            + #""shipTo":[{"code":"MAIN","address":\#(address)}],"priceListId":"\#(priceList)","legalEntityId":"\#(entity)"}"#
    }

    @Test func ordersTakeTheirEntityItsCurrencyAndItsTaxRules() async throws {
        try await withHub(catalog: Self.catalog) { client, database, key in
            let euro = try await client.send(.post, "/v1/orders", key: key, json: Self.euroOrder("EU-1"))
            #expect(euro.status == .created, "\(euro.text)")
            let order = try euro.decode(SalesOrder.self)
            #expect(order.legalEntityID == "EU")
            #expect(order.currency.code == "EUR")
            // CUST-EU-01 ships to DE: the European entity's 19 %, not a hub-wide rate (the hub has none for DE).
            #expect(order.taxRatePPM == 190_000)
            let us = try await client.send(.post, "/v1/orders", key: key, json: orderJSON(externalID: "US-1"))
            let usOrder = try us.decode(SalesOrder.self)
            #expect(usOrder.legalEntityID == "US")
            #expect(usOrder.taxRatePPM == Catalog().taxRates[Catalog().customers[0].shipTo[0].address.region])
            // The order events carry the entity.
            let events = try await database.store.events(after: 0, limit: 1000)
            let accepted = events.filter { $0.type == EventType.orderAccepted.qualifiedName && $0.subject == order.id }
            #expect(accepted.count == 1)
            #expect(accepted.first?.data["legalEntityId"] == .string("EU"))
            // The trace, and the console's page of it, name the entity.
            let trace = try await client.send(.get, "/v1/orders/\(order.id)/trace", key: key).json()
            #expect(trace["legalEntityId"] == .string("EU"))
            let cookie = try await client.consoleSession(key: key)
            #expect(try await client.consolePage("/console/orders/\(order.id)", cookie: cookie).text.contains("legal entity EU"))
        }
    }

    @Test func eachERPInstanceSubscriptionGetsOnlyItsEntitysDocuments() async throws {
        try await withHub(catalog: Self.catalog) { client, database, key in
            var ids: [String: String] = [:]
            for entity in ["US", "EU"] {
                let body =
                    #"{"url":"http://127.0.0.1:9/erp-\#(entity.lowercased())","eventTypes":["order.accepted","invoice.posted","credit_memo.issued"],"#
                    + #""settings":{"attributes":{"entity":"\#(entity)"}}}"#
                let created = try await client.send(.post, "/v1/subscriptions", key: key, json: body)
                #expect(created.status == .created, "\(created.text)")
                ids[entity] = try #require(try created.json()["id"]?.stringValue)
                _ = try await client.send(.post, "/v1/subscriptions/\(ids[entity]!)/pause", key: key)
            }
            var orders: [String: String] = [:]
            for (entity, body) in [
                ("EU", Self.euroOrder("EU-2")), ("US", orderJSON(externalID: "US-2")), ("EU", Self.euroOrder("EU-3", customer: "CUST-EU-02")),
            ] {
                let response = try await client.send(.post, "/v1/orders", key: key, json: body)
                #expect(response.status == .created)
                orders[try #require(try response.json()["id"]?.stringValue)] = entity
            }
            // On PostgreSQL the feed may hold a just-committed order's events back for a moment (its fence waits for an
            // older transaction of one of the hub's jobs): fan out once the feed shows every order's events, until each
            // subscription's cursor has passed them.
            let deadline = ContinuousClock.now + .seconds(30)
            var events = try await database.store.events(after: 0, limit: 5000)
            while !Set(events.map(\.correlationid)).isSuperset(of: orders.keys) {
                guard ContinuousClock.now < deadline else { throw TestFailure("the feed never showed every order's events") }
                try await Task.sleep(for: .milliseconds(50))
                events = try await database.store.events(after: 0, limit: 5000)
            }
            let last = events.compactMap { Int64($0.sequence) }.max() ?? 0
            let subjects = Dictionary(events.map { ($0.id, $0.subject) }) { $1 }
            for (entity, id) in ids {
                while try await database.store.subscription(id).map({ $0.cursor < last }) ?? true {
                    guard ContinuousClock.now < deadline else { throw TestFailure("subscription \(id) never fanned out") }
                    if try await database.store.fanOut(subscriptionID: id, limit: 500, now: Date()) == 0 {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                let deliveries = try await database.store.deliveryDetails(DeliveryQuery(subscriptionID: id, limit: 100))
                // One order.accepted per order of the entity, none of the other's.
                #expect(deliveries.count == orders.values.filter { $0 == entity }.count)
                let routed = Set(deliveries.compactMap { subjects[$0.delivery.eventID] })
                #expect(routed == Set(orders.filter { $0.value == entity }.keys), "entity \(entity)")
            }
        }
    }

    @Test func anAccountMustNameAnEntityThatExistsAndBookInItsCurrency() async throws {
        try await withHub(catalog: Self.catalog) { client, database, key in
            let before = try await database.store.rowCounts()
            let unknown = try await client.send(
                .put,
                "/v1/customers/CUST-X",
                key: key,
                json: Self.account("CUST-X", entity: "APAC", currency: "USD", priceList: "PL-STD")
            )
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.text.contains("unknown legal entity 'APAC'"))
            let dollars = try await client.send(
                .put,
                "/v1/customers/CUST-X",
                key: key,
                json: Self.account("CUST-X", entity: "EU", currency: "USD", priceList: "PL-STD")
            )
            #expect(dollars.status == .unprocessableContent)
            let text = dollars.text
            #expect(text.contains("creditLimit.currency") && text.contains("legal entity EU books in EUR"))
            #expect(text.contains("price list PL-STD is in USD"))
            // The European entity's currency cannot change under its accounts.
            let entity = #"{"name":"Northwind Distribution B.V.","currency":"USD","erpInstance":"erp-eu"}"#
            let moved = try await client.send(.put, "/v1/legal-entities/EU", key: key, json: entity)
            #expect(moved.status == .conflict)
            #expect(moved.text.contains("entity_in_use"))
            let bad = try await client.send(
                .put,
                "/v1/legal-entities/APAC",
                key: key,
                json: #"{"name":" ","currency":"SGD","erpInstance":"erp apac/1","taxRates":[{"region":"SG","ratePpm":2000000}]}"#
            )
            #expect(bad.status == .unprocessableContent)
            let problems = bad.text
            #expect(problems.contains("\"name\"") && problems.contains("erpInstance") && problems.contains("taxRates[0].ratePpm"))
            #expect(try await database.store.rowCounts() == before)
            // A good entity is stored as a master-data version and read back.
            let apac = #"{"name":"Northwind Asia Pte. Ltd.","currency":"SGD","erpInstance":"erp-apac","taxRates":[{"region":"SG","ratePpm":90000}]}"#
            let stored = try await client.send(.put, "/v1/legal-entities/APAC", key: key, json: apac)
            #expect(stored.status == .ok, "\(stored.text)")
            let read = try await client.send(.get, "/v1/legal-entities/APAC", key: key)
            let value = try read.decode(LegalEntity.self)
            #expect(value.taxRates == [.init(region: "SG", ratePPM: 90_000)] && value.version != nil)
            let list = try await client.send(.get, "/v1/legal-entities", key: key).json()
            #expect(list["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["APAC", "EU", "US"])
        }
    }

    @Test func onlyTheEntitysERPInstanceFeedsItsAccounts() async throws {
        try await withHub(catalog: Self.catalog) { client, database, key in
            let foreign = Self.account("CUST-EU-01", entity: "EU", currency: "EUR", priceList: "PL-EU")
            let claimed = Self.account("CUST-EU-02", entity: "US", currency: "USD", priceList: "PL-STD")
            let batch = #"{"source":"erp-us","customers":[\#(foreign),\#(claimed)]}"#
            let response = try await client.send(.post, "/v1/master-data/batches", key: key, json: batch)
            #expect(response.status == .created, "\(response.text)")
            let summary = try response.json()
            let refused = summary["quarantined"]?.arrayValue ?? []
            #expect(refused.compactMap { $0["key"]?.stringValue }.sorted() == ["CUST-EU-01", "CUST-EU-02"])
            #expect(response.text.contains("belongs to legal entity EU, mastered by erp-eu"))
            #expect(try await database.store.customer("CUST-EU-02")?.legalEntityID == "EU")
            // The European instance writes its own account.
            let own = #"{"source":"erp-eu","customers":[\#(foreign)]}"#
            let applied = try await client.send(.post, "/v1/master-data/batches", key: key, json: own).json()
            #expect(applied["status"]?.stringValue == "applied")
            let stored = try #require(try await database.store.customer("CUST-EU-01"))
            #expect(stored.masteredBy == "erp-eu" && stored.creditLimit == Money(100_000, Currency("EUR")!))
        }
    }

    @Test func theReconciliationBalancesPerEntityAndKeepsCurrenciesApart() async throws {
        try await withHub(catalog: Self.catalog) { client, _, key in
            #expect(try await client.send(.post, "/v1/orders", key: key, json: Self.euroOrder("EU-4")).status == .created)
            // The US order ships: its invoice carries the order's entity.
            let shipped = try await ShippedOrder.make(client, key: key, externalID: "US-4", po: "PO-US4", tracking: "1ZENTITY01")
            #expect(shipped.invoice.legalEntityID == "US")
            let response = try await client.send(.get, "/v1/reconciliation", key: key)
            #expect(response.status == .ok)
            let document = try response.json()
            let entities = document["entities"]?.arrayValue ?? []
            #expect(entities.compactMap { $0["legalEntityId"]?.stringValue } == ["EU", "US"])
            #expect(entities.allSatisfy { $0["balanced"] == .bool(true) && $0["orders"] == .number(1) })
            #expect(entities.first?["totals"]?["currency"]?.stringValue == "EUR")
            // Two currencies: the totals state no amount, the per-currency figures do.
            #expect(document["totals"]?["invoicedAmount"] == nil && document["totals"]?["currency"] == nil)
            #expect(
                document["currencies"]?["EUR"] != nil
                    && document["currencies"]?["USD"]?["invoiced"] == .number(Double(shipped.invoice.total.minorUnits))
            )
            #expect(entities.last?["totals"]?["invoicedUnits"] == .number(2))
            // The console's ledger shows each entity's line.
            let cookie = try await client.consoleSession(key: key)
            let page = try await client.consolePage("/console/reconciliation", cookie: cookie).text
            #expect(page.contains("Legal entity") && page.contains("<td>EU</td>") && page.contains("<td>US</td>"))
        }
    }
}

import CrossdockDomain
import CrossdockHTTP
import CrossdockSandbox
import CrossdockStore
import CrossdockTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOHTTP1
import Testing

/// The event catalogue: a JSON Schema for every event type's `data`, served at `/v1/event-types`, named by every
/// CloudEvent in `dataschema`, and held to the v1 compatibility policy against a committed snapshot.
@Suite struct EventCatalogueTests {
    static let resource = ExternalValidatorsRoot.url.appendingPathComponent("Sources/CrossdockHTTP/Resources/event-schemas.json")
    static let snapshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("event-schemas-v1.json")

    static func catalogue(_ url: URL) throws -> EventCatalogue { try EventCatalogue(json: try Data(contentsOf: url)) }

    @Test func everyTypeTheHubEmitsHasASchemaAndNoOtherIsListed() throws {
        let catalogue = try Self.catalogue(Self.resource)
        #expect(catalogue.entries.map(\.type) == EventType.catalogue.map(\.qualifiedName))
        for entry in catalogue.entries {
            #expect(!entry.description.isEmpty && !entry.subject.isEmpty, "\(entry.type) needs a subject and a description")
        }
    }

    @Test func theCatalogueAndEachSchemaAreServedWithoutAKey() async throws {
        try await withHub(catalog: nil) { client, _, _ in
            let list = try await client.send(.get, "/v1/event-types", key: nil)
            #expect(list.status == .ok)
            #expect(list.headers[.cacheControl] == "no-store")
            let entries = try #require(try list.json()["eventTypes"]?.arrayValue)
            #expect(entries.count == EventType.catalogue.count)
            for entry in entries {
                let type = try #require(entry["type"]?.stringValue)
                let url = try #require(entry["dataschema"]?.stringValue)
                #expect(url == "http://127.0.0.1:8080/v1/event-types/\(type)")
                let schema = try await client.send(.get, "/v1/event-types/\(type)", key: nil)
                #expect(schema.status == .ok, "\(type)")
                #expect(schema.headers[.contentType] == "application/schema+json")
                let document = try schema.json()
                #expect(document["$id"]?.stringValue == url)
                #expect(document["$schema"]?.stringValue == "https://json-schema.org/draft/2020-12/schema")
                // Self-contained: every reference points into its own $defs.
                for ref in EventCatalogue.references(in: document) { #expect(document["$defs"]?[ref] != nil, "\(type) refers to missing \(ref)") }
            }
            try expectProblem(try await client.send(.get, "/v1/event-types/com.crossdock.order.exploded.v1", key: nil), .notFound, code: "not_found")
        }
    }

    @Test func theFeedNamesEachEventsSchema() async throws {
        try await withHub { client, _, key in
            _ = try await client.createOrder(orderJSON(externalID: "DS-1"), key: key)
            let page = try await client.get(EventPage.self, "/v1/events?after=0&limit=100", key: key)
            #expect(!page.events.isEmpty)
            for event in page.events {
                #expect(event.dataschema == "http://127.0.0.1:8080/v1/event-types/\(event.type)")
            }
        }
    }

    @Test func eventsTheDemoDoesNotCauseMatchTheirSchemasToo() async throws {
        try await withHub { client, database, key in
            // A rejected order: its currency is not its price list's. (A channel price beyond the tolerance no longer
            // rejects: the order is booked at the hub's price and a price_mismatch exception opened.)
            let rejected = try await client.createOrder(
                #"{"channel":"api","externalId":"SCHEMA-REJ","customerId":"CUST-001","currency":"EUR","lines":[{"lineNo":1,"sku":"SKU-0010","quantity":1}]}"#,
                key: key
            )
            #expect(rejected.status == .rejected)
            // Units, case and dated prices, a contract, an order in cases and a credit hold: the members the channel
            // work added to master data and orders, and price_list.price_changed and customer.credit_status_changed.
            let product =
                #"{"description":"Item 10","unitOfMeasure":"EA","gtin":"000123400010","units":[{"code":"CA","quantity":12,"gtin":"10001234000107"}]}"#
            #expect(try await client.send(.put, "/v1/products/SKU-0010", key: key, json: product).status == .ok)
            var priced = try #require(try await database.store.priceList("PL-STD"))
            priced.entries += [
                .init(sku: "SKU-0010", unitPrice: 19_000, unitOfMeasure: "CA"),
                .init(sku: "SKU-0010", minQuantity: 100, unitPrice: 1_500, validFrom: "2020-01-01", validTo: "2999-12-31"),
            ]
            let putList = try await client.send(
                .put,
                "/v1/price-lists/PL-STD",
                key: key,
                json: String(decoding: try JSONCoding.encoder().encode(priced), as: UTF8.self)
            )
            #expect(putList.status == .ok, "\(putList.text)")
            var customer = try await client.get(Customer.self, "/v1/customers/CUST-001", key: key)
            customer.contracts = [
                PriceContract(
                    id: "K-1",
                    currency: .usd,
                    validFrom: "2020-01-01",
                    entries: [.init(sku: "SKU-0010", unitPrice: 18_000, unitOfMeasure: "CA")]
                )
            ]
            let putCustomer = try await client.send(
                .put,
                "/v1/customers/CUST-001",
                key: key,
                json: String(decoding: try JSONCoding.encoder().encode(customer), as: UTF8.self)
            )
            #expect(putCustomer.status == .ok, "\(putCustomer.text)")
            let cased = try await client.createOrder(
                orderJSON(
                    externalID: "SCHEMA-CA",
                    lines: #"[{"lineNo":1,"sku":"SKU-0010","quantity":2,"unitOfMeasure":"CA","channelLineRef":"L-1"}]"#
                ),
                key: key
            )
            #expect(cased.lines.first?.orderedUnit?.code == "CA" && cased.lines.first?.priceSource.hasPrefix("contract:K-1") == true)
            customer.creditHold = Customer.CreditHold(reason: "past due")
            let hold = try await client.send(
                .put,
                "/v1/customers/CUST-001",
                key: key,
                json: String(decoding: try JSONCoding.encoder().encode(customer), as: UTF8.self)
            )
            #expect(hold.status == .ok, "\(hold.text)")
            let types = try await EventSchemaCheck.expectValid(database.store)
            if EventSchemaValidator.isInstalled {
                for type in ["order.rejected", "price_list.price_changed", "customer.credit_status_changed", "product.upserted"] {
                    #expect(types.contains("com.crossdock.\(type).v1"), "\(type)")
                }
            }
        }
    }

    @Test func webhookBodiesNameTheSchemaOnTheBoundAddress() async throws {
        let receiver = TestReceiver(mode: .accept(delay: .zero))
        try await withReceiver(receiver) { hook in
            try await withLiveHub(configuration: .quiet) { baseURL, key, _ in
                let hub = HubClient(baseURL: baseURL, apiKey: key)
                let subscription = #"{"url":"\#(hook)","eventTypes":["order.*"],"secret":"\#(receiver.secret)"}"#
                #expect(try await hub.send(.POST, "/v1/subscriptions", body: Array(subscription.utf8)).status == 201)
                #expect(try await hub.send(.POST, "/v1/orders", body: Array(orderJSON(externalID: "DS-HOOK").utf8)).status == 201)
                #expect(try await eventually { receiver.receipts.count >= 3 })
                for receipt in receiver.receipts {
                    let event = try JSONDecoder().decode(JSONValue.self, from: Data(receipt.body))
                    let type = try #require(event["type"]?.stringValue)
                    #expect(event["dataschema"]?.stringValue == "\(baseURL)/v1/event-types/\(type)")
                    #expect(receipt.signatureValid, "the signature covers the body with dataschema")
                }
            }
        }
    }

    @Test func v1SchemasOnlyChangeAdditively() throws {
        let current = try Self.catalogue(Self.resource)
        let snapshot = try Self.catalogue(Self.snapshot)
        let compatibility = SchemaCompatibility(oldDefinitions: snapshot.definitions, newDefinitions: current.definitions)
        var breaks: [String] = []
        for entry in snapshot.entries where entry.version == 1 {
            guard let old = snapshot.rawSchema(entry.type) else { continue }
            guard let new = current.rawSchema(entry.type) else {
                breaks.append("\(entry.type): removed (retire a type only after its sunset, by updating the snapshot)")
                continue
            }
            breaks += compatibility.breaks(old: old, new: new).map { "\(entry.type) \($0)" }
        }
        #expect(breaks == [], "breaking changes within v1; publish a new version instead (docs/events.md)")
        #expect(snapshot.entries.count >= EventType.catalogue.count - 0, "the snapshot covers every v1 type")
    }

    @Test func theCompatibilityCheckFindsEveryKindOfBreak() throws {
        func schema(_ json: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) }
        let old = try schema(
            ##"{"type":"object","required":["id"],"properties":{"id":{"type":"string"},"qty":{"type":"integer"},"status":{"enum":["a","b"]},"lines":{"type":"array","items":{"$ref":"#/$defs/Line"}}}}"##
        )
        let definitions = try schema(#"{"Line":{"type":"object","properties":{"sku":{"type":"string"}}}}"#).objectValue ?? [:]
        let check = SchemaCompatibility(oldDefinitions: definitions, newDefinitions: definitions)
        #expect(check.breaks(old: old, new: old) == [])
        let additive = try schema(
            ##"{"type":"object","required":["id"],"properties":{"id":{"type":"string"},"qty":{"type":"integer"},"note":{"type":"string"},"status":{"enum":["a","b","c"]},"lines":{"type":"array","items":{"$ref":"#/$defs/Line"}}}}"##
        )
        #expect(check.breaks(old: old, new: additive) == [])
        let broken = try schema(
            #"{"type":"object","required":["id","note"],"properties":{"id":{"type":"integer"},"note":{"type":"string"},"status":{"enum":["a"]},"lines":{"type":"array","items":{"type":"object","properties":{}}}}}"#
        )
        #expect(
            Set(check.breaks(old: old, new: broken)) == [
                "data.note: newly required", "data.id: type changed from [\"string\"] to [\"integer\"]", "data.qty: removed",
                "data.status: enum values removed: b", "data.lines[].sku: removed",
            ]
        )
    }
}

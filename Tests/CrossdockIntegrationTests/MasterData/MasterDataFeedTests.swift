import CrossdockConnectors
import CrossdockDomain
import CrossdockHTTP
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Master-data feeds through the API on a real hub (both backends): good records applied as one version, bad ones
/// quarantined with their reasons and resubmitted after correction, a batch applied twice changing nothing, a
/// rejecting batch and a broken file changing nothing, and orders recording the version that priced them.
@Suite("Master-data feeds")
struct MasterDataFeedTests {
    struct Summary: Decodable {
        struct Counts: Decodable {
            var received: Int
            var created: Int
            var updated: Int
            var unchanged: Int
            var quarantined: Int
            var absentCount: Int?
        }
        struct Refused: Decodable {
            var id: String
            var kind: String
            var key: String?
            var line: Int?
            var problems: [QuarantinedRecord.Problem]
        }
        var id: String
        var status: String
        var versionBefore: Int
        var version: Int?
        var counts: [String: Counts]
        var quarantined: [Refused]
    }

    struct Quarantine: Decodable {
        var items: [QuarantinedRecord]
    }

    static let batch = #"""
        {"source": "erp-us",
         "products": [
           {"sku": "FEED-1", "description": "Pallet wrap", "unitOfMeasure": "EA", "units": [{"code": "CS", "quantity": 12}]},
           {"sku": "FEED-2", "description": "Strapping", "substitutes": [{"sku": "NOPE-9", "priority": 1}]},
           {"sku": "FEED-3", "description": "Tape", "colour": "brown"}
         ],
         "priceLists": [
           {"id": "PL-FEED", "currency": "USD", "entries": [{"sku": "FEED-1", "unitPrice": 1250}, {"sku": "FEED-1", "unitPrice": 13000, "unitOfMeasure": "CS"}]},
           {"id": "PL-BAD", "currency": "USD", "entries": [{"sku": "FEED-1", "unitPrice": -5}]}
         ],
         "customers": [
           {"id": "CUST-FEED", "name": "Feed Account", "creditLimit": {"minorUnits": 5000000, "currency": "USD"},
            "billTo": {"name": "Feed", "lines": ["1 Main St"], "city": "Reno", "region": "US-NV", "postalCode": "89501", "country": "US"},
            "shipTo": [{"code": "MAIN", "address": {"name": "Feed", "lines": ["1 Main St"], "city": "Reno", "region": "US-NV", "postalCode": "89501", "country": "US"}}],
            "priceListId": "PL-FEED"},
           {"id": "CUST-LATER", "name": "Later Account", "creditLimit": {"minorUnits": 100000, "currency": "USD"},
            "billTo": {"name": "Later", "lines": ["2 Main St"], "city": "Reno", "region": "US-NV", "postalCode": "89501", "country": "US"},
            "shipTo": [{"code": "MAIN", "address": {"name": "Later", "lines": ["2 Main St"], "city": "Reno", "region": "US-NV", "postalCode": "89501", "country": "US"}}],
            "priceListId": "PL-NEXT"}
         ]}
        """#

    func post(_ client: any TestClientProtocol, _ key: String, _ body: String, query: String = "", csv: Bool = false) async throws -> TestResponse {
        try await client.send(
            .post,
            "/v1/master-data/batches" + query,
            key: key,
            json: body,
            headers: csv ? [.contentType: "text/csv; charset=utf-8"] : [:]
        )
    }

    @Test func goodRecordsApplyAsOneVersionAndBadOnesWaitInQuarantineWithTheirReasons() async throws {
        try await withHub { client, database, key in
            let before = try await database.store.connectorCursor(masterDataVersionCursor)
            let response = try await post(client, key, Self.batch)
            #expect(response.status == .created, "\(response.text)")
            let summary = try JSONDecoder().decode(Summary.self, from: Data(response.text.utf8))
            #expect(summary.status == "partially_applied")
            #expect(summary.versionBefore == Int(before))
            #expect(summary.version == Int(before) + 1)
            #expect(summary.counts["product"]?.created == 1 && summary.counts["product"]?.quarantined == 2)
            #expect(summary.counts["price_list"]?.created == 1 && summary.counts["price_list"]?.quarantined == 1)
            #expect(summary.counts["customer"]?.created == 1 && summary.counts["customer"]?.quarantined == 1)
            let reasons = Dictionary(summary.quarantined.map { ($0.key ?? "", $0.problems.map { "\($0.field): \($0.reason)" }) }) { $1 }
            #expect(reasons["FEED-2"] == ["substitutes[0].sku: unknown product 'NOPE-9'"])
            #expect(reasons["FEED-3"] == ["colour: unknown field"])
            #expect(reasons["PL-BAD"]?.first?.hasPrefix("entries[0].unitPrice: must be 0...") == true, "\(reasons)")
            #expect(reasons["CUST-LATER"] == ["priceListId: unknown price list 'PL-NEXT'"])

            // The good records are stored with the batch's version; the bad ones are not.
            let product = try #require(try await database.store.product("FEED-1"))
            #expect(product.version == summary.version && product.units.first?.code == "CS")
            #expect(try await database.store.priceList("PL-FEED")?.version == summary.version)
            #expect(try await database.store.customer("CUST-FEED")?.version == summary.version)
            for sku in ["FEED-2", "FEED-3"] { #expect(try await database.store.product(sku) == nil) }
            #expect(try await database.store.priceList("PL-BAD") == nil)
            #expect(try await database.store.customer("CUST-LATER") == nil)

            // The quarantine lists them with the batch, open.
            let open = try await client.get(Quarantine.self, "/v1/master-data/quarantine?status=open&batch=\(summary.id)", key: key)
            #expect(Set(open.items.map { $0.key ?? "" }) == ["FEED-2", "FEED-3", "PL-BAD", "CUST-LATER"])
            #expect(open.items.allSatisfy { $0.source == "erp-us" && $0.batchId == summary.id })

            // The same batch again changes nothing: no new version, every good record unchanged.
            let again = try JSONDecoder().decode(Summary.self, from: Data(try await post(client, key, Self.batch).text.utf8))
            #expect(again.version == nil && again.versionBefore == summary.version)
            #expect(again.counts.values.map(\.unchanged).reduce(0, +) == 3)
            #expect(again.counts.values.map { $0.created + $0.updated }.reduce(0, +) == 0)
            #expect(try await database.store.connectorCursor(masterDataVersionCursor) == Int64(summary.version ?? 0))
            // Its bad records keep their one quarantine entry each.
            #expect(Set(again.quarantined.map(\.id)) == Set(summary.quarantined.map(\.id)))
            let stillOpen = try await client.get(Quarantine.self, "/v1/master-data/quarantine?status=open", key: key)
            #expect(stillOpen.items.count == 4)

            // An order placed now records the version that priced it: 3 cases at the case price.
            let order = try await client.createOrder(
                orderJSON(
                    externalID: "FEED-ORDER-1",
                    customer: "CUST-FEED",
                    lines: #"[{"lineNo":1,"sku":"FEED-1","quantity":3,"unitOfMeasure":"CS"}]"#
                ),
                key: key
            )
            #expect(order.masterDataVersion == summary.version)
        }
    }

    @Test func aQuarantinedRecordIsResubmittedOnceWhatItNeedsExistsOrAfterCorrection() async throws {
        try await withHub { client, database, key in
            let summary = try JSONDecoder().decode(Summary.self, from: Data(try await post(client, key, Self.batch).text.utf8))
            let later = try #require(summary.quarantined.first { $0.key == "CUST-LATER" })
            // Still missing its price list: it stays open with the reason.
            let early = try await client.send(.post, "/v1/master-data/quarantine/\(later.id)/resubmit", key: key)
            _ = try expectProblem(early, .unprocessableContent, code: "still_invalid")
            #expect(try await database.store.quarantinedRecord(later.id)?.status == .open)
            // The price list arrives; the record as received now applies, and the quarantine says by which batch.
            let list = #"{"currency":"USD","entries":[{"sku":"FEED-1","unitPrice":1200}]}"#
            #expect(try await client.send(.put, "/v1/price-lists/PL-NEXT", key: key, json: list).status == .ok)
            let applied = try await client.send(.post, "/v1/master-data/quarantine/\(later.id)/resubmit", key: key)
            #expect(applied.status == .created, "\(applied.text)")
            let resubmission = try JSONDecoder().decode(Summary.self, from: Data(applied.text.utf8))
            let record = try #require(try await database.store.quarantinedRecord(later.id))
            #expect(record.status == .resolved && record.resolvedBy == resubmission.id)
            #expect(try await database.store.customer("CUST-LATER")?.version == resubmission.version)
            // A resolved record cannot be resubmitted again.
            let twice = try await client.send(.post, "/v1/master-data/quarantine/\(later.id)/resubmit", key: key)
            _ = try expectProblem(twice, .conflict, code: "not_open")

            // A corrected record: the bad price fixed.
            let bad = try #require(summary.quarantined.first { $0.key == "PL-BAD" })
            let corrected = #"{"id":"PL-BAD","currency":"USD","entries":[{"sku":"FEED-1","unitPrice":5}]}"#
            let fixed = try await client.send(.post, "/v1/master-data/quarantine/\(bad.id)/resubmit", key: key, json: corrected)
            #expect(fixed.status == .created, "\(fixed.text)")
            #expect(try await database.store.priceList("PL-BAD")?.entries.first?.unitPrice == 5)
            // Discarding: the tape with the unknown field will not be applied.
            let tape = try #require(summary.quarantined.first { $0.key == "FEED-3" })
            let discarded = try await client.send(.post, "/v1/master-data/quarantine/\(tape.id)/discard", key: key)
            #expect(discarded.status == .ok)
            #expect(try await database.store.quarantinedRecord(tape.id)?.status == .discarded)
            let open = try await client.get(Quarantine.self, "/v1/master-data/quarantine?status=open&batch=\(summary.id)", key: key)
            #expect(open.items.map { $0.key ?? "" } == ["FEED-2"])
        }
    }

    @Test func aRejectingBatchOrABrokenFileChangesNothing() async throws {
        try await withHub { client, database, key in
            let before = try await database.store.connectorCursor(masterDataVersionCursor)
            var body = Self.batch
            body.replace(#""source": "erp-us","#, with: #""source": "erp-us", "onError": "reject","#)
            let refused = try await post(client, key, body)
            let problem = try expectProblem(refused, .unprocessableContent, code: "invalid_batch")
            #expect(problemFields(problem).contains("products[1]: substitutes[0].sku"), "\(refused.text)")
            #expect(try await database.store.product("FEED-1") == nil, "nothing was applied")
            #expect(try await database.store.connectorCursor(masterDataVersionCursor) == before)

            // Not CSV: a quote inside an unquoted field, named by line.
            let broken = "sku,description\nFEED-7,ok\nFEED-8,12\" pipe\n"
            let file = try await post(client, key, broken, query: "?kind=product&source=erp-us", csv: true)
            let fileProblem = try expectProblem(file, .unprocessableContent, code: "invalid_file")
            #expect(problemFields(fileProblem) == ["row 3"], "\(file.text)")
            // An unknown column refuses the file, naming it.
            let unknown = try await post(client, key, "sku,description,colour\nFEED-7,ok,red\n", query: "?kind=product&source=erp-us", csv: true)
            _ = try expectProblem(unknown, .unprocessableContent, code: "invalid_file")
            #expect(unknown.text.contains("unknown column"))
            // Not UTF-8.
            let latin1 = try await client.execute(
                uri: "/v1/master-data/batches?kind=product&source=erp-us",
                method: .post,
                headers: [.authorization: "Bearer \(key)", .contentType: "text/csv"],
                body: ByteBuffer(bytes: Array("sku,description\nFEED-7,".utf8) + [0xE9, 0x0A])
            )
            _ = try expectProblem(latin1, .unprocessableContent, code: "invalid_file")
            #expect(try await database.store.product("FEED-7") == nil)
            #expect(try await database.store.connectorCursor(masterDataVersionCursor) == before)
        }
    }

    @Test func aCSVFileThroughColumnRenamesQuarantinesItsBadLinesByNumber() async throws {
        try await withHub { client, database, key in
            let products = "Item No,Description,UOM\nCSV-1,Gloves,EA\nCSV-2,,EA\nCSV-3,Boots,each\n"
            let response = try await post(
                client,
                key,
                products,
                query: "?kind=product&source=erp-eu&columns=Item%20No:sku,Description:description,UOM:unitOfMeasure",
                csv: true
            )
            #expect(response.status == .created, "\(response.text)")
            let summary = try JSONDecoder().decode(Summary.self, from: Data(response.text.utf8))
            #expect(summary.counts["product"]?.created == 1)
            let lines = Dictionary(summary.quarantined.map { ($0.line ?? 0, $0.problems.map(\.field)) }) { $1 }
            #expect(lines[3] == ["line 3, column description"], "\(summary.quarantined)")
            #expect(lines[4] == ["unitOfMeasure"], "\(summary.quarantined)")
            #expect(try await database.store.product("CSV-1")?.description == "Gloves")

            // Price lists: one row per entry, decimals in the currency's unit; a bad amount quarantines its list.
            let prices = "priceListId,currency,sku,unitPrice,minQuantity\nPL-CSV,EUR,CSV-1,12.50,\nPL-CSV,EUR,CSV-1,11.999,10\nPL-OK,EUR,CSV-1,3,\n"
            let listResponse = try await post(client, key, prices, query: "?kind=price_list&source=erp-eu", csv: true)
            let lists = try JSONDecoder().decode(Summary.self, from: Data(listResponse.text.utf8))
            #expect(lists.quarantined.map(\.key) == ["PL-CSV"])
            #expect(lists.quarantined.first?.problems.first?.field == "line 3, column unitPrice")
            #expect(try await database.store.priceList("PL-OK")?.entries.first?.unitPrice == 300)
            #expect(try await database.store.priceList("PL-CSV") == nil)
            // A CSV record is resubmitted with a correction.
            let id = try #require(lists.quarantined.first?.id)
            let bare = try await client.send(.post, "/v1/master-data/quarantine/\(id)/resubmit", key: key)
            _ = try expectProblem(bare, .unprocessableContent, code: "correction_required")
            let corrected =
                #"{"id":"PL-CSV","currency":"EUR","entries":[{"sku":"CSV-1","unitPrice":1250},{"sku":"CSV-1","unitPrice":1199,"minQuantity":10}]}"#
            #expect(try await client.send(.post, "/v1/master-data/quarantine/\(id)/resubmit", key: key, json: corrected).status == .created)
            #expect(try await database.store.priceList("PL-CSV")?.entries.count == 2)

            // A snapshot reports the stored products it lacks without deleting them.
            let snapshot = try await post(
                client,
                key,
                "sku,description\nCSV-1,Gloves\n",
                query: "?kind=product&source=erp-eu&mode=snapshot",
                csv: true
            )
            let report = try JSONDecoder().decode(Summary.self, from: Data(snapshot.text.utf8))
            #expect(report.status == "unchanged")
            #expect((report.counts["product"]?.absentCount ?? 0) > 10)
            #expect(try await database.store.product("SKU-0001") != nil)
        }
    }

    @Test func aRecordMasteredByOneSystemCannotBeChangedByAnothersBatch() async throws {
        try await withHub { client, database, key in
            let us = #"{"source":"erp-us","products":[{"sku":"OWN-1","description":"US item"}]}"#
            #expect(try await post(client, key, us).status == .created)
            #expect(try await database.store.product("OWN-1")?.masteredBy == "erp-us")
            let eu = #"{"source":"erp-eu","products":[{"sku":"OWN-1","description":"EU rename"},{"sku":"OWN-2","description":"EU item"}]}"#
            let summary = try JSONDecoder().decode(Summary.self, from: Data(try await post(client, key, eu).text.utf8))
            #expect(summary.quarantined.map(\.key) == ["OWN-1"])
            #expect(summary.quarantined.first?.problems.first?.reason == "product OWN-1 is mastered by erp-us; a batch from erp-eu cannot change it")
            #expect(try await database.store.product("OWN-1")?.description == "US item")
            #expect(try await database.store.product("OWN-2")?.masteredBy == "erp-eu")
            // A seeded record (written through the API) is claimed by the first system that feeds it; a PUT keeps the owner.
            let claim = #"{"source":"erp-eu","products":[{"sku":"SKU-0010","description":"Claimed"}]}"#
            #expect(try await post(client, key, claim).status == .created)
            #expect(try await client.send(.put, "/v1/products/OWN-2", key: key, json: #"{"description":"Operator fix"}"#).status == .ok)
            let fixed = try #require(try await database.store.product("OWN-2"))
            #expect(fixed.masteredBy == "erp-eu" && fixed.description == "Operator fix")
            #expect(try await database.store.product("SKU-0010")?.masteredBy == "erp-eu")
        }
    }

    @Test func concurrentChangesEachTakeTheirOwnVersionAndAnOversizedFileIsRefused() async throws {
        try await withHub { client, database, key in
            let before = Int(try await database.store.connectorCursor(masterDataVersionCursor))
            // Writers at once (batches and PUTs): each change gets a version of its own, none is lost and none is
            // answered `contention` (a writer that keeps losing the version decides again holding the others back).
            let writers = 60
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<writers {
                    group.addTask {
                        let body = #"{"source":"erp-us","products":[{"sku":"RACE-B\#(index)","description":"Batch \#(index)"}]}"#
                        return try await post(client, key, body).status.code
                    }
                    group.addTask {
                        let body = #"{"description":"Put \#(index)"}"#
                        return try await client.send(.put, "/v1/products/RACE-P\(index)", key: key, json: body).status.code
                    }
                }
                for try await status in group { #expect(status == 200 || status == 201) }
            }
            var versions: [Int] = []
            for sku in (0..<writers).flatMap({ ["RACE-B\($0)", "RACE-P\($0)"] }) {
                versions.append(try #require(try await database.store.product(sku)?.version, "\(sku)"))
            }
            #expect(Set(versions) == Set((before + 1)...(before + 2 * writers)), "\(versions.sorted())")
            #expect(Int(try await database.store.connectorCursor(masterDataVersionCursor)) == before + 2 * writers)

            // A body over 64 MiB is refused, and nothing changes.
            var file = ByteBuffer(string: "sku,description\nBIG-1,x\n")
            file.writeRepeatingByte(UInt8(ascii: "#"), count: 64 << 20)
            let huge = try await client.execute(
                uri: "/v1/master-data/batches?kind=product&source=erp-us",
                method: .post,
                headers: [.authorization: "Bearer \(key)", .contentType: "text/csv"],
                body: file
            )
            _ = try expectProblem(huge, .contentTooLarge, code: "body_too_large")
            #expect(huge.text.contains("64 MiB"))
            #expect(try await database.store.product("BIG-1") == nil)
        }
    }

    /// An ERP's item master in its own JSON, through a feed mapping (the outbound mapping format with `"feed"`).
    static let itemMaster = #"""
        {"name": "erp-item-master", "feed": "product",
         "tables": {"status": {"A": "active", "D": "discontinued"}},
         "template": {"sku": "$.ItemNo", "description": "$.Desc", "unitOfMeasure": {"$path": "$.BaseUom", "$default": "EA"},
                      "status": {"$lookup": "$.Status", "table": "status"},
                      "units": {"$each": "$.Packs", "template": {"code": "$.Uom", "quantity": "$.Qty"}, "$default": []}}}
        """#

    @Test func anERPsOwnJSONIsTurnedIntoRecordsByAFeedMapping() async throws {
        var configuration = Hub.Configuration.quiet
        let mapping = try OutboundMapping(json: Array(Self.itemMaster.utf8), source: "erp-item-master.json", expectedName: "erp-item-master")
        configuration.mappings = try MappingCatalog(MappingCatalog.bundled() + [mapping])
        try await withHub(configuration: configuration) { client, database, key in
            let records = #"""
                [{"ItemNo": "ERP-1", "Desc": "Stretch film", "Status": "A", "Packs": [{"Uom": "CS", "Qty": 6}]},
                 {"ItemNo": "ERP-2", "Desc": "Old film", "Status": "X"},
                 {"ItemNo": "ERP-3", "Desc": "Tape", "Status": "D", "BaseUom": "RL"}]
                """#
            let response = try await post(client, key, records, query: "?mapping=erp-item-master&source=erp-us")
            #expect(response.status == .created, "\(response.text)")
            let summary = try JSONDecoder().decode(Summary.self, from: Data(response.text.utf8))
            #expect(summary.counts["product"]?.created == 2)
            let refused = try #require(summary.quarantined.first)
            #expect(
                refused.line == 1 && refused.problems.first?.reason.hasPrefix("mapping erp-item-master: has no entry in table status") == true,
                "\(refused)"
            )
            let film = try #require(try await database.store.product("ERP-1"))
            #expect(film.units.first?.code == "CS" && film.units.first?.quantity == 6 && film.masteredBy == "erp-us")
            #expect(try await database.store.product("ERP-3")?.status == .discontinued)
            #expect(try await database.store.product("ERP-3")?.unitOfMeasure == "RL")

            // Not a feed mapping, or none: refused before anything is read.
            let outbound = try await post(client, key, records, query: "?mapping=sandbox-erp-invoice&source=erp-us")
            _ = try expectProblem(outbound, .badRequest, code: "invalid_query")
            // A corrected record in the hub's shape resolves the quarantined one; as received it still fails the mapping.
            let again = try await client.send(.post, "/v1/master-data/quarantine/\(refused.id)/resubmit", key: key)
            _ = try expectProblem(again, .unprocessableContent, code: "correction_required")
            let fixed = #"{"sku":"ERP-2","description":"Old film","status":"discontinued"}"#
            #expect(try await client.send(.post, "/v1/master-data/quarantine/\(refused.id)/resubmit", key: key, json: fixed).status == .created)
            #expect(try await database.store.quarantinedRecord(refused.id)?.status == .resolved)
        }
    }

    @Test func aRecordOfTheWrongTypeIsQuarantinedNamingItsOwnField() async throws {
        try await withHub { client, database, key in
            let batch = #"{"source":"erp-us","products":[{"sku":"TYPE-1","description":"ok"},{"sku":"TYPE-2","description":7}]}"#
            let summary = try JSONDecoder().decode(Summary.self, from: Data(try await post(client, key, batch).text.utf8))
            #expect(summary.counts["product"]?.created == 1)
            #expect(summary.quarantined.map(\.key) == ["TYPE-2"])
            #expect(summary.quarantined.first?.problems.map(\.field) == ["description"], "\(summary.quarantined)")
            #expect(try await database.store.product("TYPE-2") == nil)
        }
    }
}

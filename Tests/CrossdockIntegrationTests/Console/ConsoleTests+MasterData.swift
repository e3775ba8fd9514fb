import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The console's master-data page: the quarantine, escaped, with resubmit and discard for keys that may write master
/// data and nothing for those that may not.
extension ConsoleTests {
    @Test func theQuarantineIsShownEscapedAndResubmittedOrDiscardedFromTheMasterDataPage() async throws {
        try await withHub { client, database, admin in
            let store = database.store
            let address = #"{"name":"X","lines":["1 Main St"],"city":"Reno","region":"US-NV","postalCode":"89501","country":"US"}"#
            let batch = #"""
                {"source":"erp-us","customers":[
                  {"id":"CUST-Q1","name":"<script>alert(1)</script>","creditLimit":{"minorUnits":1000,"currency":"USD"},
                   "billTo":\#(address),"shipTo":[{"code":"MAIN","address":\#(address)}],"priceListId":"PL-MISSING"},
                  {"id":"CUST-Q2","name":"Second","creditLimit":{"minorUnits":1000,"currency":"USD"},
                   "billTo":\#(address),"shipTo":[{"code":"MAIN","address":\#(address)}],"priceListId":"PL-GONE"}]}
                """#
            #expect(try await client.send(.post, "/v1/master-data/batches", key: admin, json: batch).status == .created)
            let open = try await store.quarantinedRecords(status: .open, kind: "customer", batchID: nil, limit: 10)
            let first = try #require(open.first { $0.key == "CUST-Q1" })
            let second = try #require(open.first { $0.key == "CUST-Q2" })

            // A reader sees the record as text and no action; a form it forges is refused.
            let reader = try await APIKeys.create(in: store, name: "reader", scopes: ["master:read", "orders:read"]).1
            let readerCookie = try await client.consoleSession(key: reader)
            let readerPage = String(buffer: try await client.consolePage("/console/master-data", cookie: readerCookie).body)
            #expect(readerPage.contains("CUST-Q1") && readerPage.contains("unknown price list"))
            #expect(!readerPage.contains("<script>alert(1)</script>"))
            #expect(readerPage.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!readerPage.contains("/resubmit"))
            let forged = ["csrf": try #require(Self.csrfToken(readerPage))]
            #expect(
                try await client.consoleForm("/console/master-data/quarantine/\(first.id)/discard", cookie: readerCookie, forged).status
                    == .forbidden
            )
            #expect(try await store.quarantinedRecord(first.id)?.status == .open)

            // The master-data desk corrects the first and discards the second.
            let desk = try await APIKeys.create(in: store, name: "desk", scopes: ["master:read", "master:write", "orders:read"]).1
            let cookie = try await client.consoleSession(key: desk)
            let page = String(buffer: try await client.consolePage("/console/master-data", cookie: cookie).body)
            #expect(page.contains("/console/master-data/quarantine/\(first.id)/resubmit"))
            let csrf = try #require(Self.csrfToken(page))
            let corrected = first.record.replacingOccurrences(of: "PL-MISSING", with: "PL-STD")
            // Still wrong as received: the page answers the problem and the record stays open.
            let early = try await client.consoleForm("/console/master-data/quarantine/\(first.id)/resubmit", cookie: cookie, ["csrf": csrf])
            #expect(early.status == .unprocessableContent)
            #expect(try await store.quarantinedRecord(first.id)?.status == .open)
            let fixed = try await client.consoleForm(
                "/console/master-data/quarantine/\(first.id)/resubmit",
                cookie: cookie,
                ["csrf": csrf, "record": corrected]
            )
            #expect(fixed.status == .seeOther)
            #expect(fixed.headers[.location] == "/console/master-data?done=resubmit")
            #expect(try await store.quarantinedRecord(first.id)?.status == .resolved)
            #expect(try await store.customer("CUST-Q1")?.name == "<script>alert(1)</script>")
            let discarded = try await client.consoleForm("/console/master-data/quarantine/\(second.id)/discard", cookie: cookie, ["csrf": csrf])
            #expect(discarded.status == .seeOther)
            #expect(try await store.quarantinedRecord(second.id)?.status == .discarded)
            let after = String(buffer: try await client.consolePage("/console/master-data?done=discard", cookie: cookie).body)
            #expect(after.contains("The record was discarded.") && after.contains("Quarantine: 0 open"))
        }
    }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockSandbox
import CrossdockStore
import CrossdockTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The audit trail: every write made with a key leaves one entry (who, when, route, resource, request id, source,
/// status; a master-data write its field diff), in the same transaction as the write when it commits a unit; refused
/// writes and reads leave none; `GET /v1/audit` filters and pages; no route changes an entry. Runs on the backend of
/// the test run (SQLite, or PostgreSQL with `CROSSDOCK_TEST_BACKEND=postgres`).
@Suite struct AuditTrailTests {
    @Test func everyWriteLeavesOneEntryAndRefusedWritesAndReadsNone() async throws {
        try await withHub(testing: .live) { client, database, admin in
            let (erp, secret) = try await APIKeys.create(
                in: database.store,
                name: "erp",
                scopes: ["orders:write", "master:write", "subscriptions:write"]
            )
            func entries(_ query: String = "") async throws -> [AuditEntry] {
                let response = try await client.send(.get, "/v1/audit?key=\(erp.id)&limit=500\(query)", key: admin)
                try #require(response.status == .ok, "\(response.text)")
                return try response.decode(AuditPage.self).entries
            }
            func headers(_ id: String) -> HTTPFields { [.requestID: id] }

            // An order: recorded with the unit that creates it.
            let order = try await client.send(.post, "/v1/orders", key: secret, json: orderJSON(externalID: "AUD-1"), headers: headers("req-order-1"))
            try #require(order.status == .created, "\(order.text)")
            #expect(order.headers[.requestID] == "req-order-1", "the caller's request id is echoed")
            let orderID = try order.decode(SalesOrder.self).id
            var recorded = try await entries()
            try #require(recorded.count == 1)
            #expect(recorded[0].keyId == erp.id && recorded[0].keyName == "erp" && recorded[0].partner == nil)
            #expect(recorded[0].method == "POST" && recorded[0].route == "/v1/orders" && recorded[0].path == "/v1/orders")
            #expect(recorded[0].resource == "order/\(orderID)")
            #expect(recorded[0].status == 201 && recorded[0].requestId == "req-order-1")
            #expect(recorded[0].source == "127.0.0.1", "the socket peer")
            #expect(recorded[0].changes == nil)

            // A customer: the field diff of the stored record and the new one.
            let current = try await client.send(.get, "/v1/customers/CUST-001", key: admin)
            var document = try #require(try JSONSerialization.jsonObject(with: Data(current.body.readableBytesView)) as? [String: Any])
            let oldName = try #require(document["name"] as? String)
            let oldLimit = try #require(document["creditLimit"] as? [String: Any])
            document["name"] = "Renamed Ltd"
            document["creditLimit"] = ["currency": "USD", "minorUnits": 123_456_00]
            document["openBalance"] = nil
            let body = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
            let put = try await client.send(.put, "/v1/customers/CUST-001", key: secret, json: body)
            try #require(put.status == .ok, "\(put.text)")
            let generated = try #require(put.headers[.requestID])
            #expect(generated.count >= 16 && generated.allSatisfy(\.isHexDigit), "the hub's own id when the caller sends none")
            recorded = try await entries()
            try #require(recorded.count == 2)
            let customer = recorded[1]
            #expect(customer.route == "/v1/customers/{id}" && customer.resource == "customer/CUST-001" && customer.method == "PUT")
            #expect(customer.status == 200 && customer.requestId == generated)
            let changes = try #require(customer.changes)
            #expect(changes.map(\.field) == ["creditLimit", "name"], "only the fields that changed; openBalance is kept")
            #expect(changes.first { $0.field == "name" }?.before == .string(oldName))
            #expect(changes.first { $0.field == "name" }?.after == .string("Renamed Ltd"))
            let limitBefore = changes.first { $0.field == "creditLimit" }?.before
            #expect(
                limitBefore == .object(["currency": .string("USD"), "minorUnits": .number(Double(try #require(oldLimit["minorUnits"] as? Int)))])
            )
            #expect(changes.first { $0.field == "creditLimit" }?.after == .object(["currency": .string("USD"), "minorUnits": .number(12_345_600)]))

            // A new customer: every field, with no before.
            let created = try await client.send(
                .put,
                "/v1/customers/CUST-NEW",
                key: secret,
                json: body.replacingOccurrences(of: "CUST-001", with: "CUST-NEW")
            )
            try #require(created.status == .ok, "\(created.text)")
            recorded = try await entries()
            try #require(recorded.count == 3)
            #expect(recorded[2].changes?.isEmpty == false)
            #expect(recorded[2].changes?.allSatisfy { $0.before == nil && $0.after != nil } == true)

            // A subscription, created and deleted: no unit of work, recorded after the response.
            let subscription = try await client.send(.post, "/v1/subscriptions", key: secret, json: SubscriptionRouteTests.body())
            try #require(subscription.status == .created, "\(subscription.text)")
            let subscriptionID = try #require(try subscription.json()["id"]?.stringValue)
            let deleted = try await client.send(.delete, "/v1/subscriptions/\(subscriptionID)", key: secret, headers: headers("req-del"))
            #expect(deleted.status == .noContent)
            recorded = try await entries()
            try #require(recorded.count == 5)
            #expect(recorded[3].route == "/v1/subscriptions" && recorded[3].resource == "subscription/\(subscriptionID)")
            #expect(recorded[3].status == 201 && recorded[3].changes == nil)
            #expect(!String(decoding: try JSONCoding.encode(recorded[3]), as: UTF8.self).contains("whsec_"), "no secret in the entry")
            #expect(recorded[4].method == "DELETE" && recorded[4].route == "/v1/subscriptions/{id}")
            #expect(recorded[4].resource == "subscription/\(subscriptionID)" && recorded[4].status == 204 && recorded[4].requestId == "req-del")
            #expect(recorded.map(\.seq) == recorded.map(\.seq).sorted() && Set(recorded.map(\.seq)).count == 5)

            // Refused writes, reads and replays leave nothing.
            let refused = try await client.send(.post, "/v1/orders", key: secret, json: #"{"channel":"#, headers: headers("req-bad"))
            #expect(refused.status == .badRequest && refused.headers[.requestID] == "req-bad")
            let invalid = try await client.send(.put, "/v1/customers/CUST-001", key: secret, json: #"{"name":""}"#)
            #expect(invalid.status.code >= 400)
            #expect(try await client.send(.get, "/v1/orders", key: secret).status == .forbidden)
            #expect(try await client.send(.get, "/v1/orders/\(orderID)", key: admin).status == .ok)
            let idempotent: HTTPFields = [.idempotencyKey: "aud-once"]
            for _ in 0..<2 {
                let response = try await client.send(.post, "/v1/orders", key: secret, json: orderJSON(externalID: "AUD-2"), headers: idempotent)
                #expect(response.status == .created)
            }
            recorded = try await entries()
            #expect(recorded.count == 6, "one entry for the order, none for its replay: \(recorded.map(\.requestId))")
            #expect(!recorded.contains { $0.requestId == "req-bad" })
            #expect(try await client.send(.get, "/v1/audit", key: admin).headers[.requestID]?.isEmpty == false)
            #expect(try await entries().count == 6, "reading the log is no write")
        }
    }

    @Test func theLogFiltersPagesAndRefusesBadQueries() async throws {
        try await withHub { client, database, admin in
            let start = Date().addingTimeInterval(-1)
            let (other, otherSecret) = try await APIKeys.create(in: database.store, name: "crm", scopes: ["master:write"])
            for index in 1...3 {
                let body = #"{"name":"W\#(index)","region":"EU","priority":\#(index)}"#
                let response = try await client.send(.put, "/v1/warehouses/WH-A\(index)", key: otherSecret, json: body)
                try #require(response.status == .ok, "\(response.text)")
            }
            try await Task.sleep(for: .milliseconds(20))
            let middle = Date()
            try await Task.sleep(for: .milliseconds(20))
            let adminWrite = try await client.send(.put, "/v1/tax-rates/EU", key: admin, json: #"{"ratePpm":190000}"#)
            try #require(adminWrite.status == .ok, "\(adminWrite.text)")
            func page(_ query: String) async throws -> AuditPage {
                let response = try await client.send(.get, "/v1/audit?\(query)", key: admin)
                try #require(response.status == .ok, "\(response.text)")
                return try response.decode(AuditPage.self)
            }
            #expect(try await page("key=\(other.id)").entries.map(\.resource) == ["warehouse/WH-A1", "warehouse/WH-A2", "warehouse/WH-A3"])
            #expect(try await page("resource=warehouse/WH-A2").entries.count == 1)
            #expect(try await page("resource=warehouse").entries.count == 3, "a type matches each of its resources")
            #expect(try await page("resource=warehouse/WH-A").entries.isEmpty, "an id is matched whole")
            #expect(try await page("resource=tax-rate/EU").entries.first?.keyName == "test-admin")
            let warehouse = try #require(try await page("resource=warehouse/WH-A1").entries.first?.changes)
            #expect(warehouse.contains { $0.field == "region" && $0.before == nil && $0.after == .string("EU") })

            let all = try await page("since=\(JSONCoding.format(start))").entries
            #expect(all.count == 4)
            #expect(try await page("since=\(JSONCoding.format(Date().addingTimeInterval(60)))").entries.isEmpty)
            #expect(try await page("until=\(JSONCoding.format(start))").entries.isEmpty)
            #expect(try await page("since=\(JSONCoding.format(start))&until=\(JSONCoding.format(middle))").entries.count == 3)
            #expect(try await page("since=\(JSONCoding.format(middle))").entries.map(\.resource) == ["tax-rate/EU"])

            let first = try await page("limit=2")
            #expect(first.entries.count == 2 && first.nextAfter == first.entries[1].seq)
            let second = try await page("limit=2&after=\(first.nextAfter)")
            #expect(second.entries.map(\.seq) == all.suffix(2).map(\.seq))
            let end = try await page("limit=2&after=\(second.nextAfter)")
            #expect(end.entries.isEmpty && end.nextAfter == second.nextAfter)

            for (query, field) in [
                ("limit=0", "limit"), ("limit=501", "limit"), ("limit=x", "limit"), ("after=-1", "after"), ("since=yesterday", "since"),
                ("until=2026-13-01T00:00:00Z", "until"), ("key=", "key"), ("resource=", "resource"),
                ("since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z", "until"),
            ] {
                try expectProblem(try await client.send(.get, "/v1/audit?\(query)", key: admin), .badRequest, code: "invalid_query", fields: [field])
            }
            try expectProblem(try await client.send(.get, "/v1/audit", key: otherSecret), .forbidden, code: "insufficient_scope")
            let (_, auditor) = try await APIKeys.create(in: database.store, name: "auditor", scopes: ["audit:read"])
            #expect(try await client.send(.get, "/v1/audit", key: auditor).status == .ok)
        }
    }

    @Test func noRouteChangesAnEntry() async throws {
        try await withHub { client, database, admin in
            _ = try await client.send(.put, "/v1/tax-rates/EU", key: admin, json: #"{"ratePpm":190000}"#)
            let before = try await database.store.auditEntries(AuditQuery())
            try #require(before.count == 1)
            let seq = before[0].seq
            for (method, path) in [
                (HTTPRequest.Method.put, "/v1/audit"), (.post, "/v1/audit"), (.delete, "/v1/audit"), (.patch, "/v1/audit"),
                (.put, "/v1/audit/\(seq)"), (.delete, "/v1/audit/\(seq)"),
            ] {
                let response = try await client.send(method, path, key: admin, json: method == .delete ? nil : "{}")
                #expect([404, 405].contains(response.status.code), "\(method) \(path): \(response.status)")
            }
            #expect(try await database.store.auditEntries(AuditQuery()) == before)
        }
    }

    @Test(arguments: Backend.available)
    func anEntryCommitsWithItsUnitOrNotAtAll(backend: Backend) async throws {
        let database = try await TestDatabase(backend: backend)
        defer { database.remove() }
        try await database.store.withRunning {
            let store = database.store
            try await seed(store, Catalog())
            let audit = AuditContext(
                keyID: "k1",
                keyName: "erp",
                partner: nil,
                method: "PUT",
                path: "/v1/warehouses/WH-Z",
                requestID: "r1",
                source: "10.0.0.7",
                route: { "/v1/warehouses/{id}" }
            )
            let warehouse = Warehouse(id: "WH-Z", name: "Z", region: "EU", priority: 9, address: nil)
            // A unit whose guard fails writes nothing, its entry included, and leaves the entry to the next commit.
            var failing = UnitOfWork()
            failing.warehouses = [warehouse]
            failing.creditChanges = [CreditChange(customerID: "NO-SUCH-CUSTOMER", openOrdersDelta: 1, openBalanceDelta: 0)]
            var good = UnitOfWork()
            good.warehouses = [warehouse]
            try await AuditContext.$current.withValue(audit) {
                AuditContext.note(status: 200, location: nil)
                AuditContext.note(changes: [FieldChange(field: "name", before: nil, after: .string("Z"))])
                guard case .conflict = try await store.commit(failing) else { throw TestFailure("the unit should conflict") }
                #expect(try await store.auditEntries(AuditQuery()).isEmpty)
                #expect(!audit.isRecorded)
                guard case .committed = try await store.commit(good) else { throw TestFailure("the unit should commit") }
                #expect(audit.isRecorded)
                guard case .committed = try await store.commit(good) else { throw TestFailure("the unit should commit") }
            }
            let entries = try await store.auditEntries(AuditQuery())
            #expect(entries.count == 1, "one entry per request, however many units it commits")
            let entry = try #require(entries.first)
            #expect(entry.keyId == "k1" && entry.keyName == "erp" && entry.route == "/v1/warehouses/{id}" && entry.resource == "warehouse/WH-Z")
            #expect(entry.status == 200 && entry.requestId == "r1" && entry.source == "10.0.0.7" && entry.method == "PUT")
            #expect(entry.changes == [FieldChange(field: "name", before: nil, after: .string("Z"))])
            // A commit outside any request (seeding, background services) records nothing.
            guard case .committed = try await store.commit(good) else { throw TestFailure("the unit should commit") }
            #expect(try await store.auditEntries(AuditQuery()).count == 1)

            // The serialized path: the decision notes its status, and the entry commits with the unit it returns.
            let other = AuditContext(
                keyID: "k1",
                keyName: "erp",
                partner: nil,
                method: "PUT",
                path: "/v1/warehouses/WH-Y",
                requestID: "r2",
                source: nil,
                route: { "/v1/warehouses/{id}" }
            )
            var unit = UnitOfWork()
            unit.warehouses = [Warehouse(id: "WH-Y", name: "Y", region: "EU", priority: 8)]
            let serialized = unit
            let (outcome, _) = try await AuditContext.$current.withValue(other) {
                try await store.commitSerialized(ContentionKeys(serialized)) {
                    AuditContext.note(status: 201, location: nil)
                    return (serialized, ())
                }
            }
            guard case .committed = outcome else { throw TestFailure("the serialized unit should commit") }
            let second = try await store.auditEntries(AuditQuery(after: entry.seq))
            #expect(second.map(\.requestId) == ["r2"] && second.first?.status == 201 && second.first?.seq ?? 0 > entry.seq)

            var query = AuditQuery()
            query.keyID = "k1"
            query.resource = "warehouse"
            query.since = entry.at.addingTimeInterval(-1)
            query.until = entry.at.addingTimeInterval(1)
            query.until = entry.at.addingTimeInterval(0.0001)
            #expect(try await store.auditEntries(query) == entries)
        }
    }

    @Test(arguments: Backend.available)
    func theDatabaseRefusesToChangeEntries(backend: Backend) async throws {
        let database = try await TestDatabase(backend: backend)
        defer { database.remove() }
        try await database.store.withRunning {
            let entry = AuditEntry(
                at: Date(),
                keyId: "k1",
                keyName: "erp",
                partner: nil,
                method: "DELETE",
                route: "/v1/subscriptions/{id}",
                path: "/v1/subscriptions/S1",
                resource: "subscription/S1",
                status: 204,
                requestId: "r1",
                source: nil,
                changes: nil
            )
            let stored = try await database.store.appendAudit(entry)
            #expect(stored.seq > 0)
            let client: (executable: String, target: String)
            switch backend {
            case .sqlite: client = ("/usr/bin/sqlite3", database.path)
            // psql takes the URL without the hub's own pool options.
            case .postgres: client = ((PostgresTestCluster.binaries?.path ?? "/usr/bin") + "/psql", String(database.url.prefix { $0 != "?" }))
            }
            guard FileManager.default.isExecutableFile(atPath: client.executable) else {
                print("notice: \(client.executable) not found: the trigger check on \(backend) is skipped")
                return
            }
            for statement in ["UPDATE audit_log SET key_id = 'forged'", "DELETE FROM audit_log"]
                + (backend == .postgres ? ["TRUNCATE audit_log"] : [])
            {
                let arguments = backend == .sqlite ? [client.target, statement] : ["-X", "-v", "ON_ERROR_STOP=1", client.target, "-c", statement]
                let result = try ChildProcess.run(URL(fileURLWithPath: client.executable), arguments)
                #expect(result.status != 0 && result.text.contains("append-only"), "\(statement): \(result.text)")
            }
            #expect(try await database.store.auditEntries(AuditQuery()).map { [$0.seq, $0.keyId == "k1" ? 1 : 0] } == [[stored.seq, 1]])
        }
    }

    @Test func theCommandPrintsTheLog() async throws {
        let database = try await TestDatabase()
        defer { database.remove() }
        try await database.store.withRunning {
            for (index, resource) in ["subscription/S1", "customer/C-1"].enumerated() {
                try await database.store.appendAudit(
                    AuditEntry(
                        at: Date(),
                        keyId: "k\(index)",
                        keyName: "erp",
                        partner: nil,
                        method: "PUT",
                        route: "/v1/x/{id}",
                        path: "/v1/x/1",
                        resource: resource,
                        status: 200,
                        requestId: "cli-\(index)",
                        source: nil,
                        changes: nil
                    )
                )
            }
        }
        let executable = try HubProcess.executable
        let result = try ChildProcess.run(executable, ["audit", "--db", database.url, "--resource", "customer"])
        #expect(result.status == 0, "\(result.text)")
        let lines = result.text.split(separator: "\n").filter { $0.hasPrefix("{") || $0.hasPrefix("next after") }
        #expect(lines.count == 2 && lines[0].contains(#""requestId":"cli-1""#) && lines[1].hasPrefix("next after: "), "\(result.text)")
        let bad = try ChildProcess.run(executable, ["audit", "--db", database.url, "--since", "yesterday"])
        #expect(bad.status != 0 && bad.text.contains("--since takes"))
    }

    @Test func resourcesAreNamedFromTheRoute() {
        #expect(AuditEntry.resource(route: "/v1/customers/{id}", path: "/v1/customers/C-1", location: nil) == "customer/C-1")
        #expect(AuditEntry.resource(route: "/v1/deliveries/{id}/replay", path: "/v1/deliveries/42/replay", location: nil) == "delivery/42")
        #expect(AuditEntry.resource(route: "/v1/orders", path: "/v1/orders", location: "/v1/orders/O-9") == "order/O-9")
        #expect(AuditEntry.resource(route: "/v1/orders", path: "/v1/orders", location: nil) == "order")
        #expect(AuditEntry.resource(route: "/v1/inventory/adjustments", path: "/v1/inventory/adjustments", location: nil) == "inventory-adjustment")
        #expect(AuditEntry.resource(route: "/v1/price-lists/{id}", path: "/v1/price-lists/PL%201", location: nil) == "price-list/PL 1")
    }

    @Test func diffsRedactSecrets() {
        let changes = FieldChange.diff(
            before: .object(["apiToken": .string("old"), "name": .string("a"), "same": .number(1)]),
            after: .object(["apiToken": .string("new"), "name": .string("b"), "same": .number(1), "clientSecret": .string("s")])
        )
        #expect(changes.map(\.field) == ["apiToken", "clientSecret", "name"])
        #expect(changes[0].before == .string("[redacted]") && changes[0].after == .string("[redacted]"))
        #expect(changes[1].before == nil && changes[1].after == .string("[redacted]"))
    }
}

/// A page of `GET /v1/audit`.
struct AuditPage: Decodable {
    var entries: [AuditEntry]
    var nextAfter: Int64
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
}

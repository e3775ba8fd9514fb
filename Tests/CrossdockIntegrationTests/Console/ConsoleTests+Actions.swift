import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The console's sessions and actions: the cookie holds a random token (never the key) that sign-out and key
/// rotation end; every action needs the session's CSRF token, a post from the hub's own pages and the write scope its
/// `/v1` route needs; a read-only key sees no action buttons; actions are audited and change what the API would.
extension ConsoleTests {
    static let operatorScopes = ["orders:read", "orders:write", "events:read", "subscriptions:write"]

    @Test func theSessionCookieIsNotTheKeyAndSignOutOrRotationEndsIt() async throws {
        try await withHub { client, database, _ in
            let (record, secret) = try await APIKeys.create(in: database.store, name: "ops", scopes: ["orders:read"])
            let cookie = try await client.consoleSession(key: secret)
            #expect(!cookie.contains(secret) && cookie.hasPrefix("crossdock_console="))
            let page = try await client.consolePage("/console/search", cookie: cookie)
            #expect(page.status == .ok)
            let csrf = try #require(Self.csrfToken(String(buffer: page.body)))

            // Sign-out without the session's CSRF token is refused and the session goes on.
            try expectProblem(
                try await client.consoleForm("/console/sign-out", cookie: cookie, ["csrf": "0000"]),
                .forbidden,
                code: "csrf_token_invalid"
            )
            #expect(try await client.consolePage("/console/search", cookie: cookie).status == .ok)
            // With it, the session ends on the server: the old cookie, sent again, no longer signs anyone in.
            let signOut = try await client.consoleForm("/console/sign-out", cookie: cookie, ["csrf": csrf])
            #expect(signOut.status == .seeOther && signOut.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await client.consolePage("/console/search", cookie: cookie).status == .seeOther)

            // Rotating the key ends its sessions too.
            let second = try await client.consoleSession(key: secret)
            #expect(try await client.consolePage("/console/search", cookie: second).status == .ok)
            #expect(try await APIKeys.rotate(in: database.store, id: record.id) != nil)
            #expect(try await client.consolePage("/console/search", cookie: second).status == .seeOther)
        }
    }

    @Test func releasingAHoldAndCancellingNeedTheTokenTheScopeAndTheSameSite() async throws {
        try await withHub { client, database, key in
            let store = database.store
            // CUST-007: limit 2 500.00, open balance 1 000.00; 120 units put the order on credit hold.
            let held = try await client.createOrder(orderJSON(externalID: "HOLD-1", customer: "CUST-007", sku: "SKU-0010", quantity: 120), key: key)
            try #require(held.status == .onHold)
            let open = try await client.createOrder(orderJSON(externalID: "OPEN-1"), key: key)
            try #require(open.status == .released)

            // A read-only key sees the trace without any action, and a form it forges is refused.
            let reader = try await APIKeys.create(in: store, name: "reader", scopes: ["orders:read"]).1
            let readerCookie = try await client.consoleSession(key: reader)
            let readerPage = String(buffer: try await client.consolePage("/console/orders/\(held.id)", cookie: readerCookie).body)
            #expect(!readerPage.contains("/release-hold") && !readerPage.contains("/cancel") && !readerPage.contains("/replay"))
            let readerCSRF = try #require(Self.csrfToken(readerPage))
            let forged = try await client.consoleForm("/console/orders/\(held.id)/release-hold", cookie: readerCookie, ["csrf": readerCSRF])
            #expect(forged.status == .forbidden)

            let writer = try await APIKeys.create(in: store, name: "operator", scopes: Self.operatorScopes).1
            let cookie = try await client.consoleSession(key: writer)
            let page = String(buffer: try await client.consolePage("/console/orders/\(held.id)", cookie: cookie).body)
            #expect(page.contains("action=\"/console/orders/\(held.id)/release-hold\""))
            let csrf = try #require(Self.csrfToken(page))

            // Without the token, with another session's token, or from another site: refused, nothing changes.
            let release = "/console/orders/\(held.id)/release-hold"
            #expect(try await client.consoleForm(release, cookie: cookie, [:]).status == .forbidden)
            #expect(try await client.consoleForm(release, cookie: cookie, ["csrf": readerCSRF]).status == .forbidden)
            let crossSite = try await client.consoleForm(release, cookie: cookie, ["csrf": csrf], headers: [.origin: "https://evil.example"])
            #expect(crossSite.status == .forbidden)
            #expect(try await client.get(SalesOrder.self, "/v1/orders/\(held.id)", key: key).status == .onHold)

            // The engine's refusal (credit still exceeded) is a page that says why, with its status.
            let refused = try await client.consoleForm(release, cookie: cookie, ["csrf": csrf])
            #expect(refused.status == .conflict && String(buffer: refused.body).contains("exceeds limit"))
            var customer = try await client.get(Customer.self, "/v1/customers/CUST-007", key: key)
            customer.creditLimit = Money(100_000_000, .usd)
            let raised = try await client.send(
                .put,
                "/v1/customers/CUST-007",
                key: key,
                json: String(decoding: try JSONCoding.encode(customer), as: UTF8.self)
            )
            try #require(raised.status == .ok)

            // With all three and the credit raised: done, back to the trace with a notice, and audited under the key.
            let done = try await client.consoleForm(release, cookie: cookie, ["csrf": csrf])
            #expect(done.status == .seeOther && done.headers[.location] == "/console/orders/\(held.id)?done=release-hold")
            #expect(try await client.get(SalesOrder.self, "/v1/orders/\(held.id)", key: key).status != .onHold)
            let notice = String(buffer: try await client.consolePage(done.headers[.location] ?? "", cookie: cookie).body)
            #expect(notice.contains("The hold was released"))
            let audit = try await store.auditEntries(AuditQuery(limit: 1000))
            #expect(audit.contains { $0.route == "/console/orders/{id}/release-hold" && $0.keyName == "operator" && $0.path == release })

            // Cancelling what is not shipped, with a reason.
            let cancel = try await client.consoleForm(
                "/console/orders/\(open.id)/cancel",
                cookie: cookie,
                ["csrf": csrf, "reason": "customer called"]
            )
            #expect(cancel.status == .seeOther)
            // Its units were released, so the warehouse is asked first, as through the API.
            let requested = try await client.fulfillments(of: open.id, key: key).filter { $0.status == .cancellationRequested }
            try #require(requested.count == 1)
            try await client.post("/v1/fulfillments/\(requested[0].id)/events", #"{"type":"cancel_accepted"}"#, key: key)
            #expect(try await client.get(SalesOrder.self, "/v1/orders/\(open.id)", key: key).status == .cancelled)
            // Once cancelled, the page offers no cancel, and a second post is refused with the engine's reason.
            let cancelled = String(buffer: try await client.consolePage("/console/orders/\(open.id)", cookie: cookie).body)
            #expect(!cancelled.contains("/cancel\""))
            let again = try await client.consoleForm("/console/orders/\(open.id)/cancel", cookie: cookie, ["csrf": csrf])
            #expect(again.status == .conflict && again.headers[.contentType]?.hasPrefix("text/html") == true)
        }
    }

    @Test func replayingADeadLetterAndAnOrderAndResolvingAnException() async throws {
        try await withHub { client, database, key in
            let store = database.store
            let fixture = try await ReplayFixture.make(client, store, key: key, orders: 1)
            let writer = try await APIKeys.create(in: store, name: "operator", scopes: Self.operatorScopes).1
            let cookie = try await client.consoleSession(key: writer)

            // The dead-letter page has a replay button per dead letter; pressing one makes it pending again.
            let deadLetters = try await store.deliveryDetails(DeliveryQuery(status: .dead, limit: 100))
            let letter = try #require(deadLetters.first)
            let page = String(buffer: try await client.consolePage("/console/deliveries", cookie: cookie).body)
            #expect(page.contains("action=\"/console/deliveries/\(letter.delivery.id)/replay\""))
            let csrf = try #require(Self.csrfToken(page))
            let replay = try await client.consoleForm("/console/deliveries/\(letter.delivery.id)/replay", cookie: cookie, ["csrf": csrf])
            #expect(replay.status == .seeOther && replay.headers[.location] == "/console/deliveries?done=replay")
            #expect(try await store.deliveryDetail(id: letter.delivery.id)?.delivery.status == .pending)

            // Replaying an order: a plan first (nothing changes), then the confirmation.
            let order = fixture.orderIDs[0]
            let before = try await store.deliveryDetails(DeliveryQuery(status: .dead, limit: 100)).count
            let plan = try await client.consoleForm("/console/orders/\(order)/replay", cookie: cookie, ["csrf": csrf])
            #expect(plan.status == .ok)
            let planHTML = String(buffer: plan.body)
            #expect(planHTML.contains("would queue") && planHTML.contains("name=\"confirm\" value=\"1\""))
            #expect(try await store.deliveryDetails(DeliveryQuery(status: .dead, limit: 100)).count == before)
            let confirmed = try await client.consoleForm("/console/orders/\(order)/replay", cookie: cookie, ["csrf": csrf, "confirm": "1"])
            #expect(confirmed.status == .seeOther)
            #expect(try await store.deliveryDetails(DeliveryQuery(status: .dead, limit: 100)).count < before)

            // A lost parcel raises an exception; the queue offers the resolutions and resolving records the note.
            let shipped = try await ShippedOrder.make(client, key: key, externalID: "LOST-1", po: "PO-LOST", tracking: "1ZLOST0001")
            _ = try await client.track(shipped.shipment, "exception", at: 60, extra: #","exceptionKind":"lost""#, key: key)
            let exception = try #require(try await store.operationsExceptions(status: .open, orderID: shipped.order.id, limit: 10).first)
            // An alert route pages for it; the queue shows its severity and that a route was paged.
            let route = Subscription(
                id: "ROUTE-1",
                url: "http://127.0.0.1:9/pager",
                eventTypes: ["alert.*"],
                secret: WebhookSigner.makeSecret(),
                createdAt: Date(),
                cursor: 0,
                settings: SubscriptionSettings(alert: AlertRoute(kinds: [.deliveryException]))
            )
            try await store.insertSubscription(route)
            #expect(try await AlertNotifier(store: store).step().alerts.map(\.kind) == [.deliveryException])
            let queue = String(buffer: try await client.consolePage("/console/exceptions", cookie: cookie).body)
            #expect(queue.contains("action=\"/console/exceptions/\(exception.id)/resolve\"") && queue.contains("value=\"acknowledge\""))
            #expect(queue.contains("<td>critical</td>") && queue.contains("1 route(s), last "))
            let assigned = try await client.consoleForm(
                "/console/exceptions/\(exception.id)/assign",
                cookie: cookie,
                ["csrf": csrf, "assignee": "dana"]
            )
            #expect(assigned.status == .seeOther)
            let commented = try await client.consoleForm(
                "/console/exceptions/\(exception.id)/comments",
                cookie: cookie,
                ["csrf": csrf, "text": "calling the carrier"]
            )
            #expect(commented.status == .seeOther)
            let worked = try #require(try await store.operationsException(exception.id))
            #expect(worked.assignee == "dana" && worked.activity.map(\.action) == [.assigned, .commented])
            let workedQueue = String(buffer: try await client.consolePage("/console/exceptions", cookie: cookie).body)
            #expect(workedQueue.contains("calling the carrier"))
            let unknown = try await client.consoleForm(
                "/console/exceptions/\(exception.id)/resolve",
                cookie: cookie,
                ["csrf": csrf, "resolution": "automatic"]
            )
            #expect(unknown.status == .badRequest)
            let resolved = try await client.consoleForm(
                "/console/exceptions/\(exception.id)/resolve",
                cookie: cookie,
                ["csrf": csrf, "resolution": "acknowledge", "note": "carrier found it"]
            )
            #expect(resolved.status == .seeOther)
            let after = try #require(try await store.operationsException(exception.id))
            #expect(after.status == .resolved && after.resolution == .acknowledge)
        }
    }

    /// The CSRF token of the first form on a console page.
    static func csrfToken(_ html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}

extension TestClientProtocol {
    /// Posts a console form (`application/x-www-form-urlencoded`) with the session `cookie`.
    func consoleForm(_ uri: String, cookie: String, _ fields: [String: String], headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        headers[.cookie] = cookie
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = fields.sorted { $0.key < $1.key }.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}

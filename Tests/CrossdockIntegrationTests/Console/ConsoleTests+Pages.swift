import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The console's pages: signing in, every page rendering with its content, hostile values shown as text, and the
/// same scopes and partner isolation as the API.
extension ConsoleTests {
    static let hostile = "<script>alert(1)</script>"

    @Test func theConsolePagesRenderForASignedInKeyAndEscapeHostileValues() async throws {
        try await withHub { client, _, key in
            #expect(try await client.send(.put, "/v1/customers/CUST-666", key: key, json: customerJSON(name: Self.hostile)).status == .ok)
            let hostilePO = #"<i>"PO"&'1</i>"#
            let shipped = try await ShippedOrder.make(
                client,
                key: key,
                externalID: "C-1",
                po: hostilePO,
                tracking: "1ZCONSOLE01",
                customer: "CUST-666"
            )
            let id = shipped.order.id

            // Without a session every page sends the browser to the sign-in form.
            for path in ["/console", "/console/search?q=x", "/console/orders/\(id)", "/console/deliveries", "/console/exceptions"] {
                let answer = try await client.execute(uri: path, method: .get, headers: [:], body: nil)
                #expect(answer.status == .seeOther, "\(path)")
                #expect(answer.headers[.location] == "/console/sign-in")
            }
            let form = try await client.execute(uri: "/console/sign-in", method: .get, headers: [:], body: nil)
            #expect(form.status == .ok && String(buffer: form.body).contains("name=\"key\""))

            // Signing in sets a cookie no script can read and no other site can send.
            let signIn = try await client.execute(
                uri: "/console/sign-in",
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "key=\(key)")
            )
            #expect(signIn.status == .seeOther && signIn.headers[.location] == "/console")
            let setCookie = try #require(signIn.headers[.setCookie])
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/console", "Max-Age=28800"] {
                #expect(setCookie.contains(attribute), "\(attribute) in \(setCookie)")
            }
            let cookie = try await client.consoleSession(key: key)

            let overview = try await client.consolePage("/console", cookie: cookie)
            #expect(overview.status == .ok)
            #expect(overview.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(overview.headers[.cacheControl] == "no-store")
            let policy = overview.headers[.contentSecurityPolicy] ?? ""
            #expect(policy.contains("default-src 'none'") && policy.contains("style-src 'sha256-"))
            let overviewHTML = String(buffer: overview.body)
            for text in ["Orders received", "<svg", "Cycle time", "Fulfilment latency", "Exception rate", "Delivery success rate"] {
                #expect(overviewHTML.contains(text), "overview shows \(text)")
            }

            let search = String(buffer: try await client.consolePage("/console/search?q=1ZCONSOLE01", cookie: cookie).body)
            #expect(search.contains("href=\"/console/orders/\(id)\""), "the hit links to the order's trace")
            #expect(search.contains("tracking number 1ZCONSOLE01"))

            let trace = try await client.consolePage("/console/orders/\(id)", cookie: cookie)
            #expect(trace.status == .ok)
            let traceHTML = String(buffer: trace.body)
            for text in ["order.received", "shipment.shipped", "invoice.posted", shipped.invoice.number, "carrier:UPS"] {
                #expect(traceHTML.contains(text), "the trace shows \(text)")
            }
            // Hostile values are text: the customer's name and the PO number, escaped in elements.
            #expect(traceHTML.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(traceHTML.contains("&lt;i&gt;&quot;PO&quot;&amp;&#39;1&lt;/i&gt;"))
            #expect(!traceHTML.contains("<script") && !traceHTML.contains("<i>"))
            // … and in attributes: a hostile search key goes back into the form escaped.
            let encoded = Self.hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let reflected = String(buffer: try await client.consolePage("/console/search?q=\(encoded)%22%3E", cookie: cookie).body)
            #expect(reflected.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;\""))
            #expect(!reflected.contains("<script"))

            let deliveries = try await client.consolePage("/console/deliveries", cookie: cookie)
            #expect(deliveries.status == .ok && String(buffer: deliveries.body).contains("Dead letters"))
            let exceptions = try await client.consolePage("/console/exceptions", cookie: cookie)
            #expect(exceptions.status == .ok && String(buffer: exceptions.body).contains("Open operations exceptions"))
            let missing = try await client.consolePage("/console/orders/no-such-order", cookie: cookie)
            #expect(missing.status == .notFound && missing.headers[.contentType]?.hasPrefix("text/html") == true)
            let badWindow = try await client.consolePage("/console?bucket=7x", cookie: cookie)
            #expect(badWindow.status == .badRequest)

            // Signing out (with the session's CSRF token) clears the cookie.
            let csrf = try #require(Self.csrfToken(overviewHTML))
            let signOut = try await client.consoleForm("/console/sign-out", cookie: cookie, ["csrf": csrf])
            #expect(signOut.status == .seeOther && signOut.headers[.setCookie]?.contains("Max-Age=0") == true)
        }
    }

    @Test func theTraceShowsTheChannelsPayloadAsText() async throws {
        try await withHub { client, _, key in
            #expect(try await client.send(.put, "/v1/partners/acme-shop", key: key, json: ChannelRouteTests.shop).status == .ok)
            let body = ChannelRouteTests.shopifyOrder().replacingOccurrences(
                of: #""first_name":"Bob""#,
                with: #""first_name":"<script>alert(1)</script>""#
            )
            let created = try await ChannelRouteTests.postShopify(client, body, webhookID: "wh-console")
            try #require(created.status == .created, "\(created.text)")
            let order = try created.decode(SalesOrder.self)
            let cookie = try await client.consoleSession(key: key)
            let html = String(buffer: try await client.consolePage("/console/orders/\(order.id)", cookie: cookie).body)
            #expect(html.contains("Inbound shopify message from acme-shop (wh-console)"))
            #expect(html.contains("X-Shopify-Hmac-Sha256 verified"))
            #expect(html.contains("&quot;first_name&quot;:&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;"), "the payload, escaped")
            #expect(!html.contains("<script"))
        }
    }

    @Test func signingInRefusesBadKeysAndFormsFromOtherSites() async throws {
        try await withHub { client, database, key in
            func signIn(_ token: String, headers: HTTPFields = [:]) async throws -> TestResponse {
                var fields = headers
                fields[.contentType] = "application/x-www-form-urlencoded"
                return try await client.execute(uri: "/console/sign-in", method: .post, headers: fields, body: ByteBuffer(string: "key=\(token)"))
            }
            let unknown = try await signIn("cdk_not-a-key")
            #expect(unknown.status == .unauthorized && unknown.headers[.setCookie] == nil)
            let writer = try await APIKeys.create(in: database.store, name: "writer", scopes: ["orders:write"]).1
            let noRead = try await signIn(writer)
            #expect(noRead.status == .forbidden && noRead.headers[.setCookie] == nil)
            try expectProblem(try await signIn(key, headers: [.origin: "https://evil.example"]), .forbidden, code: "cross_site_request")
            try expectProblem(
                try await signIn(key, headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]),
                .forbidden,
                code: "cross_site_request"
            )

            // A key revoked after signing in is refused on the next page.
            let (record, reader) = try await APIKeys.create(in: database.store, name: "reader", scopes: ["orders:read"])
            let cookie = try await client.consoleSession(key: reader)
            #expect(try await client.consolePage("/console/search", cookie: cookie).status == .ok)
            #expect(try await database.store.revokeKey(record.id, at: Date()))
            #expect(
                try await eventually(timeout: .seconds(5)) {
                    try await client.consolePage("/console/search", cookie: cookie).status == .seeOther
                }
            )
        }
    }

    @Test func aPartnerBoundKeySeesOnlyItsOwnOrdersInTheConsole() async throws {
        try await withHub { client, database, _ in
            let store = database.store
            let shopA = try await APIKeys.create(in: store, name: "shop-a", scopes: Self.partnerScopes, partner: "shop-a").1
            let shopB = try await APIKeys.create(in: store, name: "shop-b", scopes: Self.partnerScopes, partner: "shop-b").1
            let body = orderJSON(externalID: "PB-1").replacingOccurrences(of: #""channel":"api""#, with: #""channel":"shop-b""#)
            let theirs = try await client.createOrder(body, key: shopB)
            let cookie = try await client.consoleSession(key: shopA)
            #expect(try await client.consolePage("/console/orders/\(theirs.id)", cookie: cookie).status == .notFound)
            let search = String(buffer: try await client.consolePage("/console/search?q=PB-1", cookie: cookie).body)
            #expect(search.contains("0 results") && !search.contains(theirs.id))
            #expect(try await client.consolePage("/console", cookie: cookie).status == .forbidden, "the overview is hub-wide")
            #expect(try await client.consolePage("/console/exceptions", cookie: cookie).status == .forbidden)
            #expect(try await client.consolePage("/console/deliveries", cookie: cookie).status == .ok, "its own dead letters")
            let own = try await client.consoleSession(key: shopB)
            #expect(try await client.consolePage("/console/orders/\(theirs.id)", cookie: own).status == .ok)
        }
    }
}

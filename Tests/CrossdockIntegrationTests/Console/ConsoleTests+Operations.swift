import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The console's subscriptions (pause and resume), partners and reconciliation pages.
extension ConsoleTests {
    @Test func anAlertRouteIsCreatedFromTheSubscriptionsPage() async throws {
        try await withHub(catalog: nil) { client, database, _ in
            let store = database.store
            let operatorKey = try await APIKeys.create(in: store, name: "operator", scopes: Self.operatorScopes).1
            let cookie = try await client.consoleSession(key: operatorKey)
            let page = String(buffer: try await client.consolePage("/console/subscriptions", cookie: cookie).body)
            #expect(page.contains("action=\"/console/alert-routes\""))
            let csrf = try #require(Self.csrfToken(page))
            let before = try await store.subscriptions().count

            let created = try await client.consoleForm(
                "/console/alert-routes",
                cookie: cookie,
                [
                    "csrf": csrf, "url": "https://hooks.example.com/oncall", "kinds": "shipment_silent, edi_unacknowledged",
                    "severity_critical": "on", "format": "slack", "renotifyMinutes": "60", "notifyResolved": "on",
                ]
            )
            #expect(created.status == .created)
            let route = try #require(try await store.subscriptions().first { $0.settings.alert != nil })
            #expect(route.url == "https://hooks.example.com/oncall" && route.eventTypes == ["alert.*"] && route.partner == nil)
            #expect(
                route.settings.alert
                    == AlertRoute(kinds: [.shipmentSilent, .ediUnacknowledged], severities: [.critical], format: .slack, renotifyMinutes: 60)
            )
            #expect(String(buffer: created.body).contains(route.secret), "the signing secret is shown once")

            // What POST /v1/subscriptions refuses, the form refuses, and nothing is made.
            for (fields, status) in [
                (["url": "ftp://example.com/x"], HTTPResponse.Status.unprocessableContent),
                (["url": "https://hooks.example.com/x", "kinds": "bogus"], .badRequest),
                (["url": "https://hooks.example.com/x", "renotifyMinutes": "99999"], .unprocessableContent),
                (["url": "https://hooks.example.com/x", "format": "pager"], .badRequest),
            ] {
                let refused = try await client.consoleForm("/console/alert-routes", cookie: cookie, fields.merging(["csrf": csrf]) { $1 })
                #expect(refused.status == status, "\(fields)")
            }
            #expect(
                try await client.consoleForm("/console/alert-routes", cookie: cookie, ["url": "https://hooks.example.com/x"]).status == .forbidden
            )
            #expect(try await store.subscriptions().count == before + 1)

            // A read-only key has no form, and one it forges is refused; so is a partner's key (routes are hub-wide).
            let reader = try await APIKeys.create(in: store, name: "reader", scopes: ["orders:read", "events:read"]).1
            let readerCookie = try await client.consoleSession(key: reader)
            let readerPage = String(buffer: try await client.consolePage("/console/subscriptions", cookie: readerCookie).body)
            #expect(!readerPage.contains("/console/alert-routes"))
            let forged = ["csrf": try #require(Self.csrfToken(readerPage)), "url": "https://evil.example.com/x"]
            #expect(try await client.consoleForm("/console/alert-routes", cookie: readerCookie, forged).status == .forbidden)
            let partner = try await APIKeys.create(in: store, name: "shop-a", scopes: Self.partnerScopes, partner: "shop-a").1
            let partnerCookie = try await client.consoleSession(key: partner)
            let partnerPage = String(buffer: try await client.consolePage("/console/subscriptions", cookie: partnerCookie).body)
            #expect(!partnerPage.contains("/console/alert-routes"))
            let partnerForm = ["csrf": try #require(Self.csrfToken(partnerPage)), "url": "https://evil.example.com/x"]
            #expect(try await client.consoleForm("/console/alert-routes", cookie: partnerCookie, partnerForm).status == .forbidden)
            #expect(try await store.subscriptions().count == before + 1)
        }
    }

    @Test func subscriptionsShowTheirQueuesAndPauseAndResumeFromThePage() async throws {
        try await withHub { client, database, key in
            let store = database.store
            let fixture = try await ReplayFixture.make(client, store, key: key, orders: 2)
            let reader = try await APIKeys.create(in: store, name: "reader", scopes: ["orders:read", "events:read"]).1
            let readerPage = String(
                buffer: try await client.consolePage("/console/subscriptions", cookie: try await client.consoleSession(key: reader)).body
            )
            #expect(readerPage.contains(fixture.dead) && readerPage.contains(fixture.delivered) && readerPage.contains("paused"))
            #expect(!readerPage.contains("/resume\""), "a read-only key has no buttons")
            let dead = try await store.deliveryDetails(DeliveryQuery(status: .dead, subscriptionID: fixture.dead, limit: 100)).count
            #expect(readerPage.contains("href=\"/console/deliveries?subscription=\(fixture.dead)\">\(dead)</a>"), "dead letters link to their list")

            let operatorKey = try await APIKeys.create(in: store, name: "operator", scopes: Self.operatorScopes).1
            let cookie = try await client.consoleSession(key: operatorKey)
            let page = String(buffer: try await client.consolePage("/console/subscriptions", cookie: cookie).body)
            let csrf = try #require(Self.csrfToken(page))
            #expect(page.contains("action=\"/console/subscriptions/\(fixture.dead)/resume\""))
            let resumed = try await client.consoleForm("/console/subscriptions/\(fixture.dead)/resume", cookie: cookie, ["csrf": csrf])
            #expect(resumed.status == .seeOther && resumed.headers[.location] == "/console/subscriptions?done=resume")
            #expect(try await store.subscription(fixture.dead)?.status == .active)
            let paused = try await client.consoleForm("/console/subscriptions/\(fixture.dead)/pause", cookie: cookie, ["csrf": csrf])
            #expect(paused.status == .seeOther)
            #expect(try await store.subscription(fixture.dead)?.status == .paused)
            #expect(try await client.consoleForm("/console/subscriptions/\(fixture.dead)/resume", cookie: cookie, [:]).status == .forbidden)
            #expect(try await client.consoleForm("/console/subscriptions/no-such/resume", cookie: cookie, ["csrf": csrf]).status == .notFound)

            // A partner-bound key sees none of the hub-wide subscriptions and cannot touch them.
            let partner = try await APIKeys.create(in: store, name: "shop-a", scopes: Self.partnerScopes, partner: "shop-a").1
            let partnerCookie = try await client.consoleSession(key: partner)
            let partnerPage = String(buffer: try await client.consolePage("/console/subscriptions", cookie: partnerCookie).body)
            #expect(!partnerPage.contains(fixture.dead))
            let partnerCSRF = try #require(Self.csrfToken(partnerPage))
            let refused = try await client.consoleForm("/console/subscriptions/\(fixture.dead)/resume", cookie: partnerCookie, ["csrf": partnerCSRF])
            #expect(refused.status == .notFound)
            #expect(try await store.subscription(fixture.dead)?.status == .paused)
        }
    }

    @Test func thePartnersPageAndTheReconciliationWithTheOrdersBehindEachFigure() async throws {
        try await withHub { client, _, key in
            #expect(try await client.send(.put, "/v1/partners/acme-shop", key: key, json: ChannelRouteTests.shop).status == .ok)
            let shipped = try await ShippedOrder.make(client, key: key, externalID: "R-1", po: "PO-R1", tracking: "1ZRECON001")
            let open = try await client.createOrder(orderJSON(externalID: "R-2"), key: key)
            let cookie = try await client.consoleSession(key: key)

            let partners = String(buffer: try await client.consolePage("/console/partners", cookie: cookie).body)
            #expect(partners.contains("acme-shop") && partners.contains("shopify") && partners.contains("Error rate"))

            let ledger = try await client.consolePage("/console/reconciliation", cookie: cookie)
            #expect(ledger.status == .ok)
            let html = String(buffer: ledger.body)
            #expect(html.contains("| balanced") && html.contains("href=\"/console/reconciliation?figure=open\""))
            let behindOpen = String(buffer: try await client.consolePage("/console/reconciliation?figure=open", cookie: cookie).body)
            #expect(behindOpen.contains("/console/orders/\(open.id)") && !behindOpen.contains("/console/orders/\(shipped.order.id)"))
            let behindInvoiced = String(buffer: try await client.consolePage("/console/reconciliation?figure=invoiced", cookie: cookie).body)
            #expect(behindInvoiced.contains("/console/orders/\(shipped.order.id)") && !behindInvoiced.contains("/console/orders/\(open.id)"))
            #expect(try await client.consolePage("/console/reconciliation?figure=bogus", cookie: cookie).status == .badRequest)
        }
    }
}

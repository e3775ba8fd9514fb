import CrossdockDomain
import CrossdockEngine
import CrossdockSandbox
import CrossdockStore
import Foundation
import NIOHTTP1
import ServiceLifecycle

/// The demo's sandbox partners, each speaking its own format over loopback HTTP.
struct DemoPartners {
    /// The distributor's warehouses (all but the 3PL's): JSON fulfilment webhooks.
    let wms: SandboxWMS
    /// The parcel carrier: EasyPost `tracker.updated` webhooks.
    let carrier: SandboxCarrier
    /// The US entity's ERP instance: its mapped sales orders, invoices and credit memos, answering its document
    /// numbers.
    let erp: SandboxERP
    /// The European entity's ERP instance: the same for the EU entity's documents.
    let erpEU: SandboxERP
    /// A retailer's EDI system: 850 in; 855, 856, 810 out; 997 both ways.
    let retailer: SandboxEDIPartner
    /// The Pennsylvania 3PL: 940 out, 945 in, 997 both ways; JSON cancellation requests.
    let threePL: Sandbox3PL
    /// A Shopify store: signed `orders/create` webhooks out; its Admin API takes fulfillments, cancellations, refunds,
    /// status metafields, products, prices and inventory levels.
    let storefront: SandboxStorefront
    /// A Salesforce org: signed Order pushes out; its REST API takes Order status, OrderItems, Shipments, Accounts,
    /// Products and price book entries.
    let crm: SandboxCRM
    /// The on-call receiver: the demo's alert route (docs/alerts.md).
    let onCall: SandboxOnCall
    /// The carrier profile's id and webhook secret.
    let carrierID: String
    let carrierSecret: String

    /// The partners with a loop of their own, to run as services.
    var services: [any Service] { [wms, carrier, erp, erpEU, retailer, threePL, storefront, crm, onCall] }
}

extension Demo {
    /// The EDI retailer's account (`CUST-006`: ships partial, not on hold, far from its limit).
    static let retailerCustomerIndex = 5

    /// Creates the partners with keys bound to them.
    func makePartners(_ hub: LocalHub, catalog: Catalog) async throws -> DemoPartners {
        let carrierSecret = "sandbox-easypost-" + UUID().uuidString.lowercased()
        let wms = SandboxWMS(
            hubURL: hub.partnerURL(0),
            apiKey: try await partnerKey(hub, "sandbox-wms", [.fulfillmentWrite, .ordersRead]),
            configuration: .init(
                pickDelay: wmsDelay,
                shipDelay: wmsDelay,
                failureRate: failureRate,
                shortPickRate: shortPickRate,
                cancelAcceptRate: cancelAcceptRate,
                seed: seed
            )
        )
        let carrier = SandboxCarrier(
            hubURL: hub.partnerURL(1),
            apiKey: try await partnerKey(hub, "easypost", [.fulfillmentWrite]),
            configuration: .init(
                stepDelay: .milliseconds(carrierStepMs),
                lossRate: lossRate,
                damageRate: damageRate,
                returnRate: returnRate,
                failureRate: failureRate,
                seed: seed,
                ensureEachOutcome: true,
                feed: .easyPost(carrierID: "easypost", secret: carrierSecret)
            )
        )
        let retailer = SandboxEDIPartner(
            hubURL: hub.partnerURL(2),
            apiKey: try await partnerKey(hub, "northwind-edi", [.ordersWrite]),
            configuration: .init(customerID: catalog.customers[Self.retailerCustomerIndex].id, failureRate: failureRate, seed: seed)
        )
        let threePL = Sandbox3PL(
            hubURL: hub.partnerURL(3),
            apiKey: try await partnerKey(hub, "allentown-3pl", [.fulfillmentWrite, .ordersRead]),
            configuration: .init(shipDelay: wmsDelay * 2, failureRate: failureRate)
        )
        return DemoPartners(
            wms: wms,
            carrier: carrier,
            erp: SandboxERP(failureRate: failureRate, entity: Catalog.unitedStates.id),
            erpEU: SandboxERP(failureRate: failureRate, entity: Catalog.europe.id),
            retailer: retailer,
            threePL: threePL,
            storefront: SandboxStorefront(hubURL: hub.partnerURL(4), configuration: .init(seed: seed, failureRate: failureRate)),
            crm: SandboxCRM(hubURL: hub.partnerURL(5), configuration: .init(seed: seed, failureRate: failureRate)),
            onCall: SandboxOnCall(),
            carrierID: "easypost",
            carrierSecret: carrierSecret
        )
    }

    /// Registers every partner through the API and subscribes the ones that listen.
    func connect(_ partners: DemoPartners, admin: HubClient, catalog: Catalog) async throws {
        let own = catalog.warehouses.map(\.id).filter { $0 != Catalog.thirdPartyWarehouse().id }
        let wmsURL = try await partners.wms.subscribe(through: admin, warehouses: own)
        say(
            "  sandbox WMS at \(wmsURL): fulfillment.released, fulfillment.cancel_requested for \(own.joined(separator: ", ")) (refuses \(percent(failureRate)) of webhooks, short-picks \(percent(shortPickRate)), accepts \(percent(cancelAcceptRate)) of cancellations once picking started)"
        )
        try await admin.putPartner(
            partners.carrierID,
            kind: "carrier",
            profile: ["id": partners.carrierID, "format": "easypost", "secret": partners.carrierSecret]
        )
        let carrierURL = try await partners.carrier.subscribe(through: admin)
        say(
            "  sandbox carrier at \(carrierURL): shipment.shipped; reports as EasyPost tracker.updated webhooks (loses \(percent(lossRate)), damages \(percent(damageRate)), returns \(percent(returnRate)) of parcels)"
        )
        for (erp, entity) in [(partners.erp, Catalog.unitedStates), (partners.erpEU, Catalog.europe)] {
            let urls = try await erp.subscribe(through: admin)
            say(
                "  sandbox ERP \(entity.erpInstance) at \(urls.joined(separator: ", ")): order.accepted, invoice.posted, credit_memo.issued of legal entity \(entity.id) (\(entity.currency.code))"
            )
        }
        let retailerURL = try await partners.retailer.register(through: admin)
        say(
            "  EDI retailer \(partners.retailer.id) (X12 customer of \(catalog.customers[Self.retailerCustomerIndex].id)) at \(retailerURL): 855, 856, 810"
        )
        let threePLURL = try await partners.threePL.register(through: admin)
        say("  3PL \(partners.threePL.id) (X12 warehouse \(Catalog.thirdPartyWarehouse().id)) at \(threePLURL): 940; fulfillment.cancel_requested")
        try await partners.storefront.register(through: admin, catalog: catalog)
        try await partners.crm.register(through: admin, catalog: catalog)
        say("  Shopify shop \(partners.storefront.id) and Salesforce org \(partners.crm.id) registered with their signing secrets")
        let shopURL = try await partners.storefront.subscribe(through: admin, priceListID: catalog.priceList.id)
        say(
            "  Shopify Admin API at \(shopURL): channel.order_updated (shopify-order-sync), products, prices of \(catalog.priceList.id) and availability (sandbox-shopify-catalog)"
        )
        try await partners.crm.subscribe(through: admin)
        say("  Salesforce REST API: channel.order_updated (salesforce-order-sync), products, prices, credit status (salesforce-catalog-sync)")
        let route = try await partners.onCall.subscribe(through: admin)
        say("  sandbox on-call: alert route \(route) for every exception kind (signed alert.firing and alert.resolved)")
    }

    /// Feeds orders through every channel but the API, at once.
    func feedChannels(_ partners: DemoPartners, catalog: Catalog) async {
        async let shop = partners.storefront.placeOrders(from: catalog)
        async let crm = partners.crm.pushOrders(from: catalog)
        async let edi: Void = partners.retailer.sendPurchaseOrders(from: catalog)
        let (s, c, _) = await (shop, crm, edi)
        let r = partners.retailer.stats
        say(
            "  channels: Shopify \(s.created) order(s) created; Salesforce \(c.created); EDI \(r.x12.sent["850", default: 0]) PO(s) in \(r.interchangesSent) interchange(s)"
        )
    }

    /// Whether the X12 partners have nothing in flight: their queues are empty and every document the hub sent them
    /// has their 997.
    func channelsSettled(_ partners: DemoPartners, admin: HubClient, store: any Store) async throws -> Bool {
        guard partners.retailer.isIdle && partners.threePL.isIdle else { return false }
        // The channel follower has read the whole log and every subscription has fanned it out: every order update
        // has been delivered.
        let last = try await store.lastSequence()
        guard try await store.connectorCursor(ChannelOutbound.cursorName) >= last else { return false }
        guard try await store.subscriptions().allSatisfy({ $0.cursor >= last }) else { return false }
        guard try await store.deliveryCounts().pending == 0 else { return false }
        let withheld = partners.retailer.stats.unacknowledged?.group
        for id in [partners.retailer.id, partners.threePL.id] {
            let documents = try await partnerDocuments(id, admin: admin)
            if documents.contains(where: { $0.direction == "out" && $0.status == "sent" && !$0.isShipNotice(inGroup: withheld) }) { return false }
        }
        return true
    }

    /// `GET /v1/partners/{id}/documents`.
    func partnerDocuments(_ id: String, admin: HubClient) async throws -> [PartnerDocument] {
        let answer = try await admin.send(.GET, "/v1/partners/\(id)/documents?limit=1000")
        guard answer.status == 200, let list = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [[String: Any]] else {
            throw HubClientError(status: answer.status, path: "/v1/partners/\(id)/documents", body: String(answer.text.prefix(300)))
        }
        return list.map(PartnerDocument.init)
    }
}

/// One row of `GET /v1/partners/{id}/documents`.
struct PartnerDocument {
    var direction: String
    var transactionSet: String
    var status: String
    var reference: String
    var orderID: String?

    var groupControl: Int?

    /// Whether this is the 856 sent in functional group `group` (GS06).
    func isShipNotice(inGroup group: Int?) -> Bool { transactionSet == "856" && group != nil && groupControl == group }

    init(_ object: [String: Any]) {
        direction = object["direction"] as? String ?? ""
        transactionSet = object["transactionSet"] as? String ?? ""
        status = object["status"] as? String ?? ""
        reference = object["reference"] as? String ?? ""
        orderID = (object["orderId"] ?? object["orderID"]) as? String
        groupControl = object["groupControl"] as? Int
    }
}

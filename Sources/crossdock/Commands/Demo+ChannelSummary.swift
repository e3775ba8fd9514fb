import CrossdockDomain
import CrossdockEDI
import CrossdockSandbox
import CrossdockStore
import Foundation

/// What went through each partner in its own format, the hub's record of it, and whether every channel did what it
/// should.
extension Demo {
    /// Prints the channel section of the summary; returns the failed expectations.
    func summarizeChannels(_ partners: DemoPartners, run: DemoRun, orders: [SalesOrder]) async throws -> [String] {
        var problems: [String] = []
        func expect(_ condition: Bool, _ problem: @autoclosure () -> String) { if !condition { problems.append(problem()) } }
        // A replacement order (a lost parcel reshipped) is the hub's, on the original's channel; the channel never placed it.
        let byChannel = Dictionary(grouping: orders.filter { !run.replacements.contains($0.id) }, by: \.channel)
        say("  channels: " + byChannel.keys.sorted().map { "\($0) \(byChannel[$0]!.count)" }.joined(separator: ", ") + " order(s)")

        let shop = partners.storefront.stats
        let shopConfiguration = SandboxStorefront.Configuration(seed: seed)
        say("  Shopify shop \(partners.storefront.id)")
        say(
            "    out: \(shop.webhooksSent) signed orders/create webhooks (\(shopConfiguration.orders) orders, \(shopConfiguration.redeliveries) redelivered, 1 re-sent under a new webhook id, 1 tampered)"
        )
        say(
            "    in:  \(shop.created) created, \(shop.redeliveriesDeduplicated) redeliveries answered with the first reply, \(shop.resentAnsweredExisting) re-sent answered 200 with the existing order, \(shop.tamperedRefused) tampered refused 401"
        )
        expect(
            shop.created == shopConfiguration.orders && byChannel["shopify", default: []].count == shop.created,
            "Shopify: \(shop.created) created"
        )
        expect(shop.redeliveriesDeduplicated == shopConfiguration.redeliveries, "Shopify: redeliveries not deduplicated")
        expect(shop.resentAnsweredExisting == 1 && shop.tamperedRefused == 1, "Shopify: re-sent or tampered webhook not answered as expected")
        problems += shop.unexpected.map { "Shopify: \($0)" }

        let crm = partners.crm.stats
        say("  Salesforce org \(partners.crm.id)")
        say(
            "    out: \(crm.sent) signed Order pushes (1 re-sent); in: \(crm.created) created, \(crm.resentAnsweredExisting) re-sent answered 200 with the existing order"
        )
        expect(crm.created > 0 && byChannel["salesforce", default: []].count == crm.created, "Salesforce: \(crm.created) created")
        expect(crm.resentAnsweredExisting == 1, "Salesforce: the re-sent Order was not answered with the existing order")
        problems += crm.unexpected.map { "Salesforce: \($0)" }

        problems += try await summarizeRetailer(partners, run: run, orders: orders.filter { $0.channel == "edi" })
        problems += try await summarizeThreePL(partners, run: run)

        let carrier = partners.carrier.stats
        say(
            "  EasyPost (carrier \(partners.carrierID)): \(carrier.milestonesSent) tracker.updated webhooks applied, \(carrier.reportFailures) refused"
        )
        expect(carrier.reportFailures == 0, "EasyPost: \(carrier.reportFailures) tracker webhook(s) refused")

        problems += try await summarizeERPs(partners, run: run, orders: orders)
        for problem in problems { say("  CHANNEL FAILED: \(problem)") }
        return problems
    }

    /// The EDI retailer: partner side from its counters, hub side from `GET /v1/partners/{id}/documents`.
    private func summarizeRetailer(_ partners: DemoPartners, run: DemoRun, orders: [SalesOrder]) async throws -> [String] {
        var problems: [String] = []
        let retailer = partners.retailer
        let stats = retailer.stats
        let records = retailer.purchaseOrders
        let hub = try await partnerDocuments(retailer.id, admin: run.admin)
        let acks = Dictionary(grouping: records.flatMap(\.acknowledgments), by: \.status).mapValues(\.count)
        say("  EDI retailer \(retailer.id)")
        say(
            "    out: 850 ×\(stats.x12.sent["850", default: 0]) in \(stats.interchangesSent) interchange(s), 997 ×\(stats.x12.sent["997", default: 0]); in: 997 ×\(stats.x12.received["997", default: 0]) (\(records.filter { $0.hubAcknowledgment == .accepted }.count) PO(s) accepted, \(records.filter { $0.hubAcknowledgment == .rejected }.count) rejected), 855 ×\(stats.x12.received["855", default: 0]) (\(acks.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))), 856 ×\(stats.x12.received["856", default: 0]), 810 ×\(stats.x12.received["810", default: 0])"
        )
        say("    hub: " + Self.describe(hub))
        for record in records where !record.metExpectation {
            problems.append(
                "EDI: PO \(record.number) expected \(record.expectation.rawValue); 997 \(record.hubAcknowledgment?.rawValue ?? "none"), 855 \(record.acknowledgments.map(\.status))"
            )
        }
        let byNumber = Dictionary(records.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        // Per PO: a replacement for a lost parcel is an order of its own under the original PO, so the retailer
        // files both orders' 856 and 810 under that one PO.
        var byPO: [String: [SalesOrder]] = [:]
        for order in orders { byPO[order.customerPO ?? "", default: []].append(order) }
        for (number, ordersOfPO) in byPO.sorted(by: { $0.key < $1.key }) {
            let record = byNumber[number]
            var shipped = 0
            var invoiced = 0
            for order in ordersOfPO {
                shipped += try await run.hub.store.shipments(orderID: order.id).count
                invoiced += try await run.hub.store.invoices(orderID: order.id).count
            }
            let which = "PO \(number) (order\(ordersOfPO.count == 1 ? "" : "s") \(ordersOfPO.map(\.id).joined(separator: ", ")))"
            if record?.shipNotices.count != shipped {
                problems.append("EDI: \(which) shipped \(shipped)×, retailer has \(record?.shipNotices.count ?? 0) 856")
            }
            if record?.invoices.count != invoiced {
                problems.append("EDI: \(which) invoiced \(invoiced)×, retailer has \(record?.invoices.count ?? 0) 810")
            }
        }
        // The 856 the retailer was told to leave unanswered stays `sent`; every other document has its 997.
        let withheld = stats.unacknowledged
        if let withheld {
            say(
                "    the retailer never acknowledged the 856 \(withheld.shipmentID) (interchange \(withheld.interchange), group \(withheld.group))"
            )
            let document = hub.first { $0.direction == "out" && $0.isShipNotice(inGroup: withheld.group) }
            if document?.status != "sent" {
                problems.append("EDI: the unanswered 856 in group \(withheld.group) is \(document?.status ?? "missing") at the hub")
            }
        } else {
            problems.append("EDI: the retailer received no 856 to leave unanswered")
        }
        let unacknowledged = hub.filter { $0.direction == "out" && $0.status != "acknowledged" && !$0.isShipNotice(inGroup: withheld?.group) }
        if !unacknowledged.isEmpty { problems.append("EDI: \(unacknowledged.count) hub document(s) to the retailer not acknowledged") }
        if stats.webhooks.badSignatures + stats.x12.misaddressed + stats.rejectedByUs + stats.x12.postFailures > 0 {
            problems.append("EDI: retailer saw bad signatures, misaddressed or unreadable interchanges, or failed posts")
        }
        return problems
    }

    /// The 3PL: partner side from its counters, hub side from `GET /v1/partners/{id}/documents`.
    private func summarizeThreePL(_ partners: DemoPartners, run: DemoRun) async throws -> [String] {
        var problems: [String] = []
        let stats = partners.threePL.stats
        let hub = try await partnerDocuments(partners.threePL.id, admin: run.admin)
        say("  3PL \(partners.threePL.id) (\(Catalog.thirdPartyWarehouse().id))")
        say(
            "    in:  940 ×\(stats.x12.received["940", default: 0]), \(stats.cancellations.requests) cancellation request(s); out: 997 ×\(stats.x12.sent["997", default: 0]), 945 ×\(stats.x12.sent["945", default: 0]) (\(stats.advicesAccepted) applied, \(stats.advicesRejected) refused), \(stats.cancellations.fullyCancelled) not shipped (cancelled); cancellations \(stats.cancellations.accepted) accepted, \(stats.cancellations.refused) refused, \(stats.cancellations.answersIgnored) moot"
        )
        say("    hub: " + Self.describe(hub))
        let received = stats.x12.received["940", default: 0]
        if received == 0 { problems.append("3PL: no 940 received") }
        if stats.cancellations.accepted == 0 { problems.append("3PL: no cancellation accepted") }
        if stats.advicesAccepted + stats.cancellations.fullyCancelled != received || stats.advicesRejected > 0 {
            problems.append("3PL: \(received) 940(s) but \(stats.advicesAccepted) 945(s) applied and \(stats.cancellations.fullyCancelled) cancelled")
        }
        if hub.contains(where: { $0.direction == "out" && $0.status != "acknowledged" }) { problems.append("3PL: a 940 was not acknowledged") }
        if stats.webhooks.badSignatures + stats.x12.misaddressed + stats.x12.postFailures > 0 {
            problems.append("3PL: bad signatures, misaddressed interchanges or failed posts")
        }
        return problems
    }

    /// `in 850 ×8 (7 accepted, 1 rejected), 997 ×3; out 855 ×7 (7 acknowledged), …`.
    static func describe(_ documents: [PartnerDocument]) -> String {
        ["in", "out"].map { direction in
            let sets = Dictionary(grouping: documents.filter { $0.direction == direction }, by: \.transactionSet)
            let text = sets.keys.sorted().map { set in
                let statuses = Dictionary(grouping: sets[set]!, by: \.status).mapValues(\.count)
                return "\(set) ×\(sets[set]!.count) (" + statuses.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                    + ")"
            }
            return "\(direction) " + (text.isEmpty ? "nothing" : text.joined(separator: ", "))
        }.joined(separator: "; ")
    }
}

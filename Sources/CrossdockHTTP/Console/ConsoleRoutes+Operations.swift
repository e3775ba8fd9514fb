import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// The console's subscriptions (with pause and resume), partners and reconciliation pages.
extension ConsoleRoutes {
    func addOperationsPages(to router: RouteTable) {
        router.get("/console/subscriptions") { request, context in
            try await page(request, context, .subscriptions) { context, viewer in
                _ = try context.require(.eventsRead)
                let subscriptions = try await store.subscriptions().filter(context.canSee)
                let statistics = Dictionary(try await store.deliveryStatistics().map { ($0.subscriptionID, $0) }) { first, _ in first }
                let now = Date()
                let rows = subscriptions.map { subscription in
                    ConsolePages.SubscriptionRow(
                        subscription: subscription,
                        circuit: health.circuit(subscription.endpoint, at: now),
                        statistics: statistics[subscription.id],
                        now: now
                    )
                }
                return ConsolePages.subscriptions(rows, notice: Self.notice(request), viewer: viewer)
            }
        }
        for (action, status) in [("pause", Subscription.Status.paused), ("resume", .active)] {
            router.post("/console/subscriptions/:id/\(action)") { request, context in
                try await self.action(request, context, .subscriptions, scope: .subscriptionsWrite, route: "/console/subscriptions/{id}/\(action)") {
                    context,
                    _,
                    _ in
                    let id = try pathParameter(context, "id")
                    _ = try await context.visibleSubscription(id, in: store)
                    let reason = status == .paused ? "paused by an operator in the console" : nil
                    guard try await store.setSubscriptionStatus(id, status: status, reason: reason) else { throw notFound("subscription", id) }
                    return ConsoleHTML.redirect("/console/subscriptions?done=\(action)")
                }
            }
        }
        router.get("/console/partners") { request, context in
            try await page(request, context, .partners) { context, viewer in
                let partners = try await store.partners(kind: nil).filter { context.canSee(partnerID: $0.id) }
                var rows: [ConsolePages.PartnerRow] = []
                for partner in partners {
                    let documents = try await store.ediDocuments(partnerID: partner.id, limit: ConsolePages.PartnerRow.window)
                    rows.append(ConsolePages.PartnerRow(partner: partner, documents: documents))
                }
                return ConsolePages.partners(rows, viewer: viewer)
            }
        }
        router.get("/console/reconciliation") { request, context in
            try await page(request, context, .reconciliation) { context, viewer in
                try context.requireHubWide("the reconciliation ledger")
                let from = try optionalTime(request, "from")
                let to = try optionalTime(request, "to")
                let figure = request.uri.queryParameters.get("figure").map { String($0) }
                if let figure, ConsolePages.Figure(rawValue: figure) == nil {
                    throw Problem.invalidQuery("figure", "must be one of \(ConsolePages.Figure.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let facts = try await ReconciliationReport(store: store).orderFacts(from: from, to: to)
                return ConsolePages.reconciliation(facts, figure: figure.flatMap(ConsolePages.Figure.init(rawValue:)), viewer: viewer)
            }
        }
    }
}

import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation

/// The subscriptions, partners and reconciliation pages.
extension ConsolePages {
    /// One subscription with what the delivery side knows of it.
    struct SubscriptionRow {
        var subscription: Subscription
        /// This node's circuit breaker for the subscription's endpoint.
        var circuit: CircuitBreaker.State
        var statistics: SubscriptionDeliveryStatistics?
        var now: Date
    }

    static func subscriptions(_ rows: [SubscriptionRow], notice: String?, viewer: ConsoleViewer) -> String {
        let e = ConsoleHTML.escape
        var body = "<p class=\"muted\">Every subscription with its queue: backlog (pending deliveries), dead letters and the age of the oldest"
        body += " undelivered event. The circuit is this node's view of the endpoint.</p>"
        body += ConsoleHTML.table(
            ["Subscription", "Endpoint", "Partner", "Status", "Circuit", "Backlog", "Dead", "Oldest undelivered"] + (viewer.mayReplay ? [""] : []),
            rows.map { row in
                let subscription = row.subscription
                let status = e(subscription.status.rawValue) + (subscription.statusReason.map { " <span class=\"muted\">(\(e($0)))</span>" } ?? "")
                let age = row.statistics?.oldestPendingEventTime.map { ConsoleChart.number(max(0, row.now.timeIntervalSince($0))) + " s" } ?? "–"
                let dead = row.statistics?.dead ?? 0
                var cells = [
                    e(subscription.id), "<code>\(e(subscription.url))</code>", e(subscription.partner ?? "hub-wide"), status,
                    row.circuit == .closed ? "closed" : "<span class=\"bad\">\(e(row.circuit.rawValue))</span>", String(row.statistics?.pending ?? 0),
                    dead == 0 ? "0" : "<a href=\"/console/deliveries?subscription=\(e(ConsoleHTML.component(subscription.id)))\">\(dead)</a>", age,
                ]
                if viewer.mayReplay {
                    let path = "/console/subscriptions/\(ConsoleHTML.component(subscription.id))"
                    cells.append(
                        subscription.status == .active
                            ? ConsoleHTML.actionForm(path + "/pause", label: "Pause", viewer: viewer)
                            : ConsoleHTML.actionForm(path + "/resume", label: "Resume", viewer: viewer)
                    )
                }
                return cells
            }
        )
        if viewer.mayRouteAlerts { body += ConsoleAlertRouteForm.render(viewer: viewer) }
        return ConsoleHTML.page(title: "Subscriptions", section: .subscriptions, viewer: viewer, notice: notice, body: body)
    }

    /// One partner and its latest X12 documents.
    struct PartnerRow {
        /// How many of a partner's latest documents the page looks at.
        static let window = 200

        var partner: PartnerRecord
        var documents: [EDIDocumentRecord]

        /// Documents refused (inbound rejected, or acknowledged with errors).
        var refused: Int { documents.filter { $0.status == "rejected" || $0.status.hasSuffix("errors") }.count }
        /// Outbound documents without their 997 yet.
        var unacknowledged: Int { documents.filter { $0.direction == .outbound && $0.acknowledgedAt == nil }.count }
    }

    static func partners(_ rows: [PartnerRow], viewer: ConsoleViewer) -> String {
        let e = ConsoleHTML.escape
        var body = "<p class=\"muted\">The partner registry. Documents: the latest \(PartnerRow.window) X12 documents each; the error rate is the"
        body += " share refused (rejected, or acknowledged with errors); last contact is the newest document.</p>"
        body += ConsoleHTML.table(
            ["Partner", "Kind", "Profile updated", "Documents", "In / out", "Error rate", "Without 997", "Last contact"],
            rows.map { row in
                let inbound = row.documents.filter { $0.direction == .inbound }.count
                let rate = row.documents.isEmpty ? "–" : String(format: "%.1f %%", Double(row.refused) / Double(row.documents.count) * 100)
                return [
                    e(row.partner.id), e(row.partner.kind), e(JSONCoding.format(row.partner.updatedAt)), String(row.documents.count),
                    "\(inbound) / \(row.documents.count - inbound)", row.refused == 0 ? rate : "<span class=\"bad\">\(rate)</span>",
                    String(row.unacknowledged), row.documents.first.map { e(JSONCoding.format($0.createdAt)) } ?? "–",
                ]
            }
        )
        return ConsoleHTML.page(title: "Partners", section: .partners, viewer: viewer, body: body)
    }

    /// A figure of the reconciliation ledger whose orders the page can list.
    enum Figure: String, CaseIterable {
        case ordered, shipped, cancelled, rejected, open, invoiced, returned
        case creditedReturns = "credited-returns"
        case creditedLosses = "credited-losses"
        case mismatches

        var label: String {
            switch self {
            case .creditedReturns: "credited returns"
            case .creditedLosses: "credited losses"
            default: rawValue
            }
        }

        /// This figure for one order (units; for mismatches, how many).
        func value(_ facts: Reconciliation.OrderFacts) -> Int {
            switch self {
            case .ordered: facts.ordered
            case .shipped: facts.shipped
            case .cancelled: facts.cancelled
            case .rejected: facts.rejected
            case .open: facts.open
            case .invoiced: facts.invoicedUnits
            case .returned: facts.returnedUnits
            case .creditedReturns: facts.creditedReturnUnits
            case .creditedLosses: facts.creditedLossUnits
            case .mismatches: Reconciliation.check(facts).count
            }
        }
    }

    static func reconciliation(_ facts: [Reconciliation.OrderFacts], figure: Figure?, viewer: ConsoleViewer) -> String {
        let e = ConsoleHTML.escape
        let summary = Reconciliation.summarizeByEntity(facts)
        var body = "<p><code>\(e(summary.line))</code></p>"
        if !summary.entities.isEmpty {
            body += ConsoleHTML.table(
                ["Legal entity", "Orders", "Balanced", "Ledger"],
                summary.entities.map { entity in
                    [
                        e(entity.legalEntityID.isEmpty ? "(none)" : entity.legalEntityID), String(entity.orders),
                        entity.balanced ? "yes" : "no (\(entity.mismatches))", "<code>\(e(entity.line))</code>",
                    ]
                }
            )
        }
        body +=
            "<p class=\"muted\">Shipped vs invoiced vs returned vs credited over \(summary.orders) orders. Each figure lists the orders behind it.</p>"
        body += ConsoleHTML.table(
            ["Figure", "Units", "Orders"],
            Figure.allCases.map { item in
                let total = facts.reduce(0) { $0 + item.value($1) }
                let orders = facts.filter { item.value($0) > 0 }.count
                return [
                    "<a href=\"/console/reconciliation?figure=\(item.rawValue)\">\(e(item.label))</a>", String(total), String(orders),
                ]
            }
        )
        if let figure {
            let behind = facts.filter { figure.value($0) > 0 }
            body += "<h2>Orders behind “\(e(figure.label))” (\(behind.count))</h2>"
            let shown = behind.prefix(500)
            if behind.count > shown.count { body += "<p class=\"muted\">The first \(shown.count) are listed.</p>" }
            let mismatches = Dictionary(grouping: summary.mismatches, by: \.orderID)
            body += ConsoleHTML.table(
                ["Order", "Ordered", "Shipped", "Cancelled", "Rejected", "Open", "Invoiced", "Returned", "Credited", "Mismatches"],
                shown.map { order in
                    [
                        ConsoleHTML.orderLink(order.orderID), String(order.ordered), String(order.shipped), String(order.cancelled),
                        String(order.rejected), String(order.open), String(order.invoicedUnits), String(order.returnedUnits),
                        "\(order.creditedReturnUnits) + \(order.creditedLossUnits)",
                        (mismatches[order.orderID] ?? []).map { "<span class=\"bad\">\(e($0.message))</span>" }.joined(separator: "<br>"),
                    ]
                }
            )
        }
        return ConsoleHTML.page(title: "Reconciliation", section: .reconciliation, viewer: viewer, body: body)
    }
}

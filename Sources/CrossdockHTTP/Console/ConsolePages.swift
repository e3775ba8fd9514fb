import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation

/// The console's pages as HTML, from the same values the JSON API answers. Every value is escaped.
enum ConsolePages {
    static func signIn(message: String?) -> String {
        var body = ""
        if let message { body += "<p class=\"bad\">\(ConsoleHTML.escape(message))</p>" }
        body += """
            <p>Sign in with an API key holding <code>orders:read</code>. The hub starts a session for 8 hours (an HttpOnly, \
            SameSite=Strict cookie holding a random token, never the key) and checks it and the key on every page, so signing out, \
            or revoking or rotating the key, ends it at once. The key's write scopes unlock the pages' actions.</p>
            <form method="post" action="/console/sign-in"><p><input type="password" name="key" autocomplete="off" placeholder="cdk_…" required>
            <button type="submit">Sign in</button></p></form>
            """
        return ConsoleHTML.page(title: "Sign in", section: nil, viewer: nil, body: body)
    }

    static func overview(_ report: KPIReport, viewer: ConsoleViewer) -> String {
        let time = { (date: Date) in ConsoleHTML.escape(JSONCoding.format(date)) }
        let seconds = { (value: Double?) in value.map { ConsoleChart.number($0) + " s" } ?? "–" }
        let percent = { (value: Double?) in value.map { String(format: "%.1f %%", $0 * 100) } ?? "–" }
        var body = "<p class=\"muted\">From \(time(report.from)) to \(time(report.to)), buckets of \(report.bucketSeconds / 60) min.</p>"
        body += "<form method=\"get\" action=\"/console\"><p>From <input type=\"text\" name=\"from\" value=\"\(time(report.from))\"> "
        body +=
            "to <input type=\"text\" name=\"to\" value=\"\(time(report.to))\"> bucket <input type=\"text\" name=\"bucket\" value=\"\(report.bucketSeconds / 60)m\">"
        body += " <button type=\"submit\">Show</button></p></form>"
        let cards: [(String, String)] = [
            ("Orders received", String(report.orders.received)), ("Accepted", String(report.orders.accepted)),
            ("Rejected", String(report.orders.rejected)), ("On hold", String(report.orders.onHold)),
            ("Cycle time p50 / p90 (received → invoiced)", "\(seconds(report.cycleTime.p50Seconds)) / \(seconds(report.cycleTime.p90Seconds))"),
            (
                "Fulfilment latency p50 / p90 (released → shipped)",
                "\(seconds(report.fulfillmentLatency.p50Seconds)) / \(seconds(report.fulfillmentLatency.p90Seconds))"
            ),
            ("Exception rate", percent(report.exceptions.rate)), ("Delivery success rate", percent(report.deliveries.successRate)),
        ]
        body +=
            "<div class=\"cards\">" + cards.map { "<div class=\"card\">\(ConsoleHTML.escape($0.0))<b>\(ConsoleHTML.escape($0.1))</b></div>" }.joined()
            + "</div>"
        let label = { (bucket: KPIReport.Bucket) in JSONCoding.format(bucket.start).prefix(16).replacingOccurrences(of: "T", with: " ") }
        body += "<h2>Orders per bucket</h2>"
        body += ConsoleChart(bars: report.buckets.map { (label($0), Double($0.received)) }, title: "Orders received").svg
        body += "<br>" + ConsoleChart(bars: report.buckets.map { (label($0), Double($0.accepted)) }, title: "Orders accepted").svg
        body +=
            "<br>" + ConsoleChart(bars: report.buckets.map { (label($0), Double($0.rejected + $0.onHold)) }, title: "Orders rejected or on hold").svg
        body +=
            "<h2>Exceptions</h2><p>\(report.exceptions.ordersWithException) of \(report.exceptions.ordersReceived) orders received had an exception.</p>"
        body += ConsoleHTML.table(
            ["Class", "Orders"],
            report.exceptions.byClass.sorted { $0.key < $1.key }.map { [ConsoleHTML.escape($0.key), String($0.value)] }
        )
        body += "<h3>Open now</h3>"
        body += ConsoleHTML.table(
            ["Kind", "Open"],
            report.exceptions.open.sorted { $0.key < $1.key }.map { [ConsoleHTML.escape($0.key), String($0.value)] }
        )
        body += "<h2>Deliveries</h2><p>\(report.deliveries.succeeded) of \(report.deliveries.attempts) attempts succeeded.</p>"
        body += ConsoleHTML.table(
            ["Subscription", "Backlog", "Dead", "Oldest undelivered"],
            report.subscriptions.map {
                [ConsoleHTML.escape($0.subscriptionId), String($0.backlog), String($0.dead), seconds($0.oldestUndeliveredAgeSeconds)]
            }
        )
        return ConsoleHTML.page(title: "Overview", section: .overview, viewer: viewer, body: body)
    }

    static func search(_ key: String?, hits: [KeySearch.Hit], viewer: ConsoleViewer) -> String {
        var body = "<form method=\"get\" action=\"/console/search\"><p><input type=\"text\" name=\"q\" value=\"\(ConsoleHTML.escape(key ?? ""))\""
        body +=
            " placeholder=\"order id, PO number, tracking number, invoice number, control number…\" autofocus> <button type=\"submit\">Search</button></p></form>"
        if let key {
            body += "<p class=\"muted\">\(hits.count) results for <code>\(ConsoleHTML.escape(key))</code></p>"
            body += ConsoleHTML.table(
                ["Kind", "What", "Order"],
                hits.map { [ConsoleHTML.escape($0.kind), ConsoleHTML.escape($0.label), $0.orderId.map(ConsoleHTML.orderLink) ?? ""] }
            )
        }
        return ConsoleHTML.page(title: "Search", section: .search, viewer: viewer, body: body)
    }

    static func trace(_ trace: OrderTrace, notice: String?, viewer: ConsoleViewer) -> String {
        let e = ConsoleHTML.escape
        var body = "<p>Status <b>\(e(trace.status.rawValue))</b> · channel \(e(trace.channel)) · channel order \(e(trace.externalId))"
        body +=
            " · customer \(e(trace.customerId))\(trace.customerName.map { " (\(e($0)))" } ?? "")\(trace.customerPo.map { " · PO \(e($0))" } ?? "")\(trace.legalEntityId.map { " · legal entity \(e($0))" } ?? "")</p>"
        if let traceID = trace.traceId { body += "<p>Trace id <code>\(e(traceID))</code> (find it in your tracing system)</p>" }
        if trace.truncated { body += "<p class=\"bad\">The order has more events than one trace shows.</p>" }
        // The trace column only when traces are exported (some step has a trace id).
        let traced = trace.steps.contains { $0.traceId != nil }
        body += ConsoleHTML.table(
            ["Time", "System", "Step", "What", "Status"] + (traced ? ["Trace"] : []),
            trace.steps.map { step in
                var what = e(step.summary)
                if let attempts = step.attempts, !attempts.isEmpty {
                    what += "<ul>"
                    for attempt in attempts {
                        what += "<li>#\(attempt.attempt) \(e(JSONCoding.format(attempt.at))) → \(attempt.statusCode.map(String.init) ?? "no answer")"
                        what += " in \(ConsoleChart.number(attempt.latencyMs)) ms\(attempt.error.map { ": <code>\(e($0))</code>" } ?? "")</li>"
                    }
                    what += "</ul>"
                }
                let trace = step.traceId.map { "<code title=\"\(e($0))\">\(e(String($0.prefix(8))))</code>" } ?? ""
                return [e(JSONCoding.format(step.time)), e(step.system), e(step.kind), what, e(step.status ?? "")] + (traced ? [trace] : [])
            }
        )
        for message in trace.inboundMessages {
            // The partner's payload as received: escaped like everything else, so a hostile body shows as text.
            let size = message.isTruncated ? "first \(message.body.utf8.count) of \(message.bodyBytes) bytes" : "\(message.bodyBytes) bytes"
            body += "<details><summary>Inbound \(e(message.channel)) message from \(e(message.partner))"
            body +=
                "\(message.messageID.map { " (\(e($0)))" } ?? ""), \(e(JSONCoding.format(message.receivedAt))): \(e(message.authentication))</summary>"
            body += "<p>\(e(message.contentType)), \(size)</p><pre>\(e(message.body))</pre></details>"
        }
        body += traceActions(trace, viewer: viewer)
        return ConsoleHTML.page(title: "Order \(trace.orderId)", section: .search, viewer: viewer, notice: notice, body: body)
    }

    static func deliveries(_ dead: [DeliveryDetail], subscription: String?, notice: String?, viewer: ConsoleViewer) -> String {
        let e = ConsoleHTML.escape
        var body = "<form method=\"get\" action=\"/console/deliveries\"><p>Subscription <input type=\"text\" name=\"subscription\""
        body += " value=\"\(e(subscription ?? ""))\"> <button type=\"submit\">Filter</button></p></form>"
        body += "<p class=\"muted\">Dead letters, oldest first (\(dead.count)). In bulk: <code>POST /v1/deliveries/replay</code>"
        body += " or <code>crossdock dlq</code>.</p>"
        body += ConsoleHTML.table(
            ["Delivery", "Subscription", "Event", "Attempts", "Last status", "Last error"] + (viewer.mayReplay ? [""] : []),
            dead.map {
                var row = [
                    String($0.delivery.id), e($0.delivery.subscriptionID), e(EventType(qualifiedName: $0.eventType)?.name ?? $0.eventType),
                    String($0.delivery.attempts), $0.delivery.lastStatusCode.map(String.init) ?? "–",
                    "<code>\(e($0.delivery.lastError ?? ""))</code>",
                ]
                if viewer.mayReplay {
                    row.append(ConsoleHTML.actionForm("/console/deliveries/\($0.delivery.id)/replay", label: "Replay", viewer: viewer))
                }
                return row
            }
        )
        return ConsoleHTML.page(title: "Deliveries", section: .deliveries, viewer: viewer, notice: notice, body: body)
    }

    static func exceptions(_ open: [OperationsException], notice: String?, viewer: ConsoleViewer) -> String {
        let e = ConsoleHTML.escape
        var body = "<p class=\"muted\">Open operations exceptions, oldest first (\(open.count)).</p>"
        let note = "<input type=\"text\" name=\"note\" placeholder=\"note\" maxlength=\"500\"> "
        body += ConsoleHTML.table(
            ["Opened", "Kind", "Severity", "Order", "Detail", "Id", "Alerted", "Assignee", "Last activity"]
                + (viewer.mayChangeOrders ? ["Work", "Resolve"] : []),
            open.map {
                var row = [
                    e(JSONCoding.format($0.openedAt)), e($0.kind.rawValue), e($0.kind.severity.rawValue), ConsoleHTML.orderLink($0.orderID),
                    e($0.detail), e($0.id),
                ]
                // Which alert routes were paged (docs/alerts.md), and when last.
                if let last = $0.alerts.values.map(\.notifiedAt).max() {
                    row.append(e("\($0.alerts.count) route(s), last \(JSONCoding.format(last))"))
                } else {
                    row.append("–")
                }
                row.append(e($0.assignee ?? ""))
                row.append($0.activity.last.map { e("\($0.action.rawValue) by \($0.by.name)\($0.text.map { ": \($0)" } ?? "")") } ?? "")
                if viewer.mayChangeOrders {
                    let path = "/console/exceptions/\(ConsoleHTML.component($0.id))"
                    let assignee = "<input type=\"text\" name=\"assignee\" placeholder=\"assignee\" maxlength=\"200\"> "
                    let comment = "<input type=\"text\" name=\"text\" placeholder=\"comment\" maxlength=\"4000\"> "
                    row.append(
                        ConsoleHTML.actionForm(path + "/assign", label: "Assign", viewer: viewer, fields: assignee)
                            + ConsoleHTML.actionForm(path + "/comments", label: "Comment", viewer: viewer, fields: comment)
                    )
                    // A substitute needs its SKU: the API takes it.
                    let choices = $0.kind.resolutions.filter { $0 != .substitute }
                    let select =
                        "<select name=\"resolution\">" + choices.map { "<option value=\"\($0.rawValue)\">\($0.rawValue)</option>" }.joined()
                        + "</select> " + note
                    row.append(ConsoleHTML.actionForm(path + "/resolve", label: "Resolve", viewer: viewer, fields: select))
                }
                return row
            }
        )
        return ConsoleHTML.page(title: "Exceptions", section: .exceptions, viewer: viewer, notice: notice, body: body)
    }

    /// A page that says why the caller cannot see it.
    static func refusal(_ title: String, _ message: String, section: ConsoleHTML.Section?, viewer: ConsoleViewer) -> String {
        ConsoleHTML.page(title: title, section: section, viewer: viewer, body: "<p class=\"bad\">\(ConsoleHTML.escape(message))</p>")
    }

    /// The actions the viewer's key allows on an order in its current status.
    static func traceActions(_ trace: OrderTrace, viewer: ConsoleViewer) -> String {
        let path = "/console/orders/\(ConsoleHTML.component(trace.orderId))"
        var forms: [String] = []
        if viewer.mayChangeOrders, trace.status == .onHold {
            forms.append(ConsoleHTML.actionForm(path + "/release-hold", label: "Release the hold", viewer: viewer, id: "release-hold"))
        }
        if viewer.mayChangeOrders, !trace.status.isTerminal, ![.shipped, .delivered, .deliveryException].contains(trace.status) {
            let reason = "<input type=\"text\" name=\"reason\" placeholder=\"reason\" maxlength=\"500\"> "
            forms.append(ConsoleHTML.actionForm(path + "/cancel", label: "Cancel what is not shipped", viewer: viewer, fields: reason, id: "cancel"))
        }
        if viewer.mayReplay {
            forms.append(ConsoleHTML.actionForm(path + "/replay", label: "Plan a replay of its events", viewer: viewer, id: "replay"))
        }
        guard !forms.isEmpty else { return "" }
        return "<h2>Actions</h2>" + forms.map { "<div class=\"action\">\($0)</div>" }.joined()
    }

    /// A replay's dry run, with the form that carries it out.
    static func replayPlan(_ plan: ReplayPlan, orderID: String, viewer: ConsoleViewer) -> String {
        let e = ConsoleHTML.escape
        var body = "<p>Replaying the events of order \(ConsoleHTML.orderLink(orderID)) would queue \(plan.deliveries) deliveries again:</p>"
        body += ConsoleHTML.table(
            ["Subscription", "Endpoint", "Deliveries"],
            plan.endpoints.map { [e($0.subscriptionID), e($0.url), String($0.deliveries)] }
        )
        if plan.deliveries > 0 {
            body += ConsoleHTML.actionForm(
                "/console/orders/\(ConsoleHTML.component(orderID))/replay",
                label: "Replay \(plan.deliveries) deliveries",
                viewer: viewer,
                hidden: ["confirm": "1"],
                id: "confirm-replay"
            )
        }
        return ConsoleHTML.page(title: "Replay order \(orderID)", section: .search, viewer: viewer, body: body)
    }
}

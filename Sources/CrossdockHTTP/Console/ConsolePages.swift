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
            <p>Sign in with an API key holding <code>orders:read</code>. The key is kept in an HttpOnly, SameSite=Strict cookie \
            for 8 hours and checked on every page, so a revoked key stops working at once.</p>
            <form method="post" action="/console/sign-in"><p><input type="password" name="key" autocomplete="off" placeholder="cdk_…" required>
            <button type="submit">Sign in</button></p></form>
            """
        return ConsoleHTML.page(title: "Sign in", section: nil, signedInAs: nil, body: body)
    }

    static func overview(_ report: KPIReport, signedInAs: String) -> String {
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
        return ConsoleHTML.page(title: "Overview", section: .overview, signedInAs: signedInAs, body: body)
    }

    static func search(_ key: String?, hits: [KeySearch.Hit], signedInAs: String) -> String {
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
        return ConsoleHTML.page(title: "Search", section: .search, signedInAs: signedInAs, body: body)
    }

    static func trace(_ trace: OrderTrace, signedInAs: String) -> String {
        let e = ConsoleHTML.escape
        var body = "<p>Status <b>\(e(trace.status.rawValue))</b> · channel \(e(trace.channel)) · channel order \(e(trace.externalId))"
        body +=
            " · customer \(e(trace.customerId))\(trace.customerName.map { " (\(e($0)))" } ?? "")\(trace.customerPo.map { " · PO \(e($0))" } ?? "")</p>"
        if trace.truncated { body += "<p class=\"bad\">The order has more events than one trace shows.</p>" }
        body += ConsoleHTML.table(
            ["Time", "System", "Step", "What", "Status"],
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
                return [e(JSONCoding.format(step.time)), e(step.system), e(step.kind), what, e(step.status ?? "")]
            }
        )
        return ConsoleHTML.page(title: "Order \(trace.orderId)", section: .search, signedInAs: signedInAs, body: body)
    }

    static func deliveries(_ dead: [DeliveryDetail], subscription: String?, signedInAs: String) -> String {
        let e = ConsoleHTML.escape
        var body = "<form method=\"get\" action=\"/console/deliveries\"><p>Subscription <input type=\"text\" name=\"subscription\""
        body += " value=\"\(e(subscription ?? ""))\"> <button type=\"submit\">Filter</button></p></form>"
        body += "<p class=\"muted\">Dead letters, oldest first (\(dead.count)). Replay them with <code>POST /v1/deliveries/replay</code>"
        body += " or <code>crossdock dlq</code>.</p>"
        body += ConsoleHTML.table(
            ["Delivery", "Subscription", "Event", "Attempts", "Last status", "Last error"],
            dead.map {
                [
                    String($0.delivery.id), e($0.delivery.subscriptionID), e(EventType(qualifiedName: $0.eventType)?.name ?? $0.eventType),
                    String($0.delivery.attempts), $0.delivery.lastStatusCode.map(String.init) ?? "–",
                    "<code>\(e($0.delivery.lastError ?? ""))</code>",
                ]
            }
        )
        return ConsoleHTML.page(title: "Deliveries", section: .deliveries, signedInAs: signedInAs, body: body)
    }

    static func exceptions(_ open: [OperationsException], signedInAs: String) -> String {
        let e = ConsoleHTML.escape
        var body = "<p class=\"muted\">Open operations exceptions, oldest first (\(open.count)). Resolve them with"
        body += " <code>POST /v1/exceptions/{id}/resolve</code>.</p>"
        body += ConsoleHTML.table(
            ["Opened", "Kind", "Order", "Detail", "Id"],
            open.map { [e(JSONCoding.format($0.openedAt)), e($0.kind.rawValue), ConsoleHTML.orderLink($0.orderID), e($0.detail), e($0.id)] }
        )
        return ConsoleHTML.page(title: "Exceptions", section: .exceptions, signedInAs: signedInAs, body: body)
    }

    /// A page that says why the caller cannot see it.
    static func refusal(_ title: String, _ message: String, section: ConsoleHTML.Section?, signedInAs: String) -> String {
        ConsoleHTML.page(title: title, section: section, signedInAs: signedInAs, body: "<p class=\"bad\">\(ConsoleHTML.escape(message))</p>")
    }
}

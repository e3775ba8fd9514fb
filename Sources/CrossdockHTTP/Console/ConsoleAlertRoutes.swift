import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// Creating an alert route from the console's subscriptions page: the same route `POST /v1/subscriptions` makes with
/// `settings.alert` (docs/alerts.md), checked by the same rules; its signing secret is shown once.
extension ConsoleRoutes {
    func addAlertRouteActions(to router: RouteTable) {
        router.post("/console/alert-routes") { request, context in
            try await action(request, context, .subscriptions, scope: .subscriptionsWrite, route: "/console/alert-routes") { context, form, viewer in
                try context.requireHubWide("alert routes")
                let (url, settings) = try ConsoleAlertRouteForm.parse(form)
                try throwIfAny(
                    SubscriptionRules.problems(url: url, eventTypes: ["alert.*"], settings: settings, partner: nil, mappings: mappings)
                )
                let route = Subscription(
                    id: IDs.make(),
                    url: url,
                    eventTypes: ["alert.*"],
                    secret: WebhookSigner.makeSecret(),
                    createdAt: Date(),
                    cursor: 0,
                    settings: settings,
                    partner: nil
                )
                try await store.insertSubscription(route)
                return ConsoleHTML.response(ConsoleAlertRouteForm.created(route, viewer: viewer), status: .created)
            }
        }
    }
}

/// The console's alert-route form: its fields, and what they make.
enum ConsoleAlertRouteForm {
    /// The form, for a key that may create routes (hub-wide, `subscriptions:write`).
    static func render(viewer: ConsoleViewer) -> String {
        let kinds = OperationsException.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        var fields = "<p><label>Endpoint URL <input type=\"url\" name=\"url\" required size=\"50\"></label></p>"
        fields += "<p><label>Kinds <input type=\"text\" name=\"kinds\" size=\"50\" placeholder=\"all\"></label>"
        fields += " <span class=\"muted\">comma-separated, empty for all: \(ConsoleHTML.escape(kinds))</span></p>"
        fields += "<p>Severities (none ticked: all) "
        for severity in AlertSeverity.allCases {
            fields += "<label><input type=\"checkbox\" name=\"severity_\(severity.rawValue)\" value=\"on\"> \(severity.rawValue)</label> "
        }
        fields += "</p><p><label>Partners <input type=\"text\" name=\"partners\" size=\"30\" placeholder=\"any\"></label> "
        fields += "<label>Channels <input type=\"text\" name=\"channels\" size=\"30\" placeholder=\"any\"></label></p>"
        fields += "<p><label>Format <select name=\"format\"><option value=\"standard\">signed alert CloudEvent</option>"
        fields += "<option value=\"slack\">Slack-compatible</option></select></label> "
        fields +=
            "<label>Remind after <input type=\"number\" name=\"renotifyMinutes\" value=\"240\" min=\"0\" max=\"10080\"> minutes (0: never)</label> "
        fields += "<label><input type=\"checkbox\" name=\"notifyResolved\" value=\"on\" checked> tell it when they are resolved</label></p>"
        return "<h2>New alert route</h2>"
            + ConsoleHTML.actionForm("/console/alert-routes", label: "Create alert route", viewer: viewer, fields: fields)
    }

    /// The URL and settings the form asks for.
    /// - Throws: ``Problem`` 400 `invalid_form` naming each field it cannot read.
    static func parse(_ form: [String: String]) throws -> (String, SubscriptionSettings) {
        var errors: [IntakeError.FieldError] = []
        func list(_ name: String) -> [String] {
            (form[name] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        }
        var kinds: [OperationsException.Kind] = []
        for name in list("kinds") {
            if let kind = OperationsException.Kind(rawValue: name) {
                kinds.append(kind)
            } else {
                errors.check(true, "kinds", "unknown kind '\(name)'")
            }
        }
        let severities = AlertSeverity.allCases.filter { form["severity_\($0.rawValue)"] == "on" }
        let format = AlertRoute.Format(rawValue: form["format"] ?? "standard")
        errors.check(format == nil, "format", "must be standard or slack")
        let renotify = Int(form["renotifyMinutes"] ?? "240")
        errors.check(renotify == nil, "renotifyMinutes", "must be a whole number of minutes")
        guard errors.isEmpty, let format, let renotify else {
            throw Problem(
                status: .badRequest,
                code: "invalid_form",
                title: "Invalid form field",
                detail: errors.map { "\($0.field): \($0.reason)" }.joined(separator: "; "),
                errors: errors
            )
        }
        let alert = AlertRoute(
            kinds: kinds,
            severities: severities,
            partners: list("partners"),
            channels: list("channels"),
            format: format,
            renotifyMinutes: renotify,
            notifyResolved: form["notifyResolved"] == "on"
        )
        return ((form["url"] ?? "").trimmingCharacters(in: .whitespaces), SubscriptionSettings(alert: alert))
    }

    /// The page after creating `route`: its id and, once, its signing secret.
    static func created(_ route: Subscription, viewer: ConsoleViewer) -> String {
        let e = ConsoleHTML.escape
        var body = "<p>Alert route <b>\(e(route.id))</b> sends to <code>\(e(route.url))</code>.</p>"
        body += "<p>Its signing secret, shown only now (the endpoint verifies the Standard Webhooks signature with it):</p>"
        body += "<p><code>\(e(route.secret))</code></p>"
        body += "<p><a href=\"/console/subscriptions\">Back to subscriptions</a></p>"
        return ConsoleHTML.page(title: "Alert route created", section: .subscriptions, viewer: viewer, body: body)
    }
}

import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The console's page frame: a small inline stylesheet (allowed by its hash in the page's `Content-Security-Policy`),
/// the navigation, and HTML escaping. Nothing is fetched from elsewhere and no script runs.
enum ConsoleHTML {
    static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
        header{background:#1f2a37;color:#fff;padding:8px 24px;display:flex;gap:18px;align-items:center}
        header a{color:#dbe4ee;text-decoration:none}header a.on{color:#fff;font-weight:600}header .who{margin-left:auto;color:#aab}
        header form,td form{margin:0}main{max-width:1200px;margin:0 auto;padding:12px 24px 48px}
        table{border-collapse:collapse;width:100%;margin:8px 0;background:#fff}
        th,td{border:1px solid #e2e2e6;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f2f2f5}
        .cards{display:flex;flex-wrap:wrap;gap:10px}.card{background:#fff;border:1px solid #e2e2e6;border-radius:6px;padding:8px 14px;min-width:150px}
        .card b{display:block;font-size:22px}.muted{color:#666}.bad{color:#b42318}.ok{color:#067647}
        code{font:12px ui-monospace,monospace;background:#f0f0f3;padding:1px 4px;border-radius:3px}
        input[type=text],input[type=password]{padding:5px 8px;width:360px}button{padding:5px 12px}
        svg{background:#fff;border:1px solid #e2e2e6}svg rect.bar{fill:#3b82c4}svg text{font:11px system-ui,sans-serif;fill:#555}
        """

    /// The pages' policy: only the inline stylesheet above may load; forms post to the hub only.
    static let contentSecurityPolicy: String = {
        let hash = Data(SHA256.hash(data: Data(style.utf8))).base64EncodedString()
        return "default-src 'none'; style-src 'sha256-\(hash)'; img-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }()

    /// The console's sections, for the navigation.
    enum Section: String, CaseIterable {
        case overview = "Overview"
        case search = "Search"
        case deliveries = "Dead letters"
        case subscriptions = "Subscriptions"
        case exceptions = "Exceptions"
        case partners = "Partners"
        case reconciliation = "Reconciliation"
        case masterData = "Master data"

        var path: String {
            switch self {
            case .overview: "/console"
            case .search: "/console/search"
            case .deliveries: "/console/deliveries"
            case .subscriptions: "/console/subscriptions"
            case .exceptions: "/console/exceptions"
            case .partners: "/console/partners"
            case .reconciliation: "/console/reconciliation"
            case .masterData: "/console/master-data"
            }
        }
    }

    /// A whole page: `body` is HTML already escaped by its writer.
    static func page(title: String, section: Section?, viewer: ConsoleViewer?, notice: String? = nil, body: String) -> String {
        var nav = "<a href=\"/console\"><b>Crossdock</b></a>"
        if let viewer {
            for item in Section.allCases {
                nav += "<a href=\"\(item.path)\"\(item == section ? " class=\"on\"" : "")>\(item.rawValue)</a>"
            }
            nav += "<span class=\"who\">key \(escape(viewer.name))</span>"
            nav += actionForm("/console/sign-out", label: "Sign out", viewer: viewer)
        }
        let notice = notice.map { "<p class=\"ok notice\">\(escape($0))</p>" } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · Crossdock console</title><style>\(style)</style></head>
            <body><header>\(nav)</header><main><h1>\(escape(title))</h1>\(notice)
            \(body)
            </main></body></html>
            """
    }

    /// A form that posts to `action` with the session's CSRF token: `fields` is HTML already escaped (inputs the
    /// operator fills in), `hidden` are added as hidden inputs.
    static func actionForm(
        _ action: String,
        label: String,
        viewer: ConsoleViewer,
        fields: String = "",
        hidden: [String: String] = [:],
        id: String? = nil
    ) -> String {
        var form = "<form method=\"post\" action=\"\(escape(action))\"\(id.map { " id=\"\(escape($0))\"" } ?? "")>"
        form += "<input type=\"hidden\" name=\"csrf\" value=\"\(escape(viewer.csrfToken))\">"
        for (name, value) in hidden.sorted(by: { $0.key < $1.key }) {
            form += "<input type=\"hidden\" name=\"\(escape(name))\" value=\"\(escape(value))\">"
        }
        return form + fields + "<button type=\"submit\">\(escape(label))</button></form>"
    }

    /// An HTML response with the console's headers: its policy, and `Cache-Control: no-store` (business data).
    static func response(_ html: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A `303 See Other` to `location`.
    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }

    /// `text` safe inside an element or a quoted attribute.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// `value` as one path segment or query value: everything but unreserved characters percent-encoded.
    static func component(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A link to an order's trace page.
    static func orderLink(_ id: String) -> String {
        "<a href=\"/console/orders/\(escape(component(id)))\">\(escape(id))</a>"
    }

    /// A table: `header` cells are plain text, `rows` cells HTML already escaped.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "<p class=\"muted\">Nothing here.</p>" }
        let head = header.map { "<th>\(escape($0))</th>" }.joined()
        let body = rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return "<table><thead><tr>\(head)</tr></thead><tbody>\n\(body)\n</tbody></table>"
    }
}
